/**
 * Quick fixes for Go: wrap a throttled call (or the `Do` that sends a request built with http.NewRequest) in
 * the generic retry helper, query the Activity Log before a per-item `range` loop, and add the agreement type
 * (URL string, url.Values, resty query parameter, map or struct body literal).
 *
 * Imports the inserted code needs are added to the import block (aliased when the name is taken); the code
 * uses each package through its local name.
 */
import type { Node } from 'web-tree-sitter';
import { goHttp } from '../../catalog/idioms/go';
import { operation } from '../../catalog/operations';
import {
  GO_AUDIT_HELPER,
  GO_AUDIT_IMPORTS,
  GO_DEFAULT_NAMES,
  GO_RETRY_HELPER,
  GO_RETRY_IMPORTS,
  GoPackage,
  GoPackageNames,
  goAuditHelper,
  goAuditQuery,
  goRetryCall,
  goRetryHelper,
  goRewindBody,
  MCA,
} from '../../catalog/templates/go';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, freshName, nodeAt, descendants } from '../fixes';
import type { HttpSite } from '../types';

const FUNCTIONS = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const STRINGS = new Set(['interpreted_string_literal', 'raw_string_literal']);
const CLIENT_METHODS = new Set(['Get', 'Head', 'Post', 'PostForm', 'Do']);
const BUILDER_VERBS = new Set(['Get', 'Head', 'Post', 'Put', 'Patch', 'Delete', 'Options']);

export function goFixes(ctx: FixContext): Fix[] {
  const { finding, tree } = ctx;
  if (!tree || finding.site.kind !== 'http') return [];
  const site = finding.site;
  let call = nodeAt(tree, site.call);
  // `return c.Get(u)`: the expression list has the call's span.
  while (call && call.type !== 'call_expression' && call.namedChildCount === 1 && call.namedChildren[0]?.endIndex === call.endIndex) call = call.namedChildren[0];
  if (call?.type !== 'call_expression') return [];
  const out: Fix[] = [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const edits = agreementEdits(ctx, site, call);
    if (edits) out.push({ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits, preferred: true, safe: true });
    return out;
  }
  if (finding.rule === 'pc-throttled-in-loop') {
    const fix = activityLogFix(ctx, site, call);
    if (fix) out.push(fix);
  }
  const retry = retryFix(ctx, call);
  if (retry) out.push(retry);
  return out;
}

// ---- small tree helpers ------------------------------------------------------------------------------

function args(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
}

function enclosingFunction(n: Node): Node | null {
  let p = n.parent;
  while (p && !FUNCTIONS.has(p.type)) p = p.parent;
  return p;
}

function statementOf(n: Node): Node | null {
  let s: Node | null = n;
  while (s?.parent && s.parent.type !== 'statement_list' && s.parent.type !== 'block') s = s.parent;
  return s?.parent ? s : null;
}

function stringContent(n: Node): string {
  return n.text.slice(1, -1);
}


/** The value last given to `name` before `before` in the function (`name := v`, `name, err := v`, `var name = v`, `name = v`). */
function definitionBefore(fn: Node, name: string, before: number): Node | null {
  let found: Node | null = null;
  for (const d of descendants(fn)) {
    if (d.startIndex >= before) continue;
    if (d.type !== 'short_var_declaration' && d.type !== 'assignment_statement' && d.type !== 'var_spec') continue;
    const left = d.type === 'var_spec' ? d.namedChildren.filter((c) => c?.type === 'identifier') : d.childForFieldName('left')?.namedChildren ?? [];
    const right = d.type === 'var_spec' ? d.childForFieldName('value')?.namedChildren ?? [] : d.childForFieldName('right')?.namedChildren ?? [];
    const i = left.findIndex((c) => c?.text === name);
    if (i < 0) continue;
    if (d.type === 'assignment_statement' && d.childForFieldName('operator')?.text !== '=') return null;
    const v = right.length === left.length ? right[i] : right.length === 1 ? right[0] : null;
    if (v) found = v;
  }
  return found;
}

/** The identifier of a `:=`/`=` target the value is given to (`req` in `req, err := http.NewRequest(…)`). */
function assignedName(value: Node): string | undefined {
  const list = value.parent;
  const owner = list?.parent;
  if (list?.type !== 'expression_list' || !owner || !/^(short_var_declaration|assignment_statement)$/.test(owner.type)) return undefined;
  if (owner.childForFieldName('right')?.id !== list.id) return undefined;
  const left = owner.childForFieldName('left')?.namedChildren[0];
  return left?.type === 'identifier' && left.text !== '_' ? left.text : undefined;
}

// ---- imports -----------------------------------------------------------------------------------------

interface ImportSpec {
  path: string;
  name?: string;
  node: Node;
}

function importSpecs(root: Node): ImportSpec[] {
  const out: ImportSpec[] = [];
  for (const decl of root.namedChildren) {
    if (decl?.type !== 'import_declaration') continue;
    for (const d of descendants(decl, 2000)) {
      if (d.type !== 'import_spec') continue;
      const p = d.childForFieldName('path');
      if (p) out.push({ path: stringContent(p), name: d.childForFieldName('name')?.text, node: d });
    }
  }
  return out;
}

function defaultName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/^go-/, '').replace(/[^\w]/g, '');
}

/** The local name of an imported package, if imported with a usable name. */
function localName(specs: ImportSpec[], path: string | RegExp): string | undefined {
  const s = specs.find((i) => (typeof path === 'string' ? i.path === path : path.test(i.path)));
  if (!s || s.name === '_' || s.name === '.') return undefined;
  return s.name ?? defaultName(s.path);
}

/**
 * Local names for the packages the inserted code uses, and the edits that import the missing ones
 * (into the first import group, sorted; a single `import "x"` becomes a group). Undefined: cannot be done well.
 */
function ensureImports(ctx: FixContext, needed: readonly GoPackage[]): { names: GoPackageNames; edits: FixEdit[]; at?: number } | undefined {
  const root = ctx.tree!.rootNode;
  const specs = importSpecs(root);
  const taken = new Set(specs.map((s) => (s.name && s.name !== '_' && s.name !== '.' ? s.name : defaultName(s.path))));
  const names: GoPackageNames = { ...GO_DEFAULT_NAMES };
  const missing: { path: string; alias?: string }[] = [];
  for (const path of needed) {
    const existing = specs.find((s) => s.path === path);
    if (existing) {
      if (existing.name === '_' || existing.name === '.') return undefined;
      names[path] = existing.name ?? defaultName(path);
      continue;
    }
    let name = GO_DEFAULT_NAMES[path];
    let alias: string | undefined;
    if (taken.has(name)) {
      alias = freshName(ctx.text, path === 'math/rand' ? 'mathrand' : `pc${name[0].toUpperCase()}${name.slice(1)}`);
      name = alias;
    }
    taken.add(name);
    names[path] = name;
    missing.push({ path, alias });
  }
  const { eol, indentUnit } = ctx.source;
  const line = (m: { path: string; alias?: string }): string => `${m.alias ? m.alias + ' ' : ''}"${m.path}"`;
  missing.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (missing.length === 0) return { names, edits: [] };
  const decls = root.namedChildren.filter((c): c is Node => c?.type === 'import_declaration');
  const group = decls.map((d) => d.namedChildren.find((c) => c?.type === 'import_spec_list')).find((g): g is Node => !!g);
  if (group) {
    // The first run of specs without a blank line between them (gofmt's standard-library group).
    const first = group.namedChildren.filter((c): c is Node => c?.type === 'import_spec');
    const run: Node[] = [];
    for (const s of first) {
      if (run.length && s.startPosition.row > run[run.length - 1].endPosition.row + 1) break;
      run.push(s);
    }
    const byOffset = new Map<number, string[]>();
    const indent = run.length ? ctx.source.indentAt(run[0].startIndex) : indentUnit;
    for (const m of missing) {
      const next = run.find((s) => stringContent(s.childForFieldName('path')!) > m.path);
      const at = next ? ctx.source.lineStart(next.startIndex) : run.length ? ctx.source.nextLineStart(run[run.length - 1].endIndex) : ctx.source.nextLineStart(group.startIndex);
      byOffset.set(at, [...(byOffset.get(at) ?? []), `${indent}${line(m)}${eol}`]);
    }
    return { names, edits: [...byOffset].map(([at, lines]) => ({ span: { start: at, end: at }, newText: lines.join('') })) };
  }
  if (decls.length) {
    const d = decls[0];
    const spec = d.namedChildren.find((c) => c?.type === 'import_spec');
    if (!spec) return undefined;
    const all = [{ text: spec.text, path: stringContent(spec.childForFieldName('path')!) }, ...missing.map((m) => ({ text: line(m), path: m.path }))];
    all.sort((a, b) => (a.path < b.path ? -1 : 1));
    return { names, edits: [{ span: { start: d.startIndex, end: d.endIndex }, newText: `import (${eol}${all.map((a) => indentUnit + a.text).join(eol)}${eol})` }] };
  }
  const pkg = root.namedChildren.find((c) => c?.type === 'package_clause');
  if (!pkg) return undefined;
  const at = ctx.source.lineEnd(pkg.endIndex);
  return { names, edits: [{ span: { start: at, end: at }, newText: `${eol}${eol}import (${eol}${missing.map((m) => indentUnit + line(m)).join(eol)}${eol})` }], at };
}

/** Inserts top-level declarations after the imports (or the package clause), with the imports they need. */
function insertTopLevel(ctx: FixContext, code: (names: GoPackageNames) => string, needed: readonly GoPackage[]): FixEdit[] | undefined {
  const imports = ensureImports(ctx, needed);
  if (!imports) return undefined;
  const root = ctx.tree!.rootNode;
  const { eol } = ctx.source;
  const decls = root.namedChildren.filter((c): c is Node => c?.type === 'import_declaration');
  const after = decls[decls.length - 1] ?? root.namedChildren.find((c) => c?.type === 'package_clause');
  if (!after) return undefined;
  const at = ctx.source.lineEnd(after.endIndex);
  const block = `${eol}${eol}${ctx.source.block(code(imports.names), '')}`;
  const same = imports.edits.find((e) => e.span.start === at && e.span.end === at);
  if (same) {
    same.newText += block;
    return imports.edits;
  }
  return [...imports.edits, { span: { start: at, end: at }, newText: block }];
}

function hasFunction(text: string, name: string): boolean {
  return new RegExp(`\\bfunc\\s+${name}\\b`).test(text);
}

/** The context to wait on: a `context.Context` parameter of an enclosing function, else `fallback`. */
function contextExpression(ctx: FixContext, at: Node, fallback?: string): string | undefined {
  const specs = importSpecs(ctx.tree!.rootNode);
  const contextName = localName(specs, 'context');
  for (let fn = enclosingFunction(at); fn; fn = enclosingFunction(fn)) {
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') continue;
      const t = p.childForFieldName('type');
      if (contextName && t?.text === `${contextName}.Context`) {
        const name = p.childForFieldName('name');
        if (name && name.text !== '_') return name.text;
      }
    }
  }
  return fallback;
}

// ---- retry ---------------------------------------------------------------------------------------

interface RetryTarget {
  call: Node;
  resultType: string;
  prelude: string[];
}

/** What to re-run, and the type of its first result. */
function retryTargets(ctx: FixContext, call: Node): { targets: RetryTarget[]; request?: string } | undefined {
  const specs = importSpecs(ctx.tree!.rootNode);
  const http = localName(specs, 'net/http');
  const fn = call.childForFieldName('function');
  const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
  const operand = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
  if (!fn || !http) return undefined;
  // http.NewRequest(…): the request is sent later by `client.Do(req)`.
  if (operand?.text === http && /^NewRequest(WithContext)?$/.test(field ?? '')) {
    const name = assignedName(call);
    const scope = enclosingFunction(call);
    if (!name || !scope) return undefined;
    const a = args(call);
    const body = a[field === 'NewRequest' ? 2 : 3];
    const prelude = body && body.text !== 'nil' && body.text !== `${http}.NoBody` ? goRewindBody(name) : [];
    const targets: RetryTarget[] = [];
    for (const d of descendants(scope)) {
      if (d.type !== 'call_expression' || d.startIndex < call.endIndex) continue;
      const f = d.childForFieldName('function');
      if (f?.type !== 'selector_expression' || f.childForFieldName('field')?.text !== 'Do') continue;
      const da = args(d);
      if (da.length !== 1 || da[0].text !== name) continue;
      if (insideRetry(d)) continue;
      targets.push({ call: d, resultType: `*${http}.Response`, prelude });
    }
    return targets.length ? { targets, request: name } : undefined;
  }
  // net/http: http.Get(u), client.Get(u), client.Post(u, type, body).
  if (field && CLIENT_METHODS.has(field) && operand) {
    const resty = localName(specs, goHttp.builderPackages[0]) ?? localName(specs, goHttp.builderPackages[1]);
    if (operand.type === 'call_expression' || /\.R\(\)/.test(operand.text)) {
      // A resty chain (`client.R().SetResult(&out).Get(u)`); imroc/req has no method we read the status with.
      return resty && !localName(specs, goHttp.builderPackages[2]) ? { targets: [{ call, resultType: `*${resty}.Response`, prelude: [] }] } : undefined;
    }
    if (resty && !localName(specs, 'net/http')) return undefined;
    if (resty && isRestyRequest(ctx, operand, resty)) return { targets: [{ call, resultType: `*${resty}.Response`, prelude: [] }] };
    return { targets: [{ call, resultType: `*${http}.Response`, prelude: [] }] };
  }
  // A request helper of the file declared as returning (*http.Response, error).
  const name = field ?? (fn.type === 'identifier' ? fn.text : undefined);
  if (!name) return undefined;
  const decl = ctx.tree!.rootNode.namedChildren.find(
    (c) => (c?.type === 'function_declaration' || c?.type === 'method_declaration') && c.childForFieldName('name')?.text === name,
  );
  const result = decl?.childForFieldName('result');
  const types = result?.type === 'parameter_list' ? result.namedChildren.map((p) => p?.childForFieldName('type')?.text ?? p?.text) : [];
  if (types.length === 2 && types[0] === `*${http}.Response` && types[1] === 'error') return { targets: [{ call, resultType: `*${http}.Response`, prelude: [] }] };
  return undefined;
}

/** A request variable of resty (`req := client.R()`, `var req *resty.Request`). */
function isRestyRequest(ctx: FixContext, operand: Node, resty: string): boolean {
  if (operand.type !== 'identifier') return false;
  const fn = enclosingFunction(operand);
  const def = fn && definitionBefore(fn, operand.text, operand.startIndex);
  if (def && /\.R\(\)/.test(def.text)) return true;
  return new RegExp(`\\b${operand.text}\\s+\\*${resty}\\.Request\\b`).test(ctx.text);
}

function insideRetry(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'call_expression' && p.childForFieldName('function')?.text === GO_RETRY_HELPER) return true;
  }
  return false;
}

function retryFix(ctx: FixContext, call: Node): Fix | undefined {
  const found = retryTargets(ctx, call);
  if (!found) return undefined;
  const edits: FixEdit[] = [];
  let needsContextImport = false;
  for (const t of found.targets) {
    let ctxExpr = contextExpression(ctx, t.call, found.request ? `${found.request}.Context()` : undefined);
    if (!ctxExpr) {
      const name = localName(importSpecs(ctx.tree!.rootNode), 'context') ?? 'context';
      ctxExpr = `${name}.Background()`;
      needsContextImport = true;
    }
    const oneLine = goRetryCall(ctxExpr, t.resultType, t.call.text, t.prelude);
    let newText = oneLine;
    if (oneLine.includes('\n')) {
      // The block form; continuation lines of a multi-line call move one level in, inside the func literal.
      const indent = ctx.source.indentAt(t.call.startIndex);
      const [first, ...rest] = goRetryCall(ctxExpr, t.resultType, '\u0001', t.prelude, true).split('\n');
      const callText = t.call.text.replace(/\r?\n/g, `${ctx.source.eol}${ctx.source.indentUnit}`);
      newText = [first, ...rest.map((l) => ctx.source.block(l, indent))].join(ctx.source.eol).replace('\u0001', () => callText);
    }
    edits.push({ span: { start: t.call.startIndex, end: t.call.endIndex }, newText });
  }
  if (!hasFunction(ctx.text, GO_RETRY_HELPER)) {
    const top = insertTopLevel(ctx, goRetryHelper, needsContextImport ? GO_RETRY_IMPORTS : GO_RETRY_IMPORTS);
    if (!top) return undefined;
    edits.push(...top);
  } else if (needsContextImport) {
    const imports = ensureImports(ctx, ['context']);
    if (!imports) return undefined;
    edits.push(...imports.edits);
  }
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

// ---- Activity Log -----------------------------------------------------------------------------------

/** `(query) => GET <base>/auditrecords?<query>` with the caller's client: the text of the func literal. */
function auditGetter(ctx: FixContext, site: HttpSite, call: Node, http: string): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.text !== 'Get') return undefined;
  const operand = fn.childForFieldName('operand');
  if (!operand || operand.type === 'call_expression') return undefined;
  const a = args(call);
  if (a.length !== 1) return undefined;
  let urlNode: Node | null = a[0];
  const scope = enclosingFunction(call);
  if (urlNode.type === 'identifier' && scope) urlNode = definitionBefore(scope, urlNode.text, call.startIndex);
  const base = urlNode && baseOf(urlNode);
  if (!base) return undefined;
  return `func(query string) (*${http}.Response, error) {\n  return ${operand.text}.Get(${base}"/auditrecords?" + query)\n}`;
}

/** `pcBase + "/customers/" + …` or `fmt.Sprintf("%s/customers/…", pcBase, …)`: the text for `<base> + `. */
function baseOf(url: Node): string | undefined {
  if (url.type === 'binary_expression') {
    let left: Node = url;
    while (left.type === 'binary_expression' && left.childForFieldName('operator')?.text === '+') {
      const l = left.childForFieldName('left');
      if (!l) return undefined;
      left = l;
    }
    const parent = left.parent;
    const right = parent?.childForFieldName('right');
    if (!right || !STRINGS.has(right.type) || !/^\/customers\//i.test(stringContent(right))) return undefined;
    if (STRINGS.has(left.type)) return undefined;
    return `${left.text} + `;
  }
  if (url.type === 'call_expression' && /\.Sprintf$/.test(url.childForFieldName('function')?.text ?? '')) {
    const a = args(url);
    if (a.length < 2 || !STRINGS.has(a[0].type) || !/^%s\/customers\//i.test(stringContent(a[0]))) return undefined;
    return `${a[1].text} + `;
  }
  return undefined;
}

function isSlice(name: Node): boolean {
  for (let fn = enclosingFunction(name); fn; fn = enclosingFunction(fn)) {
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') continue;
      if (p.namedChildren.some((c) => c?.type === 'identifier' && c.text === name.text)) return p.childForFieldName('type')?.type === 'slice_type';
    }
    for (const d of descendants(fn)) {
      if (d.type === 'var_spec' && d.startIndex < name.startIndex && d.namedChildren.some((c) => c?.type === 'identifier' && c.text === name.text)) {
        return d.childForFieldName('type')?.type === 'slice_type';
      }
    }
  }
  return false;
}

function activityLogFix(ctx: FixContext, site: HttpSite, call: Node): Fix | undefined {
  const op = operation(ctx.finding.operation);
  if (!op?.resourceType || op.method !== 'GET' || !site.loop) return undefined;
  const loop = nodeAt(ctx.tree!, site.loop.span);
  if (loop?.type !== 'for_statement') return undefined;
  const range = loop.namedChildren.find((c) => c?.type === 'range_clause');
  const left = range?.childForFieldName('left')?.namedChildren ?? [];
  const right = range?.childForFieldName('right');
  if (!range || !right || right.type !== 'identifier' || left.length !== 2 || left[1]?.type !== 'identifier') return undefined;
  const item = left[1].text;
  // `collection[:0:0]` needs a slice: a parameter or variable declared as one.
  if (!isSlice(right)) return undefined;
  const specs = importSpecs(ctx.tree!.rootNode);
  const http = localName(specs, 'net/http');
  if (!http) return undefined;
  // The customer id in the URL must be a field of the loop variable (`c.ID`).
  const idHole = site.url.find((p) => typeof p !== 'string' && new RegExp(`^${item}\\.\\w+$`).test(p.hole));
  if (!idHole || typeof idHole === 'string') return undefined;
  const getter = auditGetter(ctx, site, call, http);
  if (!getter) return undefined;
  const scope = enclosingFunction(loop);
  if (!scope) return undefined;
  const ctxExpr = contextExpression(ctx, loop);
  const needed: GoPackage[] = [...GO_AUDIT_IMPORTS];
  let ctxText = ctxExpr;
  if (!ctxText) ctxText = `${localName(specs, 'context') ?? 'context'}.Background()`;
  const ids = freshName(scope.text, 'changedCustomerIDs');
  const changed = freshName(scope.text, `changed${right.text[0].toUpperCase()}${right.text.slice(1)}`);
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  const indent = ctx.source.indentAt(loop.startIndex);
  const lineStart = ctx.source.lineStart(loop.startIndex);
  const edits: FixEdit[] = [
    {
      span: { start: lineStart, end: lineStart },
      newText:
        ctx.source.block(goAuditQuery({ ids, changed, ctxExpr: ctxText, getter, resourceType, collection: right.text, item, itemId: idHole.hole }), indent) + ctx.source.eol,
    },
    { span: { start: right.startIndex, end: right.endIndex }, newText: changed },
  ];
  const helpers: ((n: GoPackageNames) => string)[] = [];
  if (!hasFunction(ctx.text, GO_RETRY_HELPER)) {
    helpers.push(goRetryHelper);
    needed.push(...GO_RETRY_IMPORTS);
  }
  if (!hasFunction(ctx.text, GO_AUDIT_HELPER)) helpers.push(goAuditHelper);
  if (helpers.length) {
    const top = insertTopLevel(ctx, (n) => helpers.map((h) => h(n)).join('\n\n'), [...new Set(needed)]);
    if (!top) return undefined;
    edits.push(...top);
  }
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
}

// ---- agreement type ----------------------------------------------------------------------------------

function agreementEdits(ctx: FixContext, site: HttpSite, call: Node): FixEdit[] | undefined {
  const requirement = ctx.finding.requirement;
  const fn = call.childForFieldName('function');
  const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
  const operand = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
  const specs = importSpecs(ctx.tree!.rootNode);
  const isBuilder = !!operand && !!field && BUILDER_VERBS.has(field) && (/\.R\(\)/.test(operand.text) || (operand.type === 'identifier' && isRestyRequest(ctx, operand, localName(specs, goHttp.builderPackages[0]) ?? 'resty')));
  if (requirement === 'type') {
    let bodies: Node[] = [];
    if (isBuilder) {
      for (let n: Node | null = operand; n?.type === 'call_expression'; ) {
        const f = n.childForFieldName('function');
        if (f?.type === 'selector_expression' && goHttp.bodySetters.includes(f.childForFieldName('field')?.text ?? '')) bodies.push(...args(n).slice(0, 1));
        n = f?.type === 'selector_expression' ? f.childForFieldName('operand') : null;
      }
    } else {
      const urlIndex = args(call).findIndex((a) => site.urlSpan && a.startIndex === site.urlSpan.start);
      bodies = args(call).slice(urlIndex + 1);
    }
    for (const b of bodies) {
      const lit = compositeOf(b, 0);
      if (!lit) continue;
      const edit = typeElement(ctx, lit);
      return edit ? [edit] : undefined;
    }
    return undefined;
  }
  if (isBuilder && operand) {
    const verb = fn!.childForFieldName('field')!;
    if (/^[ \t]*$/.test(ctx.text.slice(ctx.source.lineStart(verb.startIndex), verb.startIndex))) {
      // One call per line (`SetResult(&out).` then `Get(u)`): a line of its own.
      const indent = ctx.source.indentAt(verb.startIndex);
      return [{ span: { start: verb.startIndex, end: verb.startIndex }, newText: `SetQueryParam("agreementType", "${MCA}").${ctx.source.eol}${indent}` }];
    }
    return [{ span: { start: operand.endIndex, end: operand.endIndex }, newText: `.SetQueryParam("agreementType", "${MCA}")` }];
  }
  let urlNode = site.urlSpan ? nodeAt(ctx.tree!, site.urlSpan) : null;
  while (urlNode && urlNode.namedChildCount === 1 && urlNode.namedChildren[0]?.startIndex === urlNode.startIndex && urlNode.namedChildren[0]?.endIndex === urlNode.endIndex) urlNode = urlNode.namedChildren[0];
  if (!urlNode) return undefined;
  const scope = enclosingFunction(call);
  // url.Values encoded into the URL or into req.URL.RawQuery: one more Set before it is encoded.
  const values = encodedValues(urlNode, scope, call);
  if (values) {
    const stmt = statementOf(values.encode);
    if (!stmt) return undefined;
    const at = ctx.source.lineStart(stmt.startIndex);
    return [{ span: { start: at, end: at }, newText: `${ctx.source.indentAt(stmt.startIndex)}${values.name}.Set("agreementType", "${MCA}")${ctx.source.eol}` }];
  }
  let expr: Node | null = urlNode;
  if (expr.type === 'identifier' && scope) {
    if (new RegExp(`\\b${expr.text}\\s*\\+=`).test(scope.text)) return undefined;
    expr = definitionBefore(scope, expr.text, call.startIndex);
  }
  const lit = expr && lastLiteral(expr);
  if (!lit) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  return [{ span: { start: lit.endIndex - 1, end: lit.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` }];
}

/** The string literal the URL ends with (`… + "/agreements"`, the format of `fmt.Sprintf("%s/agreements", base)`). */
function lastLiteral(expr: Node): Node | null {
  if (STRINGS.has(expr.type)) return expr;
  if (expr.type === 'parenthesized_expression') return expr.namedChildren[0] ? lastLiteral(expr.namedChildren[0]) : null;
  if (expr.type === 'binary_expression' && expr.childForFieldName('operator')?.text === '+') {
    const r = expr.childForFieldName('right');
    return r && STRINGS.has(r.type) ? r : null;
  }
  if (expr.type === 'call_expression' && /(?:^|\.)Sprintf$/.test(expr.childForFieldName('function')?.text ?? '')) {
    const f = args(expr)[0];
    // The format must end in text (not a verb whose value may already carry a query).
    return f && STRINGS.has(f.type) && !/%\w$/.test(stringContent(f)) ? f : null;
  }
  return null;
}

/** `q.Encode()` in the URL (or its definition) or assigned to `….RawQuery` in the function. */
function encodedValues(urlNode: Node, scope: Node | null, call: Node): { name: string; encode: Node } | undefined {
  const isEncode = (d: Node): string | undefined => {
    if (d.type !== 'call_expression') return undefined;
    const f = d.childForFieldName('function');
    const o = f?.type === 'selector_expression' ? f.childForFieldName('operand') : null;
    return f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Encode' && o?.type === 'identifier' ? o.text : undefined;
  };
  const search: Node[] = [urlNode];
  if (urlNode.type === 'identifier' && scope) {
    const def = definitionBefore(scope, urlNode.text, call.startIndex);
    if (def) search.push(def);
  }
  for (const s of search) {
    for (const d of descendants(s, 500)) {
      const name = isEncode(d);
      if (name) return { name, encode: d };
    }
  }
  if (!scope) return undefined;
  for (const d of descendants(scope)) {
    if (d.type !== 'assignment_statement') continue;
    const l = d.childForFieldName('left')?.namedChildren[0];
    const r = d.childForFieldName('right')?.namedChildren[0];
    if (!l || !r || !/\.RawQuery$/.test(l.text)) continue;
    const name = isEncode(r);
    if (name) return { name, encode: r };
  }
  return undefined;
}

/** The composite literal a body is written as: through `bytes.NewReader(b)`, `json.Marshal(v)`, `&T{…}` and locals. */
function compositeOf(n: Node | null, depth: number): Node | null {
  if (!n || depth > 5) return null;
  if (n.type === 'composite_literal') return n;
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.text === '&') return compositeOf(n.childForFieldName('operand'), depth + 1);
  if (n.type === 'parenthesized_expression') return compositeOf(n.namedChildren[0] ?? null, depth + 1);
  if (n.type === 'call_expression') {
    const f = n.childForFieldName('function')?.text ?? '';
    if (/^(?:\w+\.)?(?:NewReader|NewBuffer|NewBufferString|Marshal|MarshalIndent)$/.test(f)) return compositeOf(args(n)[0] ?? null, depth + 1);
    return null;
  }
  if (n.type === 'identifier') {
    const scope = enclosingFunction(n);
    return scope ? compositeOf(definitionBefore(scope, n.text, n.startIndex), depth + 1) : null;
  }
  return null;
}

/** `"type": "MicrosoftCustomerAgreement"` in a map literal, `Type: "…"` in a struct literal of the file. */
function typeElement(ctx: FixContext, lit: Node): FixEdit | undefined {
  const type = lit.childForFieldName('type');
  const body = lit.childForFieldName('body');
  if (!type || !body) return undefined;
  let key: string | undefined;
  if (type.type === 'map_type') {
    const k = type.childForFieldName('key')?.text;
    const v = type.childForFieldName('value')?.text;
    if (k !== 'string' || !/^(?:string|any|interface\s*\{\s*\})$/.test(v ?? '')) return undefined;
    key = '"type"';
  } else if (type.type === 'type_identifier') {
    key = structTypeField(ctx, type.text);
  }
  if (!key) return undefined;
  return insertElement(ctx, body, key, `"${MCA}"`);
}

/** The string field of a struct type declared in the file that is marshalled as `type`. */
function structTypeField(ctx: FixContext, name: string): string | undefined {
  for (const d of descendants(ctx.tree!.rootNode, 50000)) {
    if (d.type !== 'type_spec' || d.childForFieldName('name')?.text !== name) continue;
    const st = d.childForFieldName('type');
    if (st?.type !== 'struct_type') return undefined;
    for (const f of descendants(st, 2000)) {
      if (f.type !== 'field_declaration') continue;
      const fieldName = f.childForFieldName('name')?.text;
      const fieldType = f.childForFieldName('type')?.text;
      const tag = f.childForFieldName('tag')?.text ?? '';
      const json = /json:"([^",]*)/.exec(tag)?.[1];
      if (fieldName && fieldType === 'string' && (json === 'type' || (json === undefined && fieldName === 'Type'))) return fieldName;
    }
    return undefined;
  }
  return undefined;
}

/** Adds `key: value` to a literal's elements, following its layout (gofmt's alignment and trailing comma). */
function insertElement(ctx: FixContext, body: Node, key: string, value: string): FixEdit {
  const elements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  if (elements.length === 0) return { span: { start: body.startIndex + 1, end: body.endIndex - 1 }, newText: `${key}: ${value}` };
  const last = elements[elements.length - 1];
  const multiline = ctx.text.slice(body.startIndex, body.endIndex).includes('\n');
  if (!multiline) return { span: { start: last.endIndex, end: last.endIndex }, newText: `, ${key}: ${value}` };
  const lastValue = last.childForFieldName('value');
  const column = lastValue && last.type === 'keyed_element' ? lastValue.startIndex - last.startIndex : key.length + 2;
  const pad = ' '.repeat(Math.max(1, column - key.length - 1));
  const after = ctx.text.slice(last.endIndex, body.endIndex - 1);
  const comma = after.indexOf(',');
  const at = comma >= 0 ? last.endIndex + comma + 1 : last.endIndex;
  return { span: { start: at, end: at }, newText: `${comma >= 0 ? '' : ','}${ctx.source.eol}${ctx.source.indentAt(last.startIndex)}${key}:${pad}${value},` };
}
