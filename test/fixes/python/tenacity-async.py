# fix: retry-library
"""Async export of Partner Center orders (httpx)."""
import asyncio

import httpx
from tenacity import RetryError

from .settings import TIMEOUT

PARTNER_CENTER_URL = "https://api.partnercenter.microsoft.com/v1"


async def order(client: httpx.AsyncClient, customer_id: str, order_id: str) -> dict:
    response = await client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/orders/{order_id}", timeout=TIMEOUT)
    return response.json()


async def transfers(client: httpx.AsyncClient, customer_id: str) -> list:
    try:
        response = await client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/transfers")
    except RetryError:
        return []
    return response.json()["items"]


def addons(customer_id, subscription_id):
    with httpx.Client() as client:
        return client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/subscriptions/{subscription_id}/addons").json()
