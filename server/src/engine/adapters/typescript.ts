/**
 * TypeScript, TSX and JavaScript: fetch, axios (and instances made with axios.create), got, ky,
 * superagent, Angular HttpClient, node http(s), and request wrappers of the user's own.
 */
import type { Node } from 'web-tree-sitter';
import { typescriptIdioms } from '../../catalog/idioms/typescript';
import { concat, Folded, formatPrintf, hole, join, lit } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { typescriptFixes } from './typescript-fixes';
import type { HttpSite, KeySet, LanguageKey } from '../types';
import { methodFromName, normaliseMethod } from '../url';
import { AncestorRole, TreeAdapter, Walk, spanOf } from './base';

const FUNCTION_TYPES = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'function_declaration',
  'generator_function',
  'generator_function_declaration',
  'method_definition',
]);

const TRANSPARENT = new Set([
  'parenthesized_expression',
  'as_expression',
  'non_null_expression',
  'satisfies_expression',
  'type_assertion',
  'await_expression',
]);

/** Receivers whose `.get(key)` is a lookup, not an HTTP GET. */
const LOOKUP_RECEIVER = /(?:map|cache|store|storage|headers|params|searchparams|set|dict|registry|lookup|env|config|query|form|formdata|cookies|session|weakmap|state|context|ctx|req|request|res|response)$/i;

/** Free functions with the fetch signature `(url, options)`. */
const FETCH_LIKE = new Set(['fetch', 'nodeFetch', 'crossFetch', 'ofetch', '$fetch', 'got', 'ky', 'request', 'undiciRequest', 'fetchRetry']);

/** Request wrappers of the user's own: `this.callApi('PATCH', url)`, `pcGet(url)`. */
const WRAPPER_NAME = /request|fetch|http|api|call|invoke|send|client|partner|^(?:get|post|patch|put)[A-Z_]?/i;
const NOT_HTTP_NAME = /^(?:t|it|i18n|describe|expect|test)$|log|print|debug|info|warn|error|trace|assert|emit|format|cache|push|set[A-Z]|should|match|replace|includes|startsWith|endsWith|indexOf|parse|stringify|encode|decode|join|concat|split|resolve|normalize|translate|navigate|redirect|open|route|link|href|render/i;

const HTTP_VERBS = /^(GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS)$/i;

interface HttpApi {
  urlIndex: number;
  /** Options/config object index (fetch init, axios config). */
  optionsIndex?: number;
  bodyIndex?: number;
  method?: string;
  /** axios(config) / axios.request(config): the URL is the config's `url`. */
  configForm?: boolean;
  /** The method comes from `method` in the options (default GET). */
  methodFromOptions?: boolean;
  receiver?: Node;
}

export class TypeScriptAdapter extends TreeAdapter {
  readonly idioms = typescriptIdioms;
  readonly comment = { line: '//', block: ['/*', '*/'] as const };

  protected override readonly unitTypes = FUNCTION_TYPES;

  constructor(readonly language: Extract<LanguageKey, 'typescript' | 'javascript'>) {
    super();
  }

  fixes(ctx: FixContext): Fix[] {
    const g = this.grammar(ctx.fileName);
    return typescriptFixes(ctx, g !== 'javascript');
  }

  grammar(fileName: string, languageId?: string): GrammarName {
    if (languageId === 'typescriptreact' || /\.tsx$/i.test(fileName)) return 'tsx';
    if (languageId === 'typescript' || /\.[cm]?ts$/i.test(fileName)) return 'typescript';
    return 'javascript';
  }

  // ---- anchors -------------------------------------------------------------------------------------

  protected fromAnchor(node: Node, w: Walk): void {
    if (node.type === 'comment') return;
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (n.type === 'string' || n.type === 'template_string') {
        this.visitValue(n, w, 0);
        return;
      }
    }
  }

  /** From a value (a string, a name's use) to the calls it reaches. */
  private visitValue(expr: Node, w: Walk, depth: number): void {
    if (depth > TreeAdapter.maxDepth || !w.firstVisit(expr, 'value')) return;
    const root = this.expressionRoot(expr);
    const parent = root.parent;
    if (!parent) return;
    switch (parent.type) {
      case 'arguments': {
        const call = parent.parent;
        if (call && (call.type === 'call_expression' || call.type === 'new_expression')) this.siteFromCall(call, root, w);
        return;
      }
      case 'pair': {
        if (parent.childForFieldName('value')?.id !== root.id) return;
        const obj = parent.parent;
        const key = propertyName(parent.childForFieldName('key'));
        if (!obj || !key) return;
        if (obj.parent?.type === 'arguments' && obj.parent.parent) {
          this.siteFromCall(obj.parent.parent, obj, w);
          return;
        }
        // A table of endpoints: `const PATHS = { subs: '/v1/…' }` used as `PATHS.subs`.
        const owner = this.definedName(obj);
        if (owner) {
          const ownerName = owner.member ? (owner.member === 'this' ? owner.name : `${owner.member}.${owner.name}`) : owner.name;
          for (const use of this.memberUses(ownerName, key, w)) this.visitValue(use, w, depth + 1);
        }
        return;
      }
      case 'variable_declarator':
      case 'assignment_expression':
      case 'public_field_definition':
      case 'field_definition': {
        const name = this.definedName(root);
        if (!name) return;
        if (name.member) {
          for (const use of this.memberUses(name.member === 'this' ? 'this' : name.member, name.name, w)) {
            this.visitValue(use, w, depth + 1);
          }
        } else {
          const scope = this.scopeOf(parent);
          for (const use of this.usesOf(name.name, parent, scope, w)) this.visitValue(use, w, depth + 1);
        }
        return;
      }
      case 'return_statement':
      case 'arrow_function': {
        // `function subsUrl(id) { return `…` }`: follow the calls of the function.
        const fn = parent.type === 'arrow_function' ? parent : enclosing(parent, FUNCTION_TYPES);
        const fname = fn && this.functionName(fn);
        if (!fn || !fname) return;
        for (const use of this.usesOf(fname, fn, w.tree.rootNode, w)) {
          const call = use.parent;
          if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === use.id) {
            this.visitValue(call, w, depth + 1);
          }
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
      if (TRANSPARENT.has(p.type) || p.type === 'template_substitution' || p.type === 'template_string') {
        n = p;
      } else if (p.type === 'binary_expression' && p.childForFieldName('operator')?.type === '+') {
        n = p;
      } else if (p.type === 'ternary_expression' && p.childForFieldName('condition')?.id !== n.id) {
        n = p;
      } else if (p.type === 'array' && p.parent?.type === 'member_expression' && propertyName(p.parent.childForFieldName('property')) === 'join') {
        n = p.parent.parent?.type === 'call_expression' ? p.parent.parent : p;
      } else if (p.type === 'member_expression' && p.childForFieldName('object')?.id === n.id) {
        const prop = propertyName(p.childForFieldName('property'));
        const call = p.parent;
        if (call?.type === 'call_expression' && prop && ['concat', 'replace', 'replaceAll', 'trim', 'toString', 'toLowerCase'].includes(prop)) n = call;
        else if (prop === 'href' || prop === 'pathname') n = p;
        else return n;
      } else if (p.type === 'arguments' && p.parent && this.isUrlBuilder(p.parent)) {
        n = p.parent;
      } else {
        return n;
      }
    }
  }

  private isUrlBuilder(call: Node): boolean {
    const fn = call.childForFieldName(call.type === 'new_expression' ? 'constructor' : 'function');
    if (!fn) return false;
    const text = fn.text.replace(/\s+/g, '');
    if (call.type === 'new_expression') return text === 'URL';
    return /^(?:path(?:\.posix)?\.join|url\.resolve|urljoin|urlJoin|util\.format|format|String|encodeURI|[\w$.]+\.concat)$/.test(text);
  }

  // ---- calls -------------------------------------------------------------------------------------

  private siteFromCall(call: Node, arg: Node, w: Walk): void {
    const args = argumentList(call);
    const argIndex = args.findIndex((a) => a.id === arg.id);
    if (argIndex < 0) return;
    const api = this.httpApi(call, args, argIndex, w);
    if (!api) return;

    let urlNode: Node | undefined;
    let options: Node | null = null;
    if (api.configForm) {
      const config = this.objectLiteral(args[0], w);
      urlNode = config ? pairValue(config, 'url') ?? undefined : undefined;
      options = config;
    } else {
      if (argIndex !== api.urlIndex) {
        // A config object as the URL argument position: axios({ url, method }).
        const obj = this.objectLiteral(args[argIndex], w);
        if (argIndex === 0 && obj && pairValue(obj, 'url') && api.methodFromOptions) {
          urlNode = pairValue(obj, 'url') ?? undefined;
          options = obj;
        } else return;
      } else if (args[api.urlIndex]?.type === 'object' && pairValue(args[api.urlIndex], 'url') && api.methodFromOptions) {
        // axios({ url, method }): the config object in the URL position.
        options = args[api.urlIndex];
        urlNode = pairValue(options, 'url') ?? undefined;
      } else {
        urlNode = args[api.urlIndex];
        options = api.optionsIndex !== undefined ? this.objectLiteral(args[api.optionsIndex], w) : null;
      }
    }
    if (!urlNode) return;

    let method = api.method;
    if (api.methodFromOptions || api.configForm) {
      const m = options ? pairValue(options, 'method') : null;
      if (m) method = this.literal(m, w);
      else if (!options && api.optionsIndex !== undefined && args[api.optionsIndex]) method = undefined;
      else method = method ?? 'GET';
    }

    let body: KeySet | undefined;
    const bodyNode = api.bodyIndex !== undefined ? args[api.bodyIndex] : options ? pairValue(options, 'body') ?? pairValue(options, 'data') ?? pairValue(options, 'json') : null;
    if (bodyNode) body = this.keysOf(bodyNode, w);

    let query: KeySet | undefined;
    const params = options ? pairValue(options, 'params') ?? pairValue(options, 'searchParams') ?? pairValue(options, 'query') : null;
    if (params) query = this.keysOf(params, w);

    const site: HttpSite = {
      kind: 'http',
      span: spanOf(call),
      call: spanOf(call),
      url: this.fold(urlNode, w, 0),
      urlSpan: spanOf(urlNode),
      method: normaliseMethod(method),
      body,
      query,
      base: api.receiver ? this.baseUrlOf(api.receiver, w) : undefined,
      ...this.context(call, w, 'http'),
    };
    w.addSite(site);
  }

  /** What kind of HTTP call this is, if any. */
  private httpApi(call: Node, args: Node[], argIndex: number, w: Walk): HttpApi | undefined {
    if (call.type === 'new_expression') {
      const ctor = call.childForFieldName('constructor')?.text;
      return ctor === 'Request' ? { urlIndex: 0, optionsIndex: 1, methodFromOptions: true } : undefined;
    }
    const fn = calleeOf(call);
    if (!fn) return undefined;
    if (fn.type === 'identifier') {
      const name = fn.text;
      if (name === 'axios') return { urlIndex: 0, optionsIndex: 1, methodFromOptions: true };
      if (FETCH_LIKE.has(name)) return { urlIndex: 0, optionsIndex: 1, methodFromOptions: true };
      return this.wrapperApi(name, args, argIndex, w);
    }
    if (fn.type === 'member_expression') {
      const prop = propertyName(fn.childForFieldName('property'));
      const receiver = fn.childForFieldName('object');
      if (!prop || !receiver) return undefined;
      const p = prop.toLowerCase();
      if (p === 'get' || p === 'delete' || p === 'head' || p === 'options') {
        if (LOOKUP_RECEIVER.test(receiverName(receiver))) return undefined;
        return { urlIndex: 0, optionsIndex: 1, method: p.toUpperCase(), receiver };
      }
      if (p === 'post' || p === 'put' || p === 'patch') {
        return { urlIndex: 0, bodyIndex: 1, optionsIndex: 2, method: p.toUpperCase(), receiver };
      }
      if (p === 'request') {
        const first = args[0];
        if (first && this.objectLiteral(first, w) && argIndex === 0) return { urlIndex: 0, configForm: true, receiver };
        return { urlIndex: 0, optionsIndex: 1, methodFromOptions: true, receiver };
      }
      if (p === 'fetch') return { urlIndex: 0, optionsIndex: 1, methodFromOptions: true, receiver };
      return this.wrapperApi(prop, args, argIndex, w);
    }
    return undefined;
  }

  /** A request helper of the user's own: the method is a verb argument or in its name. */
  private wrapperApi(name: string, args: Node[], argIndex: number, w: Walk): HttpApi | undefined {
    if (!WRAPPER_NAME.test(name) || NOT_HTTP_NAME.test(name)) return undefined;
    let method: string | undefined;
    let init: Node | null = null;
    for (let i = 0; i < args.length; i++) {
      if (i === argIndex) continue;
      const v = this.literal(args[i], w);
      if (v && HTTP_VERBS.test(v)) {
        method = v.toUpperCase();
        break;
      }
      init ??= i > argIndex ? this.objectLiteral(args[i], w) : null;
    }
    // `wrapper(url, { headers })`: a fetch-style init object; its `method`, else GET as fetch does.
    if (!method && init) {
      const m = pairValue(init, 'method');
      method = m ? this.literal(m, w) : pairValue(init, 'headers') ? 'GET' : undefined;
    }
    method ??= methodFromName(name);
    return { urlIndex: argIndex, method, optionsIndex: init ? args.findIndex((a) => a.id === init!.id) : undefined };
  }

  /** The base URL of an axios/got/ky instance (`axios.create({ baseURL })`), when the file shows it. */
  private baseUrlOf(receiver: Node, w: Walk): Folded | undefined {
    const value = this.valueExpr(receiver, w);
    if (!value || value.type !== 'call_expression') return undefined;
    const fn = value.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    if (!/^(?:axios\.create|got\.extend|ky\.create|ky\.extend|[\w$.]+\.create)$/.test(fn)) return undefined;
    const cfg = this.objectLiteral(argumentList(value)[0], w);
    const base = cfg && (pairValue(cfg, 'baseURL') ?? pairValue(cfg, 'prefixUrl') ?? pairValue(cfg, 'baseUrl'));
    return base ? this.fold(base, w, 0) : undefined;
  }

  // ---- loops and guards --------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'for_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), counted: true };
      }
      case 'for_in_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        const right = anc.childForFieldName('right');
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), label: right?.text, counted: false };
      }
      case 'while_statement':
      case 'do_statement': {
        const cond = anc.childForFieldName('condition');
        if (cond?.id === child.id) return undefined;
        return { kind: 'loop', header: cond?.text ?? '', counted: true };
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
        return { kind: 'function', callback: anc.parent?.type === 'arguments' };
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'method_definition':
      case 'class_body':
        return { kind: 'function', callback: false };
      case 'call_expression': {
        if (anc.childForFieldName('arguments')?.id !== child.id) return undefined;
        const fn = calleeOf(anc);
        if (!fn) return undefined;
        const name = fn.type === 'member_expression' ? propertyName(fn.childForFieldName('property')) : fn.text;
        if (!name) return undefined;
        if (this.isRetryName(name, w)) return { kind: 'guard', guard: { kind: 'wrapper', name } };
        if (fn.type === 'member_expression') {
          const recv = fn.childForFieldName('object')?.text ?? '';
          if (this.isRetryMethod(name, recv, w)) return { kind: 'guard', guard: { kind: 'method', name: `${recv}.${name}` } };
          if (w.idioms.iterationCallbacks.includes(name)) return { kind: 'loop', header: recv, label: recv, counted: false };
        } else if (w.idioms.iterationCallbacks.includes(name)) {
          const first = argumentList(anc)[0];
          return { kind: 'loop', header: first?.text ?? name, label: first?.text, counted: false };
        }
        if (name === 'setInterval') return { kind: 'loop', header: name, label: name, counted: false };
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // ---- names and values --------------------------------------------------------------------------

  protected definitionValue(nameNode: Node): Node | null {
    const p = nameNode.parent;
    if (!p) return null;
    if (p.type === 'variable_declarator' && p.childForFieldName('name')?.id === nameNode.id) return p.childForFieldName('value');
    if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === nameNode.id) return p.childForFieldName('right');
    if ((p.type === 'public_field_definition' || p.type === 'field_definition') && (p.childForFieldName('name') ?? p.childForFieldName('property'))?.id === nameNode.id) {
      return p.childForFieldName('value');
    }
    if (p.type === 'member_expression' && p.childForFieldName('property')?.id === nameNode.id) {
      const a = p.parent;
      if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === p.id) return a.childForFieldName('right');
    }
    return null;
  }

  protected scopeOf(node: Node): Node {
    let n = node.parent;
    while (n) {
      if (FUNCTION_TYPES.has(n.type) || n.type === 'class_body' || n.type === 'program') return n;
      n = n.parent;
    }
    return node.tree.rootNode;
  }

  /** The name a value is bound to: `const x = v`, `x = v`, `this.x = v`, a class field, `const T = { … }`. */
  private definedName(value: Node): { name: string; member?: string } | undefined {
    const p = value.parent;
    if (!p) return undefined;
    if (p.type === 'variable_declarator') {
      const n = p.childForFieldName('name');
      return n?.type === 'identifier' ? { name: n.text } : undefined;
    }
    if (p.type === 'assignment_expression') {
      const left = p.childForFieldName('left');
      if (left?.type === 'identifier') return { name: left.text };
      if (left?.type === 'member_expression') {
        const prop = propertyName(left.childForFieldName('property'));
        const obj = left.childForFieldName('object');
        if (prop && obj) return { name: prop, member: obj.type === 'this' ? 'this' : obj.text };
      }
      return undefined;
    }
    if (p.type === 'public_field_definition' || p.type === 'field_definition') {
      const n = p.childForFieldName('name') ?? p.childForFieldName('property');
      return n ? { name: n.text, member: 'this' } : undefined;
    }
    return undefined;
  }

  /** Uses of `owner.key` (`this.key` when owner is `this`; any `x.key` when the owner is a class field). */
  private memberUses(owner: string, key: string, w: Walk): Node[] {
    const out: Node[] = [];
    for (const offset of w.occurrences(key)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + key.length);
      const m = n?.parent;
      if (!n || !m || m.type !== 'member_expression' || m.childForFieldName('property')?.id !== n.id) continue;
      const obj = m.childForFieldName('object');
      if (!obj) continue;
      if (owner === 'this' ? obj.type === 'this' : obj.text === owner || lastName(obj.text) === owner) {
        if (!this.definitionValue(n)) out.push(m);
      }
    }
    return out;
  }

  private functionName(fn: Node): string | undefined {
    const n = fn.childForFieldName('name');
    if (n) return n.text;
    const p = fn.parent;
    if (p?.type === 'variable_declarator') return p.childForFieldName('name')?.text;
    return undefined;
  }

  /** The value expression a name or member refers to, when the file defines it. */
  private valueExpr(node: Node, w: Walk): Node | null {
    if (node.type === 'identifier') return this.resolveName(node.text, node, w);
    if (node.type === 'member_expression') {
      const prop = propertyName(node.childForFieldName('property'));
      const obj = node.childForFieldName('object');
      if (!prop || !obj) return null;
      if (obj.type === 'this') {
        for (const offset of w.occurrences(prop)) {
          if (w.outOfTime()) break;
          const n = w.tree.rootNode.descendantForIndex(offset, offset + prop.length);
          if (!n) continue;
          const v = this.definitionValue(n);
          if (v && (n.parent?.type !== 'member_expression' || n.parent.childForFieldName('object')?.type === 'this')) return v;
        }
        return null;
      }
      const target = this.valueExpr(obj, w);
      const objLit = target && this.objectLiteral(target, w);
      return objLit ? pairValue(objLit, prop) : null;
    }
    return null;
  }

  private objectLiteral(node: Node | undefined, w: Walk, depth = 0): Node | null {
    if (!node || depth > 3) return null;
    if (node.type === 'object') return node;
    if (TRANSPARENT.has(node.type)) return this.objectLiteral(node.namedChildren[0] ?? undefined, w, depth + 1);
    if (node.type === 'identifier' || node.type === 'member_expression') {
      const v = this.valueExpr(node, w);
      return v ? this.objectLiteral(v, w, depth + 1) : null;
    }
    return null;
  }

  /** Top-level keys of an object (or of `JSON.stringify(object)`, `new URLSearchParams({…})`). */
  private keysOf(node: Node, w: Walk): KeySet {
    let n: Node | null = node;
    if (n.type === 'call_expression' || n.type === 'new_expression') {
      const fnText = n.childForFieldName(n.type === 'call_expression' ? 'function' : 'constructor')?.text ?? '';
      if (/^(?:JSON\.stringify|URLSearchParams|qs\.stringify|querystring\.stringify)$/.test(fnText)) n = argumentList(n)[0] ?? null;
      else return { keys: [], complete: false };
    }
    const obj = n ? this.objectLiteral(n, w) : null;
    if (!obj) return { keys: [], complete: false };
    const keys: string[] = [];
    let complete = true;
    for (const c of obj.namedChildren) {
      if (!c) continue;
      if (c.type === 'pair') {
        const k = propertyName(c.childForFieldName('key'));
        if (k) keys.push(k);
        else complete = false;
      } else if (c.type === 'shorthand_property_identifier') keys.push(c.text);
      else if (c.type === 'spread_element') complete = false;
      else if (c.type === 'method_definition') keys.push(c.childForFieldName('name')?.text ?? '');
    }
    return { keys, complete };
  }

  /** The literal text of an expression, if it folds to one. */
  private literal(node: Node, w: Walk): string | undefined {
    const f = this.fold(node, w, 0);
    return f.length === 1 && typeof f[0] === 'string' ? f[0] : f.length === 0 ? '' : undefined;
  }

  // ---- folding -----------------------------------------------------------------------------------

  fold(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    if (depth > 8) return hole(node.text);
    switch (node.type) {
      case 'string':
        return lit(decodeString(node));
      case 'template_string': {
        const parts: Folded[] = [];
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === 'string_fragment') parts.push(lit(c.text));
          else if (c.type === 'escape_sequence') parts.push(lit(unescapeJs(c.text)));
          else if (c.type === 'template_substitution') {
            const inner = c.namedChildren[0];
            parts.push(inner ? this.fold(inner, w, depth + 1, env) : []);
          }
        }
        return concat(...parts);
      }
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.type;
        if (op === '??' || op === '||') {
          // `process.env.PC_API ?? 'https://…'`: the default says which host the code talks to.
          const l = node.childForFieldName('left');
          const r = node.childForFieldName('right');
          const left = l ? this.fold(l, w, depth + 1, env) : hole(node.text);
          return left.length === 1 && typeof left[0] !== 'string' && r ? this.fold(r, w, depth + 1, env) : left;
        }
        if (op !== '+') return hole(node.text);
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        return l && r ? concat(this.fold(l, w, depth + 1, env), this.fold(r, w, depth + 1, env)) : hole(node.text);
      }
      case 'identifier': {
        const bound = env?.get(node.text);
        if (bound) return bound;
        if (env?.has(node.text)) return hole(node.text);
        const v = this.resolveName(node.text, node, w);
        return v ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'member_expression': {
        const prop = propertyName(node.childForFieldName('property'));
        if (prop === 'href' || prop === 'pathname') {
          const obj = node.childForFieldName('object');
          return obj ? this.fold(obj, w, depth + 1, env) : hole(node.text);
        }
        const v = this.valueExpr(node, w);
        return v ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'call_expression':
        return this.foldCall(node, w, depth, env);
      case 'new_expression': {
        const ctor = node.childForFieldName('constructor')?.text;
        const args = argumentList(node);
        if (ctor === 'URL' && args[0]) return this.resolveAgainst(args[0], args[1], w, depth, env);
        return hole(node.text);
      }
      default:
        if (TRANSPARENT.has(node.type)) {
          const inner = node.namedChildren[node.type === 'await_expression' ? 0 : 0];
          return inner ? this.fold(inner, w, depth + 1, env) : hole(node.text);
        }
        return hole(node.text);
    }
  }

  private resolveAgainst(pathNode: Node, baseNode: Node | undefined, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const p = this.fold(pathNode, w, depth + 1, env);
    if (!baseNode) return p;
    const first = p[0];
    if (typeof first === 'string' && /^[a-z]+:\/\//i.test(first)) return p;
    return join([this.fold(baseNode, w, depth + 1, env), p], '/');
  }

  private foldCall(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const fn = calleeOf(node);
    const args = argumentList(node);
    if (!fn) return hole(node.text);
    const f = (n: Node) => this.fold(n, w, depth + 1, env);
    const fnText = fn.text.replace(/\s+/g, '');
    if (/^(?:path(?:\.posix)?\.join|urljoin|urlJoin)$/.test(fnText)) return join(args.map(f), '/');
    if (fnText === 'url.resolve' && args.length === 2) return this.resolveAgainst(args[1], args[0], w, depth, env);
    if (/^(?:util\.format|format)$/.test(fnText) && args[0]) return formatPrintf(f(args[0]), args.slice(1).map(f));
    if (fnText === 'String' && args[0]) return f(args[0]);
    if (fn.type === 'member_expression') {
      const prop = propertyName(fn.childForFieldName('property'));
      const obj = fn.childForFieldName('object');
      if (!obj) return hole(node.text);
      if (prop === 'concat') return concat(f(obj), ...args.map(f));
      if (prop === 'toString' || prop === 'trim' || prop === 'toLowerCase') return f(obj);
      if (prop === 'join' && obj.type === 'array') {
        const sep = args[0] ? this.literal(args[0], w) : ',';
        return sep === undefined ? hole(node.text) : join(obj.namedChildren.filter((c): c is Node => !!c).map(f), sep);
      }
      if ((prop === 'replace' || prop === 'replaceAll') && args.length === 2 && args[0].type === 'string') {
        const from = decodeString(args[0]);
        const to = f(args[1]);
        const base = f(obj);
        return replaceLiteral(base, from, to, prop === 'replaceAll');
      }
      return hole(node.text);
    }
    if (fn.type === 'identifier') {
      // A same-file function that returns a URL: fold its body with the arguments bound to its parameters.
      const target = this.functionDefinition(fn.text, fn, w);
      if (target) {
        const params = target.childForFieldName('parameters');
        const names = params ? params.namedChildren.filter((c): c is Node => !!c).map((p) => (p.childForFieldName('pattern') ?? p).text) : [];
        const single = target.childForFieldName('parameter');
        if (single) names.push(single.text);
        const bound = new Map<string, Folded>();
        names.forEach((n, i) => bound.set(n, args[i] ? f(args[i]) : hole(n)));
        const ret = this.returnedExpression(target);
        if (ret) return this.fold(ret, w, depth + 1, bound);
      }
    }
    return hole(node.text);
  }

  private functionDefinition(name: string, use: Node, w: Walk): Node | null {
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (!n || !p) continue;
      if ((p.type === 'function_declaration' || p.type === 'method_definition') && p.childForFieldName('name')?.id === n.id) return p;
    }
    const v = this.resolveName(name, use, w);
    return v && (v.type === 'arrow_function' || v.type === 'function_expression' || v.type === 'function') ? v : null;
  }

  private returnedExpression(fn: Node): Node | null {
    const body = fn.childForFieldName('body');
    if (!body) return null;
    if (body.type !== 'statement_block') return body;
    const returns = body.namedChildren.filter((c): c is Node => !!c && c.type === 'return_statement');
    return returns.length === 1 ? returns[0].namedChildren[0] ?? null : null;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

/**
 * The function of a call. The TypeScript grammar parses `await a.get<T>(x)` as a call whose function is
 * `await a.get`: look through the `await`.
 */
export function calleeOf(call: Node): Node | null {
  let fn = call.childForFieldName('function');
  while (fn?.type === 'await_expression') fn = fn.namedChildren[0] ?? null;
  return fn;
}

export function argumentList(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

export function propertyName(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'string') return decodeString(n);
  if (n.type === 'property_identifier' || n.type === 'identifier' || n.type === 'private_property_identifier') return n.text;
  return undefined;
}

export function pairValue(obj: Node, key: string): Node | null {
  for (const c of obj.namedChildren) {
    if (!c) continue;
    if (c.type === 'pair' && propertyName(c.childForFieldName('key')) === key) return c.childForFieldName('value');
    if (c.type === 'shorthand_property_identifier' && c.text === key) return c;
  }
  return null;
}

/** The name that says what a receiver is: `cache` in `this.cache`, `Map` in `new Map()`. */
function receiverName(node: Node): string {
  switch (node.type) {
    case 'member_expression':
      return propertyName(node.childForFieldName('property')) ?? '';
    case 'new_expression':
      return (node.childForFieldName('constructor')?.text ?? '').replace(/<.*$/s, '');
    case 'call_expression': {
      const fn = calleeOf(node);
      return fn ? receiverName(fn) : '';
    }
    case 'parenthesized_expression':
    case 'non_null_expression':
    case 'as_expression':
      return node.namedChildren[0] ? receiverName(node.namedChildren[0]) : '';
    default:
      return node.text;
  }
}

/** The last identifier of a dotted expression (`http` in `this.http`). */
function lastName(text: string): string {
  const t = text.trimEnd();
  let i = t.length;
  while (i > 0 && /[\w$]/.test(t[i - 1])) i--;
  return i < t.length ? t.slice(i) : text;
}

function enclosing(node: Node, types: Set<string>): Node | null {
  let n = node.parent;
  while (n && !types.has(n.type)) n = n.parent;
  return n;
}

function decodeString(node: Node): string {
  let s = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_fragment') s += c.text;
    else if (c.type === 'escape_sequence') s += unescapeJs(c.text);
  }
  return s;
}

function unescapeJs(seq: string): string {
  const c = seq[1];
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'u': {
      const hex = seq.startsWith('\\u{') ? seq.slice(3, -1) : seq.slice(2);
      const code = parseInt(hex, 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    case 'x':
      return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    default:
      return seq.slice(1);
  }
}

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
