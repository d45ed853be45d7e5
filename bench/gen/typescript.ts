/**
 * TypeScript and JavaScript: services with axios, fetch, got; Node scripts; mocha/jest tests.
 * Partner Center idioms as in test/fixtures/typescript/: an axios client whose baseURL holds /v1/, template
 * literals, concatenation, URLs built on another line, p-retry, loops and Promise.all(x.map(…)).
 */
import { Ctx, kebab, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural } from './types';

export class TypeScriptGen implements LanguageGen {
  readonly language: 'typescript' | 'javascript';
  /** A type annotation in TypeScript, nothing in JavaScript. */
  private readonly t: (s: string) => string;

  constructor(private readonly ts: boolean) {
    this.language = ts ? 'typescript' : 'javascript';
    this.t = (s) => (ts ? s : '');
  }

  fileName(ctx: Ctx, test: boolean): string {
    const base = kebab(ctx.noun, ctx.pick(['service', 'client', 'repository', 'handler', 'sync', 'store', 'api']));
    const ext = this.ts ? (ctx.chance(0.05) ? '.tsx' : '.ts') : ctx.chance(0.15) ? '.mjs' : '.js';
    if (test) return `test/${kebab(ctx.noun)}.test${this.ts ? '.ts' : '.js'}`;
    return `src/${ctx.pick(['services', 'lib', 'jobs', 'api', 'domain'])}/${base}${ext}`;
  }

  header(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    const lines: string[] = [];
    if (test) {
      lines.push(`import assert from 'node:assert/strict';`, `import { ${N}Service } from '../src/services/${kebab(ctx.noun)}-service';`, '');
      lines.push(`describe('${N}Service', () => {`);
      lines.push(`  let service${this.t(`: ${N}Service`)};`, '');
      lines.push(`  beforeEach(() => {`, `    service = new ${N}Service({ baseUrl: 'http://localhost:8080', timeoutMs: 500 });`, `  });`, '');
      return lines.join('\n') + '\n';
    }
    lines.push(`import axios from 'axios';`, `import { logger } from '../logging';`, `import { createPool } from '../db';`);
    if (ctx.chance(0.5)) lines.push(`import { z } from 'zod';`);
    if (ctx.kind === 'partner') {
      lines.push(`import pRetry from 'p-retry';`, `import { tokenProvider } from '../auth';`, '');
      lines.push(`const PC_BASE = '${PC_HOST}';`);
      lines.push(`const pc = axios.create({ baseURL: '${PC_HOST}/v1/', timeout: 30_000 });`);
      lines.push(`pc.interceptors.request.use(async (config) => {`, `  config.headers.Authorization = \`Bearer \${await tokenProvider.get()}\`;`, `  return config;`, `});`);
    } else if (ctx.kind === 'lookalike') {
      lines.push('', `const STRIPE_API = 'https://api.stripe.com';`, `const CRM_API = process.env.CRM_API ?? 'https://crm.internal.contoso.com';`);
      lines.push(`const stripe = axios.create({ baseURL: 'https://api.stripe.com/v1/', auth: { username: process.env.STRIPE_KEY${this.t(' ?? ""')}, password: '' } });`);
    }
    lines.push('');
    if (this.ts) {
      lines.push(`export interface ${N} {`, `  id: string;`, `  name: string;`, `  status: '${ctx.status()}' | '${ctx.status()}' | '${ctx.status()}';`, `  amount: number;`, `  updatedAt: string;`, `}`, '');
      lines.push(`export interface ${N}ServiceOptions {`, `  baseUrl: string;`, `  timeoutMs?: number;`, `  pageSize?: number;`, `}`, '');
    }
    lines.push(`const DEFAULT_PAGE_SIZE = ${ctx.pick([20, 50, 100, 200])};`, `const ${ctx.noun.toUpperCase()}_TTL_MS = ${ctx.int(1, 30)} * 60_000;`, '');
    lines.push(`export class ${N}Service {`);
    lines.push(`  ${this.ts ? 'private readonly ' : ''}cache = new Map${this.t(`<string, ${N}>`)}();`);
    if (this.ts) lines.push('', `  constructor(private readonly options: ${N}ServiceOptions, private readonly db = createPool()) {}`);
    else lines.push('', `  constructor(options, db = createPool()) {`, `    this.options = options;`, `    this.db = db;`, `  }`);
    return lines.join('\n') + '\n\n';
  }

  footer(_ctx: Ctx, test: boolean): string {
    return test ? '});\n' : '}\n';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const o = ctx.other();
    const f = ctx.field();
    const s = this.t;
    if (test) {
      return ctx.pick([
        () => `  it('returns ${plural(n)} with status ${ctx.status()}', async () => {\n    const items = await service.list({ status: '${ctx.status()}', limit: ${ctx.int(1, 50)} });\n    assert.ok(Array.isArray(items));\n    for (const item of items) assert.equal(typeof item.${f}, 'string');\n  });\n\n`,
        () => `  it('rejects an empty ${f}', async () => {\n    await assert.rejects(() => service.validate({ id: '', ${f}: '' }), /${f} is required/);\n  });\n\n`,
        () => `  it('caches ${n} lookups', async () => {\n    const first = await service.get${N}ById('${ctx.rng.hex(8)}');\n    const second = await service.get${N}ById('${ctx.rng.hex(8)}');\n    assert.deepEqual(first, second);\n    assert.equal(service.cache.size, 1);\n  });\n\n`,
      ])();
    }
    const members = [
      () => `  async get${N}ById(id${s(': string')})${s(`: Promise<${N} | undefined>`)} {
    const cached = this.cache.get(id);
    if (cached) {
      logger.debug(\`${n} cache hit for \${id}\`);
      return cached;
    }
    const result = await this.db.query('SELECT * FROM ${plural(n)} WHERE id = $1 AND deleted_at IS NULL', [id]);
    if (result.rows.length === 0) return undefined;
    this.cache.set(id, result.rows[0]);
    setTimeout(() => this.cache.delete(id), ${n.toUpperCase()}_TTL_MS).unref();
    return result.rows[0];
  }\n\n`,
      () => `  async list(filter${s(`: { status?: string; limit?: number; cursor?: string }`)} = {})${s(`: Promise<${N}[]>`)} {
    const limit = Math.min(filter.limit ?? DEFAULT_PAGE_SIZE, 500);
    const params${s(': unknown[]')} = [limit];
    let sql = 'SELECT id, name, status, amount, updated_at FROM ${plural(n)}';
    if (filter.status) {
      params.push(filter.status);
      sql += \` WHERE status = $\${params.length}\`;
    }
    sql += ' ORDER BY updated_at DESC LIMIT $1';
    const { rows } = await this.db.query(sql, params);
    return rows.map((r${s(': any')}) => ({ id: r.id, name: r.name, status: r.status, amount: Number(r.amount), updatedAt: r.updated_at }));
  }\n\n`,
      () => `  validate(input${s(`: Partial<${N}>`)})${s(': void')} {
    if (!input.id) throw new Error('${n} id is required');
    if (!input.${f === 'amount' ? 'name' : f}) throw new Error('${f} is required');
    if (typeof input.amount === 'number' && input.amount < 0) {
      throw new RangeError(\`${n} \${input.id}: amount must not be negative (got \${input.amount})\`);
    }
    if (input.status && !['${ctx.status()}', '${ctx.status()}', '${ctx.status()}'].includes(input.status)) {
      throw new Error(\`unknown status \${input.status}\`);
    }
  }\n\n`,
      () => `  totals(items${s(`: ${N}[]`)})${s(': Record<string, number>')} {
    return items.reduce((acc${s(': Record<string, number>')}, item) => {
      acc[item.status] = (acc[item.status] ?? 0) + item.amount;
      return acc;
    }, {});
  }\n\n`,
      () => `  async handleEvent(event${s(': { type: string; id: string; payload?: unknown }')})${s(': Promise<void>')} {
    switch (event.type) {
      case '${n}.created':
      case '${n}.updated':
        this.cache.delete(event.id);
        await this.db.query('UPDATE ${plural(n)} SET synced_at = now() WHERE id = $1', [event.id]);
        break;
      case '${n}.deleted':
        this.cache.delete(event.id);
        logger.info({ id: event.id }, '${n} deleted');
        break;
      default:
        logger.warn(\`ignoring event \${event.type}\`);
    }
  }\n\n`,
      () => `  async fetch${pascal(o)}For(id${s(': string')}) {
    const url = \`\${this.options.baseUrl}/api/${plural(n)}/\${encodeURIComponent(id)}/${plural(o)}\`;
    const res = await axios.get(url, { timeout: this.options.timeoutMs ?? 10_000 });
    if (res.status !== 200) throw new Error(\`${o} lookup failed: \${res.status}\`);
    return res.data.items;
  }\n\n`,
      () => `  async reconcile(batch${s(`: ${N}[]`)})${s(': Promise<number>')} {
    let changed = 0;
    for (const item of batch) {
      try {
        const current = await this.get${N}ById(item.id);
        if (!current || current.updatedAt < item.updatedAt) {
          await this.db.query('INSERT INTO ${plural(n)} (id, name, status, amount) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET status = $3', [item.id, item.name, item.status, item.amount]);
          changed++;
        }
      } catch (err) {
        logger.error({ err, id: item.id }, 'reconcile failed');
      }
    }
    return changed;
  }\n\n`,
      () => `  toDto(item${s(`: ${N}`)}) {
    return {
      id: item.id,
      displayName: item.name.trim(),
      ${f}: item.${f === 'amount' ? 'amount' : 'status'},
      amountFormatted: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(item.amount),
      lastModified: new Date(item.updatedAt).toISOString(),
    };
  }\n\n`,
    ];
    return ctx.pick(members)();
  }

  lookalike(ctx: Ctx): string {
    const s = this.t;
    const ln = ctx.pick(LOOK_NOUNS);
    return ctx.pick([
      () => `  async stripeSubscriptions(customerId${s(': string')}) {
    // Stripe's API has the same path shape as Partner Center's.
    const res = await axios.get(\`\${STRIPE_API}/v1/customers/\${customerId}/subscriptions\`, { params: { limit: 100 } });
    return res.data.data;
  }\n\n`,
      () => `  async stripeInvoices(customerId${s(': string')}) {
    const { data } = await stripe.get(\`customers/\${customerId}/invoices\`);
    logger.info(\`fetched \${data.data.length} invoices for customer \${customerId}\`);
    return data.data;
  }\n\n`,
      () => `  async crmOrders(customerId${s(': string')}) {
    const url = CRM_API + '/v1/customers/' + customerId + '/orders';
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    return res.json();
  }\n\n`,
      () => `  async createOrder(customerId${s(': string')}, lines${s(': unknown[]')}) {
    return axios.post(\`\${CRM_API}/v1/customers/\${customerId}/orders\`, { lines });
  }\n\n`,
      () => `  summarize(${plural(ln)}${s(': { id: string; status: string }[]')}) {
    const active = ${plural(ln)}.filter((x) => x.status === 'active');
    logger.info(\`\${active.length} of \${${plural(ln)}.length} ${plural(ln)} are active; customer subscriptions and orders are synced nightly\`);
    return { active: active.length, total: ${plural(ln)}.length };
  }\n\n`,
      () => `  async cancelSubscription(subscriptionId${s(': string')}) {
    await stripe.delete(\`subscriptions/\${subscriptionId}\`);
    await this.db.query('UPDATE subscriptions SET status = $2 WHERE id = $1', [subscriptionId, 'cancelled']);
  }\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    const s = this.t;
    const pick = ctx.int(0, 11);
    switch (pick) {
      case 0:
        return `  async subscriptionsOf(customerId${s(': string')}) {
    ${ctx.call('list-customer-subscriptions', 'base-url')}const res = await pc.get(\`customers/\${customerId}/subscriptions\`);
    return res.data.items;
  }\n\n`;
      case 1:
        return `  async ordersOfAll(customers${s(': { id: string }[]')}) {
    const all = [];
    for (const c of customers) {
      ${ctx.call('list-customer-orders', 'base-url', { loop: true })}const res = await pc.get(\`customers/\${c.id}/orders\`);
      all.push(...res.data.items);
    }
    return all;
  }\n\n`;
      case 2:
        return `  async transfers(customerId${s(': string')}, token${s(': string')}) {
    ${ctx.call('list-customer-transfers', 'template')}const res = await fetch(\`\${PC_BASE}/v1/customers/\${customerId}/transfers\`, { headers: { Authorization: \`Bearer \${token}\` } });
    if (!res.ok) throw new Error(\`transfers: \${res.status}\`);
    return res.json();
  }\n\n`;
      case 3:
        return `  async addOns(customerId${s(': string')}, subscriptionId${s(': string')}) {
    ${ctx.call('list-subscription-addons', 'concat')}const res = await axios.get(PC_BASE + '/v1/customers/' + customerId + '/subscriptions/' + subscriptionId + '/addons');
    return res.data.items;
  }\n\n`;
      case 4:
        return `  async provisioningStatus(customerId${s(': string')}, orderId${s(': string')}) {
    const url = \`\${PC_BASE}/v1/customers/\${customerId}/orders/\${orderId}/provisioningstatus\`;
    logger.debug({ customerId, orderId }, 'checking provisioning');
    ${ctx.call('get-order-provisioning-status', 'variable')}const res = await axios.get(url);
    return res.data;
  }\n\n`;
      case 5:
        return `  async entitlements(customerId${s(': string')}, subscriptionId${s(': string')}) {
    ${ctx.call('list-azure-entitlements', 'base-url', { retry: true })}const res = await pRetry(() => pc.get(\`customers/\${customerId}/subscriptions/\${subscriptionId}/azureEntitlements\`), { retries: 5 });
    return res.data.items;
  }\n\n`;
      case 6:
        return `  async setQuantity(customerId${s(': string')}, subscription${s(': { id: string; quantity: number }')}) {
    ${ctx.call('update-subscription', 'base-url')}await pc.patch(\`customers/\${customerId}/subscriptions/\${subscription.id}\`, { ...subscription, quantity: subscription.quantity });
  }\n\n`;
      case 7:
        return `  async agreements(customerId${s(': string')}) {
    ${ctx.call('get-customer-agreements', 'template')}const all = await fetch(\`\${PC_BASE}/v1/customers/\${customerId}/agreements\`);
    ${ctx.call('get-customer-agreements', 'template', { typeGiven: true })}const mca = await fetch(\`\${PC_BASE}/v1/customers/\${customerId}/agreements?agreementType=MicrosoftCustomerAgreement\`);
    return [await all.json(), await mca.json()];
  }\n\n`;
      case 8:
        return `  async upgradeStatus(upgradeId${s(': string')}, customerId${s(': string')}) {
    ${ctx.call('get-product-upgrade-status', 'base-url')}const res = await pc.post(\`productUpgrades/\${upgradeId}/status\`, { customerId, productFamily: 'Azure' });
    return res.data;
  }\n\n`;
      case 9:
        return `  async subscriptionsOfMany(ids${s(': string[]')}) {
    ${ctx.call('list-customer-subscriptions', 'base-url', { loop: true })}const pages = await Promise.all(ids.map((id) => pc.get(\`customers/\${id}/subscriptions\`)));
    return pages.flatMap((p) => p.data.items);
  }\n\n`;
      case 10:
        return `  async registration(customerId${s(': string')}, subscriptionId${s(': string')}) {
    ${ctx.call('get-subscription-registration-status', 'template')}const res = await axios.get(\`\${PC_BASE}/v1/customers/\${customerId}/subscriptions/\${subscriptionId}/registrationstatus\`);
    return res.data.status;
  }\n\n`;
      default:
        return `  async order(customerId${s(': string')}, orderId${s(': string')}) {
    ${ctx.call('get-order', 'concat')}const res = await pc.get('customers/' + customerId + '/orders/' + orderId);
    return res.data;
  }\n\n`;
    }
  }
}

