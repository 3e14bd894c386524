package cases

import (
	"earshot/internal/guard"
	"earshot/internal/route"
)

// Contacts returns what guard.WithContacts asks for: the organisation's
// own phones, emails and web addresses from the file in force in routes
// when it is asked, so that a file applied while serving counts at once.
func Contacts(routes *route.Live) func() guard.Contacts {
	return func() guard.Contacts {
		if routes == nil {
			return guard.Contacts{}
		}
		c := routes.Router().Org().Contact
		if c == nil {
			return guard.Contacts{}
		}
		return guard.Contacts{Phones: c.Phones, Emails: c.Emails, Links: c.Web}
	}
}
