# fix: activity-log
"""Reconciles Partner Center orders with the billing system."""
import datetime as dt
import json
from datetime import datetime, timedelta

import requests


def partner_center_changed_customer_ids(get_audit_records, resource_type, days=1):
    """Partner Center Advisor: ids of the customers with changes of `resource_type` in the last `days` days,
    from the Activity Log (GET /v1/auditrecords, sent by `get_audit_records(params)`). None when the query
    fails or has more than one page: the caller then refetches every customer."""
    try:
        response = get_audit_records(_partner_center_audit_params(resource_type, days))
        return _partner_center_audit_customer_ids(response, response.json())
    except Exception:  # network, HTTP or JSON error
        return None


def _partner_center_audit_params(resource_type, days):
    """Query of GET /v1/auditrecords: the records of one resource type since `days` days ago (UTC)."""
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    return {
        "startDate": start.strftime("%Y-%m-%d"),
        "size": "500",
        "filter": json.dumps({"Field": "ResourceType", "Value": resource_type, "Operator": "equals"}),
    }


def _partner_center_audit_customer_ids(response, page):
    """The customer ids of a successful, complete (single-page) audit records answer, else None."""
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if status != 200 or not isinstance(page, dict) or page.get("continuationToken"):
        return None
    return {record["customerId"] for record in page.get("items", []) if record.get("customerId")}


class Reconciler:
    def __init__(self, token, customers):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.base_url = "https://api.partnercenter.microsoft.com/v1"
        self.customers = customers

    def reconcile(self):
        since = (datetime.utcnow() - timedelta(days=1)).isoformat()
        # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
        changed_customer_ids = partner_center_changed_customer_ids(
            lambda params: self.session.get(f"{self.base_url}/auditrecords", params=params),
            "Order",
        )
        changed_customers = [
            customer
            for customer in self.customers
            if changed_customer_ids is None or customer['id'] in changed_customer_ids
        ]
        for customer in changed_customers:
            url = f"{self.base_url}/customers/{customer['id']}/orders"
            orders = self.session.get(url).json()["items"]
            print(customer["id"], len([o for o in orders if o["creationDate"] > since]))

    def subscriptions(self):
        # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
        changed_customer_ids = partner_center_changed_customer_ids(
            lambda params: self.session.get(f"{self.base_url}/auditrecords", params=params),
            "Subscription",
        )
        changed_customers = [
            c
            for c in self.customers
            if changed_customer_ids is None or c['id'] in changed_customer_ids
        ]
        return {c["id"]: self.session.get(f"{self.base_url}/customers/{c['id']}/subscriptions").json() for c in changed_customers}

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
