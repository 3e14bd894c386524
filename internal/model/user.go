package model

import "time"

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
}

// Token is an API token; only a hash of its secret is kept.
type Token struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Hash      []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
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
