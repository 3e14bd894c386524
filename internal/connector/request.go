package connector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Authorize sets req's Authorization header to the bearer token of ts;
// a nil ts sets none. A token that is not set is *Permanent (the channel
// needs its secret), any other failure to get one *Temporary; both name
// what, such as "an access token for Google".
func Authorize(ctx context.Context, req *http.Request, ts TokenSource, what string) error {
	if ts == nil {
		return nil
	}
	tok, err := ts.Token(ctx)
	switch {
	case errors.Is(err, ErrNoToken):
		return &Permanent{Reason: "no " + what + ": " + err.Error()}
	case err != nil:
		return &Temporary{Reason: "could not get " + what + ": " + err.Error()}
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// ReadBody reads resp's body, at most limit bytes: a body cut off is
// *Temporary (the next attempt may get it whole), a longer one an error
// that names the limit. what names the answer ("the feed").
func ReadBody(resp *http.Response, limit int64, what string) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &Temporary{Reason: fmt.Sprintf("%s (HTTP %d) was cut off: %v", what, resp.StatusCode, err)}
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%s (HTTP %d) is larger than %s", what, resp.StatusCode, size(limit))
	}
	return body, nil
}

// size says n bytes in MiB when it is a whole number of them, else KiB.
func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// Exchange is one request to a platform as the polling connectors make
// it: the bearer token of ts (see Authorize), userAgent, the request sent
// with client, and the answer's body read up to limit (see ReadBody).
// A request that never reached the platform is *Temporary, naming
// platform; one whose context ended returns the context's error. The
// answer's status is left to the caller to judge.
func Exchange(ctx context.Context, client *http.Client, req *http.Request, ts TokenSource, what, userAgent, platform string, limit int64) (*http.Response, []byte, error) {
	if err := Authorize(ctx, req, ts, what); err != nil {
		return nil, nil, err
	}
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &Temporary{Reason: "could not reach " + platform + ": " + err.Error()}
	}
	defer resp.Body.Close()
	body, err := ReadBody(resp, limit, platform+"'s answer")
	if err != nil {
		return nil, nil, err
	}
	return resp, body, nil
}
