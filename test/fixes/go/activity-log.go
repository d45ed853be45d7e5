// fix: activity-log
// Package nightly refreshes what CSP customers bought.
package nightly

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
)

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
	for _, c := range customers {
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
	for _, customer := range customers {
		url := fmt.Sprintf("%s/customers/%s/orders", pcBase, customer.ID)
		resp, err := s.hc.Get(url)
		if err != nil {
			log.Printf("orders of %s: %v", customer.Name, err)
			continue
		}
		resp.Body.Close()
	}
}
