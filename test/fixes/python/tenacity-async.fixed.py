# fix: retry-library
"""Async export of Partner Center orders (httpx)."""
import asyncio
import datetime
import email.utils

import httpx
import tenacity
from tenacity import RetryError

from .settings import TIMEOUT


def _partner_center_is_throttled(result_or_error):
    """tenacity retry test: HTTP 429/503/504, as a response or as an HTTP error that carries one."""
    status, _ = _partner_center_throttled(result_or_error)
    return status in (429, 503, 504)


def _partner_center_wait(retry_state):
    """tenacity wait: the Retry-After the service sent, else exponential backoff with jitter."""
    outcome = retry_state.outcome
    _, retry_after = _partner_center_throttled(outcome.exception() if outcome.failed else outcome.result())
    seconds = _partner_center_retry_after_seconds(retry_after)
    if seconds is None:
        return tenacity.wait_exponential_jitter(initial=1, max=30)(retry_state)
    return seconds


# Partner Center Advisor: tenacity settings for throttled Partner Center calls (HTTP 429/503/504): wait
# Retry-After, else exponential backoff with jitter; 5 attempts, then the last response or error as it is.
PARTNER_CENTER_RETRY = dict(
    retry=(
        tenacity.retry_if_result(_partner_center_is_throttled)
        | tenacity.retry_if_exception(_partner_center_is_throttled)
    ),
    wait=_partner_center_wait,
    stop=tenacity.stop_after_attempt(5),
    retry_error_callback=lambda retry_state: retry_state.outcome.result(),
)


def partner_center_retrying(call):
    """Partner Center Advisor: runs `call` under tenacity with PARTNER_CENTER_RETRY."""
    return tenacity.Retrying(**PARTNER_CENTER_RETRY)(call)


async def partner_center_retrying_async(call):
    """Partner Center Advisor: the same for coroutines (httpx.AsyncClient, aiohttp)."""

    async def attempt():  # tenacity awaits only coroutine functions, not a lambda returning a coroutine
        return await call()

    return await tenacity.AsyncRetrying(**PARTNER_CENTER_RETRY)(attempt)


def _partner_center_retry_after_seconds(retry_after):
    """Retry-After (seconds or an HTTP date) as seconds to wait; None when absent or unreadable."""
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
            except (TypeError, ValueError):
                pass
    return None


def _partner_center_throttled(result_or_error):
    """(status, Retry-After) of a response, or of the response an HTTP error carries."""
    response = getattr(result_or_error, "response", result_or_error)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return status, headers.get("Retry-After")


PARTNER_CENTER_URL = "https://api.partnercenter.microsoft.com/v1"


async def order(client: httpx.AsyncClient, customer_id: str, order_id: str) -> dict:
    response = await partner_center_retrying_async(lambda: client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/orders/{order_id}", timeout=TIMEOUT))
    return response.json()


async def transfers(client: httpx.AsyncClient, customer_id: str) -> list:
    try:
        response = await partner_center_retrying_async(lambda: client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/transfers"))
    except RetryError:
        return []
    return response.json()["items"]


def addons(customer_id, subscription_id):
    with httpx.Client() as client:
        return partner_center_retrying(lambda: client.get(f"{PARTNER_CENTER_URL}/customers/{customer_id}/subscriptions/{subscription_id}/addons")).json()
