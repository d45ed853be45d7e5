/**
 * Quick fixes for Java: wrap a throttled call in the retry helper (Partner Center SDK, java.net.http, OkHttp,
 * Spring RestTemplate), query the Activity Log before a per-customer loop of SDK calls, and add the agreement type
 * (`.byAgreementType("MicrosoftCustomerAgreement")` in an SDK chain, `agreement.setType(…)` after
 * `new Agreement()`, `agreementType=` in a URL string).
 *
 * Inserted helpers are private static members of the top-level class; the imports they need are added (or the
 * qualified name is written when the simple name is taken).
 */
import type { Node } from 'web-tree-sitter';
import { javaLibraries } from '../../catalog/idioms/java';
import { operation } from '../../catalog/operations';
import {
  JAVA_AUDIT_HELPER,
  JAVA_RETRY_DELAY,
  JAVA_RETRY_HELPER,
  JAVA_RETRY_INTERFACES,
  JavaNames,
  JavaRetryVariant,
  javaAuditFilter,
  javaAuditHelper,
  javaRetryCall,
  javaRetryDelay,
  javaRetryHelper,
} from '../../catalog/templates/java';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, freshName, nodeAt, descendants } from '../fixes';

const MCA = 'MicrosoftCustomerAgreement';

export function javaFixes(ctx: FixContext): Fix[] {
  if (!ctx.tree) return [];
  if (ctx.finding.rule === 'pc-missing-agreement-type') {
    const edit = agreementEdit(ctx);
    return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
  }
  const out: Fix[] = [];
  if (ctx.finding.rule === 'pc-throttled-in-loop') {
    const fix = activityLogFix(ctx);
    if (fix) out.push(fix);
  }
  const retry = retryFix(ctx);
  if (retry) out.push(retry);
  return out;
}

// ---- tree helpers ------------------------------------------------------------------------------------

const TYPE_DECLS = new Set(['class_declaration', 'record_declaration', 'enum_declaration', 'interface_declaration']);
const CALLABLES = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration', 'static_initializer']);


function args(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'line_comment' && a.type !== 'block_comment');
}

function nameOf(call: Node | null | undefined): string | undefined {
  return call?.type === 'method_invocation' ? call.childForFieldName('name')?.text : undefined;
}

function enclosingCallable(n: Node): Node | null {
  let p = n.parent;
  while (p && !CALLABLES.has(p.type)) p = p.parent;
  return p;
}

function topLevelType(n: Node): Node | null {
  let found: Node | null = null;
  for (let p = n.parent; p; p = p.parent) if (TYPE_DECLS.has(p.type)) found = p;
  return found;
}

function methodsNamed(type: Node, name: string): Node[] {
  const out: Node[] = [];
  for (const d of descendants(type)) if (d.type === 'method_declaration' && d.childForFieldName('name')?.text === name) out.push(d);
  return out;
}

function hasMember(type: Node, name: string): boolean {
  for (const d of descendants(type)) {
    if ((d.type === 'method_declaration' || d.type === 'interface_declaration' || d.type === 'class_declaration') && d.childForFieldName('name')?.text === name) return true;
  }
  return false;
}

function throwsOf(method: Node): string[] {
  const t = method.namedChildren.find((c) => c?.type === 'throws');
  return t ? t.namedChildren.filter((c): c is Node => !!c).map((c) => c.text.replace(/^.*\./, '')) : [];
}

function insideRetry(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'method_invocation' && nameOf(p) === JAVA_RETRY_HELPER) return true;
  return false;
}

const word = (name: string): RegExp => new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);

// ---- imports ---------------------------------------------------------------------------------------------

interface ImportDecl {
  name: string;
  wildcard: boolean;
  node: Node;
}

/** Names classes for inserted code and collects the imports that makes necessary. */
class Imports {
  private readonly decls: ImportDecl[] = [];
  private readonly pkg: string;
  private readonly declaredTypes = new Set<string>();
  private readonly missing = new Set<string>();

  constructor(private readonly ctx: FixContext) {
    const root = ctx.tree!.rootNode;
    this.pkg = root.namedChildren.find((c) => c?.type === 'package_declaration')?.namedChildren.find((c) => c?.type !== 'annotation')?.text ?? '';
    for (const c of root.namedChildren) {
      if (c?.type !== 'import_declaration' || c.children.some((k) => k?.type === 'static')) continue;
      const id = c.namedChildren.find((k) => k?.type === 'scoped_identifier' || k?.type === 'identifier');
      if (id) this.decls.push({ name: id.text, wildcard: c.namedChildren.some((k) => k?.type === 'asterisk'), node: c });
    }
    for (const d of descendants(root)) {
      if (TYPE_DECLS.has(d.type) || d.type === 'type_parameter') {
        const name = d.type === 'type_parameter' ? d.namedChildren.find((c) => c?.type === 'type_identifier' || c?.type === 'identifier')?.text : d.childForFieldName('name')?.text;
        if (name) this.declaredTypes.add(name);
      }
    }
  }

  readonly names: JavaNames = (qualified) => {
    const dot = qualified.lastIndexOf('.');
    const simple = qualified.slice(dot + 1);
    const pkg = qualified.slice(0, dot);
    if (this.decls.some((d) => !d.wildcard && d.name === qualified) || this.missing.has(qualified)) return simple;
    const clash = this.decls.some((d) => !d.wildcard && d.name !== qualified && d.name.endsWith(`.${simple}`)) || this.declaredTypes.has(simple) || [...this.missing].some((m) => m.endsWith(`.${simple}`));
    if (clash) return qualified;
    if (pkg === 'java.lang' || pkg === this.pkg || this.decls.some((d) => d.wildcard && d.name === pkg)) return simple;
    this.missing.add(qualified);
    return simple;
  };

  /** The edits that add the missing imports: next to the imports of the same top-level package, in order. */
  edits(): FixEdit[] {
    if (this.missing.size === 0) return [];
    const { eol } = this.ctx.source;
    const src = this.ctx.source;
    const byOffset = new Map<number, { before: boolean; lines: string[] }>();
    const add = (at: number, line: string, before: boolean): void => {
      const e = byOffset.get(at) ?? { before, lines: [] };
      e.lines.push(line);
      byOffset.set(at, e);
    };
    const sorted = [...this.missing].sort();
    if (this.decls.length === 0) {
      const root = this.ctx.tree!.rootNode;
      const pkg = root.namedChildren.find((c) => c?.type === 'package_declaration');
      const text = sorted.map((m) => `import ${m};`).join(eol);
      if (pkg) {
        const at = src.lineEnd(pkg.endIndex);
        return [{ span: { start: at, end: at }, newText: `${eol}${eol}${text}` }];
      }
      const first = root.namedChildren.find((c) => c && !c.type.endsWith('comment'));
      const at = first ? src.lineStart(first.startIndex) : 0;
      return [{ span: { start: at, end: at }, newText: `${text}${eol}${eol}` }];
    }
    for (const m of sorted) {
      const top = m.split('.')[0];
      const group = this.decls.filter((d) => d.name.split('.')[0] === top);
      const pool = group.length ? group : this.decls;
      const next = pool.find((d) => d.name > m);
      if (next && (group.length || next === this.decls[0])) add(src.lineStart(next.node.startIndex), `import ${m};`, true);
      else {
        const prev = [...pool].reverse().find((d) => d.name < m) ?? pool[pool.length - 1];
        add(src.lineEnd(prev.node.endIndex), `import ${m};`, false);
      }
    }
    return [...byOffset].map(([at, e]) => ({
      span: { start: at, end: at },
      newText: e.before ? e.lines.map((l) => l + eol).join('') : e.lines.map((l) => eol + l).join(''),
    }));
  }
}

/** Inserts members at the end of a class body (before its closing brace, which must be on a line of its own). */
function insertMembers(ctx: FixContext, type: Node, code: string): FixEdit | undefined {
  const body = type.childForFieldName('body');
  if (!body || (type.type !== 'class_declaration' && type.type !== 'record_declaration')) return undefined;
  const close = body.endIndex - 1;
  if (ctx.text[close] !== '}') return undefined;
  const at = ctx.source.lineStart(close);
  if (ctx.text.slice(at, close).trim() !== '') return undefined;
  const indent = ctx.source.indentAt(type.startIndex) + ctx.source.indentUnit;
  const { eol } = ctx.source;
  const lastMember = body.namedChildren.filter((c): c is Node => !!c).pop();
  return { span: { start: at, end: at }, newText: `${lastMember ? eol : ''}${ctx.source.block(code, indent)}${eol}` };
}

// ---- retry -------------------------------------------------------------------------------------------------

/** Checked exceptions a wrapped call may throw, per helper (the helper rethrows exactly these). */
const ALLOWED_THROWS: Record<JavaRetryVariant, readonly string[]> = {
  sdk: [],
  spring: [],
  jdk: ['IOException', 'InterruptedException'],
  okhttp: ['IOException'],
};

interface RetryTarget {
  node: Node;
  variant: JavaRetryVariant;
}

/** `X.send(request, handler)` of java.net.http. */
function isJdkSend(n: Node | null | undefined): boolean {
  return !!n && nameOf(n) === 'send' && !!n.childForFieldName('object') && args(n).length === 2;
}

/** `X.newCall(request).execute()` of OkHttp: the `execute` invocation. */
function okhttpExecute(newCall: Node | null | undefined): Node | undefined {
  if (!newCall || nameOf(newCall) !== 'newCall' || args(newCall).length !== 1) return undefined;
  const p = newCall.parent;
  return p?.type === 'method_invocation' && p.childForFieldName('object')?.id === newCall.id && nameOf(p) === 'execute' && args(p).length === 0 ? p : undefined;
}

/** A request helper of the class (`send(request)`) declared as returning a java.net.http or OkHttp response. */
function helperVariant(ctx: FixContext, call: Node): JavaRetryVariant | undefined {
  const obj = call.childForFieldName('object');
  if (obj && obj.type !== 'this') return undefined;
  const name = nameOf(call);
  const type = topLevelType(call);
  if (!name || !type) return undefined;
  const decls = methodsNamed(type, name).filter((m) => (m.childForFieldName('parameters')?.namedChildren.filter((p) => p?.type === 'formal_parameter').length ?? -1) === args(call).length);
  if (decls.length !== 1) return undefined;
  const ret = decls[0].childForFieldName('type')?.text ?? '';
  if (/^(?:java\.net\.http\.)?HttpResponse\b/.test(ret) && /\bjava\.net\.http\.HttpResponse\b/.test(ctx.text)) return 'jdk';
  if (/^(?:okhttp3\.)?Response$/.test(ret) && /\bokhttp3\.(?:Response|\*)/.test(ctx.text)) return 'okhttp';
  return undefined;
}

/** Where a request object built at `call` is sent: the sends of its variable, or the send it is an argument of. */
function sendsOfRequest(ctx: FixContext, call: Node): RetryTarget[] {
  const parent = call.parent;
  // Inline: `client.send(HttpRequest.newBuilder(…).build(), handler)`, `client.newCall(new Request.Builder()….build())`.
  if (parent?.type === 'argument_list') {
    const outer = parent.parent;
    if (isJdkSend(outer)) return [{ node: outer!, variant: 'jdk' }];
    const exec = okhttpExecute(outer);
    if (exec) return [{ node: exec, variant: 'okhttp' }];
    if (outer?.type === 'method_invocation') {
      const v = helperVariant(ctx, outer);
      if (v) return [{ node: outer, variant: v }];
    }
    return [];
  }
  // Stored: `HttpRequest request = HttpRequest.newBuilder()….build();` then `client.send(request, …)`.
  if (parent?.type !== 'variable_declarator' || parent.childForFieldName('value')?.id !== call.id) return [];
  const name = parent.childForFieldName('name')?.text;
  const scope = enclosingCallable(call);
  if (!name || !scope) return [];
  const out: RetryTarget[] = [];
  for (const d of descendants(scope)) {
    if (d.type !== 'identifier' || d.text !== name || d.startIndex < call.endIndex) continue;
    const list = d.parent;
    if (list?.type !== 'argument_list') continue;
    const use = list.parent;
    if (!use || insideRetry(use)) continue;
    if (isJdkSend(use) && args(use)[0]?.id === d.id) out.push({ node: use, variant: 'jdk' });
    else if (okhttpExecute(use)) out.push({ node: okhttpExecute(use)!, variant: 'okhttp' });
    else if (use.type === 'method_invocation' && args(use).length === 1) {
      const v = helperVariant(ctx, use);
      if (v) out.push({ node: use, variant: v });
    }
  }
  return out;
}

function retryTargets(ctx: FixContext): RetryTarget[] {
  const site = ctx.finding.site;
  const call = nodeAt(ctx.tree!, site.call);
  if (!call) return [];
  if (site.kind === 'sdk') return call.type === 'method_invocation' ? [{ node: call, variant: 'sdk' }] : [];
  if (site.kind !== 'http') return [];
  if (call.type === 'method_invocation') {
    const name = nameOf(call)!;
    if (isJdkSend(call)) return [{ node: call, variant: 'jdk' }];
    const exec = okhttpExecute(call);
    if (exec) return [{ node: exec, variant: 'okhttp' }];
    const spec = javaLibraries.http.restTemplate[name];
    const receiver = call.childForFieldName('object');
    if (spec && receiver && !spec.receiver && /\b(?:RestTemplate|RestOperations)\b/.test(ctx.text)) {
      const recv = receiver.type === 'field_access' && receiver.childForFieldName('object')?.type === 'this' ? receiver.childForFieldName('field') : receiver;
      return recv?.type === 'identifier' && javaLibraries.http.restTemplateReceiver.test(recv.text) ? [{ node: call, variant: 'spring' }] : [];
    }
    if (name === 'build') return sendsOfRequest(ctx, call);
    const v = helperVariant(ctx, call);
    return v ? [{ node: call, variant: v }] : [];
  }
  return [];
}

/** Locals the lambda would capture must be effectively final; the call may throw only what the helper rethrows. */
function wrappable(ctx: FixContext, t: RetryTarget): boolean {
  const scope = enclosingCallable(t.node);
  const type = topLevelType(t.node);
  if (!scope || !type) return false;
  const names = new Set<string>();
  for (const d of descendants(t.node, 5000)) {
    if (d.type === 'lambda_expression' || d.type === 'switch_expression') return false;
    if (d.type === 'object_creation_expression' && /^(?:java\.net\.)?URI$/.test(d.childForFieldName('type')?.text ?? '')) return false;
    if (d.type === 'object_creation_expression' && /^(?:java\.net\.)?URL$/.test(d.childForFieldName('type')?.text ?? '') && t.variant !== 'jdk' && t.variant !== 'okhttp') return false;
    if (d.type === 'identifier') {
      const p = d.parent;
      const isMember = (p?.type === 'method_invocation' && p.childForFieldName('name')?.id === d.id) || (p?.type === 'field_access' && p.childForFieldName('field')?.id === d.id);
      if (!isMember) names.add(d.text);
    }
    if (d.type === 'method_invocation') {
      const obj = d.childForFieldName('object');
      if (obj && obj.type !== 'this') continue;
      const allowed = ALLOWED_THROWS[t.variant];
      for (const m of methodsNamed(type, nameOf(d) ?? '')) if (throwsOf(m).some((e) => !allowed.includes(e) && !/RuntimeException$/.test(e))) return false;
    }
  }
  for (const name of names) {
    if (!declaredLocally(scope, name)) continue;
    for (const d of descendants(scope)) {
      if (d.type === 'assignment_expression' && d.childForFieldName('left')?.text === name) return false;
      if (d.type === 'update_expression' && d.namedChildren.some((c) => c?.type === 'identifier' && c.text === name)) return false;
    }
  }
  return true;
}

function declaredLocally(scope: Node, name: string): boolean {
  for (const d of descendants(scope)) {
    if ((d.type === 'variable_declarator' || d.type === 'formal_parameter' || d.type === 'catch_formal_parameter' || d.type === 'enhanced_for_statement') && d.childForFieldName('name')?.text === name) return true;
  }
  return false;
}

/** The variant of a `withPartnerCenterRetry` already in the class (ours, or a snippet's); undefined: unknown. */
function existingVariant(helper: Node): JavaRetryVariant | undefined {
  const t = helper.text;
  if (/\bPartnerException\b/.test(t)) return 'sdk';
  if (/\bHttpStatusCodeException\b/.test(t)) return 'spring';
  if (/\bHttpResponse\s*</.test(t)) return 'jdk';
  if (/\bResponse\b/.test(t) && /\bIOException\b/.test(t)) return 'okhttp';
  return undefined;
}

function retryFix(ctx: FixContext): Fix | undefined {
  const targets = retryTargets(ctx).filter((t) => !insideRetry(t.node));
  if (targets.length === 0 || new Set(targets.map((t) => t.variant)).size !== 1) return undefined;
  if (!targets.every((t) => wrappable(ctx, t))) return undefined;
  const variant = targets[0].variant;
  const type = topLevelType(targets[0].node);
  if (!type || targets.some((t) => topLevelType(t.node)?.id !== type.id)) return undefined;
  const edits: FixEdit[] = targets.map((t) => ({ span: { start: t.node.startIndex, end: t.node.endIndex }, newText: javaRetryCall(t.node.text) }));
  const existing = methodsNamed(type, JAVA_RETRY_HELPER);
  if (existing.length) {
    if (existing.some((m) => existingVariant(m) !== variant)) return undefined;
  } else {
    const iface = JAVA_RETRY_INTERFACES[variant];
    if (iface && hasMember(type, iface)) return undefined;
    const imports = new Imports(ctx);
    const parts = [javaRetryHelper(variant, imports.names)];
    if (!hasMember(type, JAVA_RETRY_DELAY)) parts.push(javaRetryDelay(imports.names));
    const members = insertMembers(ctx, type, parts.join('\n\n'));
    if (!members) return undefined;
    edits.push(members, ...imports.edits());
  }
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

// ---- Activity Log ----------------------------------------------------------------------------------------

/** `partner.getCustomers().byId(<id>)…`: the receiver (`partner`, `this.partner`) and the `byId` argument. */
function customerChain(call: Node): { partner: Node; id: Node } | undefined {
  let n: Node | null = call;
  let byId: Node | undefined;
  while (n?.type === 'method_invocation') {
    const obj: Node | null = n.childForFieldName('object');
    if (nameOf(n) === 'byId' && nameOf(obj) === 'getCustomers') byId = n;
    if (nameOf(n) === 'getCustomers') {
      if (args(n).length !== 0 || !byId || args(byId).length !== 1) return undefined;
      const partner = obj;
      if (!partner) return undefined;
      const simple = partner.type === 'identifier' || (partner.type === 'field_access' && partner.childForFieldName('object')?.type === 'this');
      return simple ? { partner, id: args(byId)[0] } : undefined;
    }
    n = obj;
  }
  return undefined;
}

/** A name for the filtered collection from the iterated one (`customers` -> `changedCustomers`). */
function changedName(collection: Node): string {
  let last = collection.text;
  if (collection.type === 'field_access') last = collection.childForFieldName('field')?.text ?? last;
  else if (collection.type === 'method_invocation') last = (nameOf(collection) ?? 'customers').replace(/^get(?=[A-Z])/, '');
  if (!/^[A-Za-z_$][\w$]*$/.test(last)) last = 'customers';
  return `changed${last[0].toUpperCase()}${last.slice(1)}`;
}

function activityLogFix(ctx: FixContext): Fix | undefined {
  const site = ctx.finding.site;
  const op = operation(ctx.finding.operation);
  if (site.kind !== 'sdk' || !site.loop || !op?.resourceType || op.method !== 'GET') return undefined;
  const loop = nodeAt(ctx.tree!, site.loop.span);
  if (loop?.type !== 'enhanced_for_statement') return undefined;
  const itemType = loop.childForFieldName('type');
  const item = loop.childForFieldName('name');
  const collection = loop.childForFieldName('value');
  const body = loop.childForFieldName('body');
  if (!itemType || !item || !collection || !body || item.type !== 'identifier') return undefined;
  // `List<var>` is no type; primitives do not go in a List.
  if (itemType.text === 'var' || /^(?:integral_type|floating_point_type|boolean_type)$/.test(itemType.type)) return undefined;
  const call = nodeAt(ctx.tree!, site.call);
  if (!call || call.startIndex < body.startIndex || call.endIndex > body.endIndex) return undefined;
  const chain = customerChain(call);
  if (!chain || !word(item.text).test(chain.id.text)) return undefined;
  // The id must come from the loop variable alone (not from a local of the loop body).
  for (const d of descendants(chain.id, 500)) {
    if (d.type === 'identifier' && d.text !== item.text && d.parent?.type !== 'method_invocation' && d.parent?.type !== 'field_access') return undefined;
    if (d.type === 'method_invocation' && d.childForFieldName('object')?.type === 'identifier' && d.childForFieldName('object')?.text !== item.text) return undefined;
  }
  // The partner operations must be visible before the loop.
  if (chain.partner.type === 'identifier' && declaredLocally(loop, chain.partner.text)) return undefined;
  const scope = enclosingCallable(loop);
  const type = topLevelType(loop);
  const parent = loop.parent;
  if (!scope || !type || !parent || (parent.type !== 'block' && parent.type !== 'constructor_body')) return undefined;
  const existing = methodsNamed(type, JAVA_AUDIT_HELPER);
  const imports = new Imports(ctx);
  const changed = freshName(scope.text, changedName(collection));
  const ids = freshName(`${scope.text} ${changed}`, changed === 'changedCustomerIds' ? 'customerIdsWithChanges' : 'changedCustomerIds');
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  const filter = javaAuditFilter(imports.names, {
    ids,
    changed,
    partner: chain.partner.text,
    resourceType,
    itemType: itemType.text,
    item: item.text,
    collection: collection.text,
    itemId: chain.id.text,
  });
  const indent = ctx.source.indentAt(loop.startIndex);
  const lineStart = ctx.source.lineStart(loop.startIndex);
  if (ctx.text.slice(lineStart, loop.startIndex).trim() !== '') return undefined;
  const edits: FixEdit[] = [
    { span: { start: lineStart, end: lineStart }, newText: ctx.source.block(filter, indent) + ctx.source.eol },
    { span: { start: collection.startIndex, end: collection.endIndex }, newText: changed },
  ];
  if (existing.length === 0) {
    const members = insertMembers(ctx, type, javaAuditHelper(imports.names));
    if (!members) return undefined;
    edits.push(members);
  }
  edits.push(...imports.edits());
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
}

// ---- agreement type ----------------------------------------------------------------------------------------

function agreementEdit(ctx: FixContext): FixEdit | undefined {
  const site = ctx.finding.site;
  const tree = ctx.tree!;
  if (site.kind === 'sdk') {
    // `….getAgreements().get()` -> `….getAgreements().byAgreementType("MicrosoftCustomerAgreement").get()`
    const call = nodeAt(tree, site.span);
    const receiver = call?.type === 'method_invocation' ? call.childForFieldName('object') : null;
    return receiver ? { span: { start: receiver.endIndex, end: receiver.endIndex }, newText: `.byAgreementType("${MCA}")` } : undefined;
  }
  if (site.kind === 'object') {
    // `Agreement agreement = new Agreement();` -> the setter on the next line.
    const creation = nodeAt(tree, site.call);
    const declarator = creation?.parent;
    const statement = declarator?.parent;
    const name = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name')?.text : undefined;
    if (!name || statement?.type !== 'local_variable_declaration') return undefined;
    const at = ctx.source.lineEnd(statement.endIndex);
    return { span: { start: at, end: at }, newText: `${ctx.source.eol}${ctx.source.indentAt(statement.startIndex)}${name}.setType("${MCA}");` };
  }
  if (site.kind !== 'http' || ctx.finding.requirement === 'type' || !site.urlSpan) return undefined;
  let n: Node | null = nodeAt(tree, site.urlSpan);
  for (let i = 0; n && i < 8 && n.type !== 'string_literal'; i++) {
    if (n.type === 'binary_expression') n = n.childForFieldName('right');
    else if (n.type === 'method_invocation' && /^(?:format|formatted)$/.test(n.childForFieldName('name')?.text ?? '')) {
      // `String.format("…%s/agreements", …)`: the format string.
      const a = n.childForFieldName('arguments')?.namedChildren ?? [];
      n = n.childForFieldName('name')?.text === 'formatted' ? n.childForFieldName('object') : a[0] ?? null;
    } else if (n.type === 'object_creation_expression' || n.type === 'method_invocation') {
      const a = n.childForFieldName('arguments')?.namedChildren ?? [];
      n = a[a.length - 1] ?? null;
    } else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else n = null;
  }
  if (n?.type !== 'string_literal' || n.text.startsWith('"""')) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  return { span: { start: n.endIndex - 1, end: n.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` };
}
