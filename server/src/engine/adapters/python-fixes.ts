/**
 * Quick fixes for Python: wrap a throttled call in the retry helper (`await` calls in the async one), and add
 * the agreement type (`params` dict, query string, `json` body dict).
 */
import type { Node } from 'web-tree-sitter';
import {
  MCA,
  PY_RETRY_HELPER,
  PY_RETRY_HELPER_ASYNC,
  PY_RETRY_IMPORTS,
  pyRetryCall,
  pyRetryHelper,
} from '../../catalog/templates/python';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, nodeAt } from '../fixes';

export function pythonFixes(ctx: FixContext): Fix[] {
  const { finding, tree } = ctx;
  if (!tree || finding.site.kind !== 'http') return [];
  const call = nodeAt(tree, finding.site.span);
  if (call?.type !== 'call') return [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const edit = agreementEdit(ctx, call);
    return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
  }
  const retry = retryFix(ctx, call);
  return retry ? [retry] : [];
}

// ---- retry ---------------------------------------------------------------------------------------

function retryFix(ctx: FixContext, call: Node): Fix | undefined {
  // `async with session.get(url) as r:` is a context manager, not a call to re-run.
  if (call.parent?.type === 'as_pattern' || call.parent?.type === 'with_item') return undefined;
  const awaited = call.parent?.type === 'await' ? call.parent : null;
  const target = chainOf(call);
  const edits: FixEdit[] = [];
  if (awaited) {
    edits.push({ span: { start: awaited.startIndex, end: awaited.endIndex }, newText: `await ${pyRetryCall(ctx.text.slice(call.startIndex, call.endIndex), true)}` });
  } else {
    edits.push({ span: { start: target.startIndex, end: target.endIndex }, newText: pyRetryCall(target.text, false) });
  }
  const hasSync = new RegExp(`def\\s+${PY_RETRY_HELPER}\\b`).test(ctx.text);
  const hasAsync = new RegExp(`def\\s+${PY_RETRY_HELPER_ASYNC}\\b`).test(ctx.text);
  const [syncCode, asyncCode] = pyRetryHelper(true).split('\n\n\n');
  if (!hasSync && !hasAsync) {
    // The whole set: the helper(s) and the delay functions they share.
    edits.push(...insertTopLevel(ctx, pyRetryHelper(!!awaited), awaited ? [...PY_RETRY_IMPORTS, 'asyncio'] : PY_RETRY_IMPORTS));
  } else if (awaited && !hasAsync) {
    edits.push(...insertTopLevel(ctx, asyncCode, ['asyncio']));
  } else if (!awaited && !hasSync) {
    edits.push(...insertTopLevel(ctx, syncCode, ['time']));
  }
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

/** `requests.get(u).json()`: a chained call on the response is outside the retried call. */
function chainOf(call: Node): Node {
  return call;
}

/** The last top-level import (after a module docstring, `from __future__`, imports). */
function lastImport(ctx: FixContext): Node | null {
  let last: Node | null = null;
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'import_statement' || c.type === 'import_from_statement' || c.type === 'future_import_statement') last = c;
    else if (c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string' && !last) continue;
    else break;
  }
  return last;
}

/** The helper code after the imports, and the imports it needs that the file lacks. */
function insertTopLevel(ctx: FixContext, code: string, modules: readonly string[]): FixEdit[] {
  const eol = ctx.source.eol;
  const have = new Set<string>();
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (c?.type !== 'import_statement') continue;
    for (const n of c.namedChildren) if (n?.type === 'dotted_name') have.add(n.text);
  }
  const missing = modules.filter((m) => !have.has(m)).sort();
  const after = lastImport(ctx);
  const importLines = missing.map((m) => `import ${m}`).join(eol);
  // Templates are written in PEP 8's four spaces; `block` re-indents two-space units.
  const block = ctx.source.block(code.replace(/^(?: {4})+/gm, (m) => ' '.repeat(m.length / 2)), '');
  if (after) {
    const first = ctx.tree!.rootNode.namedChildren.find((c) => c?.type === 'import_statement' || c?.type === 'import_from_statement');
    const edits: FixEdit[] = [];
    if (importLines && first) edits.push({ span: { start: first.startIndex, end: first.startIndex }, newText: `${importLines}${eol}` });
    const at = ctx.source.lineEnd(after.endIndex);
    edits.push({ span: { start: at, end: at }, newText: `${eol}${eol}${eol}${block}` });
    return edits;
  }
  return [{ span: { start: 0, end: 0 }, newText: `${importLines ? importLines + eol + eol + eol : ''}${block}${eol}${eol}${eol}` }];
}

// ---- agreement type ----------------------------------------------------------------------------------

function keyword(call: Node, name: string): Node | null {
  for (const a of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === name) return a.childForFieldName('value');
  }
  return null;
}

function quoteOf(ctx: FixContext, dict: Node): string {
  const key = dict.namedChildren.find((c) => c?.type === 'pair')?.childForFieldName('key');
  if (key?.type === 'string') return key.text.endsWith("'") ? "'" : '"';
  return (ctx.text.match(/'/g) ?? []).length > (ctx.text.match(/"/g) ?? []).length ? "'" : '"';
}

/** The dict literal a value is, following a name assigned in the same function. */
function dictOf(ctx: FixContext, node: Node | null): Node | null {
  if (!node) return null;
  if (node.type === 'dictionary') return node;
  if (node.type !== 'identifier') return null;
  let fn: Node | null = node.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'module') fn = fn.parent;
  let found: Node | null = null;
  const visit = (n: Node): void => {
    if (n.startIndex >= node.startIndex) return;
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === node.text) {
      const v = n.childForFieldName('right');
      if (v?.type === 'dictionary') found = v;
    }
    for (const c of n.namedChildren) if (c && c.type !== 'function_definition' && c.type !== 'class_definition') visit(c);
  };
  if (fn) for (const c of fn.namedChildren) if (c) visit(c);
  return found;
}

function insertPair(ctx: FixContext, dict: Node, key: string, value: string): FixEdit {
  const q = quoteOf(ctx, dict);
  const entry = `${q}${key}${q}: ${q}${value}${q}`;
  const members = dict.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = dict.endIndex - 1;
  if (members.length === 0) return { span: { start: dict.startIndex + 1, end: close }, newText: entry };
  const last = members[members.length - 1];
  const after = ctx.text.slice(last.endIndex, close);
  const comma = /^\s*,/.test(after) ? last.endIndex + after.indexOf(',') + 1 : -1;
  if (ctx.text.slice(dict.startIndex, dict.endIndex).includes('\n')) {
    const indent = ctx.source.indentAt(last.startIndex);
    if (comma >= 0) return { span: { start: comma, end: comma }, newText: `${ctx.source.eol}${indent}${entry},` };
    return { span: { start: last.endIndex, end: last.endIndex }, newText: `,${ctx.source.eol}${indent}${entry}` };
  }
  if (comma >= 0) return { span: { start: comma, end: comma }, newText: ` ${entry},` };
  return { span: { start: last.endIndex, end: last.endIndex }, newText: `, ${entry}` };
}

function agreementEdit(ctx: FixContext, call: Node): FixEdit | undefined {
  const { finding } = ctx;
  const site = finding.site;
  if (site.kind !== 'http') return undefined;
  if (finding.requirement === 'type') {
    const body = dictOf(ctx, keyword(call, 'json'));
    return body ? insertPair(ctx, body, 'type', MCA) : undefined;
  }
  const params = dictOf(ctx, keyword(call, 'params'));
  if (params) return insertPair(ctx, params, 'agreementType', MCA);
  if (keyword(call, 'params')) return undefined;
  const urlNode = site.urlSpan && nodeAt(ctx.tree!, site.urlSpan);
  if (!urlNode) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  let last: Node | null = urlNode;
  while (last?.type === 'binary_operator' && last.childForFieldName('operator')?.text === '+') last = last.childForFieldName('right');
  if (last?.type === 'concatenated_string') last = last.namedChildren[last.namedChildren.length - 1] ?? null;
  const end = last?.type === 'string' ? last.namedChildren.find((c) => c?.type === 'string_end') : null;
  if (!end) return undefined;
  return { span: { start: end.startIndex, end: end.startIndex }, newText: `${sep}agreementType=${MCA}` };
}
