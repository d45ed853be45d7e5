# fix: activity-log
"""Async refresh of Partner Center subscriptions and add-ons."""
import datetime
import inspect
import json

import aiohttp
import httpx


async def partner_center_changed_customer_ids_async(get_audit_records, resource_type, days=1):
    """Partner Center Advisor: the same for async clients (httpx.AsyncClient, aiohttp.ClientSession)."""
    try:
        response = await get_audit_records(_partner_center_audit_params(resource_type, days))
        page = response.json()
        if inspect.isawaitable(page):  # aiohttp reads the body asynchronously
            page = await page
        return _partner_center_audit_customer_ids(response, page)
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


PARTNER_CENTER = "https://api.partnercenter.microsoft.com/v1/"


async def subscriptions(client: httpx.AsyncClient, customers):
    result = {}
    # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
    changed_customer_ids = await partner_center_changed_customer_ids_async(
        lambda params: client.get(f"{PARTNER_CENTER}auditrecords", params=params),
        "Subscription",
    )
    changed_customers = [
        c for c in customers if changed_customer_ids is None or c.id in changed_customer_ids
    ]
    for c in changed_customers:
        response = await client.get(f"{PARTNER_CENTER}customers/{c.id}/subscriptions")
        result[c.id] = response.json()["items"]
    return result


async def addons(token, pairs):
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
        # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
        changed_customer_ids = await partner_center_changed_customer_ids_async(
            lambda params: session.get(f"{PARTNER_CENTER}auditrecords", params=params),
            "Subscription",
        )
        changed_pairs = [
            (customer_id, subscription_id)
            for customer_id, subscription_id in pairs
            if changed_customer_ids is None or customer_id in changed_customer_ids
        ]
        for customer_id, subscription_id in changed_pairs:
            async with session.get(f"{PARTNER_CENTER}customers/{customer_id}/subscriptions/{subscription_id}/addons") as resp:
                print(await resp.json())
