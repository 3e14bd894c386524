// Package accounts manages who may use Earshot: the people who sign in
// (add, change role, deactivate and reactivate, reset a password) and the
// API tokens (create, revoke). The command line, the API and the web
// settings screen all go through it, so that a rule cannot drift between
// them, and each change lands in the store's account trail.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"earshot/internal/auth"
	"earshot/internal/model"
	"earshot/internal/store"
)

// InputError is a request refused because one of its fields is wrong.
// Its message names the field and never repeats a password.
type InputError struct {
	// Field is the input's name: email, role, name, password, active.
	Field string
	Msg   string
	// Missing is true when the field was left out or empty.
	Missing bool
}

func (e *InputError) Error() string { return e.Msg }

// UserRoles are the roles a person may hold (integration is for tokens).
var UserRoles = []string{model.RoleAdmin, model.RoleSupervisor, model.RoleAgent, model.RoleViewer}

// maxName bounds a person's display name and a token's name.
const maxName = 200

// Manager makes account changes.
type Manager struct {
	Store *store.Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (m *Manager) now() time.Time {
	if m.Now == nil {
		return time.Now().UTC()
	}
	return m.Now().UTC()
}

// event starts an account-trail entry by actor, now.
func (m *Manager) event(actor string) store.AccountEvent {
	return store.AccountEvent{Actor: actor, CreatedAt: m.now()}
}

// NormalEmail returns e as Earshot stores it: trimmed and lower-cased.
func NormalEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// ValidEmail reports whether e is a plain address (local@domain, no
// display name, no spaces) of at most 254 bytes.
func ValidEmail(e string) bool {
	if len(e) > 254 || strings.ContainsAny(e, " \t<>") {
		return false
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || a.Name != "" {
		return false
	}
	local, domain, ok := strings.Cut(e, "@")
	return ok && local != "" && domain != "" && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// CheckEmail refuses an email that is not a plain address.
func CheckEmail(e string) error {
	if e == "" {
		return &InputError{Field: "email", Msg: "email is required", Missing: true}
	}
	if !ValidEmail(e) {
		return &InputError{Field: "email", Msg: fmt.Sprintf("email must be an address such as name@example.org, got %q", e)}
	}
	return nil
}

// CheckUserRole refuses a role a person may not hold.
func CheckUserRole(role string) error {
	for _, r := range UserRoles {
		if r == role {
			return nil
		}
	}
	if role == "" {
		return &InputError{Field: "role", Msg: "role is required: " + strings.Join(UserRoles, ", "), Missing: true}
	}
	return &InputError{Field: "role", Msg: fmt.Sprintf("role must be one of %s, got %q", strings.Join(UserRoles, ", "), role)}
}

// CheckTokenRole refuses a role a token may not hold.
func CheckTokenRole(role string) error {
	if model.ValidRole(role) {
		return nil
	}
	if role == "" {
		return &InputError{Field: "role", Msg: "role is required: " + strings.Join(model.Roles, ", "), Missing: true}
	}
	return &InputError{Field: "role", Msg: fmt.Sprintf("role must be one of %s, got %q", strings.Join(model.Roles, ", "), role)}
}

// checkName refuses a name over maxName bytes or not UTF-8.
func checkName(field, name string) error {
	if len(name) > maxName || !utf8.ValidString(name) {
		return &InputError{Field: field, Msg: fmt.Sprintf("%s must be at most %d bytes of UTF-8", field, maxName)}
	}
	return nil
}

// hashPassword hashes password, or a new random one when it is empty,
// and returns the one generated ("" when password was given). personal
// are the person's own words (their email), which a password may not be.
func hashPassword(password string, personal ...string) (hash, generated string, err error) {
	if password == "" {
		password = auth.NewPassword()
		generated = password
	}
	hash, err = auth.HashPassword(password, personal...)
	if err != nil {
		return "", "", &InputError{Field: "password", Msg: err.Error()}
	}
	return hash, generated, nil
}

// NewUser is a person to add.
type NewUser struct {
	Email, Name, Role string
	// Password is the first password; empty generates one.
	Password string
}

// CreateUser adds a person. It returns the user and, when nu.Password was
// empty, the generated one-time password, to show once.
func (m *Manager) CreateUser(ctx context.Context, actor string, nu NewUser) (*model.User, string, error) {
	email := NormalEmail(nu.Email)
	name := strings.TrimSpace(nu.Name)
	if err := errors.Join(CheckEmail(email), CheckUserRole(nu.Role), checkName("name", name)); err != nil {
		return nil, "", firstInputError(err)
	}
	hash, generated, err := hashPassword(nu.Password, email)
	if err != nil {
		return nil, "", err
	}
	u := &model.User{Email: email, Name: name, Role: nu.Role, PasswordHash: hash, CreatedAt: m.now()}
	if err := m.Store.CreateUser(ctx, u); err != nil {
		return nil, "", err
	}
	ev := m.event(actor)
	ev.Action, ev.Subject, ev.Data = store.AccountUserCreated, u.Email, map[string]string{"role": u.Role}
	if err := m.Store.AddAccountEvent(ctx, ev); err != nil {
		return nil, "", err
	}
	return u, generated, nil
}

// firstInputError returns the first *InputError joined in err.
func firstInputError(err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	return err
}

// UserByEmail finds a person by email, compared without case.
func (m *Manager) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	e := NormalEmail(email)
	if err := CheckEmail(e); err != nil {
		return nil, err
	}
	u, err := m.Store.UserByEmail(ctx, e)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("no user has the email %s: %w", e, store.ErrNotFound)
	}
	return u, err
}

// ChangeUser changes a person's role or whether they are active. A
// deactivated person's sessions end at once; the last active admin can
// be neither demoted nor deactivated (store.ErrLastAdmin).
func (m *Manager) ChangeUser(ctx context.Context, actor string, id int64, c store.UserChange) (*model.User, error) {
	if c.Role != nil {
		if err := CheckUserRole(*c.Role); err != nil {
			return nil, err
		}
	}
	return m.Store.ChangeUser(ctx, id, c, m.event(actor))
}

// ResetPassword sets a person's password to password, or to a new
// one-time one when it is empty, which it returns to show once, and ends
// all their sessions.
func (m *Manager) ResetPassword(ctx context.Context, actor string, id int64, password string) (string, error) {
	u, err := m.Store.UserByID(ctx, id)
	if err != nil {
		return "", err
	}
	hash, generated, err := hashPassword(password, u.Email)
	if err != nil {
		return "", err
	}
	if err := m.Store.ResetPassword(ctx, id, hash, m.event(actor)); err != nil {
		return "", err
	}
	return generated, nil
}

// CreateToken makes an API token and returns it with its secret, to show
// once; only its hash is kept.
func (m *Manager) CreateToken(ctx context.Context, actor, name, role string) (*model.Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, "", &InputError{Field: "name", Msg: "name is required: say what the token is for", Missing: true}
	}
	if err := errors.Join(checkName("name", name), CheckTokenRole(role)); err != nil {
		return nil, "", firstInputError(err)
	}
	secret, hash := auth.NewToken()
	t := &model.Token{Name: name, Role: role, Hash: hash, CreatedAt: m.now()}
	if err := m.Store.CreateToken(ctx, t); err != nil {
		return nil, "", err
	}
	ev := m.event(actor)
	ev.Action, ev.Subject, ev.Data = store.AccountTokenCreated, TokenSubject(t), map[string]string{"role": t.Role}
	if err := m.Store.AddAccountEvent(ctx, ev); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// RevokeToken revokes a token: from the next request on, on every
// replica, it is refused.
func (m *Manager) RevokeToken(ctx context.Context, actor string, id int64) error {
	t, err := m.Store.TokenByID(ctx, id)
	if err != nil {
		return err
	}
	ev := m.event(actor)
	ev.Action, ev.Subject = store.AccountTokenRevoked, TokenSubject(t)
	return m.Store.RevokeToken(ctx, id, ev)
}

// TokenSubject names a token in the account trail: "token 3 (zapier)".
func TokenSubject(t *model.Token) string { return fmt.Sprintf("token %d (%s)", t.ID, t.Name) }
