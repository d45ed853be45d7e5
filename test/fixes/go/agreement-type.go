// fix: agreement-type
package pc

import (
	"fmt"
	"net/http"
)

const baseURL = "https://api.partnercenter.microsoft.com/v1"

func Agreements(client *http.Client, customerID string) (*http.Response, error) {
	return client.Get(baseURL + "/customers/" + customerID + "/agreements")
}

func AgreementTemplates(client *http.Client) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/agreements", baseURL), nil)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
