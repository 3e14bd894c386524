package model

import (
	"strings"
	"time"
)

// Roles a user or API token can hold.
const (
	RoleAdmin       = "admin"
	RoleSupervisor  = "supervisor"
	RoleAgent       = "agent"
	RoleViewer      = "viewer"
	RoleIntegration = "integration"
)

// Roles lists every role name.
var Roles = []string{RoleAdmin, RoleSupervisor, RoleAgent, RoleViewer, RoleIntegration}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// User is a person who signs in to Earshot.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// DeactivatedAt is when an admin deactivated the person; nil while
	// they are active.
	DeactivatedAt *time.Time `json:"deactivated_at,omitempty"`
}

// Active reports whether the person may sign in and take work.
func (u User) Active() bool { return u.DeactivatedAt == nil }

// Token is an API token; only a hash of its secret is kept.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	// LastUsedAt is when the token last made a request (to the minute);
	// nil if never.
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	// RevokedAt is when an admin revoked the token; nil while it works.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Team is a group of people who handle work.
type Team struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Site is a place where work is handled: a hospital, clinic or state plan.
type Site struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Template is a reply template. Its text may hold variables in braces,
// such as {first_name}, filled in when an agent uses it.
type Template struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// SamePerson reports whether two user emails (as a reply's author or an
// event's actor holds them) name the same person: emails compare without
// case.
func SamePerson(a, b string) bool { return a != "" && strings.EqualFold(a, b) }
