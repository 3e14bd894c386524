package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"earshot/internal/connector"
)

// maxTokenBody bounds what is read of a token endpoint's answer.
const maxTokenBody = 64 << 10

// tokenResponse is the successful answer of a token endpoint (RFC 6749
// §5.1): X (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code)
// answers {"token_type":"bearer","expires_in":7200,"access_token":...,
// "scope":...,"refresh_token":...} with a new refresh token each time;
// Google (https://developers.google.com/identity/protocols/oauth2/web-server#offline)
// answers {"access_token","expires_in":3599,"scope","token_type":"Bearer"}
// and usually no refresh token, which means the old one stays good.
type tokenResponse struct {
	AccessToken  string
	TokenType    string
	ExpiresIn    time.Duration // 0: the endpoint did not say
	RefreshToken string        // "": not rotated
}

// parseTokenResponse reads a token endpoint's successful answer. Its
// errors describe the shape, never the values.
func parseTokenResponse(body []byte) (tokenResponse, error) {
	var raw struct {
		AccessToken  *string         `json:"access_token"`
		TokenType    *string         `json:"token_type"`
		ExpiresIn    json.RawMessage `json:"expires_in"`
		RefreshToken *string         `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return tokenResponse{}, errors.New("the token endpoint's answer is not the JSON object of RFC 6749 §5.1")
	}
	var tr tokenResponse
	if raw.AccessToken == nil || *raw.AccessToken == "" {
		return tokenResponse{}, errors.New("the token endpoint's answer has no access_token")
	}
	tr.AccessToken = *raw.AccessToken
	if strings.ContainsAny(tr.AccessToken, "\r\n\x00") {
		return tokenResponse{}, errors.New("the token endpoint's access_token cannot go in a header")
	}
	if raw.TokenType != nil {
		tr.TokenType = *raw.TokenType
		if !strings.EqualFold(tr.TokenType, "bearer") {
			return tokenResponse{}, errors.New("the token endpoint's token_type is not bearer")
		}
	}
	if raw.RefreshToken != nil {
		tr.RefreshToken = *raw.RefreshToken
	}
	d, err := parseExpiresIn(raw.ExpiresIn)
	if err != nil {
		return tokenResponse{}, err
	}
	tr.ExpiresIn = d
	return tr, nil
}

// maxExpiresIn caps a lifetime, so that a huge one cannot overflow.
const maxExpiresIn = 365 * 24 * time.Hour

// parseExpiresIn reads expires_in, seconds as a JSON number (or, as some
// servers send it, a string of digits); absent or null is 0.
func parseExpiresIn(v json.RawMessage) (time.Duration, error) {
	s := strings.TrimSpace(string(v))
	if s == "" || s == "null" {
		return 0, nil
	}
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	secs, err := strconv.ParseFloat(s, 64)
	if err != nil || secs < 0 || math.IsNaN(secs) {
		return 0, errors.New("the token endpoint's expires_in is not a number of seconds")
	}
	if secs > maxExpiresIn.Seconds() {
		return maxExpiresIn, nil
	}
	return time.Duration(secs * float64(time.Second)), nil
}

// errorResponse is a token endpoint's refusal (RFC 6749 §5.2).
type errorResponse struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// refusedReason is the reason of a refresh token the endpoint refused.
// Another replica may have rotated it, so the store is read again before
// the agent is asked to connect the channel again.
const refusedReason = "the refresh token was refused: connect the channel again"

// isRefused says whether err is the endpoint's refusal of the refresh
// token itself.
func isRefused(err error) bool {
	var p *connector.Permanent
	return errors.As(err, &p) && p.Reason == refusedReason
}

// exchange posts one refresh grant (RFC 6749 §6) and returns the answer,
// or a typed connector error: a *connector.Permanent with refusedReason
// for a spent or revoked refresh token, *connector.Permanent for other
// refusals, *connector.RateLimited, *connector.Temporary for 5xx and
// network errors. No error holds a token or a secret.
func (s *Source) exchange(ctx context.Context, refreshToken string) (tokenResponse, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	basic := s.cfg.ClientAuth == ClientSecretBasic && s.cfg.ClientSecret != ""
	if !basic {
		form.Set("client_id", s.cfg.ClientID)
		if s.cfg.ClientSecret != "" {
			form.Set("client_secret", s.cfg.ClientSecret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return tokenResponse{}, fmt.Errorf("token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if s.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", s.cfg.UserAgent)
	}
	if basic {
		// RFC 6749 §2.3.1: both form-encoded before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(s.cfg.ClientID), url.QueryEscape(s.cfg.ClientSecret))
	}
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return tokenResponse{}, ctx.Err()
		}
		return tokenResponse{}, &connector.Temporary{Reason: "the token endpoint could not be reached: " + s.redact(networkReason(err), refreshToken)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	if err != nil {
		return tokenResponse{}, &connector.Temporary{Reason: fmt.Sprintf("reading the token endpoint's answer (HTTP %d) failed", resp.StatusCode)}
	}
	if resp.StatusCode == http.StatusOK {
		tr, err := parseTokenResponse(body)
		if err != nil {
			return tokenResponse{}, &connector.Temporary{Reason: err.Error()}
		}
		return tr, nil
	}
	return tokenResponse{}, s.refusal(resp, body, refreshToken)
}

// refusal turns a token endpoint's failed answer into a typed error.
func (s *Source) refusal(resp *http.Response, body []byte, refreshToken string) error {
	now := s.now()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode >= 500 {
		return connector.FromStatus(resp.StatusCode, resp.Header, "", now)
	}
	var e errorResponse
	_ = json.Unmarshal(body, &e)
	switch e.Error {
	case "invalid_grant", "invalid_request":
		// invalid_grant is RFC 6749's answer to a spent, expired or revoked
		// refresh token. X answers invalid_request ("Value passed for the
		// token was invalid") to one; the rest of our request is fixed.
		return &connector.Permanent{Reason: refusedReason}
	case "invalid_client", "unauthorized_client":
		return &connector.Permanent{Reason: fmt.Sprintf("the token endpoint refused the client (%s): check the client id and secret of the channel", e.Error)}
	}
	reason := fmt.Sprintf("the token endpoint answered HTTP %d", resp.StatusCode)
	if e.Error != "" {
		reason += ": " + clip(s.redact(e.Error, refreshToken), 80)
		if e.Description != "" {
			reason += " (" + clip(s.redact(e.Description, refreshToken), 200) + ")"
		}
	}
	return &connector.Permanent{Reason: reason}
}

// networkReason says what failed on the way, without the URL's query.
func networkReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var te interface{ Timeout() bool }
	if errors.As(err, &te) && te.Timeout() {
		return "timed out"
	}
	return err.Error()
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// redact hides the channel's secrets in text that came back from the
// token endpoint or the network, in case it echoes them.
func (s *Source) redact(text string, more ...string) string {
	s.mu.Lock()
	secrets := append([]string{s.cfg.ClientSecret, s.cfg.RefreshToken, s.refresh, s.access}, more...)
	s.mu.Unlock()
	for _, sec := range secrets {
		if len(sec) >= 4 {
			text = strings.ReplaceAll(text, sec, "[hidden]")
		}
	}
	return text
}
