// Package pcclient is the Partner Center client of the provisioning service.
package pcclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

const baseURL = "https://api.partnercenter.microsoft.com/v1"

type Client struct {
	http  *http.Client
	token string
}

func (c *Client) get(ctx context.Context, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// Transfers lists a customer's transfers.
func (c *Client) Transfers(ctx context.Context, customerID string) (map[string]any, error) {
	var out map[string]any
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s/customers/%s/transfers", baseURL, customerID), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return out, json.NewDecoder(resp.Body).Decode(&out)
}

// RegistrationStatuses checks every subscription of a customer.
func (c *Client) RegistrationStatuses(ctx context.Context, customerID string, subscriptionIDs []string) error {
	for _, id := range subscriptionIDs {
		req, err := http.NewRequestWithContext(ctx, "GET", baseURL+"/customers/"+customerID+"/subscriptions/"+id+"/registrationstatus", nil)
		if err != nil {
			return err
		}
		if _, err := c.http.Do(req); err != nil {
			return err
		}
	}
	return nil
}
