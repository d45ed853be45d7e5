# fix: activity-log
"""Nightly refresh of what CSP customers bought."""
import logging

import httpx
import requests

log = logging.getLogger(__name__)

BASE = "https://api.partnercenter.microsoft.com/v1"


def refresh_subscriptions(session: requests.Session, customers, headers):
    totals = {}
    # one request per customer
    for customer in customers:
        response = session.get(f"{BASE}/customers/{customer['id']}/subscriptions", headers=headers, timeout=30)
        response.raise_for_status()
        totals[customer["name"]] = response.json()["totalCount"]
    return totals


def refresh_orders(customer_ids):
    client = httpx.Client(base_url="https://api.partnercenter.microsoft.com/v1/")
    return [client.get(f"customers/{cid}/orders").json() for cid in customer_ids]


def transfers_by_index(token, customers):
    for i, customer in enumerate(customers):
        url = BASE + "/customers/" + customer.id + "/transfers"
        log.info("%d: %s", i, requests.get(url, headers={"Authorization": f"Bearer {token}"}).status_code)
