package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"earshot/internal/model"
)

// Summary is the headline report over a time window.
type Summary struct {
	From     time.Time      `json:"from"`
	To       time.Time      `json:"to"`
	Mentions MentionVolumes `json:"mentions"`
	Cases    CaseOutcomes   `json:"cases"`
	Ratings  RatingChanges  `json:"ratings"`
}

// RatingChanges counts the ratings that reviewers changed in the window
// by editing a review (Google): the mention_edited events whose rating
// moved.
type RatingChanges struct {
	Changed int64 `json:"changed"`
	Raised  int64 `json:"raised"`
	Lowered int64 `json:"lowered"`
	// ByChange counts each move, such as "1_to_4".
	ByChange map[string]int64 `json:"by_change"`
}

// MentionVolumes counts mentions created in the window.
type MentionVolumes struct {
	Total       int64            `json:"total"`
	Inbound     int64            `json:"inbound"`
	Outbound    int64            `json:"outbound"`
	ByPlatform  map[string]int64 `json:"by_platform"`
	BySentiment map[string]int64 `json:"by_sentiment"`
}

// CaseOutcomes describes the cases opened in the window.
type CaseOutcomes struct {
	Opened        int64   `json:"opened"`
	NeedResponse  int64   `json:"need_response"`
	Responded     int64   `json:"responded"`
	ResponseRate  float64 `json:"response_rate"`
	FirstResponse struct {
		MedianMinutes float64 `json:"median_minutes"`
		P90Minutes    float64 `json:"p90_minutes"`
		MeanMinutes   float64 `json:"mean_minutes"`
	} `json:"first_response"`
	// NegativeToPositive counts cases that opened negative and whose
	// latest mention is positive: the saves.
	NegativeToPositive int64            `json:"negative_to_positive"`
	SentimentShift     map[string]int64 `json:"sentiment_shift"`
	ByPriority         map[string]int64 `json:"by_priority"`
}

// Summary reports volumes, response times and rate, and sentiment shift
// for mentions and cases created in [from, to).
func (s *Store) Summary(ctx context.Context, from, to time.Time) (*Summary, error) {
	sum := &Summary{From: from.UTC(), To: to.UTC()}
	sum.Mentions.ByPlatform, sum.Mentions.BySentiment = map[string]int64{}, map[string]int64{}
	rows, err := s.read.QueryContext(ctx, `SELECT platform, direction, sentiment, COUNT(*) FROM mentions
		WHERE created_at >= $1 AND created_at < $2 GROUP BY platform, direction, sentiment`, s.ts(from), s.ts(to))
	if err != nil {
		return nil, fmt.Errorf("summary volumes: %w", err)
	}
	for rows.Next() {
		var platform, direction, sentiment string
		var n int64
		if err := rows.Scan(&platform, &direction, &sentiment, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("summary volumes: %w", err)
		}
		v := &sum.Mentions
		v.Total += n
		v.ByPlatform[platform] += n
		if direction == model.DirectionOutbound {
			v.Outbound += n
			continue
		}
		v.Inbound += n
		v.BySentiment[sentiment] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary volumes: %w", err)
	}

	c := &sum.Cases
	c.SentimentShift, c.ByPriority = map[string]int64{}, map[string]int64{}
	rows, err = s.read.QueryContext(ctx, `SELECT created_at, first_response_due, first_response_at, sentiment_first, sentiment_last, priority
		FROM cases WHERE created_at >= $1 AND created_at < $2`, s.ts(from), s.ts(to))
	if err != nil {
		return nil, fmt.Errorf("summary cases: %w", err)
	}
	defer rows.Close()
	var minutes []float64
	for rows.Next() {
		var created, due, first dbTime
		var sFirst, sLast, prio string
		if err := rows.Scan(&created, &due, &first, &sFirst, &sLast, &prio); err != nil {
			return nil, fmt.Errorf("summary cases: %w", err)
		}
		c.Opened++
		c.ByPriority[prio]++
		if sFirst != sLast {
			c.SentimentShift[sFirst+"_to_"+sLast]++
		}
		if sFirst == model.SentimentNegative && sLast == model.SentimentPositive {
			c.NegativeToPositive++
		}
		if due.Valid {
			c.NeedResponse++
		}
		if first.Valid {
			c.Responded++
			minutes = append(minutes, max(0, first.T.Sub(created.T).Minutes()))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("summary cases: %w", err)
	}
	if c.NeedResponse > 0 {
		c.ResponseRate = math.Min(1, float64(c.Responded)/float64(c.NeedResponse))
	}
	if len(minutes) > 0 {
		slices.Sort(minutes)
		var total float64
		for _, m := range minutes {
			total += m
		}
		c.FirstResponse.MeanMinutes = round1(total / float64(len(minutes)))
		c.FirstResponse.MedianMinutes = round1(percentile(minutes, 0.5))
		c.FirstResponse.P90Minutes = round1(percentile(minutes, 0.9))
	}
	if sum.Ratings, err = s.ratingChanges(ctx, from, to); err != nil {
		return nil, err
	}
	return sum, nil
}

// ratingChanges counts the rating moves of the mention_edited events of
// [from, to).
func (s *Store) ratingChanges(ctx context.Context, from, to time.Time) (RatingChanges, error) {
	rc := RatingChanges{ByChange: map[string]int64{}}
	rows, err := s.read.QueryContext(ctx, `SELECT data FROM events WHERE type = $1 AND created_at >= $2 AND created_at < $3`,
		string(model.EventMentionEdited), s.ts(from), s.ts(to))
	if err != nil {
		return rc, fmt.Errorf("summary ratings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return rc, fmt.Errorf("summary ratings: %w", err)
		}
		var d struct {
			From *int `json:"rating_from"`
			To   *int `json:"rating_to"`
		}
		if json.Unmarshal(data, &d) != nil || d.From == nil || d.To == nil || *d.From == *d.To {
			continue // a text edit, or a rating given or taken away
		}
		rc.Changed++
		if *d.To > *d.From {
			rc.Raised++
		} else {
			rc.Lowered++
		}
		rc.ByChange[fmt.Sprintf("%d_to_%d", *d.From, *d.To)]++
	}
	if err := rows.Err(); err != nil {
		return rc, fmt.Errorf("summary ratings: %w", err)
	}
	return rc, nil
}

// percentile reads the p-th percentile of sorted values (nearest rank).
func percentile(sorted []float64, p float64) float64 {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// MentionCounts counts inbound mentions made in [from, to), and how many
// of them were negative.
func (s *Store) MentionCounts(ctx context.Context, from, to time.Time) (total, negative int, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN sentiment = 'negative' THEN 1 ELSE 0 END), 0)
		FROM mentions WHERE created_at >= $1 AND created_at < $2 AND direction = 'inbound'`, s.ts(from), s.ts(to)).Scan(&total, &negative)
	if err != nil {
		return 0, 0, fmt.Errorf("count mentions: %w", err)
	}
	return total, negative, nil
}

// Digest is a day's figures for the daily digest email: counts only.
type Digest struct {
	Mentions, Negative, NewCases, Breaches, Open int
}

// DigestCounts returns the figures of [from, to) and the cases open now.
func (s *Store) DigestCounts(ctx context.Context, from, to time.Time) (Digest, error) {
	var d Digest
	var err error
	if d.Mentions, d.Negative, err = s.MentionCounts(ctx, from, to); err != nil {
		return d, err
	}
	err = s.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM cases WHERE created_at >= $1 AND created_at < $2),
		(SELECT COUNT(*) FROM events WHERE type = 'sla_breach' AND created_at >= $1 AND created_at < $2),
		(SELECT COUNT(*) FROM cases WHERE status IN `+openStatusesSQL()+`)`, s.ts(from), s.ts(to)).Scan(&d.NewCases, &d.Breaches, &d.Open)
	if err != nil {
		return d, fmt.Errorf("count digest: %w", err)
	}
	return d, nil
}
