/**
 * Suppression comments, in the file's own comment syntax:
 *   pc-advisor-disable-next-line [rule[, rule…]] [-- reason]
 *   pc-advisor-disable-line [rule…]       (on the line itself)
 *   pc-advisor-disable-file [rule…]
 * Without a rule they apply to every rule. Only real comments count: the same text in a string does not.
 */
import type { RuleId } from '../catalog/rules';

const DIRECTIVE = /pc-advisor-disable-(next-line|line|file)\b([^\n\r]*)/g;

export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

function parseRules(rest: string): Set<string> | 'all' {
  const beforeReason = rest.split(/\s--\s|\s--$|\*\/|-->/)[0];
  const ids = beforeReason.split(/[\s,]+/).filter((s) => /^pc-[a-z-]+$/.test(s));
  return ids.length ? new Set(ids) : 'all';
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  if (!a) return b;
  return new Set([...a, ...b]);
}

/**
 * @param isComment whether the offset is inside a comment (the adapter's tree decides)
 * @param lineOf 0-based line of an offset
 */
export function findSuppressions(
  text: string,
  isComment: (offset: number) => boolean,
  lineOf: (offset: number) => number,
): Suppressions {
  const result: Suppressions = { file: undefined, lines: new Map() };
  if (!text.includes('pc-advisor-disable')) return result;
  DIRECTIVE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIRECTIVE.exec(text)) !== null) {
    if (!isComment(m.index)) continue;
    const rules = parseRules(m[2]);
    if (m[1] === 'file') {
      result.file = merge(result.file, rules);
    } else {
      const line = lineOf(m.index) + (m[1] === 'next-line' ? 1 : 0);
      result.lines.set(line, merge(result.lines.get(line), rules));
    }
  }
  return result;
}

export function isSuppressed(s: Suppressions, rule: RuleId, line: number): boolean {
  const f = s.file;
  if (f === 'all' || f?.has(rule)) return true;
  const l = s.lines.get(line);
  return l === 'all' || !!l?.has(rule);
}
