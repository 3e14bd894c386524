// Package meta hears and answers Facebook Pages and Instagram professional
// accounts through Meta's Graph API: one webhook receiver for every
// facebook and instagram channel (Page fields feed and messages, Instagram
// comments and messages) and a Sender per channel for public comment
// replies and private replies. It has no Poller: Meta calls us.
package meta

import (
	"fmt"
	"strings"

	"earshot/internal/connector"
	"earshot/internal/model"
)

// Version is the Graph API version requested. v26.0 (29 July 2026) is
// the newest one the changelog names with its availability:
// https://developers.facebook.com/docs/graph-api/changelog/versions/
const Version = "v26.0"

// DefaultBaseURL is the Graph API root used when a channel sets no base_url.
const DefaultBaseURL = "https://graph.facebook.com"

// New builds the connector of one facebook or instagram channel: a Sender,
// and no Poller (these platforms are heard by webhook). It is a
// connector.Factory.
func New(cfg connector.Config) (connector.Channel, error) {
	s, err := newSender(cfg)
	if err != nil {
		return connector.Channel{}, err
	}
	return connector.Channel{ID: cfg.ID, Platform: cfg.Platform, Sender: s}, nil
}

// checkChannel reports what makes cfg unusable as a Meta channel.
func checkChannel(cfg connector.Config) error {
	switch {
	case cfg.Platform != model.PlatformFacebook && cfg.Platform != model.PlatformInstagram:
		return fmt.Errorf("meta: channel %q is on platform %q, not facebook or instagram", cfg.ID, cfg.Platform)
	case cfg.ID == "":
		return fmt.Errorf("meta: a %s channel needs an id", cfg.Platform)
	case strings.TrimSpace(cfg.AccountID) == "":
		return fmt.Errorf("meta: channel %q needs account_id (the %s)", cfg.ID, accountName(cfg.Platform))
	}
	return nil
}

// accountName says what account_id is on platform.
func accountName(platform string) string {
	if platform == model.PlatformInstagram {
		return "Instagram professional account id"
	}
	return "Facebook page id"
}
