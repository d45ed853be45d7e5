/**
 * SDK chains: the .NET and Java Partner Center SDKs share one fluent shape, so both are matched against
 * the catalog's chains after normalising each step:
 *   `Customers`, `getCustomers()`      -> customers
 *   `ById(c)`, `byId(c)`, `Customers[c]` -> byid (an indexer is written as the step `byid`)
 *   `Get()`, `GetAsync()`, `get()`     -> get
 *   `GetAzurePlanSubscriptionEntitlements()` -> azureplansubscriptionentitlements
 */
import { OPERATIONS, Operation } from '../catalog/operations';

export function normaliseStep(name: string): string {
  let n = name;
  if (n.length > 5 && n.endsWith('Async')) n = n.slice(0, -5);
  if (/^get[A-Z]/.test(n)) n = n.slice(3);
  else if (/^Get[A-Z]/.test(n) && n !== 'Get') n = n.slice(3);
  return n.toLowerCase();
}

const GENERIC = new Set(['get', 'byid', 'patch', 'create', 'checkstatus']);

interface CompiledChain {
  op: Operation;
  steps: string[];
}

const CHAINS: CompiledChain[] = OPERATIONS.flatMap((op) => (op.sdk ?? []).map((c) => ({ op, steps: c.split('.') })));

/**
 * Operations whose chain the steps end with. When the chain's root could not be resolved (a parameter,
 * a field), the steps may be only the tail of a catalog chain: that counts when the file shows it uses
 * the SDK (`sdkEvidence`) and the tail starts with a distinctive step (`AddOns`, not `ById`).
 */
export function matchChain(steps: readonly string[], sdkEvidence: boolean): Operation[] {
  const out: Operation[] = [];
  for (const c of CHAINS) {
    if (endsWith(steps, c.steps)) {
      out.push(c.op);
    } else if (
      sdkEvidence &&
      steps.length >= 2 &&
      steps.length < c.steps.length &&
      !GENERIC.has(steps[0]) &&
      endsWith(c.steps, steps)
    ) {
      out.push(c.op);
    }
  }
  return out;
}

function endsWith(a: readonly string[], suffix: readonly string[]): boolean {
  if (suffix.length > a.length) return false;
  const off = a.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (a[off + i] !== suffix[i]) return false;
  return true;
}
