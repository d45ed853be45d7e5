/**
 * Markdown tables built from the catalog, for the README (scripts/readme.ts writes them between markers and
 * a unit test checks that the README is current).
 */
import manifest from '../../../package.json';
import nls from '../../../package.nls.json';
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
      `| ${fixTitle(f.kind, 'en', { rule: 'the rule', library: f.kind === 'retry-library' ? 'Polly / tenacity' : '' }).replace(/: $/, '')} | ${f.rules.map((r) => `\`${r}\``).join(' ')} | ${f.safe ? 'yes' : 'no'} | ${f.languages} | ${f.does} |`,
  );
  return ['| Quick fix | Offered on | Fix-all | Languages | What it does |', '|---|---|---|---|---|', ...rows].join('\n');
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

/** A manifest string: `%key%` looked up in package.nls.json (the English texts). */
function nlsText(s: string | undefined): string {
  if (!s) return '';
  const m = /^%(.+)%$/.exec(s);
  const text = m ? (nls as Record<string, string>)[m[1]] ?? s : s;
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}

interface ManifestSetting {
  type?: string | string[];
  default?: unknown;
  enum?: string[];
  description?: string;
  markdownDescription?: string;
}

/** The settings table, from package.json `contributes.configuration` and package.nls.json. */
export function settingsTable(): string {
  const props = manifest.contributes.configuration.properties as Record<string, ManifestSetting>;
  const rows = Object.entries(props).map(([key, p]) => {
    const type = Array.isArray(p.type) ? p.type.join(' \\| ') : p.type ?? '';
    const values = p.enum ? ` (${p.enum.map((e) => `\`${e}\``).join(', ')})` : '';
    return `| \`${key}\` | ${type}${values} | \`${JSON.stringify(p.default)}\` | ${nlsText(p.markdownDescription ?? p.description)} |`;
  });
  return ['| Setting | Type | Default | Description |', '|---|---|---|---|', ...rows].join('\n');
}

/** The commands table, from package.json `contributes.commands` (those shown in the Command Palette). */
export function commandsTable(): string {
  const hidden = new Set(
    (manifest.contributes.menus?.commandPalette ?? []).filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command),
  );
  const rows = manifest.contributes.commands
    .filter((c: { command: string }) => !hidden.has(c.command))
    .map((c: { command: string; title: string; category?: string }) => `| ${nlsText(c.category)}: ${nlsText(c.title)} | \`${c.command}\` |`);
  return ['| Command | Id |', '|---|---|', ...rows].join('\n');
}

export const README_SECTIONS: Record<string, () => string> = {
  rules: rulesTable,
  operations: operationsTable,
  fixes: fixesTable,
  snippets: snippetsTable,
  settings: settingsTable,
  commands: commandsTable,
};
