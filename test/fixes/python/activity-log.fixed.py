# fix: activity-log
"""Nightly refresh of what CSP customers bought."""
import datetime
import json
import logging

import httpx
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
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
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


log = logging.getLogger(__name__)

BASE = "https://api.partnercenter.microsoft.com/v1"


def refresh_subscriptions(session: requests.Session, customers, headers):
    totals = {}
    # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
    changed_customer_ids = partner_center_changed_customer_ids(
        lambda params: session.get(f"{BASE}/auditrecords", params=params, headers=headers, timeout=30),
        "Subscription",
    )
    changed_customers = [
        customer
        for customer in customers
        if changed_customer_ids is None or customer['id'] in changed_customer_ids
    ]
    # one request per customer
    for customer in changed_customers:
        response = session.get(f"{BASE}/customers/{customer['id']}/subscriptions", headers=headers, timeout=30)
        response.raise_for_status()
        totals[customer["name"]] = response.json()["totalCount"]
    return totals


def refresh_orders(customer_ids):
    client = httpx.Client(base_url="https://api.partnercenter.microsoft.com/v1/")
    # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
    changed_ids = partner_center_changed_customer_ids(
        lambda params: client.get("auditrecords", params=params),
        "Order",
    )
    changed_customer_ids = [
        cid for cid in customer_ids if changed_ids is None or cid in changed_ids
    ]
    return [client.get(f"customers/{cid}/orders").json() for cid in changed_customer_ids]


def transfers_by_index(token, customers):
    # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
    changed_customer_ids = partner_center_changed_customer_ids(
        lambda params: requests.get(BASE + "/auditrecords", params=params, headers={"Authorization": f"Bearer {token}"}),
        "Transfer",
    )
    changed_items = [
        (i, customer)
        for i, customer in enumerate(customers)
        if changed_customer_ids is None or customer.id in changed_customer_ids
    ]
    for i, customer in changed_items:
        url = BASE + "/customers/" + customer.id + "/transfers"
        log.info("%d: %s", i, requests.get(url, headers={"Authorization": f"Bearer {token}"}).status_code)
