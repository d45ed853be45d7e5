/**
 * Python code inserted by the quick fixes and offered as snippets (requests / httpx; there is no official
 * Partner Center SDK for Python).
 */
import type { SnippetSpec } from './types';

export const PY_RETRY_HELPER = 'with_partner_center_retry';
export const PY_RETRY_HELPER_ASYNC = 'with_partner_center_retry_async';
export const MCA = 'MicrosoftCustomerAgreement';

const DELAY = `def _partner_center_retry_delay(attempt, retry_after):
    """Seconds to wait: Retry-After (seconds or an HTTP date) when given, else exponential backoff with jitter."""
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
            except (TypeError, ValueError):
                pass
    return min(30.0, 2.0 ** (attempt - 1)) * (0.5 + random.random() / 2)


def _partner_center_throttled(result_or_error):
    """(status, Retry-After) of a response, or of the response an HTTP error carries."""
    response = getattr(result_or_error, "response", result_or_error)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return status, headers.get("Retry-After")`;

/** The imports the helpers need (module names). */
export const PY_RETRY_IMPORTS = ['datetime', 'email.utils', 'random', 'time'];

/**
 * Retries a throttled Partner Center call on HTTP 429 (and 503/504): responses (requests, httpx) and errors
 * carrying a response (`raise_for_status()`) alike; waits Retry-After, else exponential backoff with jitter;
 * at most `max_attempts` calls, then returns the last response or re-raises the last error.
 */
export function pyRetryHelper(asyncToo: boolean): string {
  const sync = `def ${PY_RETRY_HELPER}(call, max_attempts=5):
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
        time.sleep(_partner_center_retry_delay(attempt, retry_after))`;
  const asyncHelper = `async def ${PY_RETRY_HELPER_ASYNC}(call, max_attempts=5):
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
        await asyncio.sleep(_partner_center_retry_delay(attempt, retry_after))`;
  return [sync, ...(asyncToo ? [asyncHelper] : []), DELAY].join('\n\n\n');
}

export function pyRetryCall(expression: string, isAsync: boolean): string {
  return isAsync ? `${PY_RETRY_HELPER_ASYNC}(lambda: ${expression})` : `${PY_RETRY_HELPER}(lambda: ${expression})`;
}

export function pySnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center request with retry (Retry-After)',
      description: 'A Partner Center REST call wrapped in a retry that honours Retry-After on HTTP 429, with the helper.',
      body: (p) => `import datetime
import email.utils
import random
import time

import requests


${pyRetryHelper(false)}


response = ${PY_RETRY_HELPER}(lambda: requests.get(f"https://api.partnercenter.microsoft.com/v1/customers/{${p(1, 'customer_id')}}/subscriptions", headers={"Authorization": f"Bearer {${p(2, 'token')}}"}))
response.raise_for_status()`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (GET /v1/auditrecords), instead of polling every customer.',
      body: (p) => `import datetime
import json

import requests


def changed_customer_ids(token, days=${p(1, '1')}, resource_type="${p(2, 'Subscription')}"):
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    query = {"Field": "ResourceType", "Value": resource_type, "Operator": "equals"}
    response = requests.get(
        "https://api.partnercenter.microsoft.com/v1/auditrecords",
        params={"startDate": start, "filter": json.dumps(query)},
        headers={"Authorization": f"Bearer {token}"},
    )
    response.raise_for_status()
    return {record["customerId"] for record in response.json().get("items", []) if record.get("customerId")}`,
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (GET /v1/agreements?agreementType=…), then confirms with type MicrosoftCustomerAgreement.',
      body: (p) => `import datetime

import requests

PC = "https://api.partnercenter.microsoft.com/v1"


def confirm_customer_agreement(token, customer_id, contact):
    headers = {"Authorization": f"Bearer {token}"}
    metadata = requests.get(f"{PC}/agreements", params={"agreementType": "${MCA}"}, headers=headers)
    metadata.raise_for_status()
    template_id = metadata.json()["items"][0]["templateId"]
    body = {
        "primaryContact": contact,
        "templateId": template_id,
        "dateAgreed": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "type": "${MCA}",
    }
    response = requests.post(f"{PC}/customers/{customer_id}/agreements", json=body, headers=headers)
    response.raise_for_status()
    return response.json()${p(0, '')}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: 'GET /v1/customers/{id}/agreements with agreementType=MicrosoftCustomerAgreement.',
      body: (p) => `response = requests.get(
    f"https://api.partnercenter.microsoft.com/v1/customers/{${p(1, 'customer_id')}}/agreements",
    params={"agreementType": "${MCA}"},
    headers={"Authorization": f"Bearer {${p(2, 'token')}}"},
)
confirmed = response.ok and response.json().get("totalCount", 0) > 0`,
    },
  ];
}
