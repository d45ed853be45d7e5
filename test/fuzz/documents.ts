/**
 * Generated and mutated documents for property-based tests (fast-check): the fixtures of every language,
 * randomly edited, truncated, given unbalanced quotes and brackets, huge literals, unicode (surrogate pairs,
 * RTL marks, combining marks) and mixed line endings.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';

export interface Seed {
  file: string;
  text: string;
}

const ROOTS = [path.join(__dirname, '..', 'fixtures'), path.join(__dirname, '..', 'fixes')];

export function seeds(): Seed[] {
  const out: Seed[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.md')) out.push({ file: p, text: fs.readFileSync(p, 'utf8') });
    }
  };
  ROOTS.forEach(walk);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

const NASTY = [
  '"', "'", '`', '{', '}', '(', ')', '[', ']', '${', '$(', '@"', '"""', "'''", '/*', '*/', '<#', '#>', '//', '#',
  '\\', '\u202E', '\u200F', '\u2066', '\uD83D\uDE00', '\uD800', '\uDC00', 'e\u0301', '\u0000', '\r', '\r\n', '\n',
  '/v1/customers/', '/subscriptions', 'https://api.partnercenter.microsoft.com/v1', '{0}', '%s', '{}', '?agreementType=',
  'Customers.ById(x).', 'getCustomers().', 'Get-PartnerCustomerSubscription -CustomerId $c ', 'for (', 'foreach (', 'while ',
];

const piece = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

export type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge'; at: number; size: number }
  | { kind: 'eol'; style: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: piece }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 1000, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('eol' as const), style: fc.nat(3) }) },
);

export function mutate(text: string, mutations: readonly Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = t.length ? m.kind === 'eol' ? 0 : (m as { at: number }).at % (t.length + 1) : 0;
    switch (m.kind) {
      case 'insert':
        t = t.slice(0, at) + m.text + t.slice(at);
        break;
      case 'delete':
        t = t.slice(0, at) + t.slice(at + m.length);
        break;
      case 'truncate':
        t = t.slice(0, at);
        break;
      case 'huge':
        t = t.slice(0, at) + '"' + 'x/v1/customers/'.repeat(Math.ceil(m.size / 15)).slice(0, m.size) + '"' + t.slice(at);
        break;
      case 'eol': {
        const styles = ['\n', '\r\n', '\r'];
        if (m.style === 3) t = t.replace(/\r\n|\r|\n/g, (_x, i: number) => styles[i % 3]);
        else t = t.replace(/\r\n|\r|\n/g, styles[m.style]);
        break;
      }
    }
  }
  return t;
}

export function documents(all: Seed[]): fc.Arbitrary<{ file: string; text: string }> {
  return fc
    .record({ seed: fc.constantFrom(...all), mutations: fc.array(mutation, { minLength: 0, maxLength: 8 }) })
    .map(({ seed, mutations }) => ({ file: seed.file, text: mutate(seed.text, mutations) }));
}

/** Independent line splitting, to check the engine's positions (UTF-16 code units, \n, \r\n and \r). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') {
      starts.push(i + 2);
      i++;
    } else if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}
