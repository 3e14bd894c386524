// Package web is the agent workspace in the browser: sign-in, the
// prioritised inbox, the case view, the reply composer with the privacy
// guard, notes, hand-offs, tasks and the praise wall. Pages are
// html/template with our own small JavaScript and CSS, embedded in the
// binary; live updates come over server-sent events. One handler per file.
package web

import (
	"context"
	"earshot/internal/report"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"earshot/internal/analyze"
	"earshot/internal/auth"
	"earshot/internal/cases"
	"earshot/internal/channels"
	"earshot/internal/events"
	"earshot/internal/guard"
	"earshot/internal/httpmetrics"
	"earshot/internal/org"
	"earshot/internal/redact"
	"earshot/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the web app needs.
type Config struct {
	Store *store.Store
	// Reports computes the reports page's figures; nil: reports over
	// Store in UTC.
	Reports  *report.Reports
	Analyzer *analyze.Analyzer
	// Broker carries live events; nil disables live updates.
	Broker *events.Broker
	Logger *slog.Logger
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
	// SessionTTL is how long an idle session lasts (default 12 hours).
	SessionTTL time.Duration
	// SessionMaxAge is how long a session lasts from sign-in, however
	// busy (default 24 hours).
	SessionMaxAge time.Duration
	// PasswordChecks is how many password checks (argon2id, 64 MiB each)
	// may run at once (default GOMAXPROCS, at least 2); a check that
	// finds none free within a second is refused with 429.
	PasswordChecks int
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client address that sign-in attempts are counted by; without them
	// the peer's address counts.
	TrustedProxies []netip.Prefix
	// HeartbeatInterval spaces SSE keep-alive comments (default 20s).
	HeartbeatInterval time.Duration
	// OnOrgApplied hears that an admin applied a changed organisation
	// file from the settings page (serve reloads its router).
	OnOrgApplied func(context.Context)
	// OrgOptions are the server's settings that an applied organisation
	// file is checked against (where alerts may go).
	OrgOptions org.Options
	// PublicURL is the address browsers use, such as
	// https://care.example.org, when a proxy in front terminates TLS. An
	// https URL makes session cookies Secure with the __Host- prefix and
	// turns on HSTS even though requests arrive over plain HTTP, and the
	// URL's origin is trusted by the cross-origin check (for proxies that
	// rewrite Host). Empty: decided per request by its own TLS.
	PublicURL string
	// SweepInterval spaces the deletion of expired sessions and old
	// sign-in failures by Run (default 5 minutes).
	SweepInterval time.Duration
	// Registerer, when set, collects the app's request latencies
	// (earshot_web_request_seconds).
	Registerer prometheus.Registerer
	// Cases carries out agents' actions on cases; nil: a service over
	// Store with no organisation file's deadlines, on Now.
	Cases *cases.Service
	// Channels are the organisation file's channels, for the Channels
	// page; nil: none.
	Channels *channels.Hearing
}

// Server is the web app's handler set.
type Server struct {
	cfg      Config
	pages    map[string]*pageTemplate
	guard    *guard.Guard
	cases    *cases.Service
	redact   *redact.Policy
	presence *presence
	counts   *countCache
	signin   *signinGuard
	intents  []string
	handler  http.Handler
	// https: browsers reach us over HTTPS (Config.PublicURL); origin is
	// that URL's scheme://host, or "".
	https  bool
	origin string
	// closing ends live streams when the server shuts down.
	closing   chan struct{}
	closeOnce sync.Once
}

// Close ends open live-update streams so that a graceful shutdown does
// not wait for browsers to hang up. Register it with
// http.Server.RegisterOnShutdown.
func (s *Server) Close() { s.closeOnce.Do(func() { close(s.closing) }) }

// New returns the web app. Serve it at "/" beside the API.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Reports == nil {
		cfg.Reports = report.New(cfg.Store, report.Options{})
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.SessionMaxAge <= 0 {
		cfg.SessionMaxAge = 24 * time.Hour
	}
	if cfg.PasswordChecks <= 0 {
		cfg.PasswordChecks = max(2, runtime.GOMAXPROCS(0))
	}
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = 20 * time.Second
	}
	if cfg.SweepInterval <= 0 {
		cfg.SweepInterval = 5 * time.Minute
	}
	if cfg.Analyzer == nil {
		cfg.Analyzer = analyze.New()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	if cfg.Cases == nil {
		// No organisation file: no contacts of its own either.
		cfg.Cases = cases.NewService(cfg.Store, nil, guard.New(cfg.Analyzer, guard.WithContacts(cases.Contacts(nil))), cfg.Now)
	}
	// The composer's check as the agent types judges with the guard the
	// send does, and so with the organisation's contacts in force.
	s := &Server{cfg: cfg, pages: pages, guard: cfg.Cases.Guard(), cases: cfg.Cases,
		redact: redact.New(cfg.Analyzer, cfg.Logger), presence: newPresence(), counts: newCountCache(),
		signin:  newSigninGuard(cfg.PasswordChecks, cfg.TrustedProxies),
		intents: analyze.DefaultTaxonomy().IDs(), closing: make(chan struct{})}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return nil, fmt.Errorf("public URL %q: want http(s)://host[:port] with no path (the app is served at /)", cfg.PublicURL)
		}
		s.https, s.origin = u.Scheme == "https", u.Scheme+"://"+u.Host
	}
	if s.handler, err = s.routes(); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() (http.Handler, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.HandlerFunc(s.static))
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.user(s.logout))
	mux.Handle("GET /password", s.user(s.passwordPage))
	mux.Handle("POST /password", s.user(s.changePassword))

	mux.Handle("GET /{$}", s.can(auth.ReadCases, s.inbox))
	mux.Handle("GET /inbox/rows", s.can(auth.ReadCases, s.inboxRows))
	mux.Handle("POST /views", s.can(auth.ReadCases, s.saveView))
	mux.Handle("POST /views/{id}/delete", s.can(auth.ReadCases, s.deleteView))
	mux.Handle("GET /events", s.can(auth.ReadCases, s.events))
	mux.Handle("GET /tasks", s.can(auth.ReadCases, s.myTasks))
	mux.Handle("GET /praise", s.can(auth.ReadCases, s.praiseWall))
	mux.Handle("GET /reports", s.can(auth.ReadReports, s.reportsPage))
	mux.Handle("GET /reports/export.csv", s.can(auth.ReadReports, s.reportsExport))
	mux.Handle("GET /notifications", s.user(s.notifications))
	mux.Handle("GET /settings", s.can(auth.ReadSettings, s.settingsPage))
	mux.Handle("POST /settings", s.can(auth.Administer, s.applySettings))
	mux.Handle("POST /settings/users", s.can(auth.Administer, s.addUser))
	mux.Handle("POST /settings/users/{id}", s.can(auth.Administer, s.changeUser))
	mux.Handle("POST /settings/users/{id}/reset-password", s.can(auth.Administer, s.resetUserPassword))
	mux.Handle("POST /settings/tokens", s.can(auth.Administer, s.addToken))
	mux.Handle("POST /settings/tokens/{id}/revoke", s.can(auth.Administer, s.revokeToken))
	mux.Handle("GET /settings/channels", s.can(auth.Administer, s.channelsPage))
	mux.Handle("POST /settings/channels/{id}/poll", s.can(auth.Administer, s.pollChannel))

	mux.Handle("GET /cases/{id}", s.can(auth.ReadCases, s.casePage))
	mux.Handle("POST /guard", s.can(auth.WorkCases, s.guardCheck))
	mux.Handle("POST /cases/{id}/reply", s.can(auth.WorkCases, s.reply))
	mux.Handle("POST /cases/{id}/replies/{reply}/approve", s.can(auth.WorkCases, s.approve))
	mux.Handle("POST /cases/{id}/replies/{reply}/reject", s.can(auth.WorkCases, s.reject))
	mux.Handle("POST /cases/{id}/replies/{reply}/retry", s.can(auth.WorkCases, s.retryReply))
	mux.Handle("POST /cases/{id}/replies/{reply}/sent-by-hand", s.can(auth.WorkCases, s.sentByHand))
	mux.Handle("GET /approvals", s.can(auth.ReadCases, s.approvals))
	mux.Handle("POST /cases/{id}/typing", s.can(auth.WorkCases, s.typing))
	mux.Handle("POST /cases/{id}/note", s.can(auth.WorkCases, s.note))
	mux.Handle("POST /cases/{id}/handoff", s.can(auth.WorkCases, s.handOff))
	mux.Handle("POST /cases/{id}/status", s.can(auth.WorkCases, s.status))
	mux.Handle("POST /cases/{id}/tasks", s.can(auth.WorkCases, s.addTask))
	mux.Handle("POST /cases/{id}/tasks/{task}/done", s.can(auth.WorkCases, s.taskDone))
	mux.Handle("POST /cases/{id}/members", s.can(auth.WorkCases, s.linkMember))
	mux.Handle("POST /cases/{id}/members/unlink", s.can(auth.WorkCases, s.unlinkMember))
	mux.Handle("POST /cases/{id}/mentions/{mention}/star", s.can(auth.WorkCases, s.star))
	mux.Handle("POST /cases/{id}/mentions/{mention}/correct", s.can(auth.WorkCases, s.correct))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusNotFound, "There is no page at this address.")
	})
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cfg.Logger.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path)
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	if s.origin != "" {
		if err := cop.AddTrustedOrigin(s.origin); err != nil {
			return nil, fmt.Errorf("public URL: %w", err)
		}
	}
	var h http.Handler = cop.Handler(mux)
	if s.cfg.Registerer != nil {
		h = httpmetrics.New("earshot_web_request_seconds",
			"Web app request latency by route and status (live-update streams left out).", s.cfg.Registerer, "/events").Wrap(h)
	}
	return s.securityHeaders(h), nil
}

// csp allows only our own scripts, styles and connections: no inline
// script or style, no framing, forms post only to us.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.secure(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// errorPage answers with a small page (or text for non-page requests).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, code int, msg string) {
	u, _ := r.Context().Value(userKey{}).(*signedIn)
	s.render(w, r, code, "error", &errorData{base: s.base(r, u, http.StatusText(code)), Code: code, Message: msg})
}

type errorData struct {
	base
	Code    int
	Message string
}

// internal logs err (never request bodies) and answers 500.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	s.cfg.Logger.Error("web request failed", "method", r.Method, "route", r.Pattern, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on our side; it has been logged.")
}

// storeError maps a store error to a page.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		// A team, site, person or template that does not exist (or a
		// person who may not work cases), as the API refuses them too.
		s.errorPage(w, r, http.StatusBadRequest, "That change was refused: "+fe.Error()+". Go back and choose one from the list.")
	case errors.Is(err, store.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, "That record does not exist.")
	case errors.Is(err, store.ErrConflict):
		s.errorPage(w, r, http.StatusConflict, "That change conflicts with the current state; reload and try again.")
	case errors.Is(err, store.ErrBadCursor):
		s.errorPage(w, r, http.StatusBadRequest, badCursorText+".")
	default:
		s.internal(w, r, err)
	}
}

// publish tells live views that a case changed.
func (s *Server) publish(caseID int64) {
	if s.cfg.Broker != nil {
		s.cfg.Broker.Publish(events.Event{Type: events.CaseChanged, CaseID: caseID})
	}
}

// reader is what the signed-in user u reads of health information.
func (s *Server) reader(u *signedIn) redact.Reader { return s.redact.For(u.User.Role) }

// isSupervisor reports whether role may approve held replies.
func isSupervisor(role string) bool { return auth.Can(role, auth.ApproveReplies) }
