/**
 * Quick fixes for Python: wrap a throttled call in the retry helper or in tenacity (`await` calls in the async
 * variants), query the Activity Log before a per-item loop or comprehension and iterate only the items that
 * changed, and add the agreement type (`params` dict, query string, `json` body dict).
 *
 * Helpers are inserted after the imports, each definition once per file, with the imports they need: into the
 * standard-library and third-party groups in sorted place, aliased when the module's name is taken.
 */
import type { Node } from 'web-tree-sitter';
import { operation } from '../../catalog/operations';
import {
  MCA,
  PY_AUDIT_HELPER,
  PY_AUDIT_HELPER_ASYNC,
  PY_RETRY_HELPER,
  PY_RETRY_HELPER_ASYNC,
  PY_TENACITY_HELPER,
  PY_TENACITY_HELPER_ASYNC,
  PY_DEFS,
  PyDef,
  pyAuditGetter,
  pyAuditQuery,
  pyDefsCode,
  pyDefsFor,
  pyRetryCall,
  pyTenacityCall,
} from '../../catalog/templates/python';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, freshName, nodeAt, customerIdInUrl } from '../fixes';
import type { HttpSite } from '../types';

/** Columns a line the fixes write may use (black's 88 would wrap most request lines; PEP 8 allows teams 99). */
const MAX_LINE = 99;

export function pythonFixes(ctx: FixContext): Fix[] {
  const { finding, tree } = ctx;
  if (!tree || finding.site.kind !== 'http') return [];
  const site = finding.site;
  const call = nodeWithin(nodeAt(tree, site.span), (n) => n.type === 'call');
  if (!call) return [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const edit = agreementEdit(ctx, call);
    return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
  }
  const out: Fix[] = [];
  if (finding.rule === 'pc-throttled-in-loop') {
    let fix; try { fix = activityLogFix(ctx, site, call); } catch (e) { console.error("DBG", e); }
    if (fix) out.push(fix);
  }
  // A call in a loop that a retry already covers needs the Activity Log, not another retry.
  if (!site.guard) {
    const retry = retryFix(ctx, call, 'retry');
    if (retry) out.push(retry);
    const tenacity = retryFix(ctx, call, 'retry-library');
    if (tenacity) out.push(tenacity);
  }
  return out;
}

// ---- tree helpers ------------------------------------------------------------------------------------

function enclosingFunction(n: Node): Node | null {
  let p = n.parent;
  while (p && p.type !== 'function_definition') {
    if (p.type === 'lambda' || p.type === 'class_definition') return null;
    p = p.parent;
  }
  return p;
}

function isAsyncFunction(fn: Node | null): boolean {
  return !!fn && fn.children.some((c) => c?.type === 'async');
}

/** `async with <call> as x:`: the call is the context manager of an async with statement. */
function inAsyncWith(call: Node): boolean {
  let p = call.parent;
  while (p && (p.type === 'as_pattern' || p.type === 'with_item' || p.type === 'with_clause')) p = p.parent;
  return p?.type === 'with_statement' && p.children.some((c) => c?.type === 'async');
}

/**
 * `node`, or the node of the same span below it that `test` accepts (nodeAt gives the outermost: the block
 * a lone statement fills, the expression statement around a call).
 */
function nodeWithin(node: Node | null, test: (n: Node) => boolean): Node | null {
  let n = node;
  while (n && !test(n)) n = n.namedChildren.find((c): c is Node => !!c && c.startIndex === n!.startIndex && c.endIndex === n!.endIndex) ?? null;
  return n;
}

/** A multi-line expression (inside brackets) on one line. */
function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line, i) => (i ? line.trimStart() : line).trimEnd())
    .join(' ');
}

function wordRe(name: string): RegExp {
  return new RegExp(`(?<![\\w.])${name}(?!\\w)`);
}

// ---- retry ---------------------------------------------------------------------------------------

function retryFix(ctx: FixContext, call: Node, kind: 'retry' | 'retry-library'): Fix | undefined {
  // `async with session.get(url) as r:` is a context manager, not a call to re-run.
  if (call.parent?.type === 'as_pattern' || call.parent?.type === 'with_item') return undefined;
  const awaited = call.parent?.type === 'await' ? call.parent : null;
  const library = kind === 'retry-library';
  const wrap = library ? pyTenacityCall : pyRetryCall;
  const text = ctx.text.slice(call.startIndex, call.endIndex);
  const edits: FixEdit[] = [
    awaited
      ? { span: { start: awaited.startIndex, end: awaited.endIndex }, newText: `await ${wrap(text, true)}` }
      : { span: { start: call.startIndex, end: call.endIndex }, newText: wrap(text, false) },
  ];
  const helper = library ? (awaited ? PY_TENACITY_HELPER_ASYNC : PY_TENACITY_HELPER) : awaited ? PY_RETRY_HELPER_ASYNC : PY_RETRY_HELPER;
  const top = insertDefinitions(ctx, [helper]);
  if (!top) return undefined;
  edits.push(...top);
  const title = library ? fixTitle('retry-library', ctx.lang, { library: 'tenacity' }) : fixTitle('retry', ctx.lang);
  return { kind, title, edits };
}

// ---- imports and top-level definitions ----------------------------------------------------------------

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement']);

/** Modules of the standard library the helpers import, and common ones that tell a group is the stdlib group. */
const STDLIB = new Set(
  (
    'abc argparse asyncio base64 collections concurrent contextlib copy csv dataclasses datetime decimal email enum ' +
    'functools glob hashlib http importlib inspect io itertools json logging math multiprocessing operator os ' +
    'pathlib pickle platform pprint queue random re shutil signal socket sqlite3 string subprocess sys tempfile ' +
    'textwrap threading time traceback types typing unittest urllib uuid warnings xml zipfile'
  ).split(' '),
);

function topModule(name: string): string {
  return name.split('.')[0];
}

/** The module an import statement names first (`os` in `import os, sys`, `urllib.parse` in `from urllib.parse import x`). */
function importedModule(stmt: Node): string | undefined {
  if (stmt.type === 'import_from_statement') {
    const m = stmt.childForFieldName('module_name');
    return m?.type === 'relative_import' ? '.' : m?.text;
  }
  const first = stmt.namedChildren.find((c) => c?.type === 'dotted_name' || c?.type === 'aliased_import');
  return first?.type === 'aliased_import' ? first.childForFieldName('name')?.text : first?.text;
}

/** The leading import statements of the module, in runs without a blank line or other code between them. */
function importGroups(ctx: FixContext): Node[][] {
  const groups: Node[][] = [];
  let current: Node[] = [];
  let seenCode = false;
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'future_import_statement') continue;
    if (IMPORT_TYPES.has(c.type)) {
      if (seenCode) break;
      const prev = current[current.length - 1];
      if (prev && c.startPosition.row > prev.endPosition.row + 1) {
        groups.push(current);
        current = [];
      }
      current.push(c);
      continue;
    }
    if (c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string' && !groups.length && !current.length) continue;
    seenCode = true;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Where code goes that must come before everything but comments, the docstring and `from __future__`. */
function codeStart(ctx: FixContext): number {
  let at = 0;
  let statements = 0;
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (!c) continue;
    const docstring = c.type === 'expression_statement' && c.namedChildren[0]?.type === 'string' && statements === 0;
    if (c.type !== 'comment') statements++;
    if (c.type === 'comment' || c.type === 'future_import_statement' || docstring) {
      at = ctx.source.nextLineStart(c.endIndex);
      continue;
    }
    return ctx.source.lineStart(c.startIndex);
  }
  return at;
}

/** Names bound at module level by anything but `import <module>` (a from-import, an alias, an assignment, a def). */
function boundNames(ctx: FixContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (!c) continue;
    const stmt = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if (!stmt) continue;
    if (stmt.type === 'import_from_statement') {
      for (const n of stmt.childrenForFieldName('name')) {
        if (!n) continue;
        const local = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : n.text;
        if (local) out.set(local, 'from');
      }
    } else if (stmt.type === 'import_statement') {
      for (const n of stmt.namedChildren) {
        if (n?.type !== 'aliased_import') continue;
        const alias = n.childForFieldName('alias')?.text;
        const module = n.childForFieldName('name')?.text;
        if (alias && module) out.set(alias, `as:${module}`);
      }
    } else if (stmt.type === 'function_definition' || stmt.type === 'class_definition') {
      const name = stmt.childForFieldName('name')?.text;
      if (name) out.set(name, 'def');
    } else if (stmt.type === 'expression_statement') {
      const a = stmt.namedChildren[0];
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : null;
      for (const n of left?.type === 'identifier' ? [left] : left?.namedChildren ?? []) if (n?.type === 'identifier') out.set(n.text, 'assign');
    }
  }
  return out;
}

/** `import m` statements of the module (exact dotted names). */
function plainImports(ctx: FixContext): Set<string> {
  const have = new Set<string>();
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (c?.type !== 'import_statement') continue;
    for (const n of c.namedChildren) if (n?.type === 'dotted_name') have.add(n.text);
  }
  return have;
}

/** Is `name` defined at module level (`def name`, `async def name`, `name = …`)? */
function hasDefinition(ctx: FixContext, name: string): boolean {
  return new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${name}\\b|^${name}[ \\t]*=`, 'm').test(ctx.text);
}

class Insertions {
  private readonly at = new Map<number, string[]>();
  add(offset: number, text: string): void {
    this.at.set(offset, [...(this.at.get(offset) ?? []), text]);
  }
  edits(): FixEdit[] {
    return [...this.at].map(([offset, texts]) => ({ span: { start: offset, end: offset }, newText: texts.join('') }));
  }
}

/**
 * Imports `modules` (stdlib ones into the first stdlib group, others into the third-party group, in sorted place;
 * a new group when there is none). Returns the local name of each module (an alias when its name is taken).
 */
function ensureImports(ctx: FixContext, modules: readonly string[], ins: Insertions): Map<string, string> {
  const { eol } = ctx.source;
  const names = new Map<string, string>();
  const have = plainImports(ctx);
  const bound = boundNames(ctx);
  const missing: { module: string; line: string }[] = [];
  for (const module of modules) {
    const aliasOf = [...bound].find(([, how]) => how === `as:${module}`);
    const top = topModule(module);
    if (have.has(module) && !bound.has(top)) {
      names.set(module, module);
    } else if (aliasOf) {
      names.set(module, aliasOf[0]);
    } else if (bound.has(top)) {
      const alias = freshName(ctx.text, module === 'datetime' ? 'dt' : `${module.replace(/\./g, '_')}_module`);
      names.set(module, alias);
      missing.push({ module, line: `import ${module} as ${alias}` });
    } else {
      names.set(module, module);
      missing.push({ module, line: `import ${module}` });
    }
  }
  if (!missing.length) return names;
  const groups = importGroups(ctx);
  const isStd = (g: Node[]): boolean => g.some((s) => STDLIB.has(topModule(importedModule(s) ?? '')));
  const isThirdParty = (g: Node[]): boolean => !isStd(g) && g.every((s) => importedModule(s) !== '.');
  const stdIndex = groups.findIndex(isStd);
  const thirdIndex = groups.findIndex((g, i) => i > stdIndex && isThirdParty(g));
  let newStdGroup = false;
  for (const wantStd of [true, false]) {
    const lines = missing.filter((m) => STDLIB.has(topModule(m.module)) === wantStd).sort((a, b) => (a.module < b.module ? -1 : 1));
    if (!lines.length) continue;
    const group = groups[wantStd ? stdIndex : thirdIndex];
    if (group) {
      // Among the group's `import x` lines (isort puts them before the `from x import` ones).
      const plain = group.filter((s) => s.type === 'import_statement');
      for (const m of lines) {
        const next = plain.find((s) => (importedModule(s) ?? '') > m.module);
        const after = plain[plain.length - 1];
        if (next) ins.add(ctx.source.lineStart(next.startIndex), `${m.line}${eol}`);
        else if (after) ins.add(ctx.source.lineEnd(after.endIndex), `${eol}${m.line}`);
        else ins.add(ctx.source.lineStart(group[0].startIndex), `${m.line}${eol}`);
      }
      continue;
    }
    const block = lines.map((m) => m.line).join(eol);
    // A new group: stdlib first of all imports; third-party after the stdlib group (else first).
    const before = wantStd ? groups[0] : groups[stdIndex + 1];
    const afterGroup = wantStd ? undefined : groups[stdIndex];
    if (afterGroup) ins.add(ctx.source.lineEnd(afterGroup[afterGroup.length - 1].endIndex), `${eol}${eol}${block}`);
    else if (before) ins.add(ctx.source.lineStart(before[0].startIndex), `${block}${eol}${eol}`);
    else ins.add(codeStart(ctx), `${wantStd ? '' : newStdGroup ? eol : ''}${block}${eol}`);
    if (wantStd) newStdGroup = true;
  }
  return names;
}

/** The code of definitions with modules referred to by their local names. */
function localise(code: string, names: Map<string, string>): string {
  let out = code;
  for (const [module, local] of names) {
    if (module !== local) out = out.replace(new RegExp(`(?<![\\w.])${module.replace(/\./g, '\\.')}\\.`, 'g'), `${local}.`);
  }
  return out;
}

/** The module-level statement that defines `name` (a def, maybe decorated, or an assignment). */
function definitionNode(ctx: FixContext, name: string): Node | undefined {
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (!c) continue;
    const d = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
    if ((d?.type === 'function_definition' || d?.type === 'class_definition') && d.childForFieldName('name')?.text === name) return c;
    const a = d?.type === 'expression_statement' ? d.namedChildren[0] : null;
    if (a?.type === 'assignment' && a.childForFieldName('left')?.text === name) return c;
  }
  return undefined;
}

/**
 * Edits that add the definitions `roots` need and the file lacks, with their imports: after the helper
 * definition that comes before them in the template order when the file has one, else after the imports
 * (two blank lines around, as PEP 8 has them). Empty when everything is there.
 */
function insertDefinitions(ctx: FixContext, roots: readonly string[]): FixEdit[] | undefined {
  const { defs, imports } = pyDefsFor(roots, (name) => hasDefinition(ctx, name));
  if (!defs.length) return [];
  const ins = new Insertions();
  const names = ensureImports(ctx, imports, ins);
  const byAnchor = new Map<Node | undefined, PyDef[]>();
  for (const d of defs) {
    let anchor: Node | undefined;
    for (let i = PY_DEFS.findIndex((x) => x.name === d.name) - 1; i >= 0 && !anchor; i--) anchor = definitionNode(ctx, PY_DEFS[i].name);
    byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), d]);
  }
  for (const [anchor, group] of byAnchor) {
    const code = localise(pyDefsCode(group), names);
    if (anchor) {
      const block = ctx.source.block(code.replace(/^(?: {4})+/gm, (m) => ' '.repeat(m.length / 2)), '');
      const { eol } = ctx.source;
      ins.add(ctx.source.lineEnd(anchor.endIndex), `${eol}${eol}${eol}${block}`);
    } else insertCode(ctx, code, ins, imports.length > 0);
  }
  return ins.edits();
}

function insertCode(ctx: FixContext, code: string, ins: Insertions, addedImports: boolean): void {
  const { eol } = ctx.source;
  // Templates are written in PEP 8's four spaces; `block` re-indents two-space units.
  const block = ctx.source.block(code.replace(/^(?: {4})+/gm, (m) => ' '.repeat(m.length / 2)), '');
  const groups = importGroups(ctx);
  const lastGroup = groups[groups.length - 1];
  const last = lastGroup?.[lastGroup.length - 1];
  if (last) {
    const at = ctx.source.lineEnd(last.endIndex);
    // Blank lines between the imports and the code after them: two after the helpers.
    const rest = ctx.text.slice(at);
    const blank = (/^(?:[ \t]*\r?\n)*/.exec(rest)![0].match(/\n/g) ?? []).length - 1;
    const tail = rest.trim() ? eol.repeat(Math.max(0, 2 - Math.max(0, blank))) : '';
    ins.add(at, `${eol}${eol}${eol}${block}${tail}`);
    return;
  }
  const at = codeStart(ctx);
  const lead = addedImports ? `${eol}${eol}` : '';
  ins.add(at, `${lead}${block}${eol}${eol}${eol}`);
}

// ---- Activity Log -----------------------------------------------------------------------------------

interface LoopShape {
  /** The statement the query goes before. */
  statement: Node;
  /** The iterated collection, replaced by the filtered one. */
  iterable: Node;
  /** The loop target as written, and as an expression. */
  target: string;
  element: string;
  /** The names the target binds. */
  names: string[];
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
/** What may stand between a comprehension and its statement: nothing evaluated conditionally or lazily. */
const PASS_THROUGH = new Set([
  'argument_list',
  'call',
  'parenthesized_expression',
  'await',
  'expression_statement',
  'assignment',
  'augmented_assignment',
  'return_statement',
  'keyword_argument',
  'list_splat',
  'expression_list',
  'attribute',
]);

function targetOf(left: Node | null): { target: string; element: string; names: string[] } | undefined {
  if (!left) return undefined;
  if (left.type === 'identifier') return { target: left.text, element: left.text, names: [left.text] };
  if (left.type !== 'pattern_list' && left.type !== 'tuple_pattern') return undefined;
  const parts = left.namedChildren.filter((c): c is Node => !!c);
  if (!parts.length || parts.some((p) => p.type !== 'identifier') || left.text.includes('\n')) return undefined;
  return { target: left.text, element: left.type === 'pattern_list' ? `(${left.text})` : left.text, names: parts.map((p) => p.text) };
}

function loopShape(loop: Node): LoopShape | undefined {
  if (loop.type === 'for_statement') {
    if (loop.children.some((c) => c?.type === 'async')) return undefined;
    const t = targetOf(loop.childForFieldName('left'));
    const iterable = loop.childForFieldName('right');
    if (!t || !iterable || !/^(block|module)$/.test(loop.parent?.type ?? '')) return undefined;
    return { statement: loop, iterable, ...t };
  }
  if (COMPREHENSIONS.has(loop.type)) {
    const clauses = loop.namedChildren.filter((c) => c?.type === 'for_in_clause');
    if (clauses.length !== 1 || clauses[0]!.children.some((c) => c?.type === 'async')) return undefined;
    const clause = clauses[0]!;
    const t = targetOf(clause.childForFieldName('left'));
    const iterable = clause.childForFieldName('right');
    if (!t || !iterable) return undefined;
    let n: Node = loop;
    while (n.parent && !/^(block|module)$/.test(n.parent.type)) {
      const p: Node = n.parent;
      const ok = PASS_THROUGH.has(p.type) || (p.type === 'for_statement' && p.childForFieldName('right')?.id === n.id);
      if (!ok) return undefined;
      n = p;
    }
    if (!n.parent) return undefined;
    return { statement: n, iterable, ...t };
  }
  return undefined;
}

const RESOURCE_SEGMENTS: Record<string, string> = {
  subscriptions: 'subscription',
  orders: 'order',
  transfers: 'transfer',
};

/**
 * Does the loop also request another kind of resource (`/orders` next to `/subscriptions`)? Filtering the
 * loop on the changes of one resource type would then skip items whose other resources changed.
 */
function otherResources(loop: Node, resourceType: string): boolean {
  const stack: Node[] = [loop];
  for (let seen = 0; stack.length && seen < 20000; seen++) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      for (const m of n.text.matchAll(/\/(subscriptions|orders|transfers)\b/gi)) if (RESOURCE_SEGMENTS[m[1].toLowerCase()] !== resourceType) return true;
      continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return false;
}


/** The value last assigned to `name` before `before`, in the function (or module) around it. */
function assignedBefore(scope: Node, name: string, before: number): Node | null {
  let found: Node | null = null;
  const visit = (n: Node): void => {
    if (n.startIndex >= before) return;
    if (n.type === 'assignment' && n.childForFieldName('left')?.text === name && n.endIndex <= before) found = n.childForFieldName('right');
    for (const c of n.namedChildren) if (c && c.type !== 'function_definition' && c.type !== 'class_definition' && c.type !== 'lambda') visit(c);
  };
  for (const c of (scope.type === 'function_definition' ? scope.childForFieldName('body') : scope)?.namedChildren ?? []) if (c) visit(c);
  return found;
}

/** `<base>/auditrecords` written like the URL (`f"{BASE}/customers/{c['id']}/orders"` -> `f"{BASE}/auditrecords"`). */
function auditUrl(ctx: FixContext, url: Node, names: string[]): string | undefined {
  const m = /customers\//i.exec(url.text);
  if (!m) return undefined;
  const at = url.startIndex + m.index;
  let str: Node | null = ctx.tree!.rootNode.descendantForIndex(at, at + m[0].length);
  while (str && str.type !== 'string') str = str.parent;
  if (!str || str.startIndex < url.startIndex) return undefined;
  // Only `+` and adjacent literals between the string and the URL expression: the prefix is then an expression.
  for (let p = str.id === url.id ? null : str.parent; p && p.id !== url.id; p = p.parent) {
    if (!(p.type === 'concatenated_string' || (p.type === 'binary_operator' && p.childForFieldName('operator')?.text === '+'))) return undefined;
    if (p.endIndex > url.endIndex) return undefined;
  }
  const start = str.namedChildren.find((c) => c?.type === 'string_start');
  const end = str.namedChildren.find((c) => c?.type === 'string_end');
  if (!start || !end) return undefined;
  let prefix = ctx.text.slice(url.startIndex, at);
  if (names.some((n) => wordRe(n).test(prefix))) return undefined;
  // An f-string left without a placeholder loses its `f`.
  const kept = ctx.text.slice(start.endIndex, at);
  if (/f/i.test(start.text) && !kept.includes('{')) {
    const offset = start.startIndex - url.startIndex;
    prefix = prefix.slice(0, offset) + start.text.replace(/f/i, '') + prefix.slice(offset + start.text.length);
  }
  return `${prefix}auditrecords${end.text}`;
}

/** `session.get(<base>/auditrecords, params=params, <the call's other keyword arguments>)`. */
function auditRequest(ctx: FixContext, site: HttpSite, call: Node, shape: LoopShape): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'get') return undefined;
  const receiver = fn.childForFieldName('object');
  if (!receiver || shape.names.some((n) => wordRe(n).test(receiver.text))) return undefined;
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
  const kept: string[] = [];
  let urlArg: Node | undefined;
  for (const a of args) {
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name === 'url') urlArg = value ?? undefined;
      else if (name !== 'params' && !shape.names.some((n) => wordRe(n).test(a.text))) kept.push(a.text);
    } else if (!urlArg && a.type !== 'list_splat' && a.type !== 'dictionary_splat') urlArg = a;
    else return undefined;
  }
  if (!urlArg || !site.urlSpan || urlArg.startIndex !== site.urlSpan.start) return undefined;
  let url: Node | null = urlArg;
  if (url.type === 'identifier') {
    const scope = enclosingFunction(call) ?? ctx.tree!.rootNode;
    url = assignedBefore(scope, url.text, call.startIndex);
  }
  const newUrl = url && auditUrl(ctx, url, shape.names);
  if (!newUrl) return undefined;
  const request = `${fn.text}(${[newUrl, 'params=params', ...kept].join(', ')})`;
  if (/"""|'''/.test(request)) return undefined;
  return oneLine(request).replace(/,\s*\)$/, ')');
}

function activityLogFix(ctx: FixContext, site: HttpSite, call: Node): Fix | undefined {
  const op = operation(ctx.finding.operation);
  if (!op?.resourceType || op.method !== 'GET' || !site.loop) return undefined;
  const loop = nodeWithin(nodeAt(ctx.tree!, site.loop.span), (n) => n.type === 'for_statement' || COMPREHENSIONS.has(n.type));
  const shape = loop && loopShape(loop);
  if (!shape || otherResources(loop!, op.resourceType)) return undefined;
  const itemId = customerIdInUrl(site);
  if (!itemId || !shape.names.some((n) => wordRe(n).test(itemId)) || itemId.includes('\n')) return undefined;
  // Awaited requests (httpx.AsyncClient, `async with session.get(…)` of aiohttp) get the async helper.
  const isAsync = call.parent?.type === 'await' || inAsyncWith(call);
  const fn = enclosingFunction(shape.statement);
  if (isAsync && !isAsyncFunction(fn)) return undefined;
  const request = auditRequest(ctx, site, call, shape);
  if (!request) return undefined;
  const { source } = ctx;
  const indent = source.indentAt(shape.statement.startIndex);
  if (ctx.text.slice(source.lineStart(shape.statement.startIndex), shape.statement.startIndex).trim()) return undefined;
  // Before the comments right above the loop, which are about it.
  let first = shape.statement;
  for (let c = first.previousSibling; c?.type === 'comment' && c.endPosition.row === first.startPosition.row - 1 && source.indentAt(c.startIndex) === indent; c = c.previousSibling) {
    if (ctx.text.slice(source.lineStart(c.startIndex), c.startIndex).trim()) break;
    first = c;
  }
  const lineStart = source.lineStart(first.startIndex);
  const scopeText = (fn ?? ctx.tree!.rootNode).text;
  const iterable = shape.iterable;
  const base =
    iterable.type === 'identifier'
      ? iterable.text
      : iterable.type === 'attribute'
        ? iterable.childForFieldName('attribute')?.text ?? 'items'
        : shape.names.length === 1
          ? `${shape.names[0]}s`
          : 'items';
  let changed = freshName(scopeText, `changed_${base.replace(/^_+/, '')}`);
  let ids = freshName(scopeText, 'changed_customer_ids');
  if (changed === ids) ids = freshName(scopeText, 'changed_ids');
  if (changed === ids) changed = freshName(scopeText + ` ${ids}`, changed);
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  // Width in the file's indentation: the template's four spaces become one indent unit each.
  const width = MAX_LINE - indent.replace(/\t/g, '    ').length;
  const code = pyAuditQuery({
    ids,
    changed,
    getter: pyAuditGetter(request),
    resourceType,
    isAsync,
    target: shape.target,
    element: shape.element,
    iterable: oneLine(iterable.text),
    itemId,
    width,
  });
  const edits: FixEdit[] = [
    { span: { start: lineStart, end: lineStart }, newText: source.block(code.replace(/^(?: {4})+/gm, (m) => ' '.repeat(m.length / 2)), indent) + source.eol },
    { span: { start: iterable.startIndex, end: iterable.endIndex }, newText: changed },
  ];
  const top = insertDefinitions(ctx, [isAsync ? PY_AUDIT_HELPER_ASYNC : PY_AUDIT_HELPER]);
  if (!top) return undefined;
  edits.push(...top);
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
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
