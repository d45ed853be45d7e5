"""Monthly report of Azure entitlements per customer, straight from the Partner Center REST API."""
import os

import requests
from requests.adapters import HTTPAdapter

PC_API = "https://api.partnercenter.microsoft.com/v1"


class PartnerCenter:
    def __init__(self, token: str):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.mount("https://", HTTPAdapter(pool_maxsize=4))

    def customers(self):
        return self.session.get(f"{PC_API}/customers").json()["items"]

    def subscriptions(self, customer_id):
        return self.session.get(f"{PC_API}/customers/{customer_id}/subscriptions").json()["items"]

    def entitlements(self, customer_id, subscription_id):
        url = "{}/customers/{}/subscriptions/{}/azureEntitlements".format(PC_API, customer_id, subscription_id)
        return self.session.get(url).json()["items"]


def main():
    pc = PartnerCenter(os.environ["PC_TOKEN"])
    report = {
        c["id"]: [pc.entitlements(c["id"], s["id"]) for s in pc.subscriptions(c["id"])]
        for c in pc.customers()
    }
    print(f"{len(report)} customers")


if __name__ == "__main__":
    main()
