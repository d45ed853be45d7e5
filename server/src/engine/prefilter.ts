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

/** The file test's expression (the benchmark's read floor runs the same test). */
export const FILE_GATE_PATTERN: RegExp = FILE_GATE;

const ANCHOR_RE = new RegExp(ANCHOR_WORDS.map(escapeRegExp).join('|'), 'gi');

/** The anchor expression (for the regex-safety test). */
export const ANCHOR_PATTERN: RegExp = ANCHOR_RE;

export function mayMatter(text: string): boolean {
  return FILE_GATE.test(text);
}

export function anchors(text: string): number[] {
  return anchorsIn(text, 0, []);
}

/** Appends to `out` the anchors of `part`, a part of the text that starts at `offset`. */
function anchorsIn(part: string, offset: number, out: number[]): number[] {
  ANCHOR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ANCHOR_RE.exec(part)) !== null) out.push(offset + m.index);
  return out;
}

/** The characters of the anchor words, in either case (ASCII: the search is case-insensitive without `u`). */
const WORD_CHARS = new Set([...ANCHOR_WORDS.join('')].flatMap((c) => [c.toLowerCase(), c.toUpperCase()]).map((c) => c.charCodeAt(0)));

/**
 * The anchors of `text` after an edit ([start, oldEnd) of the previous text became [start, newEnd)), from the
 * previous text's anchors. An anchor lies in a run of word characters and the search goes from left to right, so
 * which anchors a run holds depends on that run only: only the runs the edit touched are searched again; the
 * anchors before them are kept, the ones after moved.
 */
export function anchorsAfterEdit(previous: readonly number[], text: string, change: { start: number; oldEnd: number; newEnd: number }): number[] {
  let from = Math.min(change.start, text.length);
  while (from > 0 && WORD_CHARS.has(text.charCodeAt(from - 1))) from--;
  let to = Math.min(change.newEnd, text.length);
  while (to < text.length && WORD_CHARS.has(text.charCodeAt(to))) to++;
  const delta = change.newEnd - change.oldEnd;
  const out: number[] = [];
  let i = 0;
  while (i < previous.length && previous[i] < from) out.push(previous[i++]);
  // The part searched starts and ends between runs, so it holds whole anchors only.
  anchorsIn(text.slice(from, to), from, out);
  while (i < previous.length && previous[i] < to - delta) i++;
  for (; i < previous.length; i++) out.push(previous[i] + delta);
  return out;
}

export const PREFILTER_WORDS: readonly string[] = ANCHOR_WORDS;
