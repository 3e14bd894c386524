package cases

import "earshot/internal/model"

// NoPrivateChannelMessage is why a private reply on a Google review is
// refused.
const NoPrivateChannelMessage = "Google has no private channel: call or email the reviewer"

// HasPrivateChannel reports whether a reply can go in private on
// platform. Google Business Profile answers a review only in public.
func HasPrivateChannel(platform string) bool {
	return platform != model.PlatformGoogle
}

// HasReplyAPI reports whether Earshot can post a reply on platform
// itself. Yelp's reply API is for partners only: an agent posts the reply
// on Yelp and marks it sent by hand.
func HasReplyAPI(platform string) bool {
	return platform != model.PlatformYelp
}
