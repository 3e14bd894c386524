package connector

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Channel is one configured channel's connector: what a platform package
// builds from a channel of the organisation file.
type Channel struct {
	// ID is the channel's id in the organisation file, which mentions it
	// hears carry.
	ID       string
	Platform string
	// Sender answers on the channel; nil where the platform has no
	// answering API (rss).
	Sender Sender
	// Poller hears it by polling; nil where it hears by webhook.
	Poller Poller
}

// Registry holds the connectors of the configured channels. It does not
// change once built; a new organisation file builds a new one. The zero
// Registry, and a nil one, hold none.
type Registry struct {
	channels map[string]Channel
	// only is, per platform, the one channel of it that can answer, ""
	// when several can.
	only map[string]string
}

// NewRegistry returns a registry of chs. Every channel needs an id and a
// platform, and ids must differ.
func NewRegistry(chs ...Channel) (*Registry, error) {
	r := &Registry{channels: map[string]Channel{}, only: map[string]string{}}
	var errs []error
	for _, c := range chs {
		switch _, dup := r.channels[c.ID]; {
		case c.ID == "" || c.Platform == "":
			errs = append(errs, fmt.Errorf("connector channel %q on %q: needs an id and a platform", c.ID, c.Platform))
			continue
		case dup:
			errs = append(errs, fmt.Errorf("connector channel %q is registered twice", c.ID))
			continue
		}
		r.channels[c.ID] = c
		if c.Sender == nil {
			continue
		}
		if _, seen := r.only[c.Platform]; seen {
			r.only[c.Platform] = ""
		} else {
			r.only[c.Platform] = c.ID
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return r, nil
}

// Sender returns the sender for a case's channel on platform: the
// channel's own, or, for a case that names no channel (an imported
// mention), that of the one channel on the platform that can answer. A
// channel that is not set up here is answered by none: another account
// of ours must not speak for it. ok is false when none is set up.
func (r *Registry) Sender(channel, platform string) (Sender, bool) {
	if r == nil {
		return nil, false
	}
	if channel == "" {
		if id := r.only[platform]; id != "" {
			return r.channels[id].Sender, true
		}
		return nil, false
	}
	if c, ok := r.channels[channel]; ok && c.Platform == platform {
		return c.Sender, c.Sender != nil
	}
	return nil, false
}

// Pollers returns the channels heard by polling, by id.
func (r *Registry) Pollers() []Channel {
	if r == nil {
		return nil
	}
	var out []Channel
	for _, c := range r.channels {
		if c.Poller != nil {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b Channel) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
