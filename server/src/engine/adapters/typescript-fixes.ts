/**
 * Quick fixes for TypeScript and JavaScript: wrap a throttled call in the retry helper, query the Activity
 * Log before a per-item loop and refetch only the customers that changed, add the agreement type.
 */
import type { Node } from 'web-tree-sitter';
import { operation } from '../../catalog/operations';
import {
  auditHelper,
  auditQuery,
  retryCall,
  retryHelper,
  TS_AUDIT_HELPER,
  TS_RETRY_HELPER,
} from '../../catalog/templates/typescript';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, freshName, nodeAt, customerIdInUrl } from '../fixes';
import type { HttpSite } from '../types';
import { argumentList, calleeOf, pairValue, propertyName } from './typescript';

const MCA = 'MicrosoftCustomerAgreement';

export function typescriptFixes(ctx: FixContext, typed: boolean): Fix[] {
  const { finding, tree } = ctx;
  if (!tree || finding.site.kind !== 'http') return [];
  const site = finding.site;
  const call = nodeAt(tree, site.call);
  if (!call) return [];
  const out: Fix[] = [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const fix = agreementFix(ctx, site, call);
    if (fix) out.push(fix);
  } else {
    if (finding.rule === 'pc-throttled-in-loop') {
      const fix = activityLogFix(ctx, site, call, typed);
      if (fix) out.push(fix);
    }
    const retry = retryFix(ctx, call, typed);
    if (retry) out.push(retry);
  }
  return out;
}

// ---- retry ---------------------------------------------------------------------------------------

/** The call with the member calls chained on it (`ky.get(u).json()`): what the retry must re-run. */
function chainOf(call: Node): Node {
  let n = call;
  for (;;) {
    const p = n.parent;
    const g = p?.parent;
    if (p?.type === 'member_expression' && p.childForFieldName('object')?.id === n.id && g?.type === 'call_expression' && calleeOf(g)?.id === p.id) {
      n = g;
    } else return n;
  }
}

function retryFix(ctx: FixContext, call: Node, typed: boolean): Fix | undefined {
  // Callback-style APIs (https.get(url, res => …)) and Observables (Angular) do not return a promise to retry.
  if (argumentList(call).some((a) => /function|arrow_function/.test(a.type))) return undefined;
  if (/@angular\/common\/http|from ['"]rxjs['"]/.test(ctx.text)) return undefined;
  const target = chainOf(call);
  const edits: FixEdit[] = [{ span: { start: target.startIndex, end: target.endIndex }, newText: retryCall(target.text) }];
  if (!hasFunction(ctx.text, TS_RETRY_HELPER)) edits.push(insertTopLevel(ctx, retryHelper(typed)));
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

function hasFunction(text: string, name: string): boolean {
  return new RegExp(`function\\s+${name}\\b|(?:const|let|var)\\s+${name}\\s*=`).test(text);
}

/** Inserts a top-level declaration after the imports (or at the start of the code). */
function insertTopLevel(ctx: FixContext, code: string): FixEdit {
  const root = ctx.tree!.rootNode;
  const { eol } = ctx.source;
  let after: Node | null = null;
  for (const c of root.namedChildren) {
    if (!c) continue;
    if (c.type === 'comment' || c.type === 'hash_bang_line') continue;
    const isImport =
      c.type === 'import_statement' ||
      (c.type === 'expression_statement' && /^['"]use strict['"]/.test(c.text)) ||
      ((c.type === 'lexical_declaration' || c.type === 'variable_declaration') && /=\s*require\s*\(/.test(c.text) && c.endPosition.row - c.startPosition.row < 2);
    if (isImport) after = c;
    else break;
  }
  const block = ctx.source.block(code, '');
  if (after) {
    const at = ctx.source.lineEnd(after.endIndex);
    return { span: { start: at, end: at }, newText: `${eol}${eol}${block}` };
  }
  const first = root.namedChildren.find((c) => c && c.type !== 'comment' && c.type !== 'hash_bang_line');
  const at = first ? ctx.source.lineStart(first.startIndex) : ctx.text.length;
  return { span: { start: at, end: at }, newText: `${block}${eol}${eol}` };
}

// ---- Activity Log -----------------------------------------------------------------------------------

interface LoopShape {
  /** The statement the audit query goes before. */
  statement: Node;
  /** The iterated collection, replaced by a filtered one. */
  iterable: Node;
  variable: string;
}

function loopShape(loop: Node): LoopShape | undefined {
  if (loop.type === 'for_in_statement') {
    const left = loop.childForFieldName('left');
    const right = loop.childForFieldName('right');
    const isOf = loop.children.some((c) => c?.type === 'of');
    if (!left || !right || left.type !== 'identifier' || !isOf) return undefined;
    return { statement: loop, iterable: right, variable: left.text };
  }
  if (loop.type === 'call_expression') {
    const fn = calleeOf(loop);
    const recv = fn?.type === 'member_expression' ? fn.childForFieldName('object') : null;
    const cb = argumentList(loop)[0];
    if (!recv || !cb || !/arrow_function|function/.test(cb.type)) return undefined;
    const param = cb.childForFieldName('parameter') ?? cb.childForFieldName('parameters')?.namedChildren[0];
    const name = param ? (param.childForFieldName('pattern') ?? param) : null;
    if (!name || name.type !== 'identifier') return undefined;
    let statement: Node | null = loop;
    while (statement && !/statement|declaration/.test(statement.type)) statement = statement.parent;
    if (!statement) return undefined;
    return { statement, iterable: recv, variable: name.text };
  }
  return undefined;
}


function enclosingFunction(n: Node): Node | null {
  let p = n.parent;
  while (p && !/^(arrow_function|function_expression|function|function_declaration|method_definition|generator_function)/.test(p.type)) p = p.parent;
  return p;
}

/** `(query) => client.get(`…auditrecords?${query}`).then((r) => r.data)`: the audit request with the caller's client. */
function auditGetter(ctx: FixContext, site: HttpSite, call: Node, variable: string): string | undefined {
  const urlNode = site.urlSpan && nodeAt(ctx.tree!, site.urlSpan);
  const fn = calleeOf(call);
  if (!urlNode || !fn) return undefined;
  const at = urlNode.text.search(/customers/i);
  if (at < 0) return undefined;
  const literal = ctx.tree!.rootNode.descendantForIndex(urlNode.startIndex + at, urlNode.startIndex + at);
  const container = literal?.parent?.type === 'template_string' || literal?.parent?.type === 'string' ? literal.parent : null;
  if (!container) return undefined;
  const prefix = urlNode.text.slice(0, at);
  const q = container.type === 'template_string' ? '`' : urlNode.text[container.startIndex - urlNode.startIndex];
  const newUrl = q === '`' ? `${prefix}auditrecords?\${query}\`` : `${prefix}auditrecords?${q} + query`;
  const others = argumentList(call)
    .filter((a) => a.startIndex !== urlNode.startIndex)
    .filter((a) => !new RegExp(`(?<![\\w$])${variable}(?![\\w$])`).test(a.text))
    .map((a) => a.text);
  const name = fn.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) ?? '' : fn.text;
  const receiver = fn.type === 'member_expression' ? fn.childForFieldName('object')?.text ?? '' : '';
  const isPost = /^(post|put|patch)$/i.test(name);
  if (isPost) return undefined;
  const request = `${fn.text}(${[newUrl, ...others].join(', ')})`;
  let extract: string;
  if (fn.type === 'identifier' && /^(got|ky)$/.test(name)) extract = '.json()';
  else if (/^(got|ky)$/.test(receiver)) extract = '.json()';
  else if (fn.type === 'identifier' || name === 'fetch') extract = '.then((r) => r.json())';
  else if (/^(get|request)$/.test(name)) extract = /superagent|request$/.test(receiver) ? '.then((r) => r.body)' : '.then((r) => r.data)';
  else extract = '';
  return `(query) => ${request}${extract}`;
}

function activityLogFix(ctx: FixContext, site: HttpSite, call: Node, typed: boolean): Fix | undefined {
  const op = operation(ctx.finding.operation);
  if (!op?.resourceType || op.method !== 'GET' || !site.loop) return undefined;
  const loop = nodeAt(ctx.tree!, site.loop.span);
  const shape = loop && loopShape(loop);
  if (!shape) return undefined;
  const idExpr = customerIdInUrl(site);
  if (!idExpr || !new RegExp(`(?<![\\w$.])${shape.variable}(?![\\w$])`).test(idExpr)) return undefined;
  const fn = enclosingFunction(shape.statement);
  if (!fn || !fn.children.some((c) => c?.type === 'async')) return undefined;
  const getter = auditGetter(ctx, site, call, shape.variable);
  if (!getter) return undefined;
  const changed = freshName(fn.text, 'changedCustomerIds');
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  const indent = ctx.source.indentAt(shape.statement.startIndex);
  const lineStart = ctx.source.lineStart(shape.statement.startIndex);
  const edits: FixEdit[] = [
    { span: { start: lineStart, end: lineStart }, newText: ctx.source.block(auditQuery(changed, getter, resourceType), indent) + ctx.source.eol },
    {
      span: { start: shape.iterable.startIndex, end: shape.iterable.endIndex },
      newText: `${shape.iterable.text}.filter((${shape.variable}) => !${changed} || ${changed}.has(${idExpr}))`,
    },
  ];
  if (!hasFunction(ctx.text, TS_AUDIT_HELPER)) edits.push(insertTopLevel(ctx, auditHelper(typed)));
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
}

// ---- agreement type ----------------------------------------------------------------------------------

function quote(ctx: FixContext): string {
  const single = (ctx.text.match(/'/g) ?? []).length;
  const double = (ctx.text.match(/"/g) ?? []).length;
  return single >= double ? "'" : '"';
}

/** Adds `key: value` to an object literal, following its layout (one line or one property per line). */
export function insertProperty(ctx: FixContext, obj: Node, property: string): FixEdit {
  const members = obj.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  const close = obj.endIndex - 1;
  if (members.length === 0) return { span: { start: obj.startIndex + 1, end: close }, newText: ` ${property} ` };
  const last = members[members.length - 1];
  const multiline = ctx.text.slice(obj.startIndex, obj.endIndex).includes('\n');
  const after = ctx.text.slice(last.endIndex, close);
  const hasTrailingComma = /^\s*,/.test(after);
  if (multiline) {
    const indent = ctx.source.indentAt(last.startIndex);
    if (hasTrailingComma) {
      const comma = last.endIndex + after.indexOf(',') + 1;
      return { span: { start: comma, end: comma }, newText: `${ctx.source.eol}${indent}${property},` };
    }
    return { span: { start: last.endIndex, end: last.endIndex }, newText: `,${ctx.source.eol}${indent}${property}` };
  }
  if (hasTrailingComma) {
    const comma = last.endIndex + after.indexOf(',') + 1;
    return { span: { start: comma, end: comma }, newText: ` ${property},` };
  }
  return { span: { start: last.endIndex, end: last.endIndex }, newText: `, ${property}` };
}

/** The object literal a value is written as, following `JSON.stringify(…)` and a same-function `const`. */
function objectNode(ctx: FixContext, node: Node | null, depth = 0): Node | null {
  if (!node || depth > 3) return null;
  if (node.type === 'object') return node;
  if (node.type === 'call_expression' && /^(JSON\.stringify|qs\.stringify)$/.test(calleeOf(node)?.text ?? '')) {
    return objectNode(ctx, argumentList(node)[0] ?? null, depth + 1);
  }
  if (node.type === 'identifier') {
    const fn = enclosingFunction(node) ?? ctx.tree!.rootNode;
    const re = new RegExp(`(?:const|let|var)\\s+${node.text}\\s*(?::[^=]+)?=`, 'g');
    const scope = ctx.text.slice(fn.startIndex, node.startIndex);
    let m: RegExpExecArray | null;
    let last: number | undefined;
    while ((m = re.exec(scope)) !== null) last = fn.startIndex + m.index + m[0].length;
    if (last === undefined) return null;
    const decl = ctx.tree!.rootNode.descendantForIndex(last, last);
    let d: Node | null = decl;
    while (d && d.type !== 'variable_declarator') d = d.parent;
    return objectNode(ctx, d?.childForFieldName('value') ?? null, depth + 1);
  }
  return null;
}

function agreementFix(ctx: FixContext, site: HttpSite, call: Node): Fix | undefined {
  const q = quote(ctx);
  const requirement = ctx.finding.requirement;
  const args = argumentList(call);
  const options = args.find((a, i) => i > 0 && a.type === 'object') ?? (args[0]?.type === 'object' ? args[0] : undefined);
  let edit: FixEdit | undefined;
  if (requirement === 'type') {
    const bodyValue = options && (pairValue(options, 'body') ?? pairValue(options, 'data') ?? pairValue(options, 'json'));
    const fn = calleeOf(call);
    const name = fn?.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) : undefined;
    const positional = name && /^(post|put|patch)$/i.test(name) ? args[1] ?? null : null;
    const obj = objectNode(ctx, bodyValue ?? positional);
    if (obj) edit = insertProperty(ctx, obj, `type: ${q}${MCA}${q}`);
  } else {
    const params = options && (pairValue(options, 'params') ?? pairValue(options, 'searchParams'));
    if (params?.type === 'object') {
      edit = insertProperty(ctx, params, `agreementType: ${q}${MCA}${q}`);
    } else {
      edit = appendQuery(ctx, site, `agreementType=${MCA}`);
    }
  }
  if (!edit) return undefined;
  return { kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true };
}

/** Appends `key=value` to the URL's query, inside its last string literal when there is one. */
function appendQuery(ctx: FixContext, site: HttpSite, pair: string): FixEdit | undefined {
  const urlNode = site.urlSpan && nodeAt(ctx.tree!, site.urlSpan);
  if (!urlNode) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  let last: Node | null = urlNode;
  while (last?.type === 'binary_expression') last = last.childForFieldName('right');
  if (last && (last.type === 'string' || last.type === 'template_string')) {
    return { span: { start: last.endIndex - 1, end: last.endIndex - 1 }, newText: `${sep}${pair}` };
  }
  return { span: { start: urlNode.startIndex, end: urlNode.endIndex }, newText: `\`\${${urlNode.text}}${sep}${pair}\`` };
}
