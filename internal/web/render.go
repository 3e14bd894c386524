package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/auth"
	"earshot/internal/model"
)

// pageTemplate is the layout parsed together with one page.
type pageTemplate struct {
	t *template.Template
}

// pageNames lists the pages; each is templates/NAME.html with the layout.
var pageNames = []string{"login", "password", "inbox", "case", "tasks", "praise", "notifications", "approvals", "settings", "channels", "reports", "error"}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2 Jan 15:04 UTC")
	},
	"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"whenPtr": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2 Jan 15:04 UTC")
	},
	"platformName": platformName,
	"languageName": analyze.LanguageName,
	"inboxURL":     inboxURL,
	"replyState":   replyStateText,
	"join":         strings.Join,
	"contains":     contains,
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + strings.ReplaceAll(s[1:], "_", " ")
	},
}

func parsePages() (map[string]*pageTemplate, error) {
	out := map[string]*pageTemplate{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		out[name] = &pageTemplate{t: t}
	}
	return out, nil
}

// base is what every page shows: who is signed in and the header.
type base struct {
	Title   string
	User    *model.User
	CanWork bool
	CanPHI  bool
	IsSuper bool
	// CanReports: the user may read the reports page.
	CanReports bool
	Unread     int
	Path       string
}

func (s *Server) base(r *http.Request, u *signedIn, title string) base {
	b := base{Title: title, Path: r.URL.Path}
	if u != nil {
		b.User = u.User
		b.CanWork = auth.Can(u.User.Role, auth.WorkCases)
		b.CanPHI = s.reader(u).Full()
		b.IsSuper = isSupervisor(u.User.Role)
		b.CanReports = auth.Can(u.User.Role, auth.ReadReports)
		if n, err := s.cfg.Store.UnreadNotifications(r.Context(), u.User.ID); err == nil {
			b.Unread = n
		}
	}
	return b
}

// render executes a page into a buffer first so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	s.renderTemplate(w, r, code, name, "layout.html", data)
}

func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, code int, page, tmpl string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].t.ExecuteTemplate(&buf, tmpl, data); err != nil {
		s.cfg.Logger.Error("render page", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

// static serves the embedded CSS and JavaScript.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	data, err := fs.ReadFile(staticFS, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(data)
}

func platformName(p string) string {
	switch p {
	case model.PlatformX:
		return "X"
	case model.PlatformFacebook:
		return "Facebook"
	case model.PlatformInstagram:
		return "Instagram"
	case model.PlatformYelp:
		return "Yelp"
	case model.PlatformGoogle:
		return "Google"
	case model.PlatformRSS:
		return "News/RSS"
	case model.PlatformWeb:
		return "Web"
	case model.PlatformEmail:
		return "Email"
	case model.PlatformSMS:
		return "SMS"
	}
	return p
}

// inboxURL is the inbox address of a filter query and an optional page
// cursor. The query is parsed and encoded again, so whatever it holds
// ends up as query parameters of a local path.
func inboxURL(query, cursor string) template.URL {
	v, _ := url.ParseQuery(query)
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return "/"
	}
	return template.URL("/?" + v.Encode())
}
