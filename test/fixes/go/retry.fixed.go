// fix: retry
// Package billing reads subscriptions and orders from Partner Center with net/http.
package billing

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand"
	"net/http"
	"strconv"
	"time"
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
	return backoff/2 + time.Duration(mathrand.Int63n(int64(backoff/2)+1))
}

const pcBase = "https://api.partnercenter.microsoft.com/v1"

// Client calls Partner Center with a bearer token.
type Client struct {
	hc    *http.Client
	token string
}

// correlationID uses crypto/rand, so the helper's math/rand is imported under another name.
func correlationID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (c *Client) newRequest(ctx context.Context, method, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("MS-CorrelationId", correlationID())
	return req, nil
}

// Subscriptions builds the request, then sends it with Do.
func (c *Client) Subscriptions(ctx context.Context, customerID string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pcBase+"/customers/"+customerID+"/subscriptions", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := withPartnerCenterRetry(ctx, func() (*http.Response, error) { return c.hc.Do(req) })
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Orders has no context: the retry waits on context.Background().
func (c *Client) Orders(customerID string) (*http.Response, error) {
	return withPartnerCenterRetry(context.Background(), func() (*http.Response, error) {
		return c.hc.Get(fmt.Sprintf("%s/customers/%s/orders", pcBase, customerID))
	})
}

// UpdateSubscription sends a body: each attempt reads it again.
func (c *Client) UpdateSubscription(ctx context.Context, customerID, subscriptionID string, quantity int) error {
	body, err := json.Marshal(map[string]int{"quantity": quantity})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, pcBase+"/customers/"+customerID+"/subscriptions/"+subscriptionID, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if _, err := withPartnerCenterRetry(ctx, func() (*http.Response, error) {
		if req.GetBody != nil { // a retry sends the body again
			req.Body, _ = req.GetBody()
		}
		return c.hc.Do(req)
	}); err != nil {
		return fmt.Errorf("update subscription %s: %w", subscriptionID, err)
	}
	return nil
}

// UpgradeStatus posts with a multi-line call.
func (c *Client) UpgradeStatus(ctx context.Context, upgradeID string, payload []byte) (*http.Response, error) {
	return withPartnerCenterRetry(ctx, func() (*http.Response, error) {
		return c.hc.Post(
			fmt.Sprintf("%s/productUpgrades/%s/status", pcBase, upgradeID),
			"application/json",
			bytes.NewReader(payload),
		)
	})
}

// Transfers names its context otherwise.
func (c *Client) Transfers(parent context.Context, customerID string) (*http.Response, error) {
	c.hc.Timeout = 10 * time.Second
	return withPartnerCenterRetry(parent, func() (*http.Response, error) {
		return http.DefaultClient.Get(pcBase + "/customers/" + customerID + "/transfers")
	})
}
