/**
 * Quick fixes for C#: wrap a throttled call in the retry helper (async or sync, as the call is) or in a Polly
 * v8 ResiliencePipeline field; query the Activity Log once before a per-customer loop and iterate only over
 * the customers that changed; add the agreement type (`.ByAgreementType(…)` in an SDK chain, `Type = …` in
 * `new Agreement { … }`, `type` in an anonymous request body, `agreementType=` in the query).
 */
import type { Node } from 'web-tree-sitter';
import { csharpIdioms } from '../../catalog/idioms/csharp';
import { operation } from '../../catalog/operations';
import {
  CS_AUDIT_HELPER,
  CS_AUDIT_HELPER_SYNC,
  CS_POLLY_PIPELINE,
  CS_RETRY_HELPER,
  CS_RETRY_HELPER_SYNC,
  CS_RETRY_USINGS,
  CsAuditRetry,
  MCA,
  csAuditHelperHttp,
  csAuditHelperSdk,
  csAuditQuery,
  csAuditUsings,
  csChangedFilter,
  csChangedList,
  csPollyCall,
  csPollyPipeline,
  csPollyUsings,
  csRetryCall,
  csRetryHelpers,
} from '../../catalog/templates/csharp';
import { fixTitle } from '../../catalog/text';
import type { HttpSite, SdkSite, Span } from '../types';
import { Fix, FixContext, FixEdit, freshName, nodeAt as outermostAt, descendants, customerIdInUrl } from '../fixes';

/** The node at a span, looking through `argument` wrappers (which have the same span as their value). */
function nodeAt(tree: NonNullable<FixContext['tree']>, span: Span): Node | null {
  let n = outermostAt(tree, span);
  while (n?.type === 'argument' && n.namedChildren.length > 0) n = n.namedChildren[n.namedChildren.length - 1];
  return n;
}

export function csharpFixes(ctx: FixContext): Fix[] {
  const { finding, tree } = ctx;
  if (!tree) return [];
  const out: Fix[] = [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const edit = agreementEdit(ctx);
    if (edit) out.push({ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true });
  } else {
    if (finding.rule === 'pc-throttled-in-loop') {
      const log = activityLogFix(ctx);
      if (log) out.push(log);
    }
    const retry = retryFix(ctx);
    if (retry) out.push(retry);
    const polly = pollyFix(ctx);
    if (polly) out.push(polly);
  }
  return out;
}

// ---- retry ---------------------------------------------------------------------------------------

/**
 * The call a retry re-runs. Not a request object (`new HttpRequestMessage(…)`): building it again does not send
 * it, and a sent HttpRequestMessage cannot be sent twice.
 */
function retryTarget(ctx: FixContext): Node | null {
  const whole = nodeAt(ctx.tree!, ctx.finding.site.call);
  return whole && whole.type !== 'object_creation_expression' ? whole : null;
}

function retryFix(ctx: FixContext): Fix | undefined {
  const whole = retryTarget(ctx);
  if (!whole) return undefined;
  const cls = enclosing(whole, /^(?:class|struct|record)_declaration$/);
  const body = cls?.childForFieldName('body');
  if (!cls || !body) return undefined;
  let edit: FixEdit;
  if (whole.type === 'await_expression') {
    // `await X.ConfigureAwait(false)` -> `await Helper(() => X).ConfigureAwait(false)`.
    let inner: Node | null = whole.namedChildren[whole.namedChildren.length - 1] ?? null;
    let suffix = '';
    if (inner?.type === 'invocation_expression') {
      const fn = inner.childForFieldName('function');
      if (fn?.type === 'member_access_expression' && fn.childForFieldName('name')?.text === 'ConfigureAwait') {
        suffix = ctx.text.slice(fn.childForFieldName('expression')!.endIndex, inner.endIndex);
        inner = fn.childForFieldName('expression');
      }
    }
    if (!inner) return undefined;
    edit = { span: { start: inner.startIndex, end: inner.endIndex + suffix.length }, newText: `${csRetryCall(inner.text, true)}${suffix}` };
  } else {
    // A sync SDK call (`….Get()`): the synchronous helper. Returned tasks (`return x.GetAsync();`) are wrapped
    // with the async helper, which returns the same Task<T>.
    const async = /Async$/.test(calledName(whole));
    edit = { span: { start: whole.startIndex, end: whole.endIndex }, newText: csRetryCall(whole.text, async) };
  }
  const edits = [edit];
  if (!new RegExp(`\\b${CS_RETRY_HELPER}\\s*<\\s*T\\s*>\\s*\\(`).test(ctx.text)) {
    edits.push(insertMembers(ctx, body, csRetryHelpers()));
    edits.push(...asArray(missingUsings(ctx, CS_RETRY_USINGS)));
  }
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

function asArray<T>(x: T | T[] | undefined): T[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function calledName(call: Node): string {
  const fn = call.type === 'invocation_expression' ? call.childForFieldName('function') : null;
  const name = fn?.type === 'member_access_expression' ? fn.childForFieldName('name') : fn;
  return name?.type === 'generic_name' ? name.namedChildren[0]?.text ?? '' : name?.text ?? '';
}

/** Inserts members at the end of a class body, indented one level deeper than the class. */
function insertMembers(ctx: FixContext, body: Node, code: string): FixEdit {
  const close = body.endIndex - 1;
  const classIndent = ctx.source.indentAt(close);
  const memberIndent = classIndent + ctx.source.indentUnit;
  const block = ctx.source.block(code, memberIndent);
  const lineStart = ctx.source.lineStart(close);
  const onOwnLine = ctx.text.slice(lineStart, close).trim() === '';
  const at = onOwnLine ? lineStart : close;
  const eol = ctx.source.eol;
  return { span: { start: at, end: at }, newText: onOwnLine ? `${eol}${block}${eol}` : `${eol}${block}${eol}${classIndent}` };
}

/** `System` namespaces first, then ordinal: the order of Visual Studio's "Sort Usings". */
function usingOrder(a: string, b: string): number {
  const sys = (n: string) => (n === 'System' || n.startsWith('System.') ? 0 : 1);
  return sys(a) - sys(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * `using` directives the inserted code needs: each in its sorted place when the file's usings are sorted
 * (System first), else after the last one (or at the top).
 */
function missingUsings(ctx: FixContext, namespaces: readonly string[]): FixEdit | FixEdit[] | undefined {
  const plain: { name: string; node: Node }[] = [];
  const have = new Set<string>();
  let last: Node | null = null;
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (c?.type !== 'using_directive') continue;
    const name = c.text.replace(/^global\s+/, '').replace(/^using\s+/, '').replace(/;\s*$/, '').trim();
    have.add(name);
    if (!/[=\s]/.test(name) && !c.text.startsWith('global')) plain.push({ name, node: c });
    last = c;
  }
  const missing = [...new Set(namespaces.filter((n) => !have.has(n)))].sort(usingOrder);
  if (missing.length === 0) return undefined;
  const eol = ctx.source.eol;
  if (!last) return { span: { start: 0, end: 0 }, newText: `${missing.map((n) => `using ${n};`).join(eol)}${eol}${eol}` };
  const sorted = plain.every((u, i) => i === 0 || usingOrder(plain[i - 1].name, u.name) <= 0);
  if (!sorted || plain.length === 0) {
    const at = ctx.source.lineEnd(last.endIndex);
    return { span: { start: at, end: at }, newText: missing.map((n) => `${eol}using ${n};`).join('') };
  }
  const byOffset = new Map<number, string>();
  for (const n of missing) {
    const next = plain.find((u) => usingOrder(n, u.name) < 0);
    const at = next ? ctx.source.lineStart(next.node.startIndex) : ctx.source.nextLineStart(plain[plain.length - 1].node.endIndex);
    const indent = ctx.source.indentAt((next ?? plain[plain.length - 1]).node.startIndex);
    const atEnd = !next && at === ctx.source.lineEnd(plain[plain.length - 1].node.endIndex);
    byOffset.set(at, (byOffset.get(at) ?? '') + (atEnd ? `${eol}${indent}using ${n};` : `${indent}using ${n};${eol}`));
  }
  return [...byOffset].map(([at, text]) => ({ span: { start: at, end: at }, newText: text }));
}

// ---- agreement type ----------------------------------------------------------------------------------

function agreementEdit(ctx: FixContext): FixEdit | undefined {
  const { finding, tree } = ctx;
  const site = finding.site;
  if (site.kind === 'sdk') {
    // `….Agreements.Get()` -> `….Agreements.ByAgreementType("MicrosoftCustomerAgreement").Get()`
    const call = nodeAt(tree!, site.span);
    const fn = call?.type === 'invocation_expression' ? call.childForFieldName('function') : null;
    const receiver = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
    if (!receiver) return undefined;
    return { span: { start: receiver.endIndex, end: receiver.endIndex }, newText: `.ByAgreementType("${MCA}")` };
  }
  if (site.kind === 'object') {
    const creation = nodeAt(tree!, site.call);
    if (creation?.type !== 'object_creation_expression') return undefined;
    const init = creation.childForFieldName('initializer');
    if (init) return insertInitializerMember(ctx, init, `Type = "${MCA}"`);
    return { span: { start: creation.endIndex, end: creation.endIndex }, newText: ` { Type = "${MCA}" }` };
  }
  if (site.kind !== 'http') return undefined;
  if (finding.requirement === 'type') {
    const call = nodeAt(tree!, site.span);
    const args = call?.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a?.type === 'argument') ?? [];
    const body = args[1]?.namedChildren[0];
    const anon = body && resolveAnonymous(ctx, body);
    return anon ? insertInitializerMember(ctx, anon, `type = "${MCA}"`) : undefined;
  }
  // The query: inside the URL's last string, before its closing quote.
  const urlNode = site.urlSpan && nodeAt(tree!, site.urlSpan);
  if (!urlNode) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  let last: Node | null = urlNode;
  for (;;) {
    if (last?.type === 'binary_expression') last = last.childForFieldName('right');
    else if (last?.type === 'object_creation_expression') last = last.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type === 'argument').pop()?.namedChildren[0] ?? null;
    else break;
  }
  if (last && /^(?:string_literal|interpolated_string_expression|verbatim_string_literal)$/.test(last.type) && ctx.text[last.endIndex - 1] === '"') {
    return { span: { start: last.endIndex - 1, end: last.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` };
  }
  return undefined;
}

function resolveAnonymous(ctx: FixContext, node: Node): Node | null {
  if (node.type === 'anonymous_object_creation_expression') return node;
  if (node.type === 'identifier') {
    // `var body = new { … };` in the same method.
    const method = enclosing(node, /^(?:method_declaration|local_function_statement|constructor_declaration)$/);
    const scope = method ?? ctx.tree!.rootNode;
    const re = new RegExp(`\\b${node.text}\\s*=\\s*new\\s*\\{`, 'g');
    const text = ctx.text.slice(scope.startIndex, node.startIndex);
    let m: RegExpExecArray | null;
    let at = -1;
    while ((m = re.exec(text)) !== null) at = scope.startIndex + m.index + m[0].length - 1;
    if (at < 0) return null;
    let n: Node | null = ctx.tree!.rootNode.descendantForIndex(at, at);
    while (n && n.type !== 'anonymous_object_creation_expression') n = n.parent;
    return n;
  }
  return null;
}

/** Adds a member to `{ … }` (an object initializer or an anonymous object), following its layout. */
function insertInitializerMember(ctx: FixContext, obj: Node, member: string): FixEdit {
  const members = obj.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = obj.endIndex - 1;
  const open = ctx.text.indexOf('{', obj.startIndex);
  if (members.length === 0) return { span: { start: open + 1, end: close }, newText: ` ${member} ` };
  const last = members[members.length - 1];
  const multiline = ctx.text.slice(open, obj.endIndex).includes('\n');
  const after = ctx.text.slice(last.endIndex, close);
  const comma = /^\s*,/.test(after) ? last.endIndex + after.indexOf(',') + 1 : -1;
  if (multiline) {
    const indent = ctx.source.indentAt(last.startIndex);
    if (comma >= 0) return { span: { start: comma, end: comma }, newText: `${ctx.source.eol}${indent}${member},` };
    return { span: { start: last.endIndex, end: last.endIndex }, newText: `,${ctx.source.eol}${indent}${member}` };
  }
  if (comma >= 0) return { span: { start: comma, end: comma }, newText: ` ${member},` };
  return { span: { start: last.endIndex, end: last.endIndex }, newText: `, ${member}` };
}

function enclosing(node: Node, types: RegExp): Node | null {
  let n = node.parent;
  while (n && !types.test(n.type)) n = n.parent;
  return n;
}

// ---- shared helpers ----------------------------------------------------------------------------------

const FUNCTIONS = /^(?:method_declaration|local_function_statement|constructor_declaration|accessor_declaration|operator_declaration|lambda_expression|anonymous_method_expression)$/;

function argumentsOf(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => a?.type === 'argument');
}

/** The value of an argument (after a `name:` label). */
function argumentValue(arg: Node | undefined): Node | undefined {
  return arg?.namedChildren.filter((c): c is Node => !!c && c.type !== 'name_colon').pop();
}

function memberName(m: Node): string {
  const n = m.childForFieldName('name');
  return n?.type === 'generic_name' ? n.namedChildren[0]?.text ?? '' : n?.text ?? '';
}

function isAsync(fn: Node | null): boolean {
  return !!fn && fn.children.some((c) => c?.text === 'async' && (c.type === 'modifier' || c.type === 'async'));
}

/** The statement of a block that holds `n` (null when it is not directly in a block). */
function blockStatement(n: Node): Node | null {
  let s: Node | null = n;
  while (s?.parent && s.parent.type !== 'block') {
    if (FUNCTIONS.test(s.parent.type) || s.parent.type === 'declaration_list') return null;
    s = s.parent;
  }
  return s?.parent ? s : null;
}


/** The last `var name = value` / `T name = value` in `scope` before `before`. */
function localValue(scope: Node, name: string, before: number): Node | null {
  let found: Node | null = null;
  for (const d of descendants(scope)) {
    if (d.type !== 'variable_declarator' || d.startIndex >= before) continue;
    if (d.childForFieldName('name')?.text !== name) continue;
    const kids = d.namedChildren.filter((c): c is Node => !!c && c.type !== 'identifier' && c.type !== 'bracketed_argument_list');
    const v = kids[kids.length - 1] ?? d.namedChildren[d.namedChildren.length - 1];
    found = v && v.id !== d.childForFieldName('name')?.id ? v : null;
  }
  return found;
}

function declares(scope: Node, name: string): boolean {
  for (const d of descendants(scope)) {
    if ((d.type === 'variable_declarator' || d.type === 'parameter') && d.childForFieldName('name')?.text === name) return true;
    if (d.type === 'foreach_statement' && d.childForFieldName('left')?.text === name) return true;
    if (d.type === 'implicit_parameter' && d.text === name) return true;
  }
  return false;
}

/** The text with the contents of "…" strings removed (one pass; an unclosed string runs to the end). */
function withoutStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('"', i);
    if (open < 0) return out + text.slice(i);
    out += text.slice(i, open) + '""';
    let j = open + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    i = j + 1;
  }
  return out;
}

/** The identifiers an expression reads (not the member names after a dot). */
function freeNames(text: string): string[] {
  const stripped = withoutStrings(text);
  return [...stripped.matchAll(/(?<![\w.@$])@?[A-Za-z_]\w*/g)].map((m) => m[0]).filter((n) => !/^(?:this|base|new|null|true|false|typeof|nameof)$/.test(n));
}

/** `partner`, `this.partner`, `_partner`, `Program.Partner`: an expression that can be read before the loop. */
function isStableReceiver(n: Node, loop: Node): boolean {
  if (!/^[\w.@]+$/.test(n.text.replace(/\s+/g, ''))) return false;
  const root = n.text.split('.')[0].trim();
  if (root === 'this' || root === 'base') return true;
  return !declares(loop, root);
}

/** A CancellationToken parameter of the enclosing method (through lambdas), if any. */
function cancellationToken(at: Node): string | undefined {
  for (let p = at.parent; p; p = p.parent) {
    if (!FUNCTIONS.test(p.type)) continue;
    for (const param of p.childForFieldName('parameters')?.namedChildren ?? []) {
      if (param?.type === 'parameter' && /^(?:System\.Threading\.)?CancellationToken$/.test(param.childForFieldName('type')?.text ?? '')) {
        return param.childForFieldName('name')?.text;
      }
    }
    if (p.type !== 'lambda_expression' && p.type !== 'anonymous_method_expression') return undefined;
  }
  return undefined;
}

function enclosingFunction(n: Node): Node | null {
  return enclosing(n, FUNCTIONS);
}

// ---- retry with Polly ------------------------------------------------------------------------------

function hasPipeline(cls: Node): boolean {
  return new RegExp(`\\b${CS_POLLY_PIPELINE}\\s*=`).test(cls.text);
}

/** Wraps the call in `PartnerCenterRetryPipeline.ExecuteAsync(…)`/`Execute(…)`, adding the field once per class. */
function pollyFix(ctx: FixContext): Fix | undefined {
  const { finding } = ctx;
  // Already under a retry (a loop finding inside a policy): a second one is not offered.
  const whole = finding.site.guard ? null : retryTarget(ctx);
  if (!whole) return undefined;
  const cls = enclosing(whole, /^(?:class|struct|record)_declaration$/);
  const body = cls?.childForFieldName('body');
  if (!cls || !body) return undefined;
  const fn = enclosingFunction(whole);
  const ct = freshName(fn?.text ?? ctx.text, 'ct');
  let edit: FixEdit;
  if (whole.type === 'await_expression') {
    const inner = whole.namedChildren[whole.namedChildren.length - 1];
    if (!inner) return undefined;
    // `await X.ConfigureAwait(false)`: the lambda awaits X as written, the pipeline's task gets the same suffix.
    let suffix = '';
    if (inner.type === 'invocation_expression') {
      const f = inner.childForFieldName('function');
      if (f?.type === 'member_access_expression' && memberName(f) === 'ConfigureAwait') suffix = ctx.text.slice(f.childForFieldName('expression')!.endIndex, inner.endIndex);
    }
    edit = { span: { start: inner.startIndex, end: inner.endIndex }, newText: `${csPollyCall(inner.text, 'await', { ct, token: cancellationToken(whole) })}${suffix}` };
  } else {
    const mode = /Async$/.test(calledName(whole)) ? 'task' : 'sync';
    edit = { span: { start: whole.startIndex, end: whole.endIndex }, newText: csPollyCall(whole.text, mode, { ct, token: cancellationToken(whole) }) };
  }
  const edits = [edit];
  if (!hasPipeline(cls)) {
    const kinds = {
      sdk: finding.site.kind === 'sdk' || !!csharpIdioms.sdkEvidence?.test(ctx.text),
      http: finding.site.kind === 'http' || /\bHttp(?:Client|ResponseMessage)\b/.test(ctx.text),
    };
    edits.push(insertField(ctx, body, csPollyPipeline(kinds)));
    edits.push(...asArray(missingUsings(ctx, csPollyUsings(kinds))));
  }
  return { kind: 'retry-library', title: fixTitle('retry-library', ctx.lang, { library: 'Polly' }), edits };
}

/** Inserts a field after the class's leading fields (or before its first member), with a blank line around it. */
function insertField(ctx: FixContext, body: Node, code: string): FixEdit {
  const members = body.namedChildren.filter((c): c is Node => !!c);
  const { eol } = ctx.source;
  let lastField: Node | null = null;
  for (const m of members) {
    if (m.type === 'field_declaration') lastField = m;
    else if (m.type !== 'comment') break;
  }
  if (lastField) {
    const indent = ctx.source.indentAt(lastField.startIndex);
    const at = ctx.source.lineEnd(lastField.endIndex);
    return { span: { start: at, end: at }, newText: `${eol}${eol}${ctx.source.block(code, indent)}` };
  }
  const first = members[0];
  if (!first) return insertMembers(ctx, body, code);
  const indent = ctx.source.indentAt(first.startIndex);
  const at = ctx.source.lineStart(first.startIndex);
  return { span: { start: at, end: at }, newText: `${ctx.source.block(code, indent)}${eol}${eol}` };
}

// ---- Activity Log ------------------------------------------------------------------------------------

interface LoopShape {
  /** The statement the Activity Log query goes before. */
  statement: Node;
  /** The iterated collection, filtered on the changed customers. */
  iterable: Node;
  variable: string;
  /** Where the item's locals live (the loop body or the callback). */
  body: Node;
  /** `for (var i = 0; i < customers.Count; i++)`: the loop indexes the collection. */
  indexed?: IndexedLoop;
}

interface IndexedLoop {
  index: string;
  /** The collection in `customers[i]` of the body (each replaced by the changed list). */
  accesses: Node[];
  /** `.Length`: an array (the changed items become an array too). */
  array: boolean;
}

/** A name for the item (`customer` for `customers`), free where the query goes. */
function itemName(collection: string, fnText: string): string {
  const last = collection.split('.').pop()!.replace(/^_+/, '');
  const base = /^[A-Za-z]\w*s$/.test(last) && last.length > 2 ? last.slice(0, -1) : 'item';
  return new RegExp(`\\b${base}\\b`).test(fnText) ? freshName(fnText, base) : base;
}

/**
 * `for (var i = 0; i < customers.Count; i++)` whose body reads the collection only as `customers[i]`: the
 * collection is replaced by the list of the changed items, in the condition and in each `customers[i]`.
 */
function indexedLoopShape(loop: Node, fnText: string): LoopShape | undefined {
  const init = loop.childForFieldName('initializer');
  const cond = loop.childForFieldName('condition');
  const body = loop.childForFieldName('body');
  const statement = blockStatement(loop);
  if (init?.type !== 'variable_declaration' || cond?.type !== 'binary_expression' || !body || statement?.id !== loop.id) return undefined;
  const declarators = init.namedChildren.filter((c) => c?.type === 'variable_declarator');
  const index = declarators.length === 1 ? declarators[0]!.childForFieldName('name')?.text : undefined;
  const value = declarators[0]?.namedChildren[declarators[0]!.namedChildren.length - 1];
  if (!index || value?.text !== '0' || cond.childForFieldName('left')?.text !== index || cond.childForFieldName('operator')?.text !== '<') return undefined;
  const bound = cond.childForFieldName('right');
  if (bound?.type !== 'member_access_expression' || !/^(?:Count|Length)$/.test(memberName(bound))) return undefined;
  const collection = bound.childForFieldName('expression');
  if (!collection || !/^(?:identifier|member_access_expression)$/.test(collection.type) || !/^[\w.]+$/.test(collection.text)) return undefined;
  const accesses: Node[] = [];
  const name = collection.text.split('.').pop()!;
  for (const d of descendants(body)) {
    if (d.type !== 'identifier' || d.text !== name) continue;
    let use: Node = d;
    if (use.parent?.type === 'member_access_expression' && use.parent.childForFieldName('name')?.id === use.id) use = use.parent;
    if (use.text !== collection.text) continue;
    // Only `customers[i]`, read, and `customers.Count` (which then counts the changed items the loop goes through).
    const access = use.parent;
    if (access?.type === 'member_access_expression' && access.childForFieldName('expression')?.id === use.id && memberName(access) === memberName(bound)) {
      accesses.push(use);
      continue;
    }
    if (access?.type !== 'element_access_expression' || access.childForFieldName('expression')?.id !== use.id) return undefined;
    const subscript = access.childForFieldName('subscript')?.namedChildren.filter((c) => c?.type === 'argument') ?? [];
    if (subscript.length !== 1 || subscript[0]!.text !== index) return undefined;
    const a = access.parent;
    if ((a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === access.id) || /^(?:prefix|postfix)_unary_expression$/.test(a?.type ?? '')) return undefined;
    accesses.push(use);
  }
  if (accesses.length === 0) return undefined;
  return {
    statement,
    iterable: collection,
    // The loop's own locals do not clash with a lambda parameter before the loop.
    variable: itemName(collection.text, fnText.replace(loop.text, '')),
    body,
    indexed: { index, accesses, array: memberName(bound) === 'Length' },
  };
}

/** The item's id in terms of the item (`customers[i].Id` or `c.Id` after `var c = customers[i];` -> `customer.Id`). */
function indexedId(idText: string, shape: LoopShape): string {
  const ix = shape.indexed!;
  const access = `${shape.iterable.text}[${ix.index}]`;
  let out = idText.split(access).join(shape.variable);
  const root = /^[A-Za-z_]\w*/.exec(out)?.[0];
  if (root && root !== shape.variable) {
    const v = localValue(shape.body, root, shape.body.endIndex);
    if (v && v.text.replace(/\s+/g, '') === access) out = shape.variable + out.slice(root.length);
  }
  return out;
}

/** `foreach (var c in customers) …`, `customers.Select(c => …)`, `Parallel.ForEach(customers, c => …)`. */
function loopShape(loop: Node): LoopShape | undefined {
  if (loop.type === 'foreach_statement') {
    if (loop.children.some((c) => c?.type === 'await')) return undefined;
    const left = loop.childForFieldName('left');
    const right = loop.childForFieldName('right');
    const body = loop.childForFieldName('body');
    const statement = blockStatement(loop);
    if (left?.type !== 'identifier' || !right || !body || statement?.id !== loop.id) return undefined;
    return { statement, iterable: right, variable: left.text, body };
  }
  if (loop.type !== 'invocation_expression') return undefined;
  const fn = loop.childForFieldName('function');
  const recv = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
  if (!fn || !recv) return undefined;
  const name = memberName(fn);
  const args = argumentsOf(loop);
  let iterable: Node | undefined;
  let callback: Node | undefined;
  if (recv.text === 'Parallel' && /^ForEach(?:Async)?$/.test(name)) {
    iterable = argumentValue(args[0]);
    callback = argumentValue(args[args.length - 1]);
  } else if (name === 'Select' || name === 'SelectMany') {
    iterable = recv;
    callback = argumentValue(args[0]);
  }
  if (!iterable || callback?.type !== 'lambda_expression') return undefined;
  const params = callback.childForFieldName('parameters');
  const first = params?.type === 'implicit_parameter' ? params : params?.namedChildren.find((p) => p?.type === 'parameter')?.childForFieldName('name');
  const body = callback.childForFieldName('body');
  const statement = blockStatement(loop);
  if (!first || !body || !statement) return undefined;
  return { statement, iterable, variable: first.text, body };
}

/** The customer id of an SDK chain (`c.Id` in `partner.Customers.ById(c.Id)…`), through locals holding part of the chain. */
function sdkCustomer(start: Node, scope: Node, depth = 0): { partner: Node; id: Node } | undefined {
  let n: Node | null = start;
  while (n && depth < 4) {
    if (n.type === 'invocation_expression') {
      const fn: Node | null = n.childForFieldName('function');
      const recv: Node | null = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
      if (fn && recv && memberName(fn) === 'ById' && recv.type === 'member_access_expression' && memberName(recv) === 'Customers') {
        const id = argumentValue(argumentsOf(n)[0]);
        const partner = recv.childForFieldName('expression');
        return id && partner ? { partner, id } : undefined;
      }
      n = recv;
    } else if (n.type === 'element_access_expression') {
      const recv: Node | null = n.childForFieldName('expression');
      if (recv?.type === 'member_access_expression' && memberName(recv) === 'Customers') {
        const id = argumentValue(n.childForFieldName('subscript')?.namedChildren.find((c) => c?.type === 'argument') ?? undefined);
        const partner = recv.childForFieldName('expression');
        return id && partner ? { partner, id } : undefined;
      }
      n = recv;
    } else if (n.type === 'member_access_expression') {
      n = n.childForFieldName('expression');
    } else if (n.type === 'await_expression' || n.type === 'parenthesized_expression') {
      n = n.namedChildren[n.namedChildren.length - 1] ?? null;
    } else if (n.type === 'identifier') {
      // `var customer = partner.Customers.ById(c.Id);` then `customer.Subscriptions.Get()`.
      const v = localValue(scope, n.text, n.startIndex);
      if (!v) return undefined;
      n = v;
      depth++;
    } else return undefined;
  }
  return undefined;
}


const GET_METHODS = /^Get(?:String|Stream|ByteArray|FromJson)?Async$/;

/**
 * `query => client.GetAsync($"{baseUrl}/auditrecords?{query}")`: the Activity Log request through the loop's
 * client and base URL (the flagged URL up to `customers/`).
 */
function auditGetter(ctx: FixContext, site: HttpSite, shape: LoopShape, query: string): string | undefined {
  const call = outermostAt(ctx.tree!, site.span);
  const fn = call?.type === 'invocation_expression' ? call.childForFieldName('function') : null;
  const receiver = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
  if (!call || !fn || !receiver || !GET_METHODS.test(memberName(fn)) || !isStableReceiver(receiver, shape.body)) return undefined;
  let urlNode = site.urlSpan ? nodeAt(ctx.tree!, site.urlSpan) : null;
  // `var url = $"…/customers/{c.Id}/…";` in the loop body.
  if (urlNode?.type === 'identifier') {
    const v = localValue(shape.body, urlNode.text, urlNode.startIndex);
    urlNode = v && v.startIndex >= shape.body.startIndex ? v : null;
  }
  if (!urlNode) return undefined;
  const m = /customers\//i.exec(urlNode.text);
  if (!m) return undefined;
  const at = urlNode.startIndex + m.index;
  let container: Node | null = ctx.tree!.rootNode.descendantForIndex(at, at);
  while (container && !/^(?:string_literal|verbatim_string_literal|interpolated_string_expression)$/.test(container.type)) {
    if (container.id === urlNode.id) return undefined;
    container = container.parent;
  }
  if (!container) return undefined;
  // Only `+` and parentheses between the URL expression and the string that names the path.
  for (let p = container.parent, c = container; c.id !== urlNode.id; c = p!, p = p!.parent) {
    const concat = p?.type === 'binary_expression' && p.childForFieldName('operator')?.text === '+';
    if (!p || !(concat || p.type === 'parenthesized_expression')) return undefined;
  }
  if (/"""$/.test(container.text) || !container.text.endsWith('"')) return undefined;
  const prefix = ctx.text.slice(urlNode.startIndex, at);
  // Everything after `customers/` is dropped: the prefix must not open a parenthesis it does not close.
  if ((prefix.match(/\(/g) ?? []).length !== (prefix.match(/\)/g) ?? []).length) return undefined;
  const url = container.type === 'interpolated_string_expression' ? `${prefix}auditrecords?{${query}}"` : `${prefix}auditrecords?" + ${query}`;
  const name = memberName(fn);
  const extra = argumentsOf(call)
    .slice(1)
    .map((a) => argumentValue(a))
    .filter((a): a is Node => !!a)
    .filter((a) => (name === 'GetFromJsonAsync' ? /cancel|token|\bct\b/i.test(a.text) : true));
  if (extra.some((a) => freeNames(a.text).some((n) => declares(shape.body, n) || n === shape.variable))) return undefined;
  return `${query} => ${receiver.text}.GetAsync(${[url, ...extra.map((a) => a.text)].join(', ')})`;
}

function hasAuditHelper(cls: Node, kind: 'sdk' | 'http', async: boolean): boolean {
  const name = async ? CS_AUDIT_HELPER : CS_AUDIT_HELPER_SYNC;
  const first = kind === 'sdk' ? 'IPartner\\b' : 'Func\\s*<\\s*string\\s*,';
  return new RegExp(`\\b${name}\\s*\\(\\s*${first}`).test(cls.text);
}

/** How the Activity Log request is retried: through our helper (async or sync, as needed) or pipeline when the file has it. */
function auditRetry(ctx: FixContext, cls: Node, async: boolean): CsAuditRetry {
  if (new RegExp(`\\b${async ? CS_RETRY_HELPER : CS_RETRY_HELPER_SYNC}\\s*<\\s*T\\s*>\\s*\\(`).test(ctx.text)) return 'helper';
  if (hasPipeline(cls)) return 'pipeline';
  return undefined;
}

/**
 * One Activity Log query for the operation's resource type before the loop, and the loop iterates only over
 * the customers it names: `foreach (var c in customers.Where(c => changedCustomerIds.Contains(c.Id)))`.
 */
function activityLogFix(ctx: FixContext): Fix | undefined {
  const { finding, tree } = ctx;
  const site = finding.site;
  const op = operation(finding.operation);
  if (!op?.resourceType || op.method !== 'GET' || !site.loop || (site.kind !== 'sdk' && site.kind !== 'http')) return undefined;
  const loop = nodeAt(tree!, site.loop.span);
  const fn = loop && enclosingFunction(loop);
  const shape = loop && fn && (loop.type === 'for_statement' ? indexedLoopShape(loop, fn.text) : loopShape(loop));
  if (!shape || !fn) return undefined;
  const cls = enclosing(shape.statement, /^(?:class|struct|record)_declaration$/);
  const classBody = cls?.childForFieldName('body');
  if (!cls || !classBody) return undefined;
  const async = isAsync(fn);
  let idText: string | undefined;
  let args: string | undefined;
  let helper: string;
  let usings: string[];
  const retry = auditRetry(ctx, cls, async || site.kind === 'http');
  const kind = site.kind === 'sdk' ? 'sdk' : 'http';
  if (site.kind === 'sdk') {
    const terminal = outermostAt(tree!, (site as SdkSite).span);
    const found = terminal && sdkCustomer(terminal, fn);
    if (!found || !isStableReceiver(found.partner, shape.body)) return undefined;
    let id = found.id;
    // `var id = c.Id;` in the loop body.
    if (id.type === 'identifier' && id.text !== shape.variable) {
      const v = localValue(shape.body, id.text, id.startIndex);
      if (v) id = v;
    }
    idText = id.text;
    args = found.partner.text;
    helper = csAuditHelperSdk(async, retry);
    usings = csAuditUsings('sdk', async);
  } else {
    if (!async) return undefined;
    idText = customerIdInUrl(site);
    args = auditGetter(ctx, site, shape, freshName(fn.text, 'query'));
    helper = csAuditHelperHttp(retry);
    usings = csAuditUsings('http', true);
  }
  if (!idText || !args) return undefined;
  if (shape.indexed) idText = indexedId(idText, shape);
  const names = freeNames(idText);
  if (names.length === 0 || names.some((n) => n !== shape.variable)) return undefined;
  const list = shape.indexed && freshName(fn.text, `changed${shape.iterable.text.split('.').pop()!.replace(/^_+/, '').replace(/^\w/, (c) => c.toUpperCase())}`);
  const variable = freshName(fn.text, list === 'changedCustomerIds' ? 'changedIdSet' : 'changedCustomerIds');
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  // Before the comments that introduce the loop.
  let first = shape.statement;
  for (let p = first.previousNamedSibling; p?.type === 'comment' && p.endPosition.row + 1 === first.startPosition.row; p = p.previousNamedSibling) first = p;
  const indent = ctx.source.indentAt(shape.statement.startIndex);
  const lineStart = ctx.source.lineStart(first.startIndex);
  const it = shape.iterable;
  const collection = /^(?:identifier|member_access_expression|invocation_expression|element_access_expression|parenthesized_expression|this_expression)$/.test(it.type) ? it.text : `(${it.text})`;
  const edits: FixEdit[] = [];
  if (list && shape.indexed) {
    const query = `${csAuditQuery(variable, args, resourceType, async)}\n${csChangedList(list, collection, shape.variable, variable, idText, shape.indexed.array)}`;
    edits.push({ span: { start: lineStart, end: lineStart }, newText: ctx.source.block(query, indent) + ctx.source.eol });
    for (const n of [it, ...shape.indexed.accesses]) edits.push({ span: { start: n.startIndex, end: n.endIndex }, newText: list });
  } else {
    edits.push(
      { span: { start: lineStart, end: lineStart }, newText: ctx.source.block(csAuditQuery(variable, args, resourceType, async), indent) + ctx.source.eol },
      { span: { start: it.startIndex, end: it.endIndex }, newText: csChangedFilter(collection, shape.variable, variable, idText) },
    );
  }
  if (!hasAuditHelper(cls, kind, async || kind === 'http')) edits.push(insertMembers(ctx, classBody, helper));
  edits.push(...asArray(missingUsings(ctx, usings)));
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
}
