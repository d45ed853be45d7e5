/**
 * Go: net/http (`http.NewRequest(WithContext)`, `http.Get/Head/Post/PostForm`, the same methods on `*http.Client`
 * values), hashicorp/go-retryablehttp, fluent builders (resty, imroc/req: `client.R().SetQueryParam(…).Get(url)`),
 * and request helpers of the user's own (`c.do(ctx, http.MethodGet, path, nil, &out)`, `c.get(ctx, path)`).
 *
 * A site is the call that carries the URL. From an anchor (a string holding a path word) the adapter climbs the
 * expression that builds the URL (`+`, `fmt.Sprintf`, `url.JoinPath`, `path.Join`, `strings.Join`, `url.Parse`,
 * `url.URL{…}`), follows the names it is bound to (locals, package `const`/`var`, struct fields set in a
 * constructor, functions that return it) and stops at the call it is an argument of.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { goHttp as L, goIdioms } from '../../catalog/idioms/go';
import { concat, Folded, formatPrintf, hole, isHole, join, lit } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { goFixes } from './go-fixes';
import type { GuardContext, HttpSite, KeySet, LoopContext } from '../types';
import { methodFromName, normaliseMethod, parseUrl } from '../url';
import { AncestorRole, DefinitionRegion, TreeAdapter, Walk, contains, spanOf } from './base';

const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration', 'func_literal']);
const STRING_TYPES = new Set(['interpreted_string_literal', 'raw_string_literal']);
const HTTP_VERBS = /^(?:GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS)$/i;
/** Verb methods of clients and builders (`client.Get(url)`, `r.Patch(url)`), as Go spells them. */
const VERB_METHODS = new Set(['Get', 'Head', 'Post', 'PostForm', 'Put', 'Patch', 'Delete', 'Options']);
/** Fields of `url.URL{…}` that are part of the URL text. */
const URL_FIELDS = new Set(['Scheme', 'Host', 'Path', 'RawPath', 'RawQuery', 'Opaque']);
/** Standard packages the folding knows, by import path. */
const PKG = {
  http: 'net/http',
  url: 'net/url',
  fmt: 'fmt',
  path: 'path',
  strings: 'strings',
  json: 'encoding/json',
  bytes: 'bytes',
} as const;

/** The empty, complete key set: a query or body known to have no keys. */
const NO_KEYS: KeySet = { keys: [], complete: true };
const UNKNOWN_KEYS: KeySet = { keys: [], complete: false };

/** What a receiver is; `user`: a struct type of the file (a client of the user's own, not a router). */
type ReceiverKind = 'client' | 'builder' | 'router' | 'lookup' | 'mock' | 'user' | 'unknown';

interface GoApi {
  urlIndex: number;
  method?: string;
  methodIndex?: number;
  bodyIndex?: number;
  /** `request`: a request built here and sent later (`http.NewRequest`); its sending call counts for loops and retries. */
  kind: 'request' | 'client' | 'builder' | 'wrapper';
  /** For builders: the receiver of the verb call (the chain or the request variable). */
  builder?: Node;
}

interface BuilderInfo {
  query?: KeySet;
  body?: KeySet;
  /** The client the request was started on (`client` in `client.R()`). */
  client?: Node;
}

interface FileInfo {
  /** Local package name of each imported path (`http` for net/http unless aliased). */
  localName: Map<string, string>;
  /** Import path of each local package name. */
  pathOf: Map<string, string>;
}

/**
 * Could a declared name end at `end` (`ctx context.Context`, `a, b string`, `var q url.Values`, a struct field
 * `Client *http.Client`)? A cheap, conservative text test before a tree lookup: a comma, or blanks then what a
 * type starts with. Uses are mostly followed by `.`, `(`, `)`, an operator or the end of the line.
 */
function typeMayFollow(text: string, end: number): boolean {
  let i = end;
  if (text.charCodeAt(i) === 44 /* , */) return true;
  if (text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return false;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return /[A-Za-z_*[.(<]/.test(text.charAt(i));
}

/** Scopes found per syntax tree (a tree is replaced, not mutated, after each edit: entries die with it). */
const SCOPES = new WeakMap<Tree, Map<number, Node>>();

export class GoAdapter extends TreeAdapter {
  readonly language = 'go' as const;
  readonly idioms = goIdioms;
  readonly comment = { line: '//', block: ['/*', '*/'] as const };
  protected override readonly unitTypes = FUNCTION_TYPES;
  private readonly files = new WeakMap<Walk, FileInfo>();

  fixes(ctx: FixContext): Fix[] {
    return goFixes(ctx);
  }

  grammar(): GrammarName {
    return 'go';
  }

  // ---- anchors -------------------------------------------------------------------------------------

  protected fromAnchor(node: Node, w: Walk): void {
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (n.type === 'comment') return;
      if (STRING_TYPES.has(n.type)) {
        // Struct tags and import paths are not values.
        const p = n.parent?.type;
        if (p === 'field_declaration' || p === 'import_spec') return;
        this.visitValue(n, w, 0);
        return;
      }
    }
  }

  /** From a value (a string, a name's use) to the calls it reaches. */
  private visitValue(expr: Node, w: Walk, depth: number): void {
    if (depth > TreeAdapter.maxDepth || w.outOfTime() || !w.firstVisit(expr, 'value')) return;
    const root = this.expressionRoot(expr, w);
    const parent = root.parent;
    if (!parent) return;
    switch (parent.type) {
      case 'argument_list': {
        const call = parent.parent;
        if (call?.type === 'call_expression') this.siteFromCall(call, root, w);
        return;
      }
      case 'expression_list': {
        const owner = parent.parent;
        if (!owner) return;
        if (owner.type === 'return_statement') {
          this.followReturn(owner, w, depth);
          return;
        }
        const target = assignedTarget(root);
        if (target) this.followTarget(target, owner, w, depth);
        return;
      }
      case 'literal_element': {
        // `&Client{subsPath: "…"}` (a struct field read as `c.subsPath`), `map[string]string{"subs": "…"}`.
        const keyed = parent.parent;
        if (keyed?.type !== 'keyed_element' || keyed.childForFieldName('value')?.id !== parent.id) return;
        const key = keyed.childForFieldName('key')?.namedChildren[0];
        const comp = keyed.parent?.parent;
        if (!key || comp?.type !== 'composite_literal') return;
        if (comp.childForFieldName('type')?.type === 'map_type') {
          const keyText = STRING_TYPES.has(key.type) ? decodeString(key) : undefined;
          const owner = this.definedName(this.expressionRoot(comp, w));
          if (keyText === undefined || !owner) return;
          for (const use of this.usesOf(owner.text, owner, this.scopeOf(owner), w)) {
            const ix = use.parent;
            if (ix?.type === 'index_expression' && ix.childForFieldName('operand')?.id === use.id) {
              const index = ix.childForFieldName('index');
              if (index && this.literal(index, w) === keyText) this.visitValue(ix, w, depth + 1);
            }
          }
        } else if (key.type === 'identifier') {
          for (const use of this.fieldReads(key.text, w)) this.visitValue(use, w, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  }

  /** A value assigned to a name or a field: follow the name's uses (or the field's reads). */
  private followTarget(target: Node, owner: Node, w: Walk, depth: number): void {
    if (target.type === 'identifier') {
      if (target.text === '_') return;
      for (const use of this.usesOf(target.text, owner, this.scopeOf(owner), w)) {
        if (use.type === 'identifier' && !isKeyOfKeyedElement(use)) this.visitValue(use, w, depth + 1);
      }
    } else if (target.type === 'selector_expression') {
      const field = target.childForFieldName('field')?.text;
      if (field) for (const use of this.fieldReads(field, w)) this.visitValue(use, w, depth + 1);
    }
  }

  /** `func subscriptionsURL(id string) string { return … }`: follow the calls of the function. */
  private followReturn(ret: Node, w: Walk, depth: number): void {
    let fn: Node | null = ret.parent;
    while (fn && !FUNCTION_TYPES.has(fn.type)) fn = fn.parent;
    if (!fn || fn.type === 'func_literal') return;
    const name = fn.childForFieldName('name');
    if (!name) return;
    for (const offset of w.occurrences(name.text)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.text.length);
      if (!n || n.id === name.id) continue;
      const callee = n.parent?.type === 'selector_expression' && n.parent.childForFieldName('field')?.id === n.id ? n.parent : n;
      const call = callee.parent;
      if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id) this.visitValue(call, w, depth + 1);
    }
  }

  /** Reads of a struct field `x.field` anywhere in the file (not the assignments to it). */
  private fieldReads(field: string, w: Walk): Node[] {
    const out: Node[] = [];
    for (const offset of w.occurrences(field)) {
      if (w.outOfTime()) break;
      if (!typeMayFollow(w.text, offset + field.length)) continue;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + field.length);
      const sel = n?.parent;
      if (!n || n.type !== 'field_identifier' || sel?.type !== 'selector_expression') continue;
      if (sel.childForFieldName('field')?.id !== n.id || isAssignmentTarget(sel)) continue;
      out.push(sel);
    }
    return out;
  }

  /** Climbs through the expressions that build a URL from its parts. */
  private expressionRoot(node: Node, w: Walk): Node {
    let n = node;
    for (;;) {
      const p = n.parent;
      if (!p) return n;
      switch (p.type) {
        case 'parenthesized_expression':
        case 'type_conversion_expression':
          n = p;
          continue;
        case 'binary_expression':
          if (p.childForFieldName('operator')?.type !== '+') return n;
          n = p;
          continue;
        case 'unary_expression':
          if (p.childForFieldName('operator')?.type !== '&') return n;
          n = p;
          continue;
        case 'argument_list': {
          const call = p.parent;
          if (call?.type === 'call_expression' && this.isUrlBuilder(call, n, w)) {
            n = call;
            continue;
          }
          return n;
        }
        case 'selector_expression': {
          // `u.String()`, `base.JoinPath("customers", id)`.
          const field = p.childForFieldName('field')?.text;
          const call = p.parent;
          if (p.childForFieldName('operand')?.id !== n.id || (field !== 'String' && field !== 'JoinPath')) return n;
          if (call?.type !== 'call_expression' || call.childForFieldName('function')?.id !== p.id) return n;
          n = call;
          continue;
        }
        case 'literal_element': {
          const up = p.parent;
          if (up?.type === 'literal_value') {
            // An element of `[]string{base, "customers", id}` (joined later).
            const comp = up.parent;
            if (comp?.type !== 'composite_literal' || !isStringSlice(comp)) return n;
            n = comp;
            continue;
          }
          if (up?.type === 'keyed_element' && up.childForFieldName('value')?.id === p.id) {
            // `url.URL{Scheme: "https", Host: host, Path: "/v1/customers/…"}`.
            const key = up.childForFieldName('key')?.text ?? '';
            const comp = up.parent?.parent;
            if (comp?.type !== 'composite_literal' || !URL_FIELDS.has(key) || !this.isUrlStruct(comp, w)) return n;
            n = comp;
            continue;
          }
          return n;
        }
        default:
          return n;
      }
    }
  }

  /** Calls whose result is a URL built from the argument `arg`. */
  private isUrlBuilder(call: Node, arg: Node, w: Walk): boolean {
    const fn = call.childForFieldName('function');
    if (!fn) return false;
    if (fn.type === 'identifier') return fn.text === 'string';
    if (fn.type !== 'selector_expression') return false;
    const field = fn.childForFieldName('field')?.text ?? '';
    const operand = fn.childForFieldName('operand');
    const first = argumentList(call)[0]?.id === arg.id;
    if (operand?.type === 'identifier') {
      if (this.isPackage(operand, PKG.fmt, w)) return field === 'Sprintf' || field === 'Sprint';
      if (this.isPackage(operand, PKG.url, w)) return field === 'JoinPath' || (first && (field === 'Parse' || field === 'ParseRequestURI'));
      if (this.isPackage(operand, PKG.path, w)) return field === 'Join';
      if (this.isPackage(operand, PKG.strings, w)) {
        return first && /^(?:Join|Replace|ReplaceAll|TrimSuffix|TrimRight|TrimSpace|ToLower)$/.test(field);
      }
    }
    // `strings.NewReplacer("{id}", id).Replace(template)`.
    if (field === 'Replace' && first && this.replacerPairs(operand, w)) return true;
    // `base.JoinPath("customers", id, "subscriptions")` on a *url.URL.
    return field === 'JoinPath';
  }

  /** The old/new pairs of a `strings.NewReplacer(…)` call (directly or through a name). */
  private replacerPairs(node: Node | null, w: Walk): Node[] | undefined {
    const call = node?.type === 'identifier' ? this.resolveName(node.text, node, w) : node;
    const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
    if (fn?.type !== 'selector_expression' || fn.childForFieldName('field')?.text !== 'NewReplacer') return undefined;
    const pkg = fn.childForFieldName('operand');
    return pkg && this.isPackage(pkg, PKG.strings, w) ? argumentList(call!) : undefined;
  }

  private isUrlStruct(comp: Node, w: Walk): boolean {
    const t = comp.childForFieldName('type');
    if (t?.type !== 'qualified_type') return false;
    return t.childForFieldName('name')?.text === 'URL' && t.childForFieldName('package')?.text === this.localName(PKG.url, w);
  }

  // ---- calls -------------------------------------------------------------------------------------

  private siteFromCall(call: Node, arg: Node, w: Walk): void {
    if (w.outOfTime()) return;
    const args = argumentList(call);
    const argIndex = args.findIndex((a) => a.id === arg.id);
    if (argIndex < 0) return;
    const api = this.httpApi(call, args, argIndex, w);
    if (!api || api.urlIndex !== argIndex) return;
    const urlNode = args[api.urlIndex];

    let method = api.method;
    if (method === undefined && api.methodIndex !== undefined && args[api.methodIndex]) method = this.literal(args[api.methodIndex], w);

    const builder = api.builder ? this.builderInfo(api.builder, w) : undefined;
    let body = builder?.body;
    const bodyNode = api.bodyIndex !== undefined ? args[api.bodyIndex] : undefined;
    if (bodyNode) body = this.bodyKeys(bodyNode, w);

    const query = builder ? builder.query : api.kind === 'request' ? this.requestQuery(call, urlNode, w) : undefined;

    // A multi-line builder chain is reported on the verb (`.Get(url)`), not where the chain starts.
    const fn = call.childForFieldName('function');
    const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field') : null;
    const chained = fn?.type === 'selector_expression' && fn.childForFieldName('operand')?.type === 'call_expression';
    const span = chained && field ? { start: field.startIndex, end: call.endIndex } : spanOf(call);

    let ctx = this.context(call, w, 'http');
    if (api.kind === 'request' || (api.kind === 'wrapper' && /[Rr]equest/.test(field?.text ?? fn?.text ?? ''))) {
      ctx = this.withSendContext(call, ctx, w);
    }
    const site: HttpSite = {
      kind: 'http',
      span,
      call: spanOf(call),
      url: this.fold(urlNode, w, 0),
      urlSpan: spanOf(urlNode),
      method: normaliseMethod(method),
      body,
      query,
      base: builder?.client ? this.builderBase(builder.client, w) : undefined,
      ...ctx,
    };
    w.addSite(site);
  }

  /** What kind of HTTP call this is, if any. */
  private httpApi(call: Node, args: Node[], argIndex: number, w: Walk): GoApi | undefined {
    const fn = call.childForFieldName('function');
    if (!fn) return undefined;
    if (fn.type === 'identifier') return this.wrapperApi(fn.text, args, argIndex, undefined, w);
    if (fn.type !== 'selector_expression') return undefined;
    const field = fn.childForFieldName('field')?.text;
    const operand = fn.childForFieldName('operand');
    if (!field || !operand) return undefined;

    if (this.isPackageName(operand, w)) {
      if (L.requestPackages.includes(this.packagePath(operand, w) ?? '')) return packageApi(field, args);
      if (L.notClientPackages.includes(operand.text)) return undefined;
      // A package of the user's own (`pcapi.Get(ctx, path)`).
      return this.wrapperApi(field, args, argIndex, undefined, w);
    }

    if (VERB_METHODS.has(field) || field === 'Execute') {
      switch (this.receiverKind(operand, w, 0)) {
        case 'builder':
          if (field === 'Execute') return args.length === 2 ? { urlIndex: 1, methodIndex: 0, kind: 'builder', builder: operand } : undefined;
          return args.length === 1 && field !== 'PostForm' ? { urlIndex: 0, method: field.toUpperCase(), kind: 'builder', builder: operand } : undefined;
        case 'client':
          return clientApi(field, args);
        case 'unknown':
        case 'user':
          break;
        default:
          return undefined;
      }
    }
    return this.wrapperApi(field, args, argIndex, operand, w);
  }

  /**
   * A request helper of the user's own: the method is a verb argument (`http.MethodGet`, `"PATCH"`, a constant)
   * or in its name (`getJSON`), as the TS adapter's wrappers. The body is the argument after the URL.
   */
  private wrapperApi(name: string, args: Node[], argIndex: number, receiver: Node | undefined, w: Walk): GoApi | undefined {
    if (L.notHttpNames.test(name)) return undefined;
    // Route registrations and callbacks take a func literal (`r.Get(pattern, func(w, r) {…})`).
    if (args.some((a) => a.type === 'func_literal')) return undefined;
    if (receiver) {
      // `unknown`: nothing in the file says what the receiver is; its name must not be a router's.
      const kind = this.receiverKind(receiver, w, 0);
      if (kind === 'router' || kind === 'lookup' || kind === 'mock') return undefined;
      if (kind === 'unknown' && L.routerNames.test(lastName(receiver))) return undefined;
    }
    let method: string | undefined;
    for (let i = 0; i < args.length && !method; i++) {
      if (i === argIndex) continue;
      const v = this.literal(args[i], w);
      if (v && HTTP_VERBS.test(v)) method = v.toUpperCase();
    }
    if (!method) {
      if (!L.wrapperNames.test(name)) return undefined;
      method = methodFromName(name);
    }
    return { urlIndex: argIndex, method, bodyIndex: args.length > argIndex + 1 ? argIndex + 1 : undefined, kind: 'wrapper' };
  }

  /** What a receiver is: an HTTP client, a builder request, a router, a lookup table, a mock, or unknown. */
  private receiverKind(node: Node, w: Walk, depth: number): ReceiverKind {
    if (depth > 6) return 'unknown';
    switch (node.type) {
      case 'parenthesized_expression':
      case 'unary_expression': {
        const inner = node.type === 'unary_expression' ? node.childForFieldName('operand') : node.namedChildren[0];
        return inner ? this.receiverKind(inner, w, depth + 1) : 'unknown';
      }
      case 'composite_literal':
        return this.kindOfType(node.childForFieldName('type')?.text ?? '', w);
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const fnText = compact(fn?.text ?? '');
        if (L.clientConstructors.test(fnText)) return 'client';
        if (L.routerConstructors.test(fnText)) return 'router';
        if (fn?.type !== 'selector_expression') return 'unknown';
        const field = fn.childForFieldName('field')?.text ?? '';
        const operand = fn.childForFieldName('operand');
        if (!operand) return 'unknown';
        if (this.isPackageName(operand, w)) return L.notClientPackages.includes(operand.text) ? 'mock' : 'unknown';
        if (L.builderStarts.includes(field) && argumentList(node).length === 0) return 'builder';
        // A builder chain returns the request: `client.R().SetContext(ctx).SetResult(&out)`.
        const inner = this.receiverKind(operand, w, depth + 1);
        return inner === 'builder' || inner === 'mock' ? inner : 'unknown';
      }
      case 'selector_expression': {
        const operand = node.childForFieldName('operand');
        const field = node.childForFieldName('field')?.text ?? '';
        if (operand?.type === 'identifier' && this.isPackage(operand, PKG.http, w)) return field === 'DefaultClient' ? 'client' : 'unknown';
        const types = this.fieldTypes(field, w);
        if (types.length > 0) {
          const kinds = new Set(types.map((t) => this.kindOfType(t, w)));
          if (kinds.size === 1) return [...kinds][0];
        }
        const v = this.fieldValue(node, w);
        if (v) return this.receiverKind(v, w, depth + 1);
        return L.lookupNames.test(field) ? 'lookup' : 'unknown';
      }
      case 'identifier': {
        if (this.isPackageName(node, w)) return L.notClientPackages.includes(node.text) ? 'mock' : 'unknown';
        const v = this.resolveName(node.text, node, w);
        if (v) {
          const k = this.receiverKind(v, w, depth + 1);
          if (k !== 'unknown') return k;
        }
        const t = this.declaredType(node.text, node, w);
        if (t) {
          const k = this.kindOfType(t, w);
          if (k !== 'unknown') return k;
        }
        return L.lookupNames.test(node.text) ? 'lookup' : 'unknown';
      }
      default:
        return 'unknown';
    }
  }

  private kindOfType(typeText: string, w: Walk): ReceiverKind {
    const t = compact(typeText);
    if (L.clientTypes.test(t)) return 'client';
    if (L.builderTypes.test(t)) return 'builder';
    if (L.routerTypes.test(t)) return 'router';
    if (L.lookupTypes.test(t)) return 'lookup';
    // `type Client struct { *http.Client; … }`: the client's methods are promoted.
    const decl = this.structDecl(t.replace(/^\*/, ''), w);
    if (decl) return decl.embedded.some((e) => L.clientTypes.test(e)) ? 'client' : 'user';
    return 'unknown';
  }

  // ---- builders (resty, imroc/req) -----------------------------------------------------------------

  /** Query and body set along a builder chain, and on the request variable it was stored in. */
  private builderInfo(receiver: Node, w: Walk): BuilderInfo {
    const info: BuilderInfo = {};
    const keys: string[] = [];
    let queryComplete = true;
    let anyQuery = false;
    const apply = (method: string, args: Node[]): void => {
      const q = L.querySetters;
      if (q.key.includes(method)) {
        anyQuery = true;
        const k = args[0] ? this.literal(args[0], w) : undefined;
        if (k !== undefined) keys.push(k);
        else queryComplete = false;
      } else if (q.map.includes(method) || q.values.includes(method)) {
        anyQuery = true;
        const ks = args[0] ? (q.map.includes(method) ? this.keysOf(args[0], w, 0) : this.valuesKeys(args[0], w, 0)) : UNKNOWN_KEYS;
        keys.push(...ks.keys);
        queryComplete &&= ks.complete;
      } else if (q.text.includes(method)) {
        anyQuery = true;
        const ks = args[0] ? this.queryStringKeys(args[0], w) : UNKNOWN_KEYS;
        keys.push(...ks.keys);
        queryComplete &&= ks.complete;
      } else if (L.bodySetters.includes(method) && args[0]) {
        info.body = this.bodyKeys(args[0], w);
      }
    };
    const walkChain = (start: Node, depth: number): void => {
      let n: Node | null = start;
      while (n && depth < 8) {
        if (n.type === 'parenthesized_expression') {
          n = n.namedChildren[0] ?? null;
          continue;
        }
        if (n.type === 'identifier') {
          // `req := client.R()` … `req.SetQueryParam(…)` … `req.Get(url)`.
          const def = this.resolveName(n.text, n, w);
          for (const use of this.usesOf(n.text, n, this.scopeOf(n), w)) {
            const sel = use.parent;
            const c = sel?.parent;
            if (sel?.type !== 'selector_expression' || sel.childForFieldName('operand')?.id !== use.id || c?.type !== 'call_expression') continue;
            if (contains(c, start)) continue;
            apply(sel.childForFieldName('field')?.text ?? '', argumentList(c));
          }
          if (def) walkChain(def, depth + 1);
          return;
        }
        if (n.type !== 'call_expression') return;
        const fn = n.childForFieldName('function');
        if (fn?.type !== 'selector_expression') return;
        const method = fn.childForFieldName('field')?.text ?? '';
        const operand = fn.childForFieldName('operand');
        if (L.builderStarts.includes(method) && argumentList(n).length === 0) {
          info.client = operand ?? undefined;
          return;
        }
        apply(method, argumentList(n));
        n = operand;
      }
    };
    walkChain(receiver, 0);
    if (anyQuery) info.query = { keys, complete: queryComplete };
    return info;
  }

  /** The base URL set on a builder client (`resty.New().SetBaseURL(base)`, `client.SetBaseURL(base)`). */
  private builderBase(client: Node, w: Walk, depth = 0): Folded | undefined {
    const fromChain = (start: Node | null, depth: number): Folded | undefined => {
      let n = start;
      if (n?.type === 'identifier' && depth < 4) return this.builderBase(n, w, depth + 1);
      if (n?.type === 'selector_expression' && depth < 4) return fromChain(this.fieldValue(n, w), depth + 1);
      while (n && n.type === 'call_expression' && depth < 8) {
        const fn = n.childForFieldName('function');
        if (fn?.type !== 'selector_expression') return undefined;
        const method = fn.childForFieldName('field')?.text ?? '';
        const arg = argumentList(n)[0];
        if (L.baseUrlSetters.includes(method) && arg) return this.fold(arg, w, 0);
        n = fn.childForFieldName('operand');
      }
      return undefined;
    };
    if (client.type === 'identifier') {
      for (const use of this.usesOf(client.text, client, this.scopeOf(client), w)) {
        const sel = use.parent;
        const c = sel?.parent;
        if (sel?.type === 'selector_expression' && c?.type === 'call_expression' && L.baseUrlSetters.includes(sel.childForFieldName('field')?.text ?? '')) {
          const arg = argumentList(c)[0];
          if (arg) return this.fold(arg, w, 0);
        }
      }
      return fromChain(this.resolveName(client.text, client, w), depth);
    }
    if (client.type === 'selector_expression') return fromChain(this.fieldValue(client, w), depth);
    return fromChain(client, depth);
  }

  // ---- requests built then sent ----------------------------------------------------------------------

  /** The request variable a call's result is stored in (`req, err := http.NewRequest(…)`). */
  private definedName(value: Node): Node | null {
    const t = assignedTarget(value);
    return t?.type === 'identifier' && t.text !== '_' ? t : null;
  }

  /**
   * A request built here is sent elsewhere (`client.Do(req)`, inside `backoff.Retry(op, b)` or a retry loop):
   * the loop and the retry of the sending call count too.
   */
  private withSendContext(call: Node, own: { loop?: LoopContext; guard?: GuardContext }, w: Walk): { loop?: LoopContext; guard?: GuardContext } {
    const name = this.definedName(this.expressionRoot(call, w));
    if (!name) return own;
    let { loop, guard } = own;
    for (const use of this.usesOf(name.text, name, this.scopeOf(name), w)) {
      const args = use.parent;
      const send = args?.parent;
      if (args?.type !== 'argument_list' || send?.type !== 'call_expression') continue;
      const callee = calleeName(send);
      if (!callee) continue;
      if (this.isRetryName(callee, w)) {
        guard ??= { kind: 'wrapper', name: callee };
        continue;
      }
      if (!L.senderNames.test(callee)) continue;
      const ctx = this.context(send, w, 'http');
      loop ??= ctx.loop;
      if (ctx.guard && (!guard || guard.kind === 'file')) guard = ctx.guard;
    }
    return { loop, guard };
  }

  /** Query keys given apart from the URL: `req.URL.RawQuery = q.Encode()`, `u.RawQuery = …` before `u.String()`. */
  private requestQuery(call: Node, urlNode: Node, w: Walk): KeySet | undefined {
    const targets: { name: Node; path: string }[] = [];
    const req = this.definedName(this.expressionRoot(call, w));
    if (req) targets.push({ name: req, path: 'URL.RawQuery' });
    let u: Node | null = urlNode;
    if (u.type === 'call_expression') {
      const fn = u.childForFieldName('function');
      if (fn?.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'String') u = fn.childForFieldName('operand');
    }
    if (u?.type === 'identifier') targets.push({ name: u, path: 'RawQuery' });
    let result: KeySet | undefined;
    for (const t of targets) {
      const def = t.name.type === 'identifier' ? this.resolveName(t.name.text, t.name, w) : null;
      const scope = this.scopeOf(def ?? t.name);
      for (const use of this.usesOf(t.name.text, def ?? t.name, scope, w)) {
        if (use.type !== 'identifier') continue;
        const sel = use.parent;
        if (sel?.type !== 'selector_expression' || sel.childForFieldName('operand')?.id !== use.id) {
          // The request handed to a helper that says it sets query parameters (`addQuery(req)`).
          if (sel?.type === 'argument_list' && /[Qq]uery|[Pp]aram|[Ff]ilter/.test(calleeName(sel.parent) ?? '')) {
            result = { keys: result?.keys ?? [], complete: false };
          }
          continue;
        }
        let full: Node = sel;
        let text = sel.childForFieldName('field')?.text ?? '';
        if (t.path === 'URL.RawQuery' && text === 'URL' && full.parent?.type === 'selector_expression') {
          full = full.parent;
          text += '.' + (full.childForFieldName('field')?.text ?? '');
        }
        if (text !== t.path || !isAssignmentTarget(full)) continue;
        const rhs = assignedValue(full);
        const ks = rhs ? this.queryStringKeys(rhs, w) : UNKNOWN_KEYS;
        result = { keys: [...(result?.keys ?? []), ...ks.keys], complete: (result?.complete ?? true) && ks.complete };
      }
    }
    return result;
  }

  /** Keys of a query string expression (`q.Encode()`, `"agreementType=" + t`). */
  private queryStringKeys(node: Node, w: Walk): KeySet {
    const info = parseUrl(concat(lit('?'), this.fold(node, w, 0)), new Set());
    return { keys: [...info.queryKeys], complete: !info.queryUnknown };
  }

  /** Keys of a url.Values value: its literal plus `q.Set/Add("key", …)` calls on the same name. */
  private valuesKeys(node: Node, w: Walk, depth: number): KeySet {
    if (depth > 4) return UNKNOWN_KEYS;
    switch (node.type) {
      case 'parenthesized_expression':
      case 'unary_expression': {
        const inner = node.type === 'unary_expression' ? node.childForFieldName('operand') : node.namedChildren[0];
        return inner ? this.valuesKeys(inner, w, depth + 1) : UNKNOWN_KEYS;
      }
      case 'composite_literal':
        return this.literalKeys(node, w);
      case 'call_expression': {
        // `make(url.Values)`, `req.URL.Query()`, `u.Query()`: nothing beyond what the URL already says.
        const fn = node.childForFieldName('function');
        if (fn?.type === 'identifier' && fn.text === 'make') return NO_KEYS;
        if (fn?.type === 'selector_expression' && fn.childForFieldName('field')?.text === 'Query') return NO_KEYS;
        return UNKNOWN_KEYS;
      }
      case 'identifier': {
        const def = this.resolveName(node.text, node, w);
        const base = def ? this.valuesKeys(def, w, depth + 1) : this.declaredType(node.text, node, w) ? NO_KEYS : UNKNOWN_KEYS;
        const keys = [...base.keys];
        let complete = base.complete;
        for (const use of this.usesOf(node.text, def ?? node, this.scopeOf(def ?? node), w)) {
          if (use.type !== 'identifier') continue;
          const sel = use.parent;
          if (sel?.type === 'argument_list' || (sel?.type === 'unary_expression' && sel.parent?.type === 'argument_list')) {
            complete = false; // handed to a function that may add keys
            continue;
          }
          const c = sel?.parent;
          if (sel?.type !== 'selector_expression' || c?.type !== 'call_expression' || sel.childForFieldName('operand')?.id !== use.id) continue;
          const m = sel.childForFieldName('field')?.text;
          if (m !== 'Set' && m !== 'Add') continue;
          const k = argumentList(c)[0];
          const text = k ? this.literal(k, w) : undefined;
          if (text !== undefined) keys.push(text);
          else complete = false;
        }
        return { keys, complete };
      }
      default:
        return UNKNOWN_KEYS;
    }
  }

  // ---- bodies ------------------------------------------------------------------------------------

  /** The body's top-level keys; undefined when there is no body (`nil`, `http.NoBody`). */
  private bodyKeys(node: Node, w: Walk): KeySet | undefined {
    if (node.type === 'nil' || /\.NoBody$/.test(node.text)) return undefined;
    return this.keysOf(node, w, 0);
  }

  /** Top-level keys of a JSON body: a struct or map literal through json.Marshal / bytes.NewReader, or JSON text. */
  private keysOf(node: Node, w: Walk, depth: number): KeySet {
    if (depth > 6) return UNKNOWN_KEYS;
    switch (node.type) {
      case 'parenthesized_expression':
      case 'type_conversion_expression':
      case 'unary_expression': {
        const inner = node.type === 'parenthesized_expression' ? node.namedChildren[0] : node.childForFieldName('operand');
        return inner ? this.keysOf(inner, w, depth + 1) : UNKNOWN_KEYS;
      }
      case 'composite_literal':
        return this.literalKeys(node, w);
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        const args = argumentList(node);
        const fnText = compact(fn?.text ?? '');
        const j = this.localName(PKG.json, w);
        const b = this.localName(PKG.bytes, w);
        const s = this.localName(PKG.strings, w);
        const passThrough = [`${j}.Marshal`, `${j}.MarshalIndent`, `${b}.NewReader`, `${b}.NewBuffer`, `${b}.NewBufferString`, `${s}.NewReader`, 'string'];
        if (passThrough.includes(fnText) && args[0]) return this.keysOf(args[0], w, depth + 1);
        if (fnText === 'new' && args[0]) return this.structKeys(args[0].text, [], w);
        return this.jsonTextKeys(node, w);
      }
      case 'identifier': {
        const def = this.resolveName(node.text, node, w);
        let base: KeySet;
        if (def) base = this.keysOf(def, w, depth + 1);
        else {
          // `var a Agreement` starts empty; a parameter holds whatever the caller set.
          const d = this.declaration(node.text, node, w);
          base = !d || d.parameter || /^\*?bytes\.Buffer$/.test(compact(d.type)) ? UNKNOWN_KEYS : this.structKeys(d.type, [], w);
        }
        return this.withAssignedKeys(node, def, base, w, depth);
      }
      default:
        return this.jsonTextKeys(node, w);
    }
  }

  /**
   * Keys added to a struct or map variable after it is made (`a.Type = …`, `m["type"] = …`), the value encoded
   * into a buffer (`json.NewEncoder(&buf).Encode(v)`); the set becomes incomplete when the variable is handed
   * to another function.
   */
  private withAssignedKeys(name: Node, def: Node | null, base: KeySet, w: Walk, depth: number): KeySet {
    const keys = [...base.keys];
    let complete = base.complete;
    let encoded: KeySet | undefined;
    const typeText = def?.type === 'composite_literal' || def?.type === 'unary_expression' ? compositeType(def) : this.declaredType(name.text, name, w);
    const byValue = def?.type === 'composite_literal' ? def.childForFieldName('type')?.type !== 'map_type' : !!typeText && !/^[*[]|^map\[/.test(compact(typeText)) && !def;
    for (const use of this.usesOf(name.text, def ?? name, this.scopeOf(def ?? name), w)) {
      if (use.type !== 'identifier' || contains(use, name)) continue;
      let up: Node | null = use.parent;
      if (up?.type === 'unary_expression') up = up.parent;
      if (up?.type === 'argument_list') {
        const call = up.parent;
        const fnText = compact(call?.childForFieldName('function')?.text ?? '');
        const enc = call?.parent?.type === 'selector_expression' ? call.parent : null;
        if (/\.NewEncoder$/.test(fnText) && enc?.childForFieldName('field')?.text === 'Encode' && enc.parent?.type === 'call_expression') {
          const v = argumentList(enc.parent)[0];
          if (v) encoded = this.keysOf(v, w, depth + 1);
          continue;
        }
        if (/\.(?:Marshal|MarshalIndent|NewReader|NewBuffer|Encode)$/.test(fnText) || L.notHttpNames.test(calleeName(call) ?? '')) continue;
        // A struct value handed over by value cannot change; a pointer or a map may.
        if (use.parent?.type === 'unary_expression' || !byValue) complete = false;
        continue;
      }
      const p = use.parent;
      if (p?.type === 'selector_expression' && p.childForFieldName('operand')?.id === use.id && isAssignmentTarget(p)) {
        const field = p.childForFieldName('field')?.text ?? '';
        const fields = typeText ? this.structDecl(compact(typeText).replace(/^\*/, ''), w) : undefined;
        const json = fields?.fields.get(field);
        if (json !== null) keys.push(json ?? field);
      } else if (p?.type === 'index_expression' && p.childForFieldName('operand')?.id === use.id && isAssignmentTarget(p)) {
        const k = p.childForFieldName('index');
        const text = k ? this.literal(k, w) : undefined;
        if (text !== undefined) keys.push(text);
        else complete = false;
      }
    }
    if (encoded) return encoded;
    return { keys, complete };
  }

  /** Keys of a composite literal: a map's literal keys, a struct's fields under their JSON names. */
  private literalKeys(node: Node, w: Walk): KeySet {
    let comp: Node | null = node;
    while (comp && comp.type !== 'composite_literal') {
      if (comp.type === 'unary_expression') comp = comp.childForFieldName('operand');
      else if (comp.type === 'identifier') comp = this.resolveName(comp.text, comp, w);
      else if (comp.type === 'parenthesized_expression') comp = comp.namedChildren[0] ?? null;
      else return UNKNOWN_KEYS;
    }
    if (!comp) return UNKNOWN_KEYS;
    const type = comp.childForFieldName('type');
    const body = comp.childForFieldName('body');
    if (!type || !body) return UNKNOWN_KEYS;
    const elements = body.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (type.type === 'map_type' || /^(?:url\.Values|http\.Header)$/.test(compact(type.text))) {
      const keys: string[] = [];
      let complete = true;
      for (const e of elements) {
        const k = e.type === 'keyed_element' ? e.childForFieldName('key')?.namedChildren[0] : undefined;
        const text = k ? this.literal(k, w) : undefined;
        if (text !== undefined) keys.push(text);
        else complete = false;
      }
      return { keys, complete };
    }
    const set: string[] = [];
    const positional = elements.length > 0 && elements.every((e) => e.type === 'literal_element');
    for (const e of elements) {
      if (e.type !== 'keyed_element') continue;
      const k = e.childForFieldName('key')?.namedChildren[0];
      if (k?.type === 'identifier') set.push(k.text);
    }
    if (type.type === 'struct_type') return this.fieldsToKeys(structFields(type), set, positional ? elements.length : 0);
    return this.structKeys(type.text, set, w, positional ? elements.length : 0);
  }

  /** JSON keys of the fields set on a struct type declared in the file; incomplete when it is not declared here. */
  private structKeys(typeText: string, set: string[], w: Walk, positional = 0): KeySet {
    const decl = this.structDecl(compact(typeText).replace(/^\*/, ''), w);
    if (!decl) return { keys: set, complete: false };
    return this.fieldsToKeys(decl, set, positional);
  }

  private fieldsToKeys(decl: StructDecl, set: string[], positional: number): KeySet {
    const names = positional > 0 ? [...decl.fields.keys()].slice(0, positional) : set;
    const keys: string[] = [];
    for (const f of names) {
      const json = decl.fields.get(f);
      if (json !== null) keys.push(json ?? f);
    }
    return { keys, complete: decl.embedded.length === 0 };
  }

  /** Keys of a JSON text body (`strings.NewReader(`{"type": …}`)`). */
  private jsonTextKeys(node: Node, w: Walk): KeySet {
    const f = this.fold(node, w, 0);
    const text = literalOf(f);
    if (text !== undefined) {
      try {
        const v: unknown = JSON.parse(text);
        if (v && typeof v === 'object' && !Array.isArray(v)) return { keys: Object.keys(v), complete: true };
      } catch {
        /* not JSON: fall through */
      }
    }
    const keys: string[] = [];
    for (const p of f) {
      if (isHole(p)) continue;
      for (const m of p.matchAll(/"(\w{1,60})"\s{0,8}:/g)) keys.push(m[1]);
    }
    return { keys, complete: false };
  }

  // ---- loops and guards --------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'for_statement': {
        const body = anc.childForFieldName('body');
        if (!body || body.id !== child.id) return undefined;
        const header = anc.text.slice(0, body.startIndex - anc.startIndex);
        const range = anc.namedChildren.find((c) => c?.type === 'range_clause');
        if (range) return { kind: 'loop', header, label: range.childForFieldName('right')?.text, counted: false };
        const len = /\blen\(\s{0,4}([\w.]{1,80})\s{0,4}\)/.exec(header);
        return { kind: 'loop', header, label: len?.[1], counted: true };
      }
      case 'func_literal': {
        const p = anc.parent;
        // An argument (`g.Go(func() error {…})`, `backoff.Retry(func…)`) or started right away (`go func(){…}()`).
        if (p?.type === 'argument_list') return { kind: 'function', callback: true };
        if (p?.type === 'call_expression' && p.childForFieldName('function')?.id === anc.id) return { kind: 'function', callback: true };
        const name = this.definedName(anc);
        if (!name) return { kind: 'function', callback: false };
        // `op := func() error {…}` … `backoff.Retry(op, b)`: the closure runs under the retry.
        for (const use of this.usesOf(name.text, name, this.scopeOf(name), w)) {
          if (use.parent?.type !== 'argument_list') continue;
          const call = use.parent.parent;
          const g = call ? this.retryGuard(call, w) : undefined;
          if (g) return { kind: 'guard', guard: g };
        }
        // A closure runs where it is defined (in the loop that defines it).
        return { kind: 'function', callback: true };
      }
      case 'function_declaration':
      case 'method_declaration':
        return { kind: 'function', callback: false };
      case 'call_expression': {
        if (anc.childForFieldName('arguments')?.id !== child.id) return undefined;
        const g = this.retryGuard(anc, w);
        if (g) return { kind: 'guard', guard: g };
        const fn = anc.childForFieldName('function');
        const name = calleeName(anc);
        if (!name || !fn || !w.idioms.iterationCallbacks.includes(name)) return undefined;
        const operand = fn.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
        // `lo.ForEach(customers, func…)` iterates its first argument; `m.Range(func…)` its receiver.
        const label = operand && !this.isPackageName(operand, w) ? operand.text : argumentList(anc)[0]?.text;
        return { kind: 'loop', header: label ?? name, label, counted: false };
      }
      default:
        return undefined;
    }
  }

  /** The retry a call runs its callback under (`backoff.Retry`, `retry.Do`, our helper, names from the settings). */
  private retryGuard(call: Node, w: Walk): GuardContext | undefined {
    const fn = call.childForFieldName('function');
    const name = calleeName(call);
    if (!fn || !name) return undefined;
    if (this.isRetryName(name, w) || this.isRetryName(compact(fn.text), w)) return { kind: 'wrapper', name: compact(fn.text) };
    if (fn.type === 'selector_expression') {
      const operand = fn.childForFieldName('operand');
      const recv = operand?.text ?? '';
      // An aliased package counts under its own name (`goretry.Do` for sethvargo/go-retry is `retry.Do`).
      const path = operand && this.isPackageName(operand, w) ? this.info(w).pathOf.get(recv) : undefined;
      if (this.isRetryMethod(name, recv, w) || (path && this.isRetryMethod(name, defaultPackageName(path), w))) {
        return { kind: 'method', name: `${recv}.${name}` };
      }
    }
    return undefined;
  }

  // ---- names and values --------------------------------------------------------------------------

  protected definitionValue(nameNode: Node): Node | null {
    if (nameNode.type !== 'identifier') return null;
    const p = nameNode.parent;
    if (!p) return null;
    if (p.type === 'expression_list') {
      const owner = p.parent;
      if (!owner || (owner.type !== 'short_var_declaration' && owner.type !== 'assignment_statement')) return null;
      if (owner.childForFieldName('left')?.id !== p.id) return null;
      const names = p.namedChildren.filter((c): c is Node => !!c);
      const values = owner.childForFieldName('right')?.namedChildren.filter((c): c is Node => !!c) ?? [];
      return pick(names, values, nameNode);
    }
    if (p.type === 'var_spec' || p.type === 'const_spec') {
      const names = p.childrenForFieldName('name').filter((c): c is Node => !!c);
      if (!names.some((n) => n.id === nameNode.id)) return null;
      const values = p.childForFieldName('value')?.namedChildren.filter((c): c is Node => !!c) ?? [];
      return pick(names, values, nameNode);
    }
    return null;
  }

  /**
   * The innermost function containing `node` (not `node` itself), found by one descent from the root: walking
   * up with `parent` costs the depth at every step, which is quadratic in the deep trees of broken files.
   */
  /**
   * Go's top-level functions cannot see each other's locals: a name used in one is defined in it or at file
   * level (a var or const declaration), never inside another function.
   */
  protected override definitionRegion(use: Node, w: Walk): DefinitionRegion | undefined {
    // The top-level declarations, read with a cursor (no node objects): [start, end, is a function].
    const tops = this.memo(w, 'top-level', () => {
      const out: [number, number, boolean][] = [];
      const c = w.tree.walk();
      try {
        if (c.gotoFirstChild()) {
          do out.push([c.startIndex, c.endIndex, FUNCTION_TYPES.has(c.nodeType)]);
          while (c.gotoNextSibling());
        }
      } finally {
        c.delete();
      }
      return out;
    });
    const at = (offset: number): number => {
      let lo = 0;
      let hi = tops.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (offset < tops[mid][0]) hi = mid - 1;
        else if (offset >= tops[mid][1]) lo = mid + 1;
        else return mid;
      }
      return -1;
    };
    const own = at(use.startIndex);
    if (own < 0 || !tops[own][2]) return undefined;
    return {
      key: `top${own}`,
      start: tops[own][0],
      end: tops[own][1],
      isFileLevel: (offset) => {
        const i = at(offset);
        return i < 0 || !tops[i][2];
      },
    };
  }

  protected scopeOf(node: Node): Node {
    // Memoised per tree: name resolution asks for the scope of the same nodes again and again.
    let perTree = SCOPES.get(node.tree);
    if (!perTree) SCOPES.set(node.tree, (perTree = new Map()));
    const known = perTree.get(node.id);
    if (known) return known;
    const root = node.tree.rootNode;
    let scope: Node = root;
    let n: Node | null = root;
    while (n && n.id !== node.id) {
      if (n.id !== root.id && FUNCTION_TYPES.has(n.type)) scope = n;
      n = n.childWithDescendant(node);
    }
    perTree.set(node.id, scope);
    return scope;
  }

  /** The type a name is declared with (`c *http.Client` parameter, `var q url.Values`), when in scope. */
  private declaredType(name: string, use: Node, w: Walk): string | undefined {
    return this.declaration(name, use, w)?.type;
  }

  /** Where a name is declared with a type: a parameter (its value comes from the caller) or a `var`. */
  private declaration(name: string, use: Node, w: Walk): { type: string; parameter: boolean } | undefined {
    const all = this.memo(w, `decl:${name}`, () => {
      const out: { type: string; parameter: boolean; scope: Node }[] = [];
      for (const offset of w.occurrences(name, false, 'scoped')) {
        if (w.outOfTime()) break;
        if (!typeMayFollow(w.text, offset + name.length)) continue;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
        const p = n?.parent;
        if (!n || n.type !== 'identifier' || !p) continue;
        if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration' && p.type !== 'var_spec') continue;
        if (!p.childrenForFieldName('name').some((c) => c?.id === n.id)) continue;
        const type = p.childForFieldName('type');
        const scope = p.type === 'var_spec' ? this.scopeOf(p) : p.parent?.parent;
        if (type && scope) out.push({ type: type.text, parameter: p.type !== 'var_spec', scope });
      }
      return out;
    });
    // The innermost scope that holds the use.
    let best: (typeof all)[number] | undefined;
    for (const d of all) if (contains(d.scope, use) && (!best || d.scope.startIndex >= best.scope.startIndex)) best = d;
    return best && { type: best.type, parameter: best.parameter };
  }

  /** Per-analysis memos (declarations, fields, functions by name): resolution stays linear in the anchors. */
  private memo<T>(w: Walk, key: string, compute: () => T): T {
    return w.memo(`go:${key}`, compute);
  }

  /** Types of the struct fields named `field` declared in the file. */
  private fieldTypes(field: string, w: Walk): string[] {
    return this.memo(w, `ftypes:${field}`, () => this.findFieldTypes(field, w));
  }

  private findFieldTypes(field: string, w: Walk): string[] {
    const out: string[] = [];
    // Field declarations: in a type declared at file level, or in one local to a function (its scope).
    for (const offset of w.occurrences(field, false, 'scoped')) {
      if (w.outOfTime()) break;
      if (!typeMayFollow(w.text, offset + field.length)) continue;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + field.length);
      const p = n?.parent;
      if (n?.type !== 'field_identifier' || p?.type !== 'field_declaration') continue;
      const t = p.childForFieldName('type');
      if (t) out.push(t.text);
    }
    return out;
  }

  /**
   * The value of a struct field read as `x.field`: a keyed element `field: value` of a composite literal
   * (`&Client{baseURL: "…"}` in a constructor) or an assignment `x.field = value`. When the reader's type is
   * known only that type's literals count; several different values mean unknown.
   */
  private fieldValue(sel: Node, w: Walk): Node | null {
    const field = sel.childForFieldName('field')?.text;
    const operand = sel.childForFieldName('operand');
    if (!field || !operand) return null;
    const operandType = this.typeNameOf(operand, w);
    const found = this.fieldWrites(field, w)
      .filter((c) => !operandType || c.compType === undefined || c.compType === operandType)
      .map((c) => c.value);
    const distinct = new Set(found.map((v) => compact(v.text)));
    return distinct.size === 1 ? found[0] : null;
  }

  /** Values written to a field: keyed elements of struct literals (with the literal's type) and assignments. */
  private fieldWrites(field: string, w: Walk): { value: Node; compType?: string }[] {
    return this.memo(w, `fwrites:${field}`, () => {
      const out: { value: Node; compType?: string }[] = [];
      for (const offset of w.occurrences(field)) {
        if (w.outOfTime()) break;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + field.length);
        const p = n?.parent;
        if (!n || !p) continue;
        if (n.type === 'identifier' && p.type === 'literal_element' && p.parent?.type === 'keyed_element') {
          const keyed = p.parent;
          if (keyed.childForFieldName('key')?.id !== p.id) continue;
          const comp = keyed.parent?.parent;
          const compType = comp?.type === 'composite_literal' ? baseTypeName(comp.childForFieldName('type')?.text ?? '') : '';
          const v = keyed.childForFieldName('value')?.namedChildren[0];
          if (v && compType && comp?.childForFieldName('type')?.type !== 'map_type') out.push({ value: v, compType });
        } else if (n.type === 'field_identifier' && p.type === 'selector_expression' && isAssignmentTarget(p)) {
          const v = assignedValue(p);
          if (v) out.push({ value: v });
        }
      }
      return out;
    });
  }

  /** The struct type name of a receiver or variable (`c` in `func (c *Client)`), when known. */
  private typeNameOf(node: Node, w: Walk): string | undefined {
    if (node.type !== 'identifier') return undefined;
    const t = this.declaredType(node.text, node, w);
    if (t) return baseTypeName(t);
    const v = this.resolveName(node.text, node, w);
    const ct = v ? compositeType(v) : undefined;
    return ct ? baseTypeName(ct) : undefined;
  }

  /** A struct type declared in the file, by name. */
  private structDecl(name: string, w: Walk): StructDecl | undefined {
    if (!/^\w{1,80}$/.test(name)) return undefined;
    return this.memo(w, `struct:${name}`, () => this.findStructDecl(name, w)) ?? undefined;
  }

  private findStructDecl(name: string, w: Walk): StructDecl | null {
    let decl: StructDecl | null = null;
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (n?.type !== 'type_identifier' || p?.type !== 'type_spec' || p.childForFieldName('name')?.id !== n.id) continue;
      const t = p.childForFieldName('type');
      if (t?.type === 'struct_type') decl = structFields(t);
      break;
    }
    return decl;
  }

  private functionDecl(name: string, w: Walk): Node | null {
    return this.memo(w, `func:${name}`, () => this.findFunctionDecl(name, w));
  }

  private findFunctionDecl(name: string, w: Walk): Node | null {
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (n && p && (p.type === 'function_declaration' || p.type === 'method_declaration') && p.childForFieldName('name')?.id === n.id) return p;
    }
    return null;
  }

  // ---- imports -----------------------------------------------------------------------------------

  private info(w: Walk): FileInfo {
    let info = this.files.get(w);
    if (info) return info;
    info = { localName: new Map(), pathOf: new Map() };
    for (const decl of w.tree.rootNode.namedChildren) {
      if (decl?.type !== 'import_declaration') continue;
      const specs = decl.namedChildren.flatMap((c) => (c?.type === 'import_spec_list' ? c.namedChildren : [c]));
      for (const spec of specs) {
        if (spec?.type !== 'import_spec') continue;
        const pathNode = spec.childForFieldName('path');
        if (!pathNode) continue;
        const path = decodeString(pathNode);
        const alias = spec.childForFieldName('name');
        const local = alias?.type === 'package_identifier' ? alias.text : defaultPackageName(path);
        info.localName.set(path, local);
        info.pathOf.set(local, path);
      }
    }
    this.files.set(w, info);
    return info;
  }

  /** The name a package is used under in this file (`http` for net/http unless imported under another name). */
  private localName(path: string, w: Walk): string {
    return this.info(w).localName.get(path) ?? defaultPackageName(path);
  }

  /** Is this identifier the package imported from `path` (and not a local name that hides it)? */
  private isPackage(node: Node, path: string, w: Walk): boolean {
    return node.type === 'identifier' && node.text === this.localName(path, w) && !this.shadowed(node, w);
  }

  /** An identifier naming an imported package, or a well-known one (net/http, logging, mocks) left unimported. */
  private isPackageName(node: Node, w: Walk): boolean {
    if (node.type !== 'identifier') return false;
    const known = this.info(w).pathOf.has(node.text) || L.notClientPackages.includes(node.text) || this.packagePath(node, w) !== undefined;
    return known && !this.shadowed(node, w);
  }

  /** The import path of a package name (imported, or the default name of a request package). */
  private packagePath(node: Node, w: Walk): string | undefined {
    return this.info(w).pathOf.get(node.text) ?? L.requestPackages.find((p) => defaultPackageName(p) === node.text && !this.info(w).localName.has(p));
  }

  /** A local variable, parameter or constant of the same name is in scope. */
  private shadowed(node: Node, w: Walk): boolean {
    return this.memo(w, `shadow:${node.text}:${this.scopeOf(node).startIndex}`, () => {
      return !!this.resolveName(node.text, node, w) || this.declaredType(node.text, node, w) !== undefined;
    });
  }

  // ---- folding -----------------------------------------------------------------------------------

  /** The literal text of an expression, if it folds to one. */
  private literal(node: Node, w: Walk): string | undefined {
    return literalOf(this.fold(node, w, 0));
  }

  fold(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    if (depth > 10) return hole(node.text);
    const f = (n: Node | null | undefined): Folded => (n ? this.fold(n, w, depth + 1, env) : []);
    switch (node.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return lit(decodeString(node));
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.type !== '+') return hole(node.text);
        return concat(f(node.childForFieldName('left')), f(node.childForFieldName('right')));
      }
      case 'parenthesized_expression':
        return f(node.namedChildren[0]);
      case 'type_conversion_expression':
        return f(node.childForFieldName('operand'));
      case 'unary_expression':
        return node.childForFieldName('operator')?.type === '&' ? f(node.childForFieldName('operand')) : hole(node.text);
      case 'identifier': {
        const bound = env?.get(node.text);
        if (bound) return bound;
        if (env?.has(node.text)) return hole(node.text);
        const v = this.resolveName(node.text, node, w);
        if (!v) return hole(node.text);
        // `u += "/subscriptions"`: what `u` was before, then the addition.
        const stmt = v.parent?.parent;
        if (stmt?.type === 'assignment_statement' && stmt.childForFieldName('operator')?.type === '+=') {
          const before = this.resolveName(node.text, stmt, w);
          return concat(before ? this.fold(before, w, depth + 1) : hole(node.text), this.fold(v, w, depth + 1));
        }
        return this.fold(v, w, depth + 1);
      }
      case 'selector_expression': {
        const operand = node.childForFieldName('operand');
        const field = node.childForFieldName('field')?.text ?? '';
        if (operand && this.isPackage(operand, PKG.http, w)) {
          const m = /^Method(Get|Post|Patch|Put|Delete|Head|Options)$/.exec(field);
          return m ? lit(m[1].toUpperCase()) : hole(node.text);
        }
        const v = operand && !this.isPackageName(operand, w) ? this.fieldValue(node, w) : null;
        return v ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'index_expression': {
        // `paths["subscriptions"]` on a map literal of the file.
        const operand = node.childForFieldName('operand');
        const index = node.childForFieldName('index');
        const key = index ? this.literal(index, w) : undefined;
        const m = operand?.type === 'identifier' ? this.resolveName(operand.text, operand, w) : null;
        const v = m?.type === 'composite_literal' && key !== undefined ? mapValue(m, key, (k) => this.literal(k, w)) : null;
        return v ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'composite_literal':
        return this.isUrlStruct(node, w) ? this.foldUrlStruct(node, w, depth, env) : hole(node.text);
      case 'call_expression':
        return this.foldCall(node, w, depth, env);
      default:
        return hole(node.text);
    }
  }

  /** `url.URL{Scheme: "https", Host: h, Path: p, RawQuery: q.Encode()}` as the text `String()` gives. */
  private foldUrlStruct(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const parts = new Map<string, Folded>();
    for (const e of node.childForFieldName('body')?.namedChildren ?? []) {
      if (e?.type !== 'keyed_element') continue;
      const key = e.childForFieldName('key')?.text ?? '';
      const v = e.childForFieldName('value')?.namedChildren[0];
      if (v && URL_FIELDS.has(key)) parts.set(key, this.fold(v, w, depth + 1, env));
    }
    const out: Folded[] = [];
    const scheme = parts.get('Scheme');
    const host = parts.get('Host');
    if (host) out.push(scheme ? concat(scheme, lit('://')) : lit('//'), host);
    const path = parts.get('RawPath') ?? parts.get('Path');
    if (path) {
      const first = path[0];
      out.push(host && !(typeof first === 'string' && first.startsWith('/')) ? lit('/') : [], path);
    }
    const q = parts.get('RawQuery');
    if (q) out.push(lit('?'), q);
    return concat(...out);
  }

  private foldCall(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const fn = node.childForFieldName('function');
    const args = argumentList(node);
    if (!fn) return hole(node.text);
    const f = (n: Node): Folded => (n.type === 'variadic_argument' ? hole(n.text) : this.fold(n, w, depth + 1, env));
    if (fn.type === 'identifier') {
      if (fn.text === 'string' && args[0]) return f(args[0]);
      // A same-file function that returns a URL: fold its return with the arguments bound to its parameters.
      const decl = env?.has(fn.text) ? null : this.functionDecl(fn.text, w);
      return decl ? this.foldFunction(decl, args.map(f), w, depth) ?? hole(node.text) : hole(node.text);
    }
    if (fn.type !== 'selector_expression') return hole(node.text);
    const field = fn.childForFieldName('field')?.text ?? '';
    const operand = fn.childForFieldName('operand');
    if (!operand) return hole(node.text);
    const pkg = (path: string) => operand.type === 'identifier' && this.isPackage(operand, path, w);
    if (pkg(PKG.fmt)) {
      if (field === 'Sprintf' && args[0]) return formatPrintf(f(args[0]), args.slice(1).map(f));
      if (field === 'Sprint') return concat(...args.map(f));
      return hole(node.text);
    }
    if (pkg(PKG.url)) {
      if (field === 'JoinPath') return join(args.map(f), '/');
      if ((field === 'Parse' || field === 'ParseRequestURI') && args[0]) return f(args[0]);
      return hole(node.text);
    }
    if (pkg(PKG.path)) return field === 'Join' ? join(args.map(f), '/') : hole(node.text);
    if (pkg(PKG.strings)) {
      if (field === 'Join' && args.length === 2) {
        const sep = this.literal(args[1], w);
        const elems = this.sliceElements(args[0], w);
        return sep !== undefined && elems ? join(elems.map(f), sep) : hole(node.text);
      }
      if ((field === 'Replace' || field === 'ReplaceAll') && args.length >= 3) {
        const from = this.literal(args[1], w);
        return from !== undefined ? replaceLiteral(f(args[0]), from, f(args[2]), field === 'ReplaceAll' || args[3]?.text === '-1') : hole(node.text);
      }
      if (/^(?:TrimSuffix|TrimRight|TrimSpace|ToLower)$/.test(field) && args[0]) return f(args[0]);
      return hole(node.text);
    }
    const pairs = field === 'Replace' && args.length === 1 ? this.replacerPairs(operand, w) : undefined;
    if (pairs) {
      let out = f(args[0]);
      for (let i = 0; i + 1 < pairs.length; i += 2) {
        const from = this.literal(pairs[i], w);
        if (from === undefined) return hole(node.text);
        out = replaceLiteral(out, from, f(pairs[i + 1]), true);
      }
      return out;
    }
    if (field === 'String' && args.length === 0) return f(operand);
    if (field === 'JoinPath') return join([f(operand), ...args.map(f)], '/');
    if (field === 'Encode' && args.length === 0) return encodeQuery(this.valuesKeys(operand, w, 0), node.text);
    // A method of the file that returns a URL (`c.subscriptionsURL(id)`).
    const decl = this.functionDecl(field, w);
    if (decl?.type === 'method_declaration') return this.foldFunction(decl, args.map(f), w, depth) ?? hole(node.text);
    return hole(node.text);
  }

  /** Folds the one value a function returns (`return u, nil` counts; `return "", err` does not). */
  private foldFunction(decl: Node, args: Folded[], w: Walk, depth: number): Folded | undefined {
    const params = decl.childForFieldName('parameters');
    const bound = new Map<string, Folded>();
    let i = 0;
    for (const p of params?.namedChildren ?? []) {
      if (p?.type !== 'parameter_declaration') continue;
      for (const n of p.childrenForFieldName('name')) if (n) bound.set(n.text, args[i++] ?? hole(n.text));
    }
    const body = decl.childForFieldName('body');
    if (!body) return undefined;
    const returns = body.descendantsOfType('return_statement').filter((r): r is Node => {
      if (!r) return false;
      let n = r.parent;
      while (n && n.id !== decl.id && n.type !== 'func_literal') n = n.parent;
      return n?.id === decl.id;
    });
    const values = returns
      .map((r) => r.namedChildren[0]?.namedChildren[0] ?? null)
      .filter((v): v is Node => !!v && v.type !== 'nil' && !(STRING_TYPES.has(v.type) && decodeString(v) === ''));
    return values.length === 1 ? this.fold(values[0], w, depth + 1, bound) : undefined;
  }

  /** The elements of a `[]string{…}` literal, directly or through a name. */
  private sliceElements(node: Node, w: Walk): Node[] | undefined {
    const comp = node.type === 'identifier' ? this.resolveName(node.text, node, w) : node;
    if (comp?.type !== 'composite_literal' || !isStringSlice(comp)) return undefined;
    return (comp.childForFieldName('body')?.namedChildren ?? [])
      .filter((c): c is Node => !!c && c.type === 'literal_element')
      .map((c) => c.namedChildren[0])
      .filter((c): c is Node => !!c);
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

interface StructDecl {
  /** Field name -> JSON name (undefined: the field name; null: not serialised, `json:"-"`). */
  fields: Map<string, string | null | undefined>;
  /** Embedded types (their fields are unknown). */
  embedded: string[];
}

function structFields(struct: Node): StructDecl {
  const decl: StructDecl = { fields: new Map(), embedded: [] };
  const list = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
  for (const fd of list?.namedChildren ?? []) {
    if (fd?.type !== 'field_declaration') continue;
    const names = fd.childrenForFieldName('name').filter((c): c is Node => !!c);
    const tag = fd.childForFieldName('tag');
    const m = tag ? /(?:^|\s)json:"([^",]*)/.exec(decodeString(tag)) : null;
    const json = m ? (m[1] === '-' ? null : m[1] || undefined) : undefined;
    if (names.length === 0) decl.embedded.push(compact(fd.childForFieldName('type')?.text ?? fd.text));
    for (const n of names) decl.fields.set(n.text, json);
  }
  return decl;
}

/** net/http and go-retryablehttp package functions. */
function packageApi(field: string, args: Node[]): GoApi | undefined {
  switch (field) {
    case 'NewRequest':
      return { urlIndex: 1, methodIndex: 0, bodyIndex: 2, kind: 'request' };
    case 'NewRequestWithContext':
      return { urlIndex: 2, methodIndex: 1, bodyIndex: 3, kind: 'request' };
    default:
      return clientApi(field, args);
  }
}

/** `*http.Client` methods (and the package functions of the same names). */
function clientApi(field: string, args: Node[]): GoApi | undefined {
  switch (field) {
    case 'Get':
    case 'Head':
      return args.length === 1 ? { urlIndex: 0, method: field.toUpperCase(), kind: 'client' } : undefined;
    case 'Post':
      return args.length === 3 ? { urlIndex: 0, method: 'POST', bodyIndex: 2, kind: 'client' } : undefined;
    case 'PostForm':
      return args.length === 2 ? { urlIndex: 0, method: 'POST', bodyIndex: 1, kind: 'client' } : undefined;
    default:
      return undefined;
  }
}

function argumentList(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

/** The called name: `Get` in `c.http.Get(u)`, `fetch` in `fetch(u)`. */
function calleeName(call: Node | null | undefined): string | undefined {
  const fn = call?.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'selector_expression') return fn.childForFieldName('field')?.text;
  return undefined;
}

/** The value at the same position as `name` (`a, b := x, y`; `u, err := url.Parse(s)` gives `u` the call). */
function pick(names: Node[], values: Node[], name: Node): Node | null {
  const i = names.findIndex((n) => n.id === name.id);
  if (i < 0) return null;
  if (values.length === names.length) return values[i];
  return values.length === 1 && i === 0 ? values[0] : null;
}

/** The name or field a value is assigned to (`u := v`, `var u = v`, `c.path = v`). */
function assignedTarget(value: Node): Node | null {
  const list = value.parent;
  const owner = list?.parent;
  if (list?.type !== 'expression_list' || !owner) return null;
  const values = list.namedChildren.filter((c): c is Node => !!c);
  const i = values.findIndex((v) => v.id === value.id);
  let targets: Node[] = [];
  if (owner.type === 'short_var_declaration' || owner.type === 'assignment_statement') {
    if (owner.childForFieldName('right')?.id !== list.id) return null;
    targets = owner.childForFieldName('left')?.namedChildren.filter((c): c is Node => !!c) ?? [];
  } else if (owner.type === 'var_spec' || owner.type === 'const_spec') {
    targets = owner.childrenForFieldName('name').filter((c): c is Node => !!c);
  } else return null;
  if (targets.length === values.length) return targets[i] ?? null;
  return values.length === 1 && i === 0 ? targets[0] ?? null : null;
}

/** Is this expression the left side of an assignment (`x.f = …`, `m["k"] = …`)? */
function isAssignmentTarget(n: Node): boolean {
  const list = n.parent;
  const owner = list?.parent;
  return list?.type === 'expression_list' && owner?.type === 'assignment_statement' && owner.childForFieldName('left')?.id === list.id;
}

/** The value assigned to a target (`x.f = value`). */
function assignedValue(target: Node): Node | null {
  const list = target.parent;
  const owner = list?.parent;
  if (!list || !owner) return null;
  const targets = list.namedChildren.filter((c): c is Node => !!c);
  const values = owner.childForFieldName('right')?.namedChildren.filter((c): c is Node => !!c) ?? [];
  return pick(targets, values, target);
}

function isKeyOfKeyedElement(n: Node): boolean {
  const le = n.parent;
  return le?.type === 'literal_element' && le.parent?.type === 'keyed_element' && le.parent.childForFieldName('key')?.id === le.id;
}

function isStringSlice(comp: Node): boolean {
  const t = comp.childForFieldName('type');
  return t?.type === 'slice_type' && t.childForFieldName('element')?.text === 'string';
}

/** The type of a composite literal value (`&Agreement{…}` -> `Agreement`). */
function compositeType(v: Node): string | undefined {
  let n: Node | null = v;
  if (n.type === 'unary_expression') n = n.childForFieldName('operand');
  return n?.type === 'composite_literal' ? n.childForFieldName('type')?.text : undefined;
}

/** `*models.Client` -> `Client`; generic arguments dropped. */
function baseTypeName(t: string): string {
  const stripped = compact(t).replace(/^[*&]+/, '');
  const bracket = stripped.indexOf('[');
  const s = bracket >= 0 ? stripped.slice(0, bracket) : stripped;
  const dot = s.lastIndexOf('.');
  return dot >= 0 ? s.slice(dot + 1) : s;
}

function mapValue(comp: Node, key: string, literal: (n: Node) => string | undefined): Node | null {
  for (const e of comp.childForFieldName('body')?.namedChildren ?? []) {
    if (e?.type !== 'keyed_element') continue;
    const k = e.childForFieldName('key')?.namedChildren[0];
    if (k && literal(k) === key) return e.childForFieldName('value')?.namedChildren[0] ?? null;
  }
  return null;
}

/** `q.Encode()`: `key=…&key2=…` with the values unknown; an unknown tail when keys may be missing. */
function encodeQuery(keys: KeySet, text: string): Folded {
  const parts: Folded[] = [];
  [...keys.keys].sort().forEach((k, i) => parts.push(lit(`${i > 0 ? '&' : ''}${encodeURIComponent(k)}=`), hole(text)));
  if (!keys.complete) parts.push(lit(keys.keys.length > 0 ? '&' : ''), hole(text));
  return concat(...parts);
}

/** The default local name of an imported package: the last path element, without a `/vN` suffix or `go-`. */
function defaultPackageName(path: string): string {
  const parts = path.split('/').filter((p) => p && !/^v\d{1,3}$/.test(p));
  let last = parts[parts.length - 1] ?? path;
  last = last.replace(/\.v\d{1,3}$/, '').replace(/^go-/, '');
  return last.replace(/[^\w]/g, '_');
}

function lastName(node: Node): string {
  if (node.type === 'selector_expression') return node.childForFieldName('field')?.text ?? '';
  return node.text;
}

function compact(s: string): string {
  return s.replace(/\s+/g, '');
}

function literalOf(f: Folded): string | undefined {
  if (f.length === 0) return '';
  return f.length === 1 && typeof f[0] === 'string' ? f[0] : undefined;
}

/** The text of a Go string literal (interpreted strings unescaped, raw strings as written). */
function decodeString(node: Node): string {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1).replace(/\r/g, '');
  let s = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpreted_string_literal_content') s += c.text;
    else if (c.type === 'escape_sequence') s += unescapeGo(c.text);
  }
  return s;
}

function unescapeGo(seq: string): string {
  switch (seq[1]) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'u':
    case 'U': {
      const code = parseInt(seq.slice(2), 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    case 'x':
      return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    default:
      return /^\\[0-7]{3}$/.test(seq) ? String.fromCharCode(parseInt(seq.slice(1), 8)) : seq.slice(1);
  }
}

/** Replaces a literal substring in the literal pieces of a folded string (`strings.Replace`). */
function replaceLiteral(base: Folded, from: string, to: Folded, all: boolean): Folded {
  if (!from) return base;
  const out: Folded[] = [];
  let done = false;
  for (const piece of base) {
    if (typeof piece !== 'string' || (done && !all)) {
      out.push([piece]);
      continue;
    }
    const parts = piece.split(from);
    if (parts.length === 1) {
      out.push(lit(piece));
      continue;
    }
    if (all) {
      parts.forEach((p, i) => {
        if (i > 0) out.push(to);
        out.push(lit(p));
      });
    } else {
      out.push(lit(parts[0]), to, lit(parts.slice(1).join(from)));
    }
    done = true;
  }
  return concat(...out);
}
