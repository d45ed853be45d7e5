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
	"net/http"
	"time"
)

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
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Orders has no context: the retry waits on context.Background().
func (c *Client) Orders(customerID string) (*http.Response, error) {
	return c.hc.Get(fmt.Sprintf("%s/customers/%s/orders", pcBase, customerID))
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
	if _, err := c.hc.Do(req); err != nil {
		return fmt.Errorf("update subscription %s: %w", subscriptionID, err)
	}
	return nil
}

// UpgradeStatus posts with a multi-line call.
func (c *Client) UpgradeStatus(ctx context.Context, upgradeID string, payload []byte) (*http.Response, error) {
	return c.hc.Post(
		fmt.Sprintf("%s/productUpgrades/%s/status", pcBase, upgradeID),
		"application/json",
		bytes.NewReader(payload),
	)
}

// Transfers names its context otherwise.
func (c *Client) Transfers(parent context.Context, customerID string) (*http.Response, error) {
	c.hc.Timeout = 10 * time.Second
	return http.DefaultClient.Get(pcBase + "/customers/" + customerID + "/transfers")
}
