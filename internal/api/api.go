// Package api serves Earshot's REST API v1 (JSON over HTTP with bearer
// tokens) and the health and metrics endpoints.
package api

import (
	"context"
	"earshot/internal/report"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"earshot/internal/analyze"
	"earshot/internal/auth"
	"earshot/internal/cases"
	"earshot/internal/channels"
	"earshot/internal/guard"
	"earshot/internal/httpmetrics"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/redact"
	"earshot/internal/store"
)

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 16 << 20

// MaxBatch bounds how many mentions one request may carry.
const MaxBatch = 5000

// Config is what the API needs.
type Config struct {
	Store *store.Store
	// Reports computes the figures of /api/v1/reports; nil: reports
	// over Store in UTC.
	Reports  *report.Reports
	Pipeline *ingest.Pipeline
	Analyzer *analyze.Analyzer
	// Gatherer and Registerer serve and collect /metrics.
	Gatherer   prometheus.Gatherer
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
	// OnOrgApplied runs after PUT /api/v1/org changed the organisation
	// file (serve reloads its router); nil does nothing.
	OnOrgApplied func(ctx context.Context)
	// OrgOptions are the server's settings that an applied organisation
	// file is checked against (where alerts may go).
	OrgOptions org.Options
	// RateLimit is how many requests a second each token may make, in
	// bursts of up to RateBurst; beyond it a request gets 429 with
	// Retry-After. 0 means no limit.
	RateLimit float64
	RateBurst int
	// Cases carries out agents' actions on cases; nil: a service over
	// Store with no organisation file's deadlines, on Now.
	Cases *cases.Service
	// MetricsToken, when set, is the bearer token /metrics requires
	// (401 without it); empty leaves /metrics open, for a scraper on a
	// private network. See CheckMetricsToken.
	MetricsToken string
	// Channels are the organisation file's channels (GET
	// /api/v1/channels, poll now) and say which lack their secrets when
	// a file is applied; nil: none.
	Channels *channels.Hearing
	// PublicURL is the server's address for the webhook URLs it shows
	// ("" takes the request's host).
	PublicURL string
}

// API is the REST API's handler set.
type API struct {
	cfg    Config
	cases  *cases.Service
	limits *tokenLimits // nil: no limit
	// redact decides what of a case each token's role reads.
	redact *redact.Policy
}

// New returns the API's handler: /api/v1/..., /healthz, /readyz, /metrics.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Reports == nil {
		cfg.Reports = report.New(cfg.Store, report.Options{})
	}
	if cfg.Cases == nil {
		// No organisation file: no contacts of its own either.
		cfg.Cases = cases.NewService(cfg.Store, nil, guard.New(cfg.Analyzer, guard.WithContacts(cases.Contacts(nil))), cfg.Now)
	}
	a := &API{cfg: cfg, cases: cfg.Cases, limits: newTokenLimits(cfg.RateLimit, cfg.RateBurst), redact: redact.New(cfg.Analyzer, cfg.Logger)}
	mux := http.NewServeMux()
	routes := []route{
		{"GET", "/healthz", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		})},
		{"GET", "/readyz", http.HandlerFunc(a.readyz)},
		{"POST", "/api/v1/mentions", a.authed(auth.Ingest, a.postMentions)},
		{"GET", "/api/v1/cases", a.authed(auth.ReadCases, a.listCases)},
		{"GET", "/api/v1/cases/{id}", a.authed(auth.ReadCases, a.getCase)},
		{"POST", "/api/v1/cases/{id}/replies", a.authed(auth.WorkCases, a.postReply)},
		{"POST", "/api/v1/cases/{id}/replies/{reply}/approve", a.authed(auth.ApproveReplies, a.approveReply)},
		{"POST", "/api/v1/cases/{id}/replies/{reply}/reject", a.authed(auth.ApproveReplies, a.rejectReply)},
		{"POST", "/api/v1/cases/{id}/replies/{reply}/retry", a.authed(auth.WorkCases, a.retryReply)},
		{"POST", "/api/v1/cases/{id}/replies/{reply}/sent-by-hand", a.authed(auth.WorkCases, a.sentByHand)},
		{"POST", "/api/v1/cases/{id}/notes", a.authed(auth.WorkCases, a.postNote)},
		{"POST", "/api/v1/cases/{id}/assign", a.authed(auth.WorkCases, a.postAssign)},
		{"POST", "/api/v1/cases/{id}/status", a.authed(auth.WorkCases, a.postStatus)},
		{"POST", "/api/v1/cases/{id}/tasks", a.authed(auth.WorkCases, a.postTask)},
		{"GET", "/api/v1/reports/summary", a.authed(auth.ReadReports, a.getSummary)},
		{"GET", "/api/v1/reports/series", a.authed(auth.ReadReports, a.getSeries)},
		{"GET", "/api/v1/org", a.authed(auth.ReadSettings, a.getOrg)},
		{"PUT", "/api/v1/org", a.authed(auth.Administer, a.putOrg)},
		{"GET", "/api/v1/jobs/dead", a.authed(auth.Administer, a.deadJobs)},
		{"GET", "/api/v1/users", a.authed(auth.Administer, a.listUsers)},
		{"POST", "/api/v1/users", a.authed(auth.Administer, a.postUser)},
		{"PATCH", "/api/v1/users/{id}", a.authed(auth.Administer, a.patchUser)},
		{"POST", "/api/v1/users/{id}/reset-password", a.authed(auth.Administer, a.resetPassword)},
		{"GET", "/api/v1/tokens", a.authed(auth.Administer, a.listTokens)},
		{"POST", "/api/v1/tokens", a.authed(auth.Administer, a.postToken)},
		{"DELETE", "/api/v1/tokens/{id}", a.authed(auth.Administer, a.deleteToken)},
		{"GET", "/api/v1/account-events", a.authed(auth.Administer, a.listAccountEvents)},
		{"GET", "/api/v1/channels", a.authed(auth.Administer, a.listChannels)},
		{"POST", "/api/v1/channels/{id}/poll", a.authed(auth.Administer, a.pollChannel)},
	}
	if cfg.Gatherer != nil {
		var metrics http.Handler = promhttp.HandlerFor(cfg.Gatherer, promhttp.HandlerOpts{})
		if cfg.MetricsToken != "" {
			metrics = requireToken(cfg.MetricsToken, metrics)
		}
		routes = append(routes, route{"GET", "/metrics", metrics})
	}
	// Each path also answers every other method, with 405, its Allow
	// header and the error body (ServeMux's own 405 is plain text, and
	// the /api/ catch-all below would make it a 404).
	var paths []string
	allowed := map[string][]string{}
	for _, rt := range routes {
		mux.Handle(rt.method+" "+rt.path, rt.h)
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
		if rt.method == http.MethodGet {
			allowed[rt.path] = append(allowed[rt.path], http.MethodHead)
		}
	}
	for _, p := range paths {
		mux.Handle(p, methodNotAllowed(strings.Join(allowed[p], ", ")))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such API endpoint: "+r.Method+" "+r.URL.Path)
	})
	return httpmetrics.New("earshot_http_request_seconds", "HTTP request latency by route and status.", cfg.Registerer).Wrap(mux)
}

// Paths returns the URL patterns New's handler answers, for mounting it
// beside the web app, which answers everything else.
func Paths() []string { return []string{"/api/", "/healthz", "/readyz", "/metrics"} }

// route is one method and path pattern the API serves.
type route struct {
	method, path string
	h            http.Handler
}

// methodNotAllowed answers 405 for a path that takes only the methods
// in allow.
func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow))
	})
}

func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.cfg.Store.Ping(ctx); err != nil {
		a.cfg.Logger.Warn("not ready", "err", err)
		writeError(w, http.StatusServiceUnavailable, "store_unreachable", "the store cannot be reached")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "engine": a.cfg.Store.Engine()})
}

// principalKey carries the authenticated caller in a request context.
type principalKey struct{}

// Principal is who made an API request.
type Principal struct {
	Name string
	Role string
}

func principal(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// reader is what the caller of a request reads of health information.
func (a *API) reader(r *http.Request) redact.Reader { return a.redact.For(principal(r.Context()).Role) }

// authed checks the bearer token and that its role may take action.
func (a *API) authed(action auth.Action, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="earshot"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing bearer token")
			return
		}
		tok, err := a.cfg.Store.TokenByHash(r.Context(), auth.HashToken(secret))
		if errors.Is(err, store.ErrNotFound) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="earshot", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "invalid token")
			return
		}
		if err != nil {
			a.internal(w, r, err)
			return
		}
		if a.limits != nil {
			if ok, wait := a.limits.allow(tok.ID, a.cfg.Now()); !ok {
				tooMany(w, wait)
				return
			}
		}
		a.touchToken(r, tok)
		if !auth.Can(tok.Role, action) {
			writeError(w, http.StatusForbidden, "forbidden", "role "+tok.Role+" may not do this")
			return
		}
		ctx := context.WithValue(r.Context(), principalKey{}, Principal{Name: "token:" + tok.Name, Role: tok.Role})
		h(w, r.WithContext(ctx))
	})
}

// tokenTouchEvery is how often a token's last use is written: often
// enough to tell a live token from a dead one, rarely enough to cost
// nothing per request.
const tokenTouchEvery = time.Minute

// touchToken records that tok made a request, at most once a
// tokenTouchEvery. A failure is logged and the request goes on.
func (a *API) touchToken(r *http.Request, tok *model.Token) {
	now := a.cfg.Now().UTC()
	if tok.LastUsedAt != nil && now.Sub(*tok.LastUsedAt) < tokenTouchEvery {
		return
	}
	if err := a.cfg.Store.TouchToken(r.Context(), tok.ID, now.Truncate(tokenTouchEvery)); err != nil {
		a.cfg.Logger.Warn("record token use", "token_id", tok.ID, "err", err)
	}
}

// bearerToken returns the token of an Authorization header value
// "Bearer <token>". The scheme is matched case-insensitively (RFC 9110
// section 11.1, formerly RFC 7235), so "bearer" and "BEARER" do too.
func bearerToken(hdr string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(hdr), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// apiError is the error body of every failed request.
type apiError struct {
	Code     string             `json:"code"`
	Message  string             `json:"message"`
	Field    string             `json:"field,omitempty"`
	Findings []model.PHIFinding `json:"findings,omitempty"`
	Warnings []guard.Warning    `json:"warnings,omitempty"`
	Items    []orgProblem       `json:"items,omitempty"`
	// Placeholders are template variables left unfilled in a reply.
	Placeholders []string `json:"placeholders,omitempty"`
	// Characters are the hidden characters that refused a reply.
	Characters []guard.Hidden `json:"characters,omitempty"`
	// Reasons say, for a reply refused for health information, a
	// relationship or a crisis, which words and why ([] when the guard
	// gives none).
	Reasons []guard.Reason `json:"reasons,omitzero"`
	// Suggestion is a reply that may go instead, when there is one: the
	// guard's rewrite, or the crisis protocol's public reply.
	Suggestion string `json:"suggestion,omitempty"`
}

// orgProblem is one problem of an organisation file refused by
// PUT /api/v1/org: its line (a number; 0 when the problem has none), the
// field and the message.
type orgProblem struct {
	Field   string `json:"field"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]apiError{"error": {Code: code, Message: msg}})
}

// fieldError answers 400 with code, naming the field at fault.
func fieldError(w http.ResponseWriter, code, field, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: code, Field: field, Message: msg}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func (a *API) internal(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	a.cfg.Logger.Error("request failed", "method", r.Method, "route", r.Pattern, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "internal error; see the server log")
}

// storeError maps a store error to a response.
func (a *API) storeError(w http.ResponseWriter, r *http.Request, err error) {
	var fe *store.FieldError
	switch {
	case errors.As(err, &fe):
		// A team, site, person or template that does not exist.
		writeJSON(w, http.StatusBadRequest, map[string]apiError{"error": {Code: "bad_field", Field: fe.Field, Message: fe.Error()}})
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, store.ErrBadCursor):
		fieldError(w, "bad_cursor", "cursor", "cursor is not one this server issued")
	case errors.Is(err, store.ErrConflict):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	default:
		a.internal(w, r, err)
	}
}
