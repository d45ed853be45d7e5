# fix: retry
"""Nightly export of Partner Center subscriptions."""
import logging

import httpx
import requests

log = logging.getLogger(__name__)

BASE = "https://api.partnercenter.microsoft.com/v1"


def subscriptions(customer_id, token):
    response = requests.get(f"{BASE}/customers/{customer_id}/subscriptions", headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    return response.json()["items"]


async def orders(client: httpx.AsyncClient, customer_id):
    response = await client.get(f"{BASE}/customers/{customer_id}/orders")
    return response.json()
