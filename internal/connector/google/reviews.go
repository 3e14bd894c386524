package google

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"earshot/internal/model"
)

// The shapes below are the Business Profile API's Review resource and
// ListReviewsResponse
// (https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews).

// reviewList is one page of accounts.locations.reviews.list.
type reviewList struct {
	Reviews       []review `json:"reviews"`
	NextPageToken string   `json:"nextPageToken"`
}

// review is one review of the location.
type review struct {
	// Name is accounts/{a}/locations/{l}/reviews/{r}.
	Name     string `json:"name"`
	ReviewID string `json:"reviewId"`
	Reviewer struct {
		DisplayName     string `json:"displayName"`
		ProfilePhotoURL string `json:"profilePhotoUrl"`
		IsAnonymous     bool   `json:"isAnonymous"`
	} `json:"reviewer"`
	// StarRating is STAR_RATING_UNSPECIFIED or ONE..FIVE.
	StarRating string `json:"starRating"`
	Comment    string `json:"comment"`
	CreateTime string `json:"createTime"`
	UpdateTime string `json:"updateTime"`
	// ReviewReply is the owner's answer: ours, not a mention of its own.
	ReviewReply *struct {
		Comment    string `json:"comment"`
		UpdateTime string `json:"updateTime"`
	} `json:"reviewReply"`

	created, updated time.Time
	rating           *int
}

// stars maps starRating to the mention's 1..5.
var stars = map[string]int{"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}

// parseReviews reads one page of the list and checks every review for
// what a mention needs; an answer that breaks the documented shape is an
// error naming what is wrong, never a partial page.
func parseReviews(body []byte) (reviewList, error) {
	var list reviewList
	if err := json.Unmarshal(body, &list); err != nil {
		return reviewList{}, fmt.Errorf("answer is not a review list: %w", err)
	}
	for i := range list.Reviews {
		if err := list.Reviews[i].check(); err != nil {
			return reviewList{}, fmt.Errorf("review %d: %w", i, err)
		}
	}
	return list, nil
}

// check validates r and fills its parsed times and rating.
func (r *review) check() error {
	if r.Name == "" {
		return errors.New("has no name")
	}
	if len(r.Name) > 256 {
		return errors.New("name is longer than 256 bytes")
	}
	var err error
	if r.created, err = time.Parse(time.RFC3339Nano, r.CreateTime); err != nil {
		return fmt.Errorf("createTime %q is not an RFC 3339 time", cut(r.CreateTime, 40))
	}
	if r.UpdateTime == "" {
		r.updated = r.created
	} else if r.updated, err = time.Parse(time.RFC3339Nano, r.UpdateTime); err != nil {
		return fmt.Errorf("updateTime %q is not an RFC 3339 time", cut(r.UpdateTime, 40))
	}
	switch n, ok := stars[r.StarRating]; {
	case ok:
		r.rating = &n
	case r.StarRating == "" || r.StarRating == "STAR_RATING_UNSPECIFIED":
		if r.Comment == "" {
			return errors.New("has neither a star rating nor a comment")
		}
	default:
		return fmt.Errorf("starRating %q is not ONE to FIVE", cut(r.StarRating, 40))
	}
	return nil
}

// anonymousName is what Earshot calls a reviewer who chose to stay
// anonymous (Google shows no name for them).
const anonymousName = "Anonymous Google user"

// mention maps r to the mention contract. Google gives a reviewer no id,
// and one person writes at most one review of a location, so the review's
// name stands for its author: two reviewers who share a display name are
// never taken for one person.
func (r *review) mention(channel string) model.Mention {
	name := r.Reviewer.DisplayName
	if r.Reviewer.IsAnonymous || name == "" {
		name = anonymousName
	}
	return model.Mention{
		Platform:   model.PlatformGoogle,
		Channel:    channel,
		ExternalID: r.Name,
		Kind:       model.KindReview,
		Direction:  model.DirectionInbound,
		Text:       r.Comment,
		CreatedAt:  r.created,
		ThreadID:   r.Name,
		Rating:     r.rating,
		Author:     model.Author{ID: r.Name, Handle: name, Name: name},
	}
}
