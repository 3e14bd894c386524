// Package oauth keeps a channel's access token fresh with the OAuth 2.0
// refresh flow (RFC 6749 §6), for the platforms whose tokens expire: X
// user tokens (two hours) and Google's (one hour). Where the platform
// rotates the refresh token (X does on every refresh), the newest is kept
// in the store sealed with the key from EARSHOT_TOKEN_KEY, so that the
// replicas share it and a restart does not fall back to a spent one.
package oauth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"earshot/internal/connector"
	"earshot/internal/secretbox"
)

// KeyEnv names the environment variable that holds the key sealing
// stored refresh tokens: 32 bytes as 64 hexadecimal digits or base64
// (see secretbox.ParseKey). Every replica needs the same.
const KeyEnv = "EARSHOT_TOKEN_KEY"

// ClientAuth is how the client authenticates itself to the token
// endpoint (RFC 6749 §2.3.1).
type ClientAuth int

const (
	// PlatformAuth is the platform's own way: Basic for X, the form body
	// for Google and the others.
	PlatformAuth ClientAuth = iota
	// ClientSecretBasic sends the client id and secret with HTTP Basic, as
	// X asks of confidential clients. Without a secret (a public client)
	// the client id goes in the form body.
	ClientSecretBasic
	// ClientSecretPost sends client_id and client_secret in the form body,
	// as Google takes them.
	ClientSecretPost
)

// Store keeps a channel's newest refresh token, sealed; *store.Store is
// one. ChannelRefreshToken returns nil when none is stored.
type Store interface {
	ChannelRefreshToken(ctx context.Context, channel string) ([]byte, error)
	SetChannelRefreshToken(ctx context.Context, channel string, sealed []byte, now time.Time) error
}

// Config is what a Source needs of one channel. The app fills it from
// the channel's refresh_token_env, client_id_env and client_secret_env.
type Config struct {
	// Channel is the channel's id; Platform its platform ("x", "google").
	Channel  string
	Platform string
	// TokenURL is the token endpoint; "" means the platform's (see
	// DefaultTokenURL) under BaseURL, the channel's base_url.
	TokenURL string
	BaseURL  string
	// ClientAuth is how the client id and secret are sent.
	ClientAuth   ClientAuth
	ClientID     string
	ClientSecret string
	// RefreshToken is the one from the environment: the first of the
	// chain. A newer one in the store wins over it.
	RefreshToken string
	// Store and Key keep rotated refresh tokens; without either they live
	// in memory only, and Warning says what a restart will need.
	Store Store
	Key   *secretbox.Key
	// Client makes the requests (Earshot's egress client); UserAgent
	// names Earshot in them.
	Client    *http.Client
	UserAgent string
	// Logger (nil: slog.Default()) and Now (nil: time.Now).
	Logger *slog.Logger
	Now    func() time.Time
}

// DefaultTokenURL returns a platform's token endpoint: X's
// https://api.x.com/2/oauth2/token, Google's https://oauth2.googleapis.com/token.
// With a channel's base_url, the endpoint is under it (X's path, or
// /token for Google), so that a proxy or a test double stands in for it.
func DefaultTokenURL(platform, baseURL string) (string, error) {
	base := strings.TrimRight(baseURL, "/")
	switch platform {
	case "x":
		if base == "" {
			base = "https://api.x.com"
		}
		return base + "/2/oauth2/token", nil
	case "google":
		if base == "" {
			return "https://oauth2.googleapis.com/token", nil
		}
		return base + "/token", nil
	}
	return "", fmt.Errorf("platform %q has no known token endpoint: give the token URL", platform)
}

// rotates says whether a platform issues a new refresh token on every
// refresh and spends the old one.
func rotates(platform string) bool { return platform == "x" }

const (
	// defaultLifetime is how long an access token is taken to last when
	// the endpoint does not say (expires_in is only recommended).
	defaultLifetime = time.Hour
	// earlyRenewal is how long before expiry a token is renewed.
	earlyRenewal = time.Minute
	// persistTimeout bounds storing a rotated token, which goes on even
	// when the caller's context ends: the old token is spent.
	persistTimeout = 10 * time.Second
)

// Source is a connector.TokenSource that renews the access token with
// the refresh token when it is missing or within a minute of expiry. It
// is safe for concurrent use: one renewal at a time, the other callers
// wait for it (or for their context).
type Source struct {
	cfg     Config
	log     *slog.Logger
	renewal chan struct{} // held while renewing

	mu      sync.Mutex
	access  string
	renewAt time.Time
	refresh string // the newest refresh token known here
	unsaved bool   // refresh was rotated and is not in the store yet
	warning string
}

var _ connector.TokenSource = (*Source)(nil)

// NewSource checks cfg and returns the channel's token source. It does
// no I/O: the first Token reads the store and renews.
func NewSource(cfg Config) (*Source, error) {
	if cfg.Channel == "" {
		return nil, errors.New("oauth: the channel id is empty")
	}
	if cfg.ClientID == "" {
		return nil, fmt.Errorf("oauth: channel %q has no client id", cfg.Channel)
	}
	if cfg.Client == nil {
		return nil, fmt.Errorf("oauth: channel %q has no HTTP client", cfg.Channel)
	}
	if cfg.TokenURL == "" {
		u, err := DefaultTokenURL(cfg.Platform, cfg.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("oauth: channel %q: %w", cfg.Channel, err)
		}
		cfg.TokenURL = u
	}
	if u, err := url.Parse(cfg.TokenURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("oauth: channel %q: the token URL must be an absolute http(s) URL", cfg.Channel)
	}
	if cfg.ClientAuth == PlatformAuth {
		cfg.ClientAuth = ClientSecretPost
		if cfg.Platform == "x" {
			cfg.ClientAuth = ClientSecretBasic
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Source{cfg: cfg, log: log.With("channel", cfg.Channel), renewal: make(chan struct{}, 1), refresh: cfg.RefreshToken}
	if rotates(cfg.Platform) && !s.persistent() {
		s.warning = memoryOnlyWarning(cfg)
		s.log.Warn("rotated refresh tokens are kept in memory only", "reason", s.warning)
	}
	return s, nil
}

// memoryOnlyWarning says why rotated tokens are not stored and what a
// restart will need.
func memoryOnlyWarning(cfg Config) string {
	why := KeyEnv + " is not set"
	if cfg.Key != nil {
		why = "no store is given"
	}
	return why + ": the platform rotates the refresh token and the newest is kept in memory only, so after a restart the channel needs a new refresh token in its environment variable"
}

// persistent says whether rotated tokens go to the store.
func (s *Source) persistent() bool { return s.cfg.Store != nil && s.cfg.Key != nil }

func (s *Source) now() time.Time { return s.cfg.Now() }

// Token returns a valid access token, renewing it first when it is
// missing or about to expire. Its errors are connector errors
// (*connector.Permanent when the refresh token is refused) and never
// hold a token or a secret.
func (s *Source) Token(ctx context.Context) (string, error) {
	if tok, ok := s.current(); ok {
		return tok, nil
	}
	select {
	case s.renewal <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.renewal }()
	if tok, ok := s.current(); ok { // renewed while this caller waited
		return tok, nil
	}
	if err := s.renew(ctx); err != nil {
		return "", err
	}
	tok, _ := s.current()
	return tok, nil
}

// Expire forgets the access token, so that the next Token renews it: for
// a connector whose request the platform refused as unauthorised (401).
func (s *Source) Expire() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = ""
}

// Warning says, in plain words, what is wrong with how the channel's
// refresh token is kept, "" when nothing is: it lives in memory only
// (no EARSHOT_TOKEN_KEY), or storing the newest failed. The channel's
// page shows it.
func (s *Source) Warning() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warning
}

// current returns the access token while it is good: until a minute
// before it expires.
func (s *Source) current() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == "" || !s.now().Before(s.renewAt) {
		return "", false
	}
	return s.access, true
}

// renew exchanges the newest refresh token for an access token. A
// refused one may have been spent by another replica, which stored its
// successor: the store is read once more and that one tried, then the
// environment's (the operator may have connected the channel again).
func (s *Source) renew(ctx context.Context) error {
	if err := s.retryPersist(ctx); err != nil {
		return err
	}
	tok, err := s.newestRefresh(ctx)
	if err != nil {
		return err
	}
	tried := map[string]bool{}
	reread := false
	for {
		if tok == "" {
			return &connector.Permanent{Reason: "no refresh token is set for this channel: connect the channel again"}
		}
		tried[tok] = true
		tr, err := s.exchange(ctx, tok)
		if err == nil {
			s.accept(ctx, tok, tr)
			return nil
		}
		if !isRefused(err) {
			return err
		}
		next := ""
		if !reread && s.persistent() {
			reread = true
			stored, serr := s.readStored(ctx)
			if serr != nil {
				return serr
			}
			if stored != "" && !tried[stored] {
				next = stored
			}
		}
		if next == "" && s.cfg.RefreshToken != "" && !tried[s.cfg.RefreshToken] {
			next = s.cfg.RefreshToken
		}
		if next == "" {
			s.log.Warn("the token endpoint refused the refresh token", "tried", len(tried))
			return err
		}
		tok = next
	}
}

// newestRefresh returns the refresh token to use: the store's when there
// is one (another replica may have rotated it), else the one held here.
func (s *Source) newestRefresh(ctx context.Context) (string, error) {
	s.mu.Lock()
	held, unsaved := s.refresh, s.unsaved
	s.mu.Unlock()
	if unsaved || !s.persistent() {
		return held, nil
	}
	stored, err := s.readStored(ctx)
	if err != nil {
		return "", err
	}
	if stored != "" {
		return stored, nil
	}
	return held, nil
}

// purpose binds a sealed token to its channel.
func (s *Source) purpose() string { return "earshot refresh token of channel " + s.cfg.Channel }

// readStored returns the channel's stored refresh token, "" when none.
func (s *Source) readStored(ctx context.Context) (string, error) {
	sealed, err := s.cfg.Store.ChannelRefreshToken(ctx, s.cfg.Channel)
	if err != nil {
		return "", &connector.Temporary{Reason: "reading the stored refresh token failed: " + err.Error()}
	}
	if sealed == nil {
		return "", nil
	}
	plain, err := s.cfg.Key.Open(sealed, s.purpose())
	if err != nil {
		return "", fmt.Errorf("the stored refresh token of channel %q cannot be decrypted with %s (is it the key it was stored with?): %w", s.cfg.Channel, KeyEnv, err)
	}
	return string(plain), nil
}

// accept takes a new access token, and a rotated refresh token, which it
// stores at once.
func (s *Source) accept(ctx context.Context, used string, tr tokenResponse) {
	lifetime := tr.ExpiresIn
	if lifetime <= 0 {
		lifetime = defaultLifetime
	}
	early := min(earlyRenewal, lifetime/2)
	s.mu.Lock()
	s.access = tr.AccessToken
	s.renewAt = s.now().Add(lifetime - early)
	s.refresh = used
	rotated := tr.RefreshToken != "" && tr.RefreshToken != used
	if rotated {
		s.refresh = tr.RefreshToken
		s.unsaved = true
	}
	s.mu.Unlock()
	s.log.Debug("access token renewed", "expires_in", lifetime, "refresh_token_rotated", rotated)
	if rotated {
		if err := s.persist(ctx); err != nil {
			s.log.Error("storing the rotated refresh token failed; it is kept in memory and stored at the next renewal", "err", err)
		}
	}
}

// retryPersist stores a rotated refresh token that an earlier attempt
// failed to store. An error means the store is still failing: renewing
// now would rotate the token again while the store keeps a spent one.
func (s *Source) retryPersist(ctx context.Context) error {
	s.mu.Lock()
	unsaved := s.unsaved
	s.mu.Unlock()
	if !unsaved || !s.persistent() {
		return nil
	}
	if err := s.persist(ctx); err != nil {
		return &connector.Temporary{Reason: err.Error()}
	}
	return nil
}

// persist stores the refresh token held here, sealed, and says in
// Warning what became of it. It goes on after ctx ends.
func (s *Source) persist(ctx context.Context) error {
	s.mu.Lock()
	tok := s.refresh
	s.mu.Unlock()
	if !s.persistent() {
		s.mu.Lock()
		s.warning = memoryOnlyWarning(s.cfg)
		s.mu.Unlock()
		s.log.Warn("the refresh token was rotated and is kept in memory only", "reason", s.warning)
		return nil
	}
	sealed, err := s.cfg.Key.Seal([]byte(tok), s.purpose())
	if err == nil {
		pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), persistTimeout)
		err = s.cfg.Store.SetChannelRefreshToken(pctx, s.cfg.Channel, sealed, s.now())
		cancel()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.warning = "storing the newest refresh token failed (" + err.Error() + "); it is kept in memory until the store takes it"
		return fmt.Errorf("store the rotated refresh token: %w", err)
	}
	if s.refresh == tok {
		s.unsaved = false
	}
	s.warning = ""
	s.log.Info("rotated refresh token stored")
	return nil
}
