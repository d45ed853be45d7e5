// fix: agreement-type
// Package pcresty reads and confirms customer agreements through resty.
package pcresty

import (
	"context"
	"time"

	"github.com/go-resty/resty/v2"
)

const pcBase = "https://api.partnercenter.microsoft.com/v1"

type Agreements struct {
	TotalCount int `json:"totalCount"`
}

// HasAgreement sets one query parameter already.
func HasAgreement(ctx context.Context, rc *resty.Client, customerID string) (bool, error) {
	var out Agreements
	_, err := rc.R().
		SetContext(ctx).
		SetQueryParam("size", "1").
		SetResult(&out).
		SetQueryParam("agreementType", "MicrosoftCustomerAgreement").
		Get(pcBase + "/customers/" + customerID + "/agreements")
	return out.TotalCount > 0, err
}

// Confirm sends a map body.
func Confirm(ctx context.Context, rc *resty.Client, customerID, templateID string) (*resty.Response, error) {
	return rc.R().SetContext(ctx).SetBody(map[string]string{"templateId": templateID, "dateAgreed": time.Now().UTC().Format(time.RFC3339), "type": "MicrosoftCustomerAgreement"}).Post(pcBase + "/customers/" + customerID + "/agreements")
}
