/**
 * The text prefilter, derived from the catalog. Two levels:
 *  - `mayMatter(text)`: one cheap test per file; a file without any of these words has no call site and is
 *    neither parsed nor analysed (most files of a workspace);
 *  - `anchors(text)`: the offsets where adapters start looking (strings holding a path word, SDK member
 *    names, cmdlet names). Analysis cost follows the number of anchors, not the size of the file.
 */
import { OBJECT_REQUIREMENTS, OPERATIONS } from '../catalog/operations';
import { escapeRegExp } from './adapters/base';

/** Normalised SDK steps that say nothing on their own. */
const GENERIC_STEPS = new Set(['get', 'byid', 'patch', 'byorder', 'bypartner', 'bybillingcycletype', 'v1', 'status']);

function anchorWords(): string[] {
  const words = new Set<string>();
  for (const op of OPERATIONS) {
    for (const seg of op.path.split('/')) {
      if (seg && !seg.startsWith('{') && !GENERIC_STEPS.has(seg.toLowerCase())) words.add(seg.toLowerCase());
    }
    for (const chain of op.sdk ?? []) {
      for (const step of chain.split('.')) if (!GENERIC_STEPS.has(step)) words.add(step);
    }
    for (const c of op.cmdlets ?? []) words.add(c.name.toLowerCase());
  }
  for (const o of OBJECT_REQUIREMENTS) words.add(o.type.toLowerCase());
  // Longest first so that alternation prefers `agreementdetails` over `agreement`.
  return [...words].sort((a, b) => b.length - a.length);
}

const ANCHOR_WORDS = anchorWords();

/**
 * Words of which at least one is in every file with a call site: REST paths start with `customers`,
 * `productUpgrades` or `agreements`; full SDK chains start with `Customers`, `ProductUpgrades` or
 * `AgreementDetails`; chains whose root is a parameter need the SDK's namespace (`PartnerCenter`) in the
 * file; cmdlets are `*-PartnerCustomer*`, `*-PartnerProductUpgrade*`, `*-PartnerAgreement*`.
 */
const FILE_GATE = /customer|productupgrade|agreement|partnercenter|aggregatepartner/i;

const ANCHOR_RE = new RegExp(ANCHOR_WORDS.map(escapeRegExp).join('|'), 'gi');

/** The anchor expression (for the regex-safety test). */
export const ANCHOR_PATTERN: RegExp = ANCHOR_RE;

export function mayMatter(text: string): boolean {
  return FILE_GATE.test(text);
}

export function anchors(text: string): number[] {
  const out: number[] = [];
  ANCHOR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ANCHOR_RE.exec(text)) !== null) out.push(m.index);
  return out;
}

export const PREFILTER_WORDS: readonly string[] = ANCHOR_WORDS;
