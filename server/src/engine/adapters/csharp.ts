/**
 * C#: the Partner Center .NET SDK (fluent chains, indexers, sync and Async, chains split across locals,
 * `new Agreement { … }`), HttpClient (with its BaseAddress), HttpRequestMessage, RestSharp, Flurl and request
 * wrappers of the user's own; URLs folded from interpolated, verbatim and raw strings, `+`, `string.Format`,
 * `string.Concat`, `new Uri(…)`, constants, fields and properties.
 */
import type { Node } from 'web-tree-sitter';
import {
  csharpHttpMethods,
  csharpIdioms,
  csharpLookupReceiver,
  csharpRequestTypes,
} from '../../catalog/idioms/csharp';
import { OBJECT_REQUIREMENTS, OPERATIONS } from '../../catalog/operations';
import { concat, Folded, formatIndexed, hole, join, lit, trimTrailingSlash } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { csharpFixes } from './csharp-fixes';
import { normaliseStep } from '../sdk';
import type { LanguageIdioms } from '../../catalog/idioms/types';
import type { HttpSite, KeySet } from '../types';
import { methodFromName, normaliseMethod } from '../url';
import { AncestorRole, TreeAdapter, Walk, assignmentFollows, contains, spanOf } from './base';

const STRING_TYPES = new Set(['string_literal', 'verbatim_string_literal', 'raw_string_literal', 'interpolated_string_expression']);

const FUNCTION_TYPES = new Set([
  'method_declaration',
  'constructor_declaration',
  'local_function_statement',
  'accessor_declaration',
  'operator_declaration',
  'lambda_expression',
  'anonymous_method_expression',
]);

const TRANSPARENT = new Set(['parenthesized_expression', 'await_expression', 'cast_expression', 'postfix_unary_expression', 'checked_expression']);

/** Steps of an SDK chain that make the request (`Get`, `GetAsync`, `Patch`, `CheckStatus`, …), normalised. */
const SDK_TERMINALS = new Set(OPERATIONS.flatMap((o) => (o.sdk ?? []).map((c) => c.split('.').pop()!)));
/** Every step name the catalog's chains use (a chain made only of these is worth following). */
const SDK_STEPS = new Set(OPERATIONS.flatMap((o) => (o.sdk ?? []).flatMap((c) => c.split('.'))));
/** Chain steps that do not change what a chain designates. */
const NEUTRAL_STEPS = new Set(['configureawait']);

const OBJECT_TYPES = new Set(OBJECT_REQUIREMENTS.map((o) => o.type));

/** Request wrappers of the user's own: `SendPartnerCenterRequestAsync(HttpMethod.Get, url)`. */
const WRAPPER_NAME = /request|fetch|http|api|call|invoke|send|client|partner|^(?:get|post|patch|put|delete)(?:[A-Z_]|$)/i;
const NOT_HTTP_NAME = /^(?:write|print|debug|trace|assert|format|append|add|set|replace|contains|starts|ends|index|parse|serialize|deserialize|encode|decode|escape|join|concat|split|combine|navigate|redirect|localize|translate|throw|should|expect|verify|equal|cache)|log|exception/i;

const HTTP_VERBS = /^(GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS)$/i;

const MAX_FOLD_DEPTH = 10;

export class CSharpAdapter extends TreeAdapter {
  readonly language = 'csharp' as const;
  readonly idioms = csharpIdioms;
  readonly comment = { line: '//', block: ['/*', '*/'] as const };
  protected override readonly unitTypes = FUNCTION_TYPES;

  grammar(): GrammarName {
    return 'c-sharp';
  }

  /** Object sites look for the type's declaration and the SDK's `Agreements.Create` anywhere in the file. */
  protected override textDependencies(idioms: LanguageIdioms): RegExp[] {
    return [...super.textDependencies(idioms), /\b(?:class|record|struct)\s/, /\bAgreements\s*\.\s*Create/];
  }

  fixes(ctx: FixContext): Fix[] {
    return csharpFixes(ctx);
  }

  /** Also properties: `string Url => "…"` and `string Url { get { return "…"; } }`. */
  protected override mayDefine(text: string, end: number): boolean {
    return assignmentFollows(text, end, true, true);
  }

  // ---- anchors -------------------------------------------------------------------------------------

  protected fromAnchor(node: Node, w: Walk): void {
    if (node.type === 'comment') return;
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (STRING_TYPES.has(n.type)) {
        this.visitValue(n, w, 0);
        return;
      }
    }
    if (node.type !== 'identifier') return;
    if (OBJECT_TYPES.has(node.text)) this.fromObjectType(node, w);
    else this.fromSdkName(node, w);
  }

  /** From a value (a string, a name's use) to the calls it reaches. */
  private visitValue(expr: Node, w: Walk, depth: number): void {
    if (depth > TreeAdapter.maxDepth || !w.firstVisit(expr, 'value')) return;
    const root = this.expressionRoot(expr);
    const parent = root.parent;
    if (!parent) return;
    switch (parent.type) {
      case 'argument': {
        const call = parent.parent?.parent;
        if (call && (call.type === 'invocation_expression' || call.type === 'object_creation_expression')) this.siteFromCall(call, parent, w);
        return;
      }
      case 'variable_declarator': {
        const name = parent.childForFieldName('name');
        if (!name || name.id === root.id) return;
        for (const use of this.usesOf(name.text, parent, this.declarationScope(parent), w)) this.visitValue(use, w, depth + 1);
        return;
      }
      case 'assignment_expression': {
        if (parent.childForFieldName('right')?.id !== root.id) return;
        const left = parent.childForFieldName('left');
        // `new HttpRequestMessage { RequestUri = new Uri(url), Method = HttpMethod.Get }`
        const init = parent.parent;
        if (init?.type === 'initializer_expression' && left?.type === 'identifier') {
          const creation = init.parent;
          if (creation?.type === 'object_creation_expression' && /^(?:RequestUri|Resource)$/.test(left.text)) this.siteFromRequestInitializer(creation, root, w);
          return;
        }
        const name = left?.type === 'identifier' ? left : left?.type === 'member_access_expression' ? left.childForFieldName('name') : null;
        if (!name) return;
        for (const use of this.usesOf(name.text, parent, this.scopeOfName(name.text, parent, w), w)) this.visitValue(use, w, depth + 1);
        return;
      }
      case 'property_declaration':
      case 'arrow_expression_clause':
      case 'return_statement': {
        // A property or method that returns a URL: follow its uses.
        const owner = parent.type === 'property_declaration' ? parent : enclosingMember(parent);
        const name = owner?.childForFieldName('name');
        if (!owner || !name) return;
        for (const use of this.usesOf(name.text, owner, w.tree.rootNode, w)) {
          const call = use.parent?.type === 'member_access_expression' && use.parent.childForFieldName('name')?.id === use.id ? use.parent : use;
          const target = call.parent?.type === 'invocation_expression' && call.parent.childForFieldName('function')?.id === call.id ? call.parent : call;
          this.visitValue(target, w, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  }

  /** Climbs through the expressions that build a URL from its parts. */
  private expressionRoot(node: Node): Node {
    let n = node;
    for (;;) {
      const p = n.parent;
      if (!p) return n;
      if (TRANSPARENT.has(p.type) || p.type === 'interpolation' || p.type === 'interpolated_string_expression') {
        n = p;
      } else if (p.type === 'binary_expression' && p.childForFieldName('operator')?.text === '+') {
        n = p;
      } else if (p.type === 'conditional_expression' && p.childForFieldName('condition')?.id !== n.id) {
        n = p;
      } else if (p.type === 'member_access_expression' && p.childForFieldName('expression')?.id === n.id) {
        const name = memberName(p);
        const call = p.parent;
        if (call?.type === 'invocation_expression' && call.childForFieldName('function')?.id === p.id && /^(?:ToString|Trim|TrimEnd|TrimStart|ToLowerInvariant|ToLower|AppendPathSegment|AppendPathSegments|SetQueryParam|SetQueryParams)$/.test(name)) n = call;
        else if (/^(?:AbsoluteUri|OriginalString|AbsolutePath)$/.test(name)) n = p;
        else return n;
      } else if (p.type === 'argument' && p.parent?.parent && this.isUrlBuilder(p.parent.parent)) {
        n = p.parent.parent;
      } else {
        return n;
      }
    }
  }

  private isUrlBuilder(call: Node): boolean {
    if (call.type === 'object_creation_expression') return /^(?:System\.)?Uri(?:Builder)?$/.test(typeText(call));
    if (call.type !== 'invocation_expression') return false;
    const fn = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    return /^(?:[sS]tring\.(?:Format|Concat|Join)|QueryHelpers\.AddQueryString|Url\.Combine)$/.test(fn);
  }

  // ---- HTTP calls --------------------------------------------------------------------------------

  private siteFromCall(call: Node, argument: Node, w: Walk): void {
    const args = argumentsOf(call);
    const index = args.findIndex((a) => a.id === argument.id);
    if (index < 0) return;
    const value = (i: number): Node | undefined => args[i]?.namedChildren.find((c) => c?.type !== 'name_colon') ?? undefined;

    if (call.type === 'object_creation_expression') {
      const type = lastSegment(typeText(call));
      const req = csharpRequestTypes[type];
      if (!req || req.urlIndex !== index) return;
      const urlNode = value(index);
      if (!urlNode) return;
      let method = req.methodIndex !== undefined ? this.methodOf(value(req.methodIndex), w) : undefined;
      if (req.methodIndex !== undefined && !value(req.methodIndex)) method = req.defaultMethod;
      method ??= this.methodAssigned(call, w);
      this.addHttpSite(call, urlNode, method, undefined, undefined, w);
      return;
    }

    const fn = call.childForFieldName('function');
    if (!fn) return;
    const name = fn.type === 'member_access_expression' ? memberName(fn) : simpleName(fn);
    const receiver = fn.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
    const known = csharpHttpMethods[name.toLowerCase()];
    if (known && index === 0) {
      if (receiver && csharpLookupReceiver.test(lastSegment(receiver.text.replace(/\(.*$/s, '')))) return;
      const urlNode = value(0);
      if (!urlNode) return;
      const bodyNode = known.body !== undefined ? value(known.body) : undefined;
      this.addHttpSite(call, urlNode, known.method, bodyNode ? this.keysOf(bodyNode, w, 0) : undefined, receiver ? this.baseOf(receiver, w) : undefined, w);
      return;
    }
    // A user wrapper: the verb is an argument (`HttpMethod.Patch`, "PATCH") or in the name.
    if (!WRAPPER_NAME.test(name) || NOT_HTTP_NAME.test(name)) return;
    let method: string | undefined;
    for (let i = 0; i < args.length && !method; i++) if (i !== index) method = this.methodOf(value(i), w);
    method ??= methodFromName(name);
    const urlNode = value(index);
    if (!urlNode) return;
    let body: KeySet | undefined;
    if (method && method !== 'GET' && method !== 'DELETE') {
      const b = value(index + 1);
      body = b ? this.keysOf(b, w, 0) : undefined;
    }
    this.addHttpSite(call, urlNode, method, body, undefined, w);
  }

  /** `new HttpRequestMessage { RequestUri = …, Method = HttpMethod.Patch }`. */
  private siteFromRequestInitializer(creation: Node, urlNode: Node, w: Walk): void {
    const type = lastSegment(typeText(creation));
    const req = csharpRequestTypes[type];
    if (!req) return;
    const init = creation.childForFieldName('initializer');
    const m = init ? initializerValue(init, 'Method') : null;
    const method = m ? this.methodOf(m, w) : this.methodAssigned(creation, w) ?? (type === 'HttpRequestMessage' ? 'GET' : req.defaultMethod);
    this.addHttpSite(creation, urlNode, method, undefined, undefined, w);
  }

  /** `var request = new HttpRequestMessage(…); request.Method = HttpMethod.Patch;` */
  private methodAssigned(creation: Node, w: Walk): string | undefined {
    const decl = creation.parent;
    if (decl?.type !== 'variable_declarator') return undefined;
    const name = decl.childForFieldName('name');
    if (!name) return undefined;
    for (const use of this.usesOf(name.text, decl, this.declarationScope(decl), w)) {
      const m = use.parent;
      if (m?.type !== 'member_access_expression' || memberName(m) !== 'Method' || m.childForFieldName('expression')?.id !== use.id) continue;
      const a = m.parent;
      if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === m.id) return this.methodOf(a.childForFieldName('right') ?? undefined, w);
    }
    return undefined;
  }

  private addHttpSite(call: Node, urlNode: Node, method: string | undefined, body: KeySet | undefined, base: Folded | undefined, w: Walk): void {
    const top = enclosingAwait(call);
    const site: HttpSite = {
      kind: 'http',
      span: spanOf(call),
      call: spanOf(top),
      url: this.fold(urlNode, w, 0),
      urlSpan: spanOf(urlNode),
      method: normaliseMethod(method),
      body,
      base,
      ...this.context(call, w, 'http'),
    };
    w.addSite(site);
  }

  /** `HttpMethod.Get`, `HttpMethod.Get.Method`, `new HttpMethod("PATCH")`, `Method.Get` (RestSharp), "GET". */
  private methodOf(node: Node | undefined, w: Walk): string | undefined {
    if (!node) return undefined;
    let n = node;
    if (n.type === 'member_access_expression' && memberName(n) === 'Method') n = n.childForFieldName('expression') ?? n;
    if (n.type === 'member_access_expression') {
      const owner = n.childForFieldName('expression')?.text ?? '';
      const verb = memberName(n);
      if (/(?:^|\.)(?:HttpMethod|Method|HttpMethods|WebRequestMethods\.Http)$/.test(owner) && HTTP_VERBS.test(verb)) return verb.toUpperCase();
      return undefined;
    }
    if (n.type === 'object_creation_expression' && lastSegment(typeText(n)) === 'HttpMethod') {
      const a = argumentsOf(n)[0]?.namedChildren[0];
      return a ? this.methodOf(a, w) : undefined;
    }
    if (n.type === 'identifier') {
      const v = this.resolveName(n.text, n, w);
      return v ? this.methodOf(v, w) : undefined;
    }
    const f = this.fold(n, w, 0);
    const text = f.length === 1 && typeof f[0] === 'string' ? f[0] : undefined;
    return text && HTTP_VERBS.test(text) ? text.toUpperCase() : undefined;
  }

  /** The BaseAddress of the HttpClient a call is made on, when the file sets one. */
  private baseOf(receiver: Node, w: Walk): Folded | undefined {
    const name = lastSegment(receiver.text);
    if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
    // `new HttpClient { BaseAddress = … }` as the receiver's value.
    const value = receiver.type === 'identifier' ? this.resolveName(name, receiver, w) : this.memberValue('this', name, w);
    if (value?.type === 'object_creation_expression') {
      const init = value.childForFieldName('initializer');
      const base = init && initializerValue(init, 'BaseAddress');
      if (base) return this.fold(base, w, 0);
    }
    // `x.BaseAddress = …` on this client, else the file's only BaseAddress (a typed client's registration).
    const assigned: { owner: string; value: Node }[] = [];
    for (const offset of w.occurrences('BaseAddress')) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + 'BaseAddress'.length);
      const m = n?.parent;
      if (!n || !m) continue;
      const a = m.type === 'member_access_expression' ? m.parent : null;
      if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === m.id) {
        const v = a.childForFieldName('right');
        if (v) assigned.push({ owner: lastSegment(m.childForFieldName('expression')?.text ?? ''), value: v });
      }
    }
    const own = assigned.find((a) => a.owner === name);
    const chosen = own ?? (assigned.length === 1 ? assigned[0] : undefined);
    return chosen ? this.fold(chosen.value, w, 0) : undefined;
  }

  // ---- request bodies ------------------------------------------------------------------------------

  /** Top-level keys of a body: anonymous objects, object initializers, dictionaries, JSON content wrappers. */
  private keysOf(node: Node, w: Walk, depth: number): KeySet {
    const unknown: KeySet = { keys: [], complete: false };
    if (depth > 4) return unknown;
    let n = node;
    while (TRANSPARENT.has(n.type) && n.namedChildren[0]) n = n.namedChildren[n.namedChildren.length - 1]!;
    switch (n.type) {
      case 'anonymous_object_creation_expression': {
        const keys: string[] = [];
        for (const c of n.namedChildren) {
          if (!c) continue;
          const first = c.namedChildren[0];
          if (c.type === 'name_equals' || first?.type === 'name_equals') keys.push((first?.type === 'name_equals' ? first : c).namedChildren[0]?.text ?? '');
          else if (c.type === 'identifier') keys.push(c.text);
          else if (c.type === 'member_access_expression') keys.push(memberName(c));
          else if (c.type === 'assignment_expression') keys.push(c.childForFieldName('left')?.text ?? '');
        }
        return { keys, complete: true };
      }
      case 'object_creation_expression': {
        const type = lastSegment(typeText(n));
        if (/^(?:StringContent|JsonContent)$/.test(type) || type.startsWith('Dictionary')) {
          if (type.startsWith('Dictionary')) return this.dictionaryKeys(n, w);
          const a = argumentsOf(n)[0]?.namedChildren[0];
          return a ? this.keysOf(a, w, depth + 1) : unknown;
        }
        const init = n.childForFieldName('initializer');
        if (!init) return unknown;
        const keys: string[] = [];
        for (const c of init.namedChildren) if (c?.type === 'assignment_expression') keys.push(c.childForFieldName('left')?.text ?? '');
        return { keys, complete: true };
      }
      case 'invocation_expression': {
        const fn = n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
        if (/(?:JsonContent\.Create|JsonSerializer\.Serialize|JsonConvert\.SerializeObject)$/.test(fn)) {
          const a = argumentsOf(n)[0]?.namedChildren[0];
          return a ? this.keysOf(a, w, depth + 1) : unknown;
        }
        return unknown;
      }
      case 'identifier': {
        const v = this.resolveName(n.text, n, w);
        return v ? this.keysOf(v, w, depth + 1) : unknown;
      }
      default:
        return unknown;
    }
  }

  private dictionaryKeys(creation: Node, w: Walk): KeySet {
    const init = creation.childForFieldName('initializer');
    if (!init) return { keys: [], complete: false };
    const keys: string[] = [];
    let complete = true;
    for (const c of init.namedChildren) {
      if (!c) continue;
      let keyNode: Node | null | undefined = null;
      if (c.type === 'assignment_expression') keyNode = c.childForFieldName('left')?.namedChildren.find((x) => x?.type === 'bracketed_argument_list')?.namedChildren[0]?.namedChildren[0];
      else if (c.type === 'initializer_expression') keyNode = c.namedChildren[0];
      const f = keyNode ? this.fold(keyNode, w, 0) : [];
      if (f.length === 1 && typeof f[0] === 'string') keys.push(f[0]);
      else complete = false;
    }
    return { keys, complete };
  }

  // ---- the .NET SDK --------------------------------------------------------------------------------

  /** An SDK member name (`Customers`, `AddOns`, `Agreements`…) used in a chain. */
  private fromSdkName(node: Node, w: Walk): void {
    const p = node.parent;
    if (p?.type !== 'member_access_expression' || p.childForFieldName('name')?.id !== node.id) return;
    if (!SDK_STEPS.has(normaliseStep(node.text))) return;
    this.sdkChain(topOfChain(p), w, 0);
  }

  /** Every request-making invocation of a chain is a site; a chain stored in a local is continued at its uses. */
  private sdkChain(top: Node, w: Walk, depth: number): void {
    if (depth > 4 || !w.firstVisit(top, 'sdk')) return;
    const links = chainLinks(top);
    if (links.length === 0) return;
    const steps = this.rootSteps(links[0], w, depth);
    for (const link of links) {
      const step = linkStep(link);
      if (step === undefined) continue;
      if (NEUTRAL_STEPS.has(step)) continue;
      steps.push(step);
      if (link.type === 'invocation_expression' && SDK_TERMINALS.has(step)) {
        w.addSite({
          kind: 'sdk',
          span: spanOf(link),
          call: spanOf(enclosingAwait(outerCall(link))),
          steps: [...steps],
          ...this.context(link, w, 'sdk'),
        });
      }
    }
    // `var sub = partner.Customers.ById(c).Subscriptions.ById(s);` then `sub.AddOns.Get()`.
    const decl = top.parent;
    if (decl?.type === 'variable_declarator' || (decl?.type === 'assignment_expression' && decl.childForFieldName('right')?.id === top.id)) {
      const nameNode = decl.type === 'variable_declarator' ? decl.childForFieldName('name') : decl.childForFieldName('left');
      if (!nameNode || nameNode.type !== 'identifier') return;
      for (const use of this.usesOf(nameNode.text, decl, this.declarationScope(decl), w)) {
        const m = use.parent;
        if (m?.type === 'member_access_expression' && m.childForFieldName('expression')?.id === use.id && use.startIndex > top.startIndex) {
          this.sdkChain(topOfChain(m), w, depth + 1);
        }
      }
    }
  }

  /** The steps before a chain's first link: the chain a local holds, else none (a parameter, a field). */
  private rootSteps(first: Node, w: Walk, depth: number): string[] {
    const root = chainRoot(first);
    if (!root || depth > 4) return [];
    if (root.type === 'identifier') {
      const v = this.resolveName(root.text, root, w);
      if (v && v.id !== first.id && isChainNode(v)) {
        const links = chainLinks(v);
        const prefix = this.rootSteps(links[0] ?? v, w, depth + 1);
        for (const l of links) {
          const s = linkStep(l);
          if (s !== undefined && !NEUTRAL_STEPS.has(s)) prefix.push(s);
        }
        return prefix;
      }
    }
    return [];
  }

  // ---- agreements ----------------------------------------------------------------------------------

  /**
   * `new Agreement { TemplateId = …, DateAgreed = … }`: the keys of the initializer, plus `x.Type = …` on the
   * variable it is stored in. An object that escapes to code we cannot see (a helper, a field, a return) may
   * get its type there: its keys are then incomplete.
   */
  private fromObjectType(typeNode: Node, w: Walk): void {
    let creation = typeNode.parent;
    if (creation?.type === 'qualified_name') creation = creation.parent;
    if (creation?.type !== 'object_creation_expression' || !w.firstVisit(creation, 'object')) return;
    const type = typeNode.text;
    // Our own Agreement class, or no sign of the SDK: not the Partner Center model.
    if (new RegExp(`\\b(?:class|record|struct)\\s+${type}\\b`).test(w.text)) return;
    if (!(w.idioms.sdkEvidence?.test(w.text) || /\bAgreements\s*\.\s*Create/.test(w.text))) return;
    const keys: string[] = [];
    let complete = true;
    const init = creation.childForFieldName('initializer');
    for (const c of init?.namedChildren ?? []) {
      if (c?.type === 'assignment_expression') keys.push(c.childForFieldName('left')?.text ?? '');
      else if (c) complete = false;
    }
    const decl = creation.parent;
    if (decl?.type === 'variable_declarator') {
      const name = decl.childForFieldName('name');
      for (const use of name ? this.usesOf(name.text, decl, this.declarationScope(decl), w) : []) {
        const m = use.parent;
        if (m?.type === 'member_access_expression' && m.childForFieldName('expression')?.id === use.id) {
          const a = m.parent;
          if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === m.id) keys.push(memberName(m));
          continue;
        }
        if (m?.type === 'argument') {
          const call = m.parent?.parent;
          const fn = call?.type === 'invocation_expression' ? call.childForFieldName('function') : null;
          const callee = fn?.type === 'member_access_expression' ? memberName(fn) : '';
          if (!/^Create(?:Async)?$/.test(callee)) complete = false;
          continue;
        }
        if (m?.type === 'return_statement' || m?.type === 'assignment_expression' || m?.type === 'arrow_expression_clause') complete = false;
      }
    } else if (decl?.type !== 'argument') {
      complete = false;
    }
    const span = { start: creation.startIndex, end: typeNode.endIndex };
    w.addSite({ kind: 'object', type, span, call: spanOf(creation), keys: { keys, complete }, ...this.context(creation, w, 'object') });
  }

  // ---- loops and guards ----------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'for_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), counted: true };
      }
      case 'foreach_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        const right = anc.childForFieldName('right');
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), label: right?.text, counted: false };
      }
      case 'while_statement':
      case 'do_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.childForFieldName('condition')?.text ?? '', counted: true };
      }
      case 'lambda_expression':
      case 'anonymous_method_expression':
        return { kind: 'function', callback: anc.parent?.type === 'argument' };
      case 'method_declaration':
      case 'constructor_declaration':
      case 'local_function_statement':
      case 'accessor_declaration':
      case 'operator_declaration':
      case 'declaration_list':
        return { kind: 'function', callback: false };
      case 'invocation_expression': {
        if (anc.childForFieldName('arguments')?.id !== child.id) return undefined;
        const fn = anc.childForFieldName('function');
        if (!fn) return undefined;
        const name = fn.type === 'member_access_expression' ? memberName(fn) : simpleName(fn);
        if (!name) return undefined;
        if (this.isRetryName(name, w)) return { kind: 'guard', guard: { kind: 'wrapper', name } };
        if (fn.type === 'member_access_expression') {
          const recv = fn.childForFieldName('expression')?.text ?? '';
          if (this.isRetryMethod(name, recv, w)) return { kind: 'guard', guard: { kind: 'method', name: `${lastSegment(recv.replace(/\(.*$/s, '')) || recv}.${name}` } };
          if (w.idioms.iterationCallbacks.includes(name)) {
            // `Parallel.ForEach(items, …)`: the collection is the first argument.
            const label = /^Parallel$/.test(recv) ? argumentsOf(anc)[0]?.text : recv;
            return { kind: 'loop', header: label ?? name, label, counted: false };
          }
        } else if (w.idioms.iterationCallbacks.includes(name)) {
          const first = argumentsOf(anc)[0]?.text;
          return { kind: 'loop', header: first ?? name, label: first, counted: false };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // ---- names and values ----------------------------------------------------------------------------

  protected definitionValue(nameNode: Node): Node | null {
    const p = nameNode.parent;
    if (!p || nameNode.type !== 'identifier') return null;
    if (p.type === 'variable_declarator' && p.childForFieldName('name')?.id === nameNode.id) {
      const kids = p.namedChildren.filter((c): c is Node => !!c && c.id !== nameNode.id && c.type !== 'bracketed_argument_list');
      return kids[kids.length - 1] ?? null;
    }
    if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === nameNode.id && p.parent?.type !== 'initializer_expression') {
      return p.childForFieldName('right');
    }
    if (p.type === 'property_declaration' && p.childForFieldName('name')?.id === nameNode.id) {
      const v = p.childForFieldName('value');
      if (v?.type === 'arrow_expression_clause') return v.namedChildren[0] ?? null;
      if (v) return v;
      // `string Url { get { return "…"; } }` / `get => "…"`
      for (const acc of p.childForFieldName('accessors')?.namedChildren ?? []) {
        if (acc?.childForFieldName('name')?.text !== 'get') continue;
        const body = acc.childForFieldName('body');
        if (body?.type === 'arrow_expression_clause') return body.namedChildren[0] ?? null;
        const ret = body?.namedChildren.filter((c) => c?.type === 'return_statement');
        if (ret?.length === 1) return ret[0]!.namedChildren[0] ?? null;
      }
      return null;
    }
    if (p.type === 'member_access_expression' && p.childForFieldName('name')?.id === nameNode.id && p.childForFieldName('expression')?.type === 'this_expression') {
      const a = p.parent;
      if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === p.id) return a.childForFieldName('right');
    }
    return null;
  }

  protected scopeOf(node: Node): Node {
    let n = node.parent;
    while (n) {
      if (FUNCTION_TYPES.has(n.type) || n.type === 'declaration_list' || n.type === 'compilation_unit') {
        // A member's name is visible in the whole type.
        if ((n.type === 'method_declaration' || n.type === 'property_declaration') && n.childForFieldName('name')?.id === node.id) {
          n = n.parent;
          continue;
        }
        return n;
      }
      n = n.parent;
    }
    return node.tree.rootNode;
  }

  /** Where a declared name is visible: fields in the whole type, locals in their function. */
  private declarationScope(declarator: Node): Node {
    const decl = declarator.parent?.parent;
    if (decl?.type === 'field_declaration' || decl?.type === 'event_field_declaration') return decl.parent ?? declarator.tree.rootNode;
    return this.scopeOf(declarator);
  }

  private scopeOfName(name: string, at: Node, w: Walk): Node {
    // An assignment to a field (`_baseUrl = …` in a constructor) is visible in the whole type.
    const v = this.resolveName(name, at, w);
    const declarator = v?.parent;
    if (declarator?.type === 'variable_declarator') return this.declarationScope(declarator);
    let n: Node | null = at.parent;
    while (n && n.type !== 'declaration_list') n = n.parent;
    return n ?? this.scopeOf(at);
  }

  /** The value of `Owner.Name` (`this.X`, `Endpoints.Base`): a member defined in the type named Owner. */
  private memberValue(owner: string, name: string, w: Walk): Node | null {
    for (const offset of w.occurrences(name, false, 'assignments')) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      if (!n) continue;
      const v = this.definitionValue(n);
      if (!v) continue;
      const p = n.parent;
      const isMember = p?.type === 'property_declaration' || p?.parent?.parent?.type === 'field_declaration' || p?.type === 'member_access_expression';
      if (!isMember) continue;
      if (owner === 'this') return v;
      const type = enclosingType(n);
      if (type?.childForFieldName('name')?.text === owner) return v;
    }
    return null;
  }

  // ---- folding -------------------------------------------------------------------------------------

  fold(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    if (depth > MAX_FOLD_DEPTH) return hole(node.text);
    const f = (n: Node) => this.fold(n, w, depth + 1, env);
    switch (node.type) {
      case 'string_literal':
        return lit(decodeString(node));
      case 'verbatim_string_literal':
        return lit(node.text.slice(2, -1).split('""').join('"'));
      case 'raw_string_literal':
        return lit(node.namedChildren.filter((c) => c?.type === 'raw_string_content').map((c) => c!.text).join(''));
      case 'interpolated_string_expression': {
        const verbatim = node.namedChildren[0]?.text.includes('@') ?? false;
        const parts: Folded[] = [];
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_content') parts.push(lit(verbatim ? c.text.split('""').join('"') : c.text));
          else if (c.type === 'escape_sequence') parts.push(lit(c.text === '{{' ? '{' : c.text === '}}' ? '}' : unescapeCs(c.text)));
          else if (c.type === 'interpolation') {
            const inner = c.namedChildren.find((x) => x && x.type !== 'interpolation_brace' && !x.type.startsWith('interpolation_'));
            parts.push(inner ? f(inner) : hole(c.text));
          }
        }
        return concat(...parts);
      }
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.text;
        if (op === '??') {
          // `Environment.GetEnvironmentVariable("PC_API") ?? "https://…"`: the default names the host.
          const l = node.childForFieldName('left');
          const r = node.childForFieldName('right');
          const left = l ? f(l) : hole(node.text);
          return left.length === 1 && typeof left[0] !== 'string' && r ? f(r) : left;
        }
        if (op !== '+') return hole(node.text);
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        return l && r ? concat(f(l), f(r)) : hole(node.text);
      }
      case 'identifier': {
        const bound = env?.get(node.text);
        if (bound) return bound;
        if (env?.has(node.text)) return hole(node.text);
        const v = this.resolveName(node.text, node, w) ?? this.memberValue('this', node.text, w);
        return v && !contains(v, node) ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'member_access_expression': {
        const name = memberName(node);
        const obj = node.childForFieldName('expression');
        if (!obj) return hole(node.text);
        if (/^(?:AbsoluteUri|OriginalString)$/.test(name)) return f(obj);
        const owner = obj.type === 'this_expression' ? 'this' : lastSegment(obj.text);
        const v = this.memberValue(owner, name, w);
        return v && !contains(v, node) ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'invocation_expression':
        return this.foldCall(node, w, depth, env);
      case 'object_creation_expression': {
        const type = lastSegment(typeText(node));
        const args = argumentsOf(node).map((a) => a.namedChildren.find((c) => c?.type !== 'name_colon')).filter((c): c is Node => !!c);
        if (type === 'Uri' && args[0]) {
          if (args.length >= 2 && !/UriKind/.test(args[1].text)) return resolveUri(f(args[0]), f(args[1]));
          return f(args[0]);
        }
        if (type === 'UriBuilder' && args[0]) return f(args[0]);
        return hole(node.text);
      }
      default:
        if (TRANSPARENT.has(node.type)) {
          const inner = node.namedChildren[node.namedChildren.length - 1];
          return inner ? f(inner) : hole(node.text);
        }
        return hole(node.text);
    }
  }

  private foldCall(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const fn = node.childForFieldName('function');
    if (!fn) return hole(node.text);
    const args = argumentsOf(node).map((a) => a.namedChildren.find((c) => c?.type !== 'name_colon')).filter((c): c is Node => !!c);
    const f = (n: Node) => this.fold(n, w, depth + 1, env);
    const fnText = fn.text.replace(/\s+/g, '');
    if (/^(?:System\.)?[sS]tring\.Format$/.test(fnText) && args[0]) {
      // `string.Format(CultureInfo.InvariantCulture, fmt, …)`
      const withProvider = /Culture|FormatProvider|Provider/.test(args[0].text) && args.length > 1;
      const rest = withProvider ? args.slice(1) : args;
      return formatIndexed(f(rest[0]), rest.slice(1).map(f));
    }
    if (/^(?:System\.)?[sS]tring\.Concat$/.test(fnText)) return concat(...args.map(f));
    if (/^(?:System\.)?[sS]tring\.Join$/.test(fnText) && args.length >= 2) {
      const sep = this.fold(args[0], w, depth + 1, env);
      return sep.length === 1 && typeof sep[0] === 'string' ? join(args.slice(1).map(f), sep[0]) : hole(node.text);
    }
    if (fnText === 'QueryHelpers.AddQueryString' && args.length >= 2) {
      const base = f(args[0]);
      const key = args.length >= 3 ? f(args[1]) : hole(args[1].text);
      const text = base.map((p) => (typeof p === 'string' ? p : '')).join('');
      return concat(base, lit(text.includes('?') ? '&' : '?'), key, lit('='), args[2] ? f(args[2]) : hole('value'));
    }
    if (fnText === 'Url.Combine') return join(args.map(f), '/');
    if (fn.type === 'member_access_expression') {
      const name = memberName(fn);
      const obj = fn.childForFieldName('expression');
      if (!obj) return hole(node.text);
      if (/^(?:ToString|Trim|TrimStart|ToLowerInvariant|ToLower)$/.test(name)) return f(obj);
      if (name === 'TrimEnd') return trimTrailingSlash(f(obj));
      if (name === 'AppendPathSegment' || name === 'AppendPathSegments') return join([trimTrailingSlash(f(obj)), ...args.map(f)], '/');
      if (name === 'SetQueryParam' && args[0]) {
        const base = f(obj);
        const text = base.map((p) => (typeof p === 'string' ? p : '')).join('');
        return concat(base, lit(text.includes('?') ? '&' : '?'), f(args[0]), lit('='), args[1] ? f(args[1]) : hole('value'));
      }
      if (obj.type !== 'this_expression') return hole(node.text);
    }
    // A same-file method returning a URL: fold its body with the arguments bound to its parameters.
    const name = fn.type === 'member_access_expression' ? memberName(fn) : simpleName(fn);
    const method = this.sameFileMethod(name, args.length, w);
    if (!method) return hole(node.text);
    const ret = returnedExpression(method);
    if (!ret) return hole(node.text);
    const params = (method.childForFieldName('parameters')?.namedChildren ?? []).filter((p): p is Node => p?.type === 'parameter');
    const bound = new Map<string, Folded>();
    params.forEach((p, i) => {
      const pn = p.childForFieldName('name')?.text;
      if (pn) bound.set(pn, args[i] ? f(args[i]) : hole(pn));
    });
    return this.fold(ret, w, depth + 1, bound);
  }

  private sameFileMethod(name: string, arity: number, w: Walk): Node | null {
    if (!name) return null;
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (!n || !p) continue;
      if ((p.type === 'method_declaration' || p.type === 'local_function_statement') && p.childForFieldName('name')?.id === n.id) {
        const count = (p.childForFieldName('parameters')?.namedChildren ?? []).filter((c) => c?.type === 'parameter').length;
        if (count === arity) return p;
      }
    }
    return null;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

function argumentsOf(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((c): c is Node => !!c && c.type === 'argument') : [];
}

/** `Get` in `x.Get`, `GetFromJsonAsync` in `x.GetFromJsonAsync<T>`. */
function memberName(m: Node): string {
  const n = m.childForFieldName('name');
  return n ? simpleName(n) : '';
}

function simpleName(n: Node): string {
  if (n.type === 'generic_name') return n.namedChildren[0]?.text ?? '';
  if (n.type === 'identifier') return n.text;
  if (n.type === 'member_access_expression') return memberName(n);
  return '';
}

function typeText(creation: Node): string {
  return (creation.childForFieldName('type')?.text ?? '').replace(/<.*$/s, '');
}

function lastSegment(s: string): string {
  const i = s.lastIndexOf('.');
  return i >= 0 ? s.slice(i + 1) : s;
}

function initializerValue(init: Node, key: string): Node | null {
  for (const c of init.namedChildren) {
    if (c?.type === 'assignment_expression' && c.childForFieldName('left')?.text === key) return c.childForFieldName('right');
  }
  return null;
}

/** The member (method, property, local function, lambda) a node is in. */
function enclosingMember(node: Node): Node | null {
  let n = node.parent;
  while (n) {
    if (n.type === 'lambda_expression') return null;
    if (n.type === 'method_declaration' || n.type === 'property_declaration' || n.type === 'local_function_statement') return n;
    n = n.parent;
  }
  return null;
}

function enclosingType(node: Node): Node | null {
  let n = node.parent;
  while (n && !/^(?:class|struct|record|interface)_declaration$|^record_struct_declaration$/.test(n.type)) n = n.parent;
  return n;
}

function returnedExpression(method: Node): Node | null {
  const body = method.childForFieldName('body');
  if (!body) return null;
  if (body.type === 'arrow_expression_clause') return body.namedChildren[0] ?? null;
  const returns = body.namedChildren.filter((c): c is Node => !!c && c.type === 'return_statement');
  return returns.length === 1 ? returns[0].namedChildren[0] ?? null : null;
}

/** `await x.GetAsync(…).ConfigureAwait(false)`: the whole awaited expression (what a retry fix wraps). */
function enclosingAwait(call: Node): Node {
  let n = call;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if (p.type === 'member_access_expression' && p.childForFieldName('expression')?.id === n.id && memberName(p) === 'ConfigureAwait' && p.parent?.type === 'invocation_expression') {
      n = p.parent;
    } else if (p.type === 'await_expression') {
      return p;
    } else return n;
  }
}

/** The invocation a chain link belongs to, through a trailing `.ConfigureAwait(false)`. */
function outerCall(link: Node): Node {
  return link;
}

function isChainNode(n: Node): boolean {
  return n.type === 'member_access_expression' || n.type === 'invocation_expression' || n.type === 'element_access_expression' || n.type === 'await_expression';
}

/** Climbs from a member access to the top of its chain (member accesses, invocations, indexers). */
function topOfChain(node: Node): Node {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if (p.type === 'member_access_expression' && p.childForFieldName('expression')?.id === n.id) n = p;
    else if (p.type === 'invocation_expression' && p.childForFieldName('function')?.id === n.id) n = p;
    else if (p.type === 'element_access_expression' && p.childForFieldName('expression')?.id === n.id) n = p;
    else return n;
  }
}

/** The links of a chain from its root outwards: member accesses not invoked, invocations, indexers. */
function chainLinks(top: Node): Node[] {
  const out: Node[] = [];
  let n: Node | null = top;
  while (n) {
    if (n.type === 'await_expression' || n.type === 'parenthesized_expression') {
      n = n.namedChildren[n.namedChildren.length - 1] ?? null;
      continue;
    }
    if (n.type === 'invocation_expression') {
      const fn = n.childForFieldName('function');
      out.push(n);
      n = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : null;
    } else if (n.type === 'member_access_expression') {
      out.push(n);
      n = n.childForFieldName('expression');
    } else if (n.type === 'element_access_expression') {
      out.push(n);
      n = n.childForFieldName('expression');
    } else break;
  }
  return out.reverse();
}

/** The expression a chain starts from (`partner` in `partner.Customers…`). */
function chainRoot(first: Node): Node | null {
  if (first.type === 'invocation_expression') {
    const fn = first.childForFieldName('function');
    return fn?.type === 'member_access_expression' ? fn.childForFieldName('expression') : fn;
  }
  return first.childForFieldName('expression');
}

/** The normalised step of a link; undefined for the member access an invocation already names. */
function linkStep(link: Node): string | undefined {
  if (link.type === 'element_access_expression') return 'byid';
  if (link.type === 'invocation_expression') {
    const fn = link.childForFieldName('function');
    return fn ? normaliseStep(simpleName(fn)) : undefined;
  }
  const p = link.parent;
  if (p?.type === 'invocation_expression' && p.childForFieldName('function')?.id === link.id) return undefined;
  return normaliseStep(memberName(link));
}

function decodeString(node: Node): string {
  let s = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_literal_content') s += c.text;
    else if (c.type === 'escape_sequence') s += unescapeCs(c.text);
  }
  return s;
}

function unescapeCs(seq: string): string {
  switch (seq[1]) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    case 'u':
    case 'x': {
      const code = parseInt(seq.slice(2), 16);
      return Number.isFinite(code) ? String.fromCharCode(code) : '';
    }
    default:
      return seq.slice(1);
  }
}


/** `new Uri(baseUri, relative)` per RFC 3986: a relative path replaces the base's last segment. */
function resolveUri(base: Folded, ref: Folded): Folded {
  const first = ref[0];
  if (typeof first === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first)) return ref;
  const last = base[base.length - 1];
  if (typeof last !== 'string') return join([base, ref], '/');
  if (typeof first === 'string' && first.startsWith('/')) {
    // An absolute path keeps only the scheme and host.
    const text = base.every((p) => typeof p === 'string') ? (base as string[]).join('') : undefined;
    const m = text !== undefined ? /^([a-z][a-z0-9+.-]*:\/\/[^/]*)/i.exec(text) : null;
    return m ? concat(lit(m[1]), ref) : concat(base, ref);
  }
  const slash = last.lastIndexOf('/');
  const head = last.endsWith('/') || slash < 0 || /:\/\/[^/]*$/.test(last) ? last : last.slice(0, slash + 1);
  return concat([...base.slice(0, -1), head.endsWith('/') || head.endsWith(':') ? head : `${head}/`], ref);
}
