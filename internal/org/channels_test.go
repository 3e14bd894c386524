package org

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func channelsFile(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/channels.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestChannelsParseAndRoundTrip(t *testing.T) {
	o, err := Parse([]byte(channelsFile(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(o.Channels) != 6 {
		t.Fatalf("channels: %+v", o.Channels)
	}
	x := o.Channels[0]
	if x.ID != "bcbstx-x" || x.Platform != PlatformX || x.AccountID != "2244994945" || x.Name != "@BCBSTX" || x.Site != "dallas" ||
		x.TokenEnv != "EARSHOT_X_TOKEN" || x.SecretEnv != "EARSHOT_X_SECRET" || time.Duration(x.Poll) != time.Minute {
		t.Errorf("x channel: %+v", x)
	}
	if fb := o.Channels[1]; fb.Poll != 0 || fb.VerifyTokenEnv != "EARSHOT_META_VERIFY" {
		t.Errorf("facebook channel: %+v", fb)
	}
	if rss := o.Channel("alerts"); rss == nil || time.Duration(rss.Poll) != time.Second || rss.URL == "" {
		t.Errorf("rss channel: %+v", rss)
	}
	canon := o.Canonical()
	if !strings.Contains(string(canon), `"poll":"1m"`) || !strings.Contains(string(canon), `"refresh_token_env":"EARSHOT_GBP_REFRESH"`) {
		t.Errorf("canonical JSON: %s", canon)
	}
	var generic any
	if err := json.Unmarshal(canon, &generic); err != nil {
		t.Fatal(err)
	}
	indented, _ := json.MarshalIndent(generic, "", "\t")
	o2, err := Parse(indented)
	if err != nil {
		t.Fatalf("Parse(canonical JSON): %v\n%s", err, indented)
	}
	if string(o2.Canonical()) != string(canon) {
		t.Errorf("round trip differs:\n%s\n%s", o2.Canonical(), canon)
	}
}

func TestChannelProblemsNameLineAndField(t *testing.T) {
	base := channelsFile(t)
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"unknown platform", "platform: yelp", "platform: myspace", []string{"line 10", "channels[4].platform", `"myspace" is not one of`}},
		{"missing platform", "platform: yelp, ", "", []string{"line 10", "channels[4].platform", "platform is missing"}},
		{"duplicate id", "{id: ig,", "{id: bcbstx-fb,", []string{"line 8", "channels[2].id", "used twice"}},
		{"bad id", "{id: ig,", "{id: IG!,", []string{"line 8", "channels[2].id"}},
		{"unknown site", `name: "@BCBSTX", site: dallas`, `name: "@BCBSTX", site: houston`, []string{"line 6", "channels[0].site", `no site with id "houston"`}},
		{"rss without url", `url: "https://www.google.com/alerts/feeds/1/2", `, "", []string{"line 11", "channels[5].url", "needs the feed's url"}},
		{"rss url not http", "https://www.google.com/alerts", "ftp://www.google.com/alerts", []string{"line 11", "channels[5].url", "http or https"}},
		{"base_url not http", "http://127.0.0.1:9000", "file:///etc/passwd", []string{"line 10", "channels[4].base_url", "http or https"}},
		{"env name with a secret in it", "token_env: EARSHOT_YELP_KEY", "token_env: \"sk-live/abc=\"", []string{"line 10", "channels[4].token_env", "environment variable"}},
		{"env name starting with a digit", "secret_env: EARSHOT_X_SECRET", "secret_env: 1SECRET", []string{"line 6", "channels[0].secret_env"}},
		{"poll too short", "poll: 1s", "poll: 10ms", []string{"line 11", "channels[5].poll", "at least 1s"}},
		{"poll not a duration", "poll: 1s", "poll: often", []string{"line 11", "channels[5].poll"}},
		{"google without poll", "site: dallas, poll: 5m", "site: dallas", []string{"line 9", "channels[3].poll", "heard by polling"}},
		{"facebook polling", "verify_token_env: EARSHOT_META_VERIFY}\n  - {id: ig", "verify_token_env: EARSHOT_META_VERIFY, poll: 1m}\n  - {id: ig", []string{"line 7", "channels[1].poll", "webhooks only"}},
		{"facebook without verify token", ", verify_token_env: EARSHOT_META_VERIFY}\n  - {id: ig", "}\n  - {id: ig", []string{"line 7", "channels[1].verify_token_env"}},
		{"x webhooks without secret", "secret_env: EARSHOT_X_SECRET, poll: 60s", "poll: 0", []string{"line 6", "channels[0].secret_env"}},
		{"no account", `account_id: "dallas-medical-center-dallas", `, "", []string{"line 10", "channels[4].account_id"}},
		{"no token", "token_env: EARSHOT_YELP_KEY, ", "", []string{"line 10", "channels[4].token_env"}},
		{"refresh without client", "client_id_env: EARSHOT_GBP_CLIENT, ", "", []string{"line 9", "channels[3].client_id_env"}},
		{"url on a non-feed", "token_env: EARSHOT_YELP_KEY,", "token_env: EARSHOT_YELP_KEY, url: \"https://example.org\",", []string{"line 10", "channels[4].url"}},
		{"unknown key", "name: \"@BCBSTX\"", "nmae: \"@BCBSTX\"", []string{"line 6", "channels[0].nmae", "unknown field"}},
		{"secret itself as a key", "name: \"@BCBSTX\"", "token: \"AAAA\"", []string{"line 6", "channels[0].token", "unknown field"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(base, tc.from, tc.to, 1)
			if src == base {
				t.Fatalf("the case changes nothing: %q not in the file", tc.from)
			}
			_, err := Parse([]byte(src))
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", src)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func TestChannelWarningsNameUnsetVariables(t *testing.T) {
	o, err := Parse([]byte(channelsFile(t)))
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]string{"EARSHOT_X_TOKEN": "t", "EARSHOT_FB_PAGE_TOKEN": "p", "EARSHOT_META_APP_SECRET": "s", "EARSHOT_META_VERIFY": "v",
		"EARSHOT_GBP_REFRESH": "r", "EARSHOT_GBP_CLIENT": "c", "EARSHOT_GBP_CLIENT_SECRET": "cs", "EARSHOT_YELP_KEY": "k"}
	got := o.ChannelWarnings(func(k string) string { return set[k] })
	want := []string{"channel bcbstx-x: EARSHOT_X_SECRET is not set; the channel does nothing until it is"}
	if !slices.Equal(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}
	if n := len(o.ChannelWarnings(func(string) string { return "" })); n != 12 {
		t.Errorf("with nothing set: %d warnings, want 12 (one per variable named)", n)
	}
	for _, w := range o.ChannelWarnings(func(k string) string { return "" }) {
		if strings.Contains(w, "=") {
			t.Errorf("warning shows a value: %q", w)
		}
	}
}

func TestChangesNamesRemovedChannels(t *testing.T) {
	o, err := Parse([]byte(channelsFile(t)))
	if err != nil {
		t.Fatal(err)
	}
	next := *o
	next.Channels = o.Channels[1:]
	if got := Changes(o, &next); !slices.Contains(got, `channel "bcbstx-x"`) {
		t.Errorf("Changes = %q", got)
	}
}
