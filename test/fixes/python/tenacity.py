# fix: retry-library
"""Partner Center client used by the billing reconciliation job."""
from datetime import datetime, timezone
import logging

import requests

log = logging.getLogger(__name__)

PC = "https://api.partnercenter.microsoft.com/v1"


class PartnerCenter:
    def __init__(self, token):
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def subscription(self, customer_id, subscription_id):
        response = self.session.get(f"{PC}/customers/{customer_id}/subscriptions/{subscription_id}", timeout=30)
        response.raise_for_status()
        return response.json()

    def orders(self, customer_id):
        log.info("orders of %s at %s", customer_id, datetime.now(timezone.utc))
        return self.session.get(PC + "/customers/" + customer_id + "/orders").json()["items"]

    def set_quantity(self, customer_id, subscription_id, quantity):
        return self.session.patch(
            f"{PC}/customers/{customer_id}/subscriptions/{subscription_id}",
            json={"quantity": quantity},
        )
