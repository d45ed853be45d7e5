/**
 * Markdown tables built from the catalog, for the README (scripts/readme.ts writes them between markers and
 * a unit test checks that the README is current).
 */
import { docUrl, OPERATIONS, Operation } from './operations';
import { RULES } from './rules';

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

export const README_SECTIONS: Record<string, () => string> = {
  rules: rulesTable,
  operations: operationsTable,
};
