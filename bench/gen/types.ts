/**
 * What the corpus generator's language modules share: the vocabulary, the per-file context they write with,
 * and the record of every Partner Center call they plant (so that the bench can say what each tool found).
 */
import type { OperationSlug } from '../../server/src/catalog/operations';
import type { RuleId } from '../../server/src/catalog/rules';
import type { LanguageKey } from '../../server/src/engine/types';
import { Rng } from './random';

/** How a planted call writes its URL or names its operation (the peer comparison counts by idiom). */
export type Idiom =
  | 'template' // one template literal / f-string / interpolated string holding the whole path
  | 'concat' // pieces joined with +
  | 'variable' // the URL built on one line, used on another
  | 'format' // a format call: String.format, fmt.Sprintf, -f, %, .format, string.Format
  | 'base-url' // a client whose base URL holds the host and /v1
  | 'sdk' // .NET / Java SDK chain
  | 'cmdlet' // PartnerCenter PowerShell module
  | 'request'; // a REST Client request line

/** A planted Partner Center call: what the engine should say about it (null: nothing, e.g. covered by a retry). */
export interface PlantedCall {
  /** 1-based line of the call's first line. */
  line: number;
  op: OperationSlug;
  rule: RuleId | null;
  idiom: Idiom;
}

export type FileKind = 'plain' | 'lookalike' | 'partner';

/** Words the engine's file gate looks for: plain files must not contain them (they are skipped unparsed). */
export const GATE_WORDS = /customer|productupgrade|agreement|partnercenter|aggregatepartner/i;

/** Domain nouns of ordinary code (none of them is a gate word). */
export const NOUNS = [
  'invoice', 'shipment', 'warehouse', 'inventory', 'product', 'cart', 'payment', 'ledger', 'report', 'account',
  'tenant', 'catalog', 'price', 'discount', 'coupon', 'refund', 'notification', 'session', 'region', 'vendor',
  'supplier', 'employee', 'project', 'ticket', 'document', 'asset', 'device', 'metric', 'schedule', 'budget',
  'quote', 'campaign', 'reservation', 'delivery', 'payout', 'voucher', 'license', 'workspace', 'webhook', 'upload',
] as const;

/** Nouns of look-alike code: commerce words that share Partner Center's path segments. */
export const LOOK_NOUNS = ['customer', 'order', 'subscription', 'plan', 'charge', 'invoice', 'transfer'] as const;

export const STATUSES = ['pending', 'active', 'suspended', 'cancelled', 'failed', 'completed', 'archived'];
export const FIELDS = ['name', 'status', 'createdAt', 'updatedAt', 'amount', 'currency', 'region', 'owner', 'tags', 'quantity', 'notes', 'version'];

export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
export const camel = (...parts: string[]): string => parts.map((p, i) => (i === 0 ? p : cap(p))).join('');
export const pascal = (...parts: string[]): string => parts.map(cap).join('');
export const snake = (...parts: string[]): string => parts.map((p) => p.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()).join('_');
export const kebab = (...parts: string[]): string => snake(...parts).replace(/_/g, '-');
export const plural = (s: string): string => (s.endsWith('y') && !/[aeiou]y$/.test(s) ? `${s.slice(0, -1)}ies` : s.endsWith('s') ? `${s}es` : `${s}s`);

/** The Partner Center base URL as code spells it. */
export const PC_HOST = 'https://api.partnercenter.microsoft.com';

/** Marker that a template puts at the start of a planted call's line; the builder turns it into a line number. */
const MARK = '\u0001';
const MARK_RE = /\u0001(\d+)\u0001/g;

/** Per-file state handed to every template. */
export class Ctx {
  private readonly pending: Omit<PlantedCall, 'line'>[] = [];

  constructor(
    readonly rng: Rng,
    readonly language: LanguageKey,
    /** The file's domain noun (its service, class and table names come from it). */
    readonly noun: string,
    readonly kind: FileKind,
  ) {}

  pick<T>(items: readonly T[]): T {
    return this.rng.pick(items);
  }

  int(lo: number, hi: number): number {
    return this.rng.int(lo, hi);
  }

  chance(p: number): boolean {
    return this.rng.chance(p);
  }

  /** Another noun than the file's own. */
  other(): string {
    let n = this.pick(NOUNS);
    if (n === this.noun) n = this.pick(NOUNS);
    return n;
  }

  field(): string {
    return this.pick(FIELDS);
  }

  status(): string {
    return this.pick(STATUSES);
  }

  /**
   * Records a planted call and returns the marker to put at the start of its line. The expected rule follows
   * the README: per-item loops win over retries; a retry covers a single throttled call; agreement calls are
   * flagged when the agreement type is missing.
   */
  call(op: OperationSlug, idiom: Idiom, how: { loop?: boolean; retry?: boolean; typeGiven?: boolean } = {}): string {
    const agreement = op === 'get-customer-agreements' || op === 'get-agreement-metadata' || op === 'create-customer-agreement';
    const rule: RuleId | null = agreement
      ? how.typeGiven
        ? null
        : 'pc-missing-agreement-type'
      : how.loop
        ? 'pc-throttled-in-loop'
        : how.retry
          ? null
          : 'pc-throttled-endpoint';
    this.pending.push({ op, rule, idiom });
    return `${MARK}${this.pending.length - 1}${MARK}`;
  }

  /** Removes the markers from a finished file and returns the planted calls with their lines. */
  finish(text: string): { text: string; calls: PlantedCall[] } {
    const calls: PlantedCall[] = [];
    let line = 1;
    let last = 0;
    const out = text.replace(MARK_RE, (_m, idx: string, offset: number) => {
      for (let i = last; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
      last = offset;
      calls.push({ ...this.pending[Number(idx)], line });
      return '';
    });
    return { text: out, calls };
  }
}

/** One language of the corpus: file names, and the parts a file is assembled from. */
export interface LanguageGen {
  readonly language: LanguageKey;
  /** Folder and file name for a file about `noun` (relative, '/'-separated, without the project folder). */
  fileName(ctx: Ctx, test: boolean): string;
  /** Imports, namespace, class opening…; `partner` files set up their Partner Center client here. */
  header(ctx: Ctx, test: boolean): string;
  /** One member (method, function, test, request) of ordinary code. */
  plain(ctx: Ctx, test: boolean): string;
  /** One member of look-alike code: other hosts, other /v1/ APIs, commerce words. */
  lookalike(ctx: Ctx): string;
  /** One member that calls Partner Center (uses `ctx.call` to mark each call). */
  partner(ctx: Ctx): string;
  footer(ctx: Ctx, test: boolean): string;
}
