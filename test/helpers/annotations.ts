/**
 * Fixture annotations, in the Semgrep convention: a comment on its own line that targets the next line
 * that is not itself an annotation.
 *   // ruleid: pc-throttled-endpoint list-customer-subscriptions   a finding of that rule and operation
 *   // ok: pc-throttled-endpoint                                   no finding of that rule
 * Any comment marker works (`//`, `#`, `--`, `<#`).
 */
export interface Annotation {
  kind: 'ruleid' | 'ok';
  rule: string;
  operation?: string;
  /** 0-based line the annotation is about. */
  line: number;
  /** 0-based line of the annotation itself. */
  at: number;
}

const ANNOTATION = /^\s*(?:\/\/|#|--|<#|\/\*)\s*(ruleid|ok):\s*(pc-[a-z-]+)(?:\s+([a-z0-9-]+))?/;

export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: Annotation[] = [];
  const pending: Omit<Annotation, 'line'>[] = [];
  lines.forEach((l, i) => {
    const m = ANNOTATION.exec(l);
    if (m) {
      pending.push({ kind: m[1] as 'ruleid' | 'ok', rule: m[2], operation: m[3], at: i });
      return;
    }
    for (const p of pending) out.push({ ...p, line: i });
    pending.length = 0;
  });
  return out;
}
