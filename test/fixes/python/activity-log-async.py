# fix: activity-log
"""Async refresh of Partner Center subscriptions and add-ons."""
import aiohttp
import httpx

PARTNER_CENTER = "https://api.partnercenter.microsoft.com/v1/"


async def subscriptions(client: httpx.AsyncClient, customers):
    result = {}
    for c in customers:
        response = await client.get(f"{PARTNER_CENTER}customers/{c.id}/subscriptions")
        result[c.id] = response.json()["items"]
    return result


async def addons(token, pairs):
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as session:
        for customer_id, subscription_id in pairs:
            async with session.get(f"{PARTNER_CENTER}customers/{customer_id}/subscriptions/{subscription_id}/addons") as resp:
                print(await resp.json())
