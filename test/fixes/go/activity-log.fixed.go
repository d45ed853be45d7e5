// fix: activity-log
// Package nightly refreshes what CSP customers bought.
package nightly

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net/http"
	"net/url"
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
	return backoff/2 + time.Duration(rand.Int63n(int64(backoff/2)+1))
}

// partnerCenterChangedCustomerIDs asks the Partner Center Activity Log (GET /v1/auditrecords) which customers had
// changes of resourceType in the last days; getAuditRecords sends the request with the caller's client and base
// URL. It returns nil when the query fails or the answer has more than one page: the caller then refetches
// every item. (Partner Center Advisor)
func partnerCenterChangedCustomerIDs(ctx context.Context, getAuditRecords func(query string) (*http.Response, error), resourceType string, days int) map[string]bool {
	filter, _ := json.Marshal(map[string]string{"Field": "ResourceType", "Value": resourceType, "Operator": "equals"})
	query := url.Values{}
	query.Set("startDate", time.Now().UTC().AddDate(0, 0, -days).Format("2006-01-02"))
	query.Set("size", "500")
	query.Set("filter", string(filter))
	resp, err := withPartnerCenterRetry(ctx, func() (*http.Response, error) { return getAuditRecords(query.Encode()) })
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var page struct {
		Items []struct {
			CustomerID string `json:"customerId"`
		} `json:"items"`
		ContinuationToken string `json:"continuationToken"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&page) != nil || page.ContinuationToken != "" {
		return nil
	}
	changed := make(map[string]bool, len(page.Items))
	for _, record := range page.Items {
		if record.CustomerID != "" {
			changed[record.CustomerID] = true
		}
	}
	return changed
}

const pcBase = "https://api.partnercenter.microsoft.com/v1"

type Customer struct {
	ID   string
	Name string
}

type Syncer struct {
	hc *http.Client
}

// Subscriptions fetches the subscriptions of every customer, every night.
func (s *Syncer) Subscriptions(ctx context.Context, customers []Customer) error {
	// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
	changedCustomerIDs := partnerCenterChangedCustomerIDs(ctx, func(query string) (*http.Response, error) {
		return s.hc.Get(pcBase + "/auditrecords?" + query)
	}, "Subscription", 1)
	changedCustomers := customers[:0:0]
	for _, c := range customers {
		if changedCustomerIDs == nil || changedCustomerIDs[c.ID] {
			changedCustomers = append(changedCustomers, c)
		}
	}
	for _, c := range changedCustomers {
		// one request per customer
		resp, err := s.hc.Get(pcBase + "/customers/" + c.ID + "/subscriptions")
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		log.Printf("%s: %d bytes", c.Name, len(body))
	}
	return nil
}

// Orders formats the URL.
func (s *Syncer) Orders(customers []Customer) {
	// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
	changedCustomerIDs := partnerCenterChangedCustomerIDs(context.Background(), func(query string) (*http.Response, error) {
		return s.hc.Get(pcBase + "/auditrecords?" + query)
	}, "Order", 1)
	changedCustomers := customers[:0:0]
	for _, customer := range customers {
		if changedCustomerIDs == nil || changedCustomerIDs[customer.ID] {
			changedCustomers = append(changedCustomers, customer)
		}
	}
	for _, customer := range changedCustomers {
		url := fmt.Sprintf("%s/customers/%s/orders", pcBase, customer.ID)
		resp, err := s.hc.Get(url)
		if err != nil {
			log.Printf("orders of %s: %v", customer.Name, err)
			continue
		}
		resp.Body.Close()
	}
}
