# fix: retry
"""Nightly export of Partner Center subscriptions."""
import asyncio
import datetime
import email.utils
import logging
import random
import time

import httpx
import requests


def with_partner_center_retry(call, max_attempts=5):
    """Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After."""
    for attempt in range(1, max_attempts + 1):
        try:
            result = call()
        except Exception as error:  # an HTTP error raised by the client, e.g. raise_for_status()
            status, retry_after = _partner_center_throttled(error)
            if status not in (429, 503, 504) or attempt == max_attempts:
                raise
        else:
            status, retry_after = _partner_center_throttled(result)
            if status not in (429, 503, 504) or attempt == max_attempts:
                return result
        time.sleep(_partner_center_retry_delay(attempt, retry_after))


async def with_partner_center_retry_async(call, max_attempts=5):
    """Partner Center Advisor: the same for coroutines (httpx.AsyncClient)."""
    for attempt in range(1, max_attempts + 1):
        try:
            result = await call()
        except Exception as error:
            status, retry_after = _partner_center_throttled(error)
            if status not in (429, 503, 504) or attempt == max_attempts:
                raise
        else:
            status, retry_after = _partner_center_throttled(result)
            if status not in (429, 503, 504) or attempt == max_attempts:
                return result
        await asyncio.sleep(_partner_center_retry_delay(attempt, retry_after))


def _partner_center_retry_delay(attempt, retry_after):
    """Seconds to wait: Retry-After when given, else exponential backoff with jitter."""
    seconds = _partner_center_retry_after_seconds(retry_after)
    if seconds is not None:
        return seconds
    return min(30.0, 2.0 ** (attempt - 1)) * (0.5 + random.random() / 2)


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


log = logging.getLogger(__name__)

BASE = "https://api.partnercenter.microsoft.com/v1"


def subscriptions(customer_id, token):
    response = with_partner_center_retry(lambda: requests.get(f"{BASE}/customers/{customer_id}/subscriptions", headers={"Authorization": f"Bearer {token}"}))
    response.raise_for_status()
    return response.json()["items"]


async def orders(client: httpx.AsyncClient, customer_id):
    response = await with_partner_center_retry_async(lambda: client.get(f"{BASE}/customers/{customer_id}/orders"))
    return response.json()
