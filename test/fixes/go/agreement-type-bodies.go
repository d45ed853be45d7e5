// fix: agreement-type
// Package mca confirms customer agreements: query parameters in url.Values, bodies as struct and map literals.
package mca

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"time"
)

const pcBase = "https://api.partnercenter.microsoft.com/v1"

type Contact struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

type agreementRequest struct {
	PrimaryContact Contact `json:"primaryContact"`
	TemplateID     string  `json:"templateId"`
	DateAgreed     string  `json:"dateAgreed"`
	AgreementType  string  `json:"type,omitempty"`
}

// Templates encodes url.Values into the URL.
func Templates(ctx context.Context, hc *http.Client) (*http.Response, error) {
	q := url.Values{}
	q.Set("size", "10")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pcBase+"/agreements?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

// CustomerAgreements sets the query on req.URL.
func CustomerAgreements(ctx context.Context, hc *http.Client, customerID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pcBase+"/customers/"+customerID+"/agreements", nil)
	if err != nil {
		return nil, err
	}
	query := req.URL.Query()
	query.Add("size", "5")
	req.URL.RawQuery = query.Encode()
	return hc.Do(req)
}

// Confirm marshals a struct whose AgreementType field is marshalled as "type".
func Confirm(ctx context.Context, hc *http.Client, customerID, templateID string, contact Contact) (*http.Response, error) {
	body, err := json.Marshal(agreementRequest{PrimaryContact: contact, TemplateID: templateID, DateAgreed: time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return nil, err
	}
	return hc.Post(pcBase+"/customers/"+customerID+"/agreements", "application/json", bytes.NewReader(body))
}

// ConfirmMap marshals a map literal, one key per line.
func ConfirmMap(ctx context.Context, hc *http.Client, customerID, templateID string, contact Contact) (*http.Response, error) {
	payload := map[string]any{
		"primaryContact": contact,
		"templateId":     templateID,
		"dateAgreed":     time.Now().UTC().Format(time.RFC3339),
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, pcBase+"/customers/"+customerID+"/agreements", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return hc.Do(req)
}

// ConfirmPointer sends a pointer to a multi-line struct literal.
func ConfirmPointer(ctx context.Context, hc *http.Client, customerID, templateID string, contact Contact) (*http.Response, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(&agreementRequest{
		PrimaryContact: contact,
		TemplateID:     templateID,
	}); err != nil {
		return nil, err
	}
	return hc.Post(pcBase+"/customers/"+customerID+"/agreements", "application/json", &buf)
}
