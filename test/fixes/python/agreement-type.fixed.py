# fix: agreement-type
import requests

PC = "https://api.partnercenter.microsoft.com/v1"


def agreements(customer_id, token):
    headers = {"Authorization": f"Bearer {token}"}
    everything = requests.get(f"{PC}/customers/{customer_id}/agreements?agreementType=MicrosoftCustomerAgreement", headers=headers)
    filtered = requests.get(f"{PC}/customers/{customer_id}/agreements", params={"page": 1, "agreementType": "MicrosoftCustomerAgreement"}, headers=headers)
    templates = requests.get(PC + "/agreements?agreementType=MicrosoftCustomerAgreement", headers=headers).json()
    return everything, filtered, templates


def confirm(customer_id, template_id, contact, token):
    body = {
        "primaryContact": contact,
        "templateId": template_id,
        "dateAgreed": "2026-11-24T00:00:00Z",
        "type": "MicrosoftCustomerAgreement",
    }
    requests.post(f"{PC}/customers/{customer_id}/agreements", json=body, headers={"Authorization": f"Bearer {token}"})
