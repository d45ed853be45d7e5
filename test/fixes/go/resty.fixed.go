// fix: retry
// Package pcresty calls Partner Center through resty, whose client does not retry unless told to.
package pcresty

import (
	"context"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"time"

	"github.com/go-resty/resty/v2"
)

// withPartnerCenterRetry retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After when
// the service sends it, else exponential backoff with jitter; at most 5 calls, then the last result as it is.
// (Partner Center Advisor)
func withPartnerCenterRetry[T any](ctx context.Context, send func() (T, error)) (T, error) {
	const maxAttempts = 5
	for attempt := 1; ; attempt++ {
		result, err := send()
		if err != nil || attempt >= maxAttempts {
			return result, err
		}
		status, header := partnerCenterStatus(result)
		if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable && status != http.StatusGatewayTimeout {
			return result, err
		}
		delay := partnerCenterRetryDelay(attempt, header.Get("Retry-After"))
		if r, ok := any(result).(*http.Response); ok && r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body) // frees the connection for the next attempt
			_ = r.Body.Close()
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			var zero T
			return zero, ctx.Err()
		case <-timer.C:
		}
	}
}

// partnerCenterStatus is the status and headers of a net/http response or of a client's own response type.
func partnerCenterStatus(result any) (int, http.Header) {
	switch r := result.(type) {
	case *http.Response:
		if r != nil {
			return r.StatusCode, r.Header
		}
	case interface {
		StatusCode() int
		Header() http.Header
	}:
		return r.StatusCode(), r.Header()
	}
	return 0, nil
}

// partnerCenterRetryDelay is Retry-After (seconds or an HTTP date) when given, else exponential backoff with jitter.
func partnerCenterRetryDelay(attempt int, retryAfter string) time.Duration {
	if seconds, err := strconv.Atoi(retryAfter); err == nil && seconds >= 0 {
		return time.Duration(seconds) * time.Second
	}
	if when, err := http.ParseTime(retryAfter); err == nil {
		if d := time.Until(when); d > 0 {
			return d
		}
		return 0
	}
	backoff := time.Second << (attempt - 1)
	if backoff > 30*time.Second {
		backoff = 30 * time.Second
	}
	return backoff/2 + time.Duration(rand.Int63n(int64(backoff/2)+1))
}

type Subscription struct {
	ID       string `json:"id"`
	Quantity int    `json:"quantity"`
}

type Service struct {
	rc *resty.Client
}

func New(token string) *Service {
	return &Service{rc: resty.New().SetBaseURL("https://api.partnercenter.microsoft.com/v1").SetAuthToken(token)}
}

// Subscriptions reads the list through a builder chain.
func (s *Service) Subscriptions(ctx context.Context, customerID string) ([]Subscription, error) {
	var page struct {
		Items []Subscription `json:"items"`
	}
	resp, err := withPartnerCenterRetry(ctx, func() (*resty.Response, error) {
		return s.rc.R().SetContext(ctx).SetResult(&page).Get("/customers/" + customerID + "/subscriptions")
	})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode() != http.StatusOK {
		return nil, nil
	}
	return page.Items, nil
}

// Orders keeps the request in a variable.
func (s *Service) Orders(ctx context.Context, customerID string) (*resty.Response, error) {
	req := s.rc.R().SetContext(ctx)
	return withPartnerCenterRetry(ctx, func() (*resty.Response, error) { return req.Get("/customers/" + customerID + "/orders") })
}
