package oauth

import (
	"strings"
	"testing"
	"time"
)

func FuzzParseTokenResponse(f *testing.F) {
	for _, seed := range []string{
		`{"token_type":"bearer","expires_in":7200,"access_token":"abc","scope":"tweet.read offline.access","refresh_token":"def"}`,
		`{"access_token":"ya29.x","expires_in":3599,"scope":"https://www.googleapis.com/auth/business.manage","token_type":"Bearer"}`,
		`{"access_token":"a","expires_in":"3600"}`,
		`{"access_token":"a","expires_in":1e400}`,
		`{"access_token":"a","expires_in":-1}`,
		`{"access_token":"a\r\nX: y"}`,
		`{"access_token":null}`,
		`[]`, `null`, ``, `{"access_token":"a","token_type":"mac"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tr, err := parseTokenResponse(body)
		if err != nil {
			if tr != (tokenResponse{}) {
				t.Fatalf("error %v with a token", err)
			}
			return
		}
		if tr.AccessToken == "" || strings.ContainsAny(tr.AccessToken, "\r\n\x00") {
			t.Fatalf("accepted access token %q", tr.AccessToken)
		}
		if tr.ExpiresIn < 0 || tr.ExpiresIn > maxExpiresIn {
			t.Fatalf("expires in %v", tr.ExpiresIn)
		}
		if tr.TokenType != "" && !strings.EqualFold(tr.TokenType, "bearer") {
			t.Fatalf("token type %q", tr.TokenType)
		}
	})
}

func TestParseTokenResponseShapes(t *testing.T) {
	tr, err := parseTokenResponse([]byte(`{"token_type":"bearer","expires_in":7200,"access_token":"abc","refresh_token":"def"}`))
	if err != nil || tr.AccessToken != "abc" || tr.RefreshToken != "def" || tr.ExpiresIn != 2*time.Hour {
		t.Fatalf("X answer: %+v, %v", tr, err)
	}
	tr, err = parseTokenResponse([]byte(`{"access_token":"ya29","expires_in":"3599","token_type":"Bearer"}`))
	if err != nil || tr.RefreshToken != "" || tr.ExpiresIn != 3599*time.Second {
		t.Fatalf("Google answer, expires_in as a string: %+v, %v", tr, err)
	}
	for _, bad := range []string{`{"access_token":"a","expires_in":"soon"}`, `{"access_token":"a","expires_in":-5}`, `{"access_token":""}`, `"token"`} {
		if _, err := parseTokenResponse([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
