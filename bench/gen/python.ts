/**
 * Python: service modules with requests/httpx, dataclasses, pytest tests. Partner Center with f-strings,
 * `%` and `.format`, URLs built on another line, loops and comprehensions, tenacity retries, params dicts.
 */
import { Ctx, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural, snake } from './types';

export class PythonGen implements LanguageGen {
  readonly language = 'python' as const;

  fileName(ctx: Ctx, test: boolean): string {
    if (test) return `tests/test_${snake(ctx.noun)}.py`;
    return `${ctx.pick(['app', 'src/billing', 'jobs', 'lib'])}/${snake(ctx.noun)}_${ctx.pick(['service', 'client', 'sync', 'repository', 'tasks'])}.py`;
  }

  header(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    if (test) {
      return `import pytest\n\nfrom app.${snake(n)}_service import ${N}Service, ${N}\n\n\n@pytest.fixture\ndef service():\n    return ${N}Service(base_url="http://localhost:8080", session=FakeSession())\n\n\n`;
    }
    const lines = ['"""' + `${N} service: storage, validation and sync of ${plural(n)}.` + '"""', 'from __future__ import annotations', '', 'import logging', 'import os', 'from dataclasses import dataclass, field', 'from datetime import datetime, timezone', 'from typing import Iterable, Optional', '', 'import requests'];
    if (ctx.kind === 'partner') {
      lines.push('from tenacity import retry, stop_after_attempt, wait_exponential', '', `PC_API = "${PC_HOST}/v1"`);
    } else if (ctx.kind === 'lookalike') {
      lines.push('import stripe', '', 'STRIPE_API = "https://api.stripe.com/v1"', 'CRM_BASE = os.environ.get("CRM_BASE", "https://crm.internal.contoso.com")');
    }
    lines.push('', 'log = logging.getLogger(__name__)', `PAGE_SIZE = ${ctx.pick([25, 50, 100])}`, '', '');
    lines.push('@dataclass', `class ${N}:`, '    id: str', '    name: str', `    status: str = "${ctx.status()}"`, '    amount: float = 0.0', '    updated_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))', '', '');
    lines.push(`class ${N}Service:`, `    def __init__(self, base_url: str, session: Optional[requests.Session] = None) -> None:`, '        self.base_url = base_url.rstrip("/")', '        self.session = session or requests.Session()', '        self._cache: dict[str, ' + N + '] = {}', '');
    return lines.join('\n') + '\n';
  }

  footer(): string {
    return '';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const o = ctx.other();
    const f = snake(ctx.field());
    if (test) {
      return ctx.pick([
        () => `def test_get_${snake(n)}_returns_none_when_missing(service):\n    assert service.get_by_id("${ctx.rng.hex(8)}") is None\n\n\n`,
        () => `@pytest.mark.parametrize("status", ["${ctx.status()}", "${ctx.status()}"])\ndef test_list_filters_by_status(service, status):\n    items = service.list(status=status)\n    assert all(item.status == status for item in items)\n\n\n`,
        () => `def test_validate_rejects_empty_${f}(service):\n    with pytest.raises(ValueError, match="${f}"):\n        service.validate(${N}(id="", name=""))\n\n\n`,
      ])();
    }
    return ctx.pick([
      () => `    def get_by_id(self, item_id: str) -> Optional[${N}]:
        if item_id in self._cache:
            log.debug("${n} cache hit for %s", item_id)
            return self._cache[item_id]
        resp = self.session.get(f"{self.base_url}/api/${plural(n)}/{item_id}", timeout=10)
        if resp.status_code == 404:
            return None
        resp.raise_for_status()
        item = ${N}(**resp.json())
        self._cache[item_id] = item
        return item\n\n`,
      () => `    def list(self, status: Optional[str] = None, page: int = 0) -> list[${N}]:
        params = {"limit": PAGE_SIZE, "offset": page * PAGE_SIZE}
        if status:
            params["status"] = status
        resp = self.session.get(f"{self.base_url}/api/${plural(n)}", params=params, timeout=10)
        resp.raise_for_status()
        return [${N}(**row) for row in resp.json()["items"]]\n\n`,
      () => `    def validate(self, item: ${N}) -> None:
        if not item.id:
            raise ValueError("${n} id is required")
        if not getattr(item, "${f === 'amount' ? 'name' : 'name'}", None):
            raise ValueError("${f} is required")
        if item.amount < 0:
            raise ValueError(f"amount of ${n} {item.id} must not be negative: {item.amount}")\n\n`,
      () => `    def totals(self, items: Iterable[${N}]) -> dict[str, float]:
        out: dict[str, float] = {}
        for item in items:
            out[item.status] = out.get(item.status, 0.0) + item.amount
        return out\n\n`,
      () => `    def reconcile(self, batch: Iterable[${N}]) -> int:
        changed = 0
        for item in batch:
            try:
                current = self.get_by_id(item.id)
                if current is None or current.updated_at < item.updated_at:
                    self.session.put(f"{self.base_url}/api/${plural(n)}/{item.id}", json=item.__dict__, timeout=10)
                    changed += 1
            except requests.RequestException:
                log.exception("reconcile failed for ${n} %s", item.id)
        return changed\n\n`,
      () => `    def fetch_${snake(plural(o))}(self, item_id: str) -> list[dict]:
        url = "{}/api/${plural(n)}/{}/${plural(o)}".format(self.base_url, item_id)
        resp = self.session.get(url, timeout=10)
        resp.raise_for_status()
        return resp.json().get("items", [])\n\n`,
      () => `    @staticmethod
    def describe(status: str) -> str:
        return {
            "${ctx.status()}": "${ctx.status()}",
            "${ctx.status()}": "waiting for ${o}",
        }.get(status, status)\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    const ln = ctx.pick(LOOK_NOUNS);
    return ctx.pick([
      () => `    def stripe_subscriptions(self, customer_id: str) -> list[dict]:
        # Stripe has the same path shape as Partner Center.
        resp = requests.get(f"{STRIPE_API}/customers/{customer_id}/subscriptions", auth=(os.environ["STRIPE_KEY"], ""))
        return resp.json()["data"]\n\n`,
      () => `    def stripe_list(self, customer_id: str):
        subscriptions = stripe.Subscription.list(customer=customer_id, limit=100)
        log.info("customer %s has %d subscriptions", customer_id, len(subscriptions.data))
        return subscriptions.data\n\n`,
      () => `    def crm_orders(self, customer_id: str) -> dict:
        url = "%s/v1/customers/%s/orders" % (CRM_BASE, customer_id)
        return requests.get(url, timeout=10).json()\n\n`,
      () => `    def log_${snake(ln)}_totals(self, items: list[dict]) -> None:
        active = sum(1 for x in items if x.get("status") == "active")
        log.info("%d of %d ${plural(ln)} active; customer orders and subscriptions sync at night", active, len(items))\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    switch (ctx.int(0, 10)) {
      case 0:
        return `    def subscriptions_of(self, customer_id: str) -> list[dict]:
        ${ctx.call('list-customer-subscriptions', 'template')}resp = self.session.get(f"{PC_API}/customers/{customer_id}/subscriptions", timeout=30)
        resp.raise_for_status()
        return resp.json()["items"]\n\n`;
      case 1:
        return `    def orders_of_all(self, customers: list[dict]) -> list[dict]:
        orders = []
        for customer in customers:
            ${ctx.call('list-customer-orders', 'template', { loop: true })}resp = self.session.get(f"{PC_API}/customers/{customer['id']}/orders", timeout=30)
            orders.extend(resp.json()["items"])
        return orders\n\n`;
      case 2:
        return `    def transfers(self, customer_id: str) -> dict:
        url = "%s/customers/%s/transfers" % (PC_API, customer_id)
        ${ctx.call('list-customer-transfers', 'format')}return self.session.get(url, timeout=30).json()\n\n`;
      case 3:
        return `    def add_ons(self, customer_id: str, subscription_id: str) -> dict:
        url = "{}/customers/{}/subscriptions/{}/addons".format(PC_API, customer_id, subscription_id)
        ${ctx.call('list-subscription-addons', 'format')}return requests.get(url, headers=self._headers(), timeout=30).json()\n\n`;
      case 4:
        return `    @retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=60))
    def order(self, customer_id: str, order_id: str) -> dict:
        ${ctx.call('get-order', 'template', { retry: true })}resp = self.session.get(f"{PC_API}/customers/{customer_id}/orders/{order_id}", timeout=30)
        resp.raise_for_status()
        return resp.json()\n\n`;
      case 5:
        return `    def subscription_counts(self, customer_ids: list[str]) -> list[int]:
        ${ctx.call('list-customer-subscriptions', 'template', { loop: true })}pages = [self.session.get(f"{PC_API}/customers/{cid}/subscriptions").json() for cid in customer_ids]
        return [p["totalCount"] for p in pages]\n\n`;
      case 6:
        return `    def set_quantity(self, customer_id: str, subscription_id: str, quantity: int) -> dict:
        body = {"quantity": quantity}
        ${ctx.call('update-subscription', 'template')}resp = requests.patch(f"{PC_API}/customers/{customer_id}/subscriptions/{subscription_id}", json=body, headers=self._headers())
        return resp.json()\n\n`;
      case 7: {
        const given = ctx.chance(0.5);
        return `    def agreements(self, customer_id: str) -> list[dict]:
        ${ctx.call('get-customer-agreements', 'template', { typeGiven: given })}resp = self.session.get(f"{PC_API}/customers/{customer_id}/agreements"${given ? ', params={"agreementType": "MicrosoftCustomerAgreement"}' : ''})
        return resp.json()["items"]\n\n`;
      }
      case 8:
        return `    def provisioning(self, customer_id: str, order_id: str) -> str:
        ${ctx.call('get-order-provisioning-status', 'concat')}resp = self.session.get(PC_API + "/customers/" + customer_id + "/orders/" + order_id + "/provisioningstatus")
        return resp.json()["status"]\n\n`;
      case 9:
        return `    def conversions(self, customer_id: str, subscription_id: str) -> list[dict]:
        ${ctx.call('list-trial-conversions', 'template')}resp = self.session.get(f"{PC_API}/customers/{customer_id}/subscriptions/{subscription_id}/conversions")
        return resp.json()["items"]\n\n`;
      default:
        return `    def upgrade_status(self, upgrade_id: str, customer_id: str) -> dict:
        body = {"customerId": customer_id, "productFamily": "Azure"}
        ${ctx.call('get-product-upgrade-status', 'template')}return self.session.post(f"{PC_API}/productUpgrades/{upgrade_id}/status", json=body).json()\n\n`;
    }
  }
}
