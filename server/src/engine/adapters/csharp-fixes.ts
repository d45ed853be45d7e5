/**
 * Quick fixes for C#: wrap a throttled call in the retry helper (async or sync, as the call is), and add the
 * agreement type (`.ByAgreementType(…)` in an SDK chain, `Type = …` in `new Agreement { … }`, `type` in an
 * anonymous request body, `agreementType=` in the query).
 */
import type { Node } from 'web-tree-sitter';
import {
  CS_RETRY_HELPER,
  CS_RETRY_USINGS,
  MCA,
  csRetryCall,
  csRetryHelpers,
} from '../../catalog/templates/csharp';
import { fixTitle } from '../../catalog/text';
import type { Span } from '../types';
import { Fix, FixContext, FixEdit, nodeAt as outermostAt } from '../fixes';

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
    const retry = retryFix(ctx);
    if (retry) out.push(retry);
  }
  return out;
}

// ---- retry ---------------------------------------------------------------------------------------

function retryFix(ctx: FixContext): Fix | undefined {
  const { finding, tree } = ctx;
  const whole = nodeAt(tree!, finding.site.call);
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
    const usings = missingUsings(ctx, CS_RETRY_USINGS);
    if (usings) edits.push(usings);
  }
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
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

/** `using` directives the inserted code needs, after the file's last `using` (or at the top). */
function missingUsings(ctx: FixContext, namespaces: readonly string[]): FixEdit | undefined {
  const have = new Set<string>();
  let last: Node | null = null;
  for (const c of ctx.tree!.rootNode.namedChildren) {
    if (c?.type === 'using_directive') {
      have.add(c.text.replace(/^global\s+/, '').replace(/^using\s+/, '').replace(/;\s*$/, '').trim());
      last = c;
    }
  }
  const missing = namespaces.filter((n) => !have.has(n));
  if (missing.length === 0) return undefined;
  const eol = ctx.source.eol;
  const lines = missing.map((n) => `using ${n};`).join(eol);
  if (last) {
    const at = ctx.source.lineEnd(last.endIndex);
    return { span: { start: at, end: at }, newText: `${eol}${lines}` };
  }
  return { span: { start: 0, end: 0 }, newText: `${lines}${eol}${eol}` };
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
