/**
 * Markdown tables built from the catalog, for the README (scripts/readme.ts writes them between markers and
 * a unit test checks that the README is current).
 */
import { docUrl, OPERATIONS, Operation } from './operations';
import { RULES } from './rules';
import { SNIPPET_SETS } from './templates';
import { FIX_CATALOG, fixTitle } from './text';

function sdkForm(op: Operation): string {
  if (!op.sdk?.length) return '—';
  return op.sdk.map((c) => `\`${c}\``).join('<br>');
}

function cmdletForm(op: Operation): string {
  if (!op.cmdlets?.length) return '—';
  return op.cmdlets
    .map((c) => {
      const withs = (c.with ?? []).map((p) => ` -${p}`).join('');
      const withouts = (c.without ?? []).map((p) => ` (without -${p})`).join('');
      return `\`${c.name}${withs}\`${withouts}`;
    })
    .join('<br>');
}

export function rulesTable(): string {
  const rows = RULES.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${r.title.en} | ${r.description.en} | [docs](${docUrl(r.doc)}) |`,
  );
  return ['| Rule | Default | Title | What it means | Page |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function operationsTable(): string {
  const rows = OPERATIONS.map(
    (o) =>
      `| \`${o.slug}\` | ${o.throttled ? 'throttled' : 'agreement type'} | \`${o.method} ${o.path}\` | ${sdkForm(o)} | ${cmdletForm(o)} | [${o.doc}](${docUrl(o.doc)}) |`,
  );
  return [
    '| Operation | Rule family | REST | .NET / Java SDK chain (normalised) | PowerShell | Page |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Replaces the text between `<!-- BEGIN name -->` and `<!-- END name -->`. */
export function replaceSection(doc: string, name: string, body: string): string {
  const begin = `<!-- BEGIN ${name} -->`;
  const end = `<!-- END ${name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README has no ${name} section markers`);
  return `${doc.slice(0, i + begin.length)}\n${body}\n${doc.slice(j)}`;
}

export function fixesTable(): string {
  const rows = FIX_CATALOG.map(
    (f) =>
      `| ${fixTitle(f.kind, 'en', { rule: 'the rule', library: f.kind === 'retry-library' ? 'Polly / tenacity' : '' }).replace(/: $/, '')} | ${f.rules.map((r) => `\`${r}\``).join(' ')} | ${f.safe ? 'yes' : 'no'} | ${f.does} |`,
  );
  return ['| Quick fix | Offered on | Fix-all | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

export function snippetsTable(): string {
  const rows: string[] = [];
  const byPrefix = new Map<string, { description: string; languages: string[] }>();
  for (const set of SNIPPET_SETS) {
    for (const spec of set.specs) {
      const entry = byPrefix.get(spec.prefix) ?? { description: spec.description, languages: [] };
      for (const l of set.languages) if (!entry.languages.includes(l)) entry.languages.push(l);
      byPrefix.set(spec.prefix, entry);
    }
  }
  for (const [prefix, e] of byPrefix) rows.push(`| \`${prefix}\` | ${e.description} | ${e.languages.join(', ')} |`);
  return ['| Prefix | Inserts | Languages |', '|---|---|---|', ...rows].join('\n');
}

export const README_SECTIONS: Record<string, () => string> = {
  rules: rulesTable,
  operations: operationsTable,
  fixes: fixesTable,
  snippets: snippetsTable,
};
