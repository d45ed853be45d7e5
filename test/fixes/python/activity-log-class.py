# fix: activity-log
"""Reconciles Partner Center orders with the billing system."""
from datetime import datetime, timedelta

import requests


class Reconciler:
    def __init__(self, token, customers):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.base_url = "https://api.partnercenter.microsoft.com/v1"
        self.customers = customers

    def reconcile(self):
        since = (datetime.utcnow() - timedelta(days=1)).isoformat()
        for customer in self.customers:
            url = f"{self.base_url}/customers/{customer['id']}/orders"
            orders = self.session.get(url).json()["items"]
            print(customer["id"], len([o for o in orders if o["creationDate"] > since]))

    def subscriptions(self):
        return {c["id"]: self.session.get(f"{self.base_url}/customers/{c['id']}/subscriptions").json() for c in self.customers}

    def drain(self, queue):
        # no Activity Log fix: a while loop has no collection to filter
        while queue:
            customer_id = queue.pop()
            self.session.get(f"{self.base_url}/customers/{customer_id}/transfers")

    def by_map(self, customer_ids):
        # no Activity Log fix: map() calls the lambda per item
        return list(map(lambda cid: self.session.get(f"{self.base_url}/customers/{cid}/transfers"), customer_ids))

    def everything(self):
        # no Activity Log fix: one resource type's changes would skip the other's
        for c in self.customers:
            self.session.get(f"{self.base_url}/customers/{c['id']}/subscriptions")
            self.session.get(f"{self.base_url}/customers/{c['id']}/orders")
