package org

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Channel is one account on a platform that Earshot hears and answers
// on. Secrets are never in the file: the *_env fields name the
// environment variables that hold them.
type Channel struct {
	ID       string `yaml:"id" json:"id"`
	Platform string `yaml:"platform" json:"platform"`
	// AccountID is our own account on the platform: the X user id, the
	// Facebook page id, the Instagram professional account id, the
	// Google location's resource name, the Yelp business id.
	AccountID string `yaml:"account_id,omitempty" json:"account_id,omitempty"`
	Name      string `yaml:"name,omitempty" json:"name,omitempty"`
	Site      string `yaml:"site,omitempty" json:"site,omitempty"`
	// BaseURL is the platform's API root; empty means its public one.
	BaseURL         string `yaml:"base_url,omitempty" json:"base_url,omitempty"`
	TokenEnv        string `yaml:"token_env,omitempty" json:"token_env,omitempty"`
	SecretEnv       string `yaml:"secret_env,omitempty" json:"secret_env,omitempty"`
	VerifyTokenEnv  string `yaml:"verify_token_env,omitempty" json:"verify_token_env,omitempty"`
	RefreshTokenEnv string `yaml:"refresh_token_env,omitempty" json:"refresh_token_env,omitempty"`
	ClientIDEnv     string `yaml:"client_id_env,omitempty" json:"client_id_env,omitempty"`
	ClientSecretEnv string `yaml:"client_secret_env,omitempty" json:"client_secret_env,omitempty"`
	// URL is a feed's address (rss).
	URL string `yaml:"url,omitempty" json:"url,omitempty"`
	// Poll is how often to ask the platform for what is new; 0 means
	// the channel is heard by webhooks only.
	Poll Duration `yaml:"poll,omitempty" json:"poll,omitempty"`
}

// Channel platforms.
const (
	PlatformX         = "x"
	PlatformFacebook  = "facebook"
	PlatformInstagram = "instagram"
	PlatformGoogle    = "google"
	PlatformYelp      = "yelp"
	PlatformRSS       = "rss"
)

// channelPlatforms are the platforms a channel may be on.
var channelPlatforms = []string{PlatformX, PlatformFacebook, PlatformInstagram, PlatformGoogle, PlatformYelp, PlatformRSS}

// envName is what an environment variable's name may be.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// Env returns the environment variables the channel names, each with
// its field, in the file's order of fields.
func (c Channel) Env() []EnvRef {
	var out []EnvRef
	for _, r := range []EnvRef{
		{"token_env", c.TokenEnv}, {"secret_env", c.SecretEnv}, {"verify_token_env", c.VerifyTokenEnv},
		{"refresh_token_env", c.RefreshTokenEnv}, {"client_id_env", c.ClientIDEnv}, {"client_secret_env", c.ClientSecretEnv},
	} {
		if r.Name != "" {
			out = append(out, r)
		}
	}
	return out
}

// EnvRef is an environment variable a channel names, and the field that
// names it.
type EnvRef struct {
	Field string
	Name  string
}

// Unset returns the environment variables the channel names that
// getenv finds empty: until they are set the channel does nothing.
func (c Channel) Unset(getenv func(string) string) []string {
	var out []string
	for _, r := range c.Env() {
		if getenv(r.Name) == "" && !slices.Contains(out, r.Name) {
			out = append(out, r.Name)
		}
	}
	return out
}

// ChannelWarnings says, for each channel whose environment variables
// are not all set, which are missing: such a channel does nothing, which
// is worth a warning when the file is applied but no reason to refuse
// it (the variables may be set on the servers, not where apply runs).
func (o *Org) ChannelWarnings(getenv func(string) string) []string {
	var out []string
	for _, c := range o.Channels {
		for _, name := range c.Unset(getenv) {
			out = append(out, fmt.Sprintf("channel %s: %s is not set; the channel does nothing until it is", c.ID, name))
		}
	}
	return out
}

// Channel returns the channel with id, or nil.
func (o *Org) Channel(id string) *Channel {
	for i := range o.Channels {
		if o.Channels[i].ID == id {
			return &o.Channels[i]
		}
	}
	return nil
}

// channels checks the channels block; sites are the site ids.
func (v *validator) channels(sites map[string]bool) {
	seen := map[string]bool{}
	for i, c := range v.o.Channels {
		p := path{"channels", i}
		v.id(append(p, "id"), c.ID, "channel", seen)
		if !slices.Contains(channelPlatforms, c.Platform) {
			if c.Platform == "" {
				v.fail(append(p, "platform"), "platform is missing (one of %s)", strings.Join(channelPlatforms, ", "))
			} else {
				v.fail(append(p, "platform"), "platform %q is not one of %s", c.Platform, strings.Join(channelPlatforms, ", "))
			}
			continue
		}
		if c.Site != "" && !sites[c.Site] {
			v.fail(append(p, "site"), "no site with id %q", c.Site)
		}
		if c.BaseURL != "" {
			v.httpURL(append(p, "base_url"), c.BaseURL)
		}
		for _, r := range c.Env() {
			if !envName.MatchString(r.Name) {
				v.fail(append(p, r.Field), "%s must name an environment variable (letters, digits and _, not starting with a digit); the secret itself never goes in the file", r.Field)
			}
		}
		if c.Poll < 0 {
			v.fail(append(p, "poll"), "poll must be a positive length like 60s, or 0 for webhooks only")
		} else if c.Poll > 0 && time.Duration(c.Poll) < time.Second {
			v.fail(append(p, "poll"), "poll must be at least 1s")
		}
		v.channelPlatform(p, c)
	}
}

// channelPlatform checks what a channel's platform needs.
func (v *validator) channelPlatform(p path, c Channel) {
	if c.Platform == PlatformRSS {
		if c.URL == "" {
			v.fail(append(p, "url"), "an rss channel needs the feed's url")
		} else {
			v.httpURL(append(p, "url"), c.URL)
		}
		if c.Poll == 0 {
			v.fail(append(p, "poll"), "an rss channel is heard by polling: set poll, such as 15m")
		}
		return
	}
	if c.URL != "" {
		v.fail(append(p, "url"), "url is for rss channels; a %s channel is reached at base_url", c.Platform)
	}
	if strings.TrimSpace(c.AccountID) == "" {
		v.fail(append(p, "account_id"), "account_id is missing: our own account on %s", c.Platform)
	}
	if c.TokenEnv == "" && c.RefreshTokenEnv == "" {
		v.fail(append(p, "token_env"), "token_env is missing: the environment variable holding the %s access token", c.Platform)
	}
	if c.RefreshTokenEnv != "" && c.ClientIDEnv == "" {
		v.fail(append(p, "client_id_env"), "refreshing a token needs client_id_env")
	}
	switch c.Platform {
	case PlatformFacebook, PlatformInstagram:
		if c.Poll != 0 {
			v.fail(append(p, "poll"), "a %s channel is heard by webhooks only: leave poll out", c.Platform)
		}
		if c.SecretEnv == "" {
			v.fail(append(p, "secret_env"), "secret_env is missing: the environment variable holding the Meta app secret that signs webhooks")
		}
		if c.VerifyTokenEnv == "" {
			v.fail(append(p, "verify_token_env"), "verify_token_env is missing: the environment variable holding the verify token Meta's webhook check sends")
		}
	case PlatformX:
		if c.Poll == 0 && c.SecretEnv == "" {
			v.fail(append(p, "secret_env"), "an x channel without poll is heard by webhooks: secret_env must name the consumer secret that signs them")
		}
	case PlatformGoogle, PlatformYelp:
		if c.Poll == 0 {
			v.fail(append(p, "poll"), "a %s channel is heard by polling: set poll, such as 5m", c.Platform)
		}
	}
}

// httpURL checks that s is an absolute http or https URL.
func (v *validator) httpURL(p path, s string) {
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.fail(p, "want an http or https URL, not %q", s)
	}
}
