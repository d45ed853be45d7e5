# fix: retry-library
"""Partner Center client used by the billing reconciliation job."""
from datetime import datetime, timezone
import datetime as dt
import email.utils
import logging

import requests
import tenacity


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


def _partner_center_retry_after_seconds(retry_after):
    """Retry-After (seconds or an HTTP date) as seconds to wait; None when absent or unreadable."""
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
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

PC = "https://api.partnercenter.microsoft.com/v1"


class PartnerCenter:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def subscription(self, customer_id, subscription_id):
        response = partner_center_retrying(lambda: self.session.get(f"{PC}/customers/{customer_id}/subscriptions/{subscription_id}", timeout=30))
        response.raise_for_status()
        return response.json()

    def orders(self, customer_id):
        log.info("orders of %s at %s", customer_id, datetime.now(timezone.utc))
        return partner_center_retrying(lambda: self.session.get(PC + "/customers/" + customer_id + "/orders")).json()["items"]

    def set_quantity(self, customer_id, subscription_id, quantity):
        return partner_center_retrying(lambda: self.session.patch(
            f"{PC}/customers/{customer_id}/subscriptions/{subscription_id}",
            json={"quantity": quantity},
        ))
