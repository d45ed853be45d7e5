/**
 * Python: requests (module and sessions), httpx and aiohttp clients (with their `base_url`), urllib, and
 * request wrappers of the user's own; URLs folded from f-strings, `%`, `.format`, `+`, adjacent literals,
 * constants, class attributes, `self.x` set in `__init__`, `urljoin`, `"/".join`, `os.environ.get` defaults
 * and same-file functions that return a URL.
 */
import type { Node } from 'web-tree-sitter';
import { pythonClientFactories, pythonIdioms, pythonLookupReceiver } from '../../catalog/idioms/python';
import { concat, Folded, formatBraces, formatPrintf, hole, join, lit, trimTrailingSlash } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { pythonFixes } from './python-fixes';
import type { HttpSite, KeySet } from '../types';
import { methodFromName, normaliseMethod } from '../url';
import { AncestorRole, TreeAdapter, Walk, contains, spanOf } from './base';

const VERBS = new Set(['get', 'post', 'patch', 'put', 'delete', 'head', 'options']);
const HTTP_VERBS = /^(GET|POST|PATCH|PUT|DELETE|HEAD|OPTIONS)$/i;

/** Request wrappers of the user's own: `self._request("GET", path)`, `pc_get(path)`. */
const WRAPPER_NAME = /request|fetch|http|api|call|invoke|send|client|partner|^_?(?:get|post|patch|put|delete)(?:_|$)/i;
const NOT_HTTP_NAME = /log|print|debug|info|warn|error|exception|critical|format|join|split|replace|encode|decode|dumps|loads|parse|append|extend|add|update|setdefault|startswith|endswith|strip|render|redirect|url_for|reverse|translate|gettext|assert/i;

const MAX_FOLD_DEPTH = 10;

export class PythonAdapter extends TreeAdapter {
  readonly language = 'python' as const;
  readonly idioms = pythonIdioms;
  readonly comment = { line: '#' };
  protected override readonly unitTypes: ReadonlySet<string> = new Set(['function_definition', 'lambda']);

  grammar(): GrammarName {
    return 'python';
  }

  fixes(ctx: FixContext): Fix[] {
    return pythonFixes(ctx);
  }

  // ---- anchors -------------------------------------------------------------------------------------

  protected fromAnchor(node: Node, w: Walk): void {
    if (node.type === 'comment') return;
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (n.type === 'string') {
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
      case 'argument_list': {
        const call = parent.parent;
        if (call?.type === 'call') this.siteFromCall(call, root, undefined, w);
        return;
      }
      case 'keyword_argument': {
        const call = parent.parent?.parent;
        const name = parent.childForFieldName('name')?.text;
        if (call?.type === 'call' && name && parent.childForFieldName('value')?.id === root.id) this.siteFromCall(call, root, name, w);
        return;
      }
      case 'assignment': {
        if (parent.childForFieldName('right')?.id !== root.id) return;
        const left = parent.childForFieldName('left');
        if (left?.type === 'identifier') {
          const scope = this.scopeOf(left);
          for (const use of this.usesOf(left.text, parent, scope, w)) this.visitValue(use, w, depth + 1);
          // A class attribute is used as `self.NAME` / `Class.NAME`.
          if (scope.type === 'class_definition') for (const use of this.attributeUses(left.text, w)) this.visitValue(use, w, depth + 1);
        } else if (left?.type === 'attribute') {
          const attr = left.childForFieldName('attribute');
          if (attr) for (const use of this.attributeUses(attr.text, w)) if (use.id !== left.id) this.visitValue(use, w, depth + 1);
        }
        return;
      }
      case 'return_statement': {
        const fn = enclosingFunction(parent);
        const name = fn?.childForFieldName('name');
        if (!fn || !name) return;
        for (const use of w.occurrences(name.text)) {
          if (w.outOfTime()) break;
          const n = w.tree.rootNode.descendantForIndex(use, use + name.text.length);
          if (!n || n.id === name.id) continue;
          const fnNode = n.parent?.type === 'attribute' && n.parent.childForFieldName('attribute')?.id === n.id ? n.parent : n;
          const call = fnNode.parent;
          if (call?.type === 'call' && call.childForFieldName('function')?.id === fnNode.id) this.visitValue(call, w, depth + 1);
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
      if (p.type === 'parenthesized_expression' || p.type === 'interpolation' || p.type === 'concatenated_string' || p.type === 'await') {
        n = p;
      } else if (p.type === 'string' && n.type !== 'string') {
        n = p;
      } else if (p.type === 'binary_operator' && ['+', '%'].includes(p.childForFieldName('operator')?.text ?? '')) {
        n = p;
      } else if (p.type === 'conditional_expression' && p.namedChildren[1]?.id !== n.id) {
        n = p;
      } else if (p.type === 'attribute' && p.childForFieldName('object')?.id === n.id) {
        const attr = p.childForFieldName('attribute')?.text ?? '';
        const call = p.parent;
        if (call?.type === 'call' && call.childForFieldName('function')?.id === p.id && ['format', 'rstrip', 'strip', 'lower', 'replace'].includes(attr)) n = call;
        else return n;
      } else if ((p.type === 'list' || p.type === 'tuple') && p.parent?.type === 'argument_list' && p.parent.parent && this.isUrlBuilder(p.parent.parent)) {
        n = p.parent.parent;
      } else if (p.type === 'argument_list' && p.parent && this.isUrlBuilder(p.parent)) {
        n = p.parent;
      } else if (p.type === 'keyword_argument' && p.parent?.parent && this.isUrlBuilder(p.parent.parent)) {
        n = p.parent.parent;
      } else {
        return n;
      }
    }
  }

  private isUrlBuilder(call: Node): boolean {
    const fn = call.childForFieldName('function');
    if (!fn) return false;
    const text = fn.text.replace(/\s+/g, '');
    if (/^(?:(?:urllib\.parse\.|parse\.)?urljoin|(?:posixpath|os\.path)\.join|str|f|quote|(?:os\.environ\.get|os\.getenv))$/.test(text)) return true;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'join' && fn.childForFieldName('object')?.type === 'string') return true;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') return true;
    return false;
  }

  // ---- HTTP calls --------------------------------------------------------------------------------

  private siteFromCall(call: Node, arg: Node, keyword: string | undefined, w: Walk): void {
    const { positional, named } = argumentsOf(call);
    const index = keyword ? -1 : positional.findIndex((a) => a.id === arg.id);
    const fn = call.childForFieldName('function');
    if (!fn) return;
    const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : fn.text;
    const receiver = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    const lower = name.toLowerCase();

    let method: string | undefined;
    let urlNode: Node | undefined;
    if (VERBS.has(lower) && receiver) {
      if (pythonLookupReceiver.test(lastName(receiver.text))) return;
      urlNode = positional[0] ?? named.get('url');
      method = lower.toUpperCase();
    } else if (lower === 'request' && receiver) {
      urlNode = positional[1] ?? named.get('url');
      const m = positional[0] ?? named.get('method');
      method = m ? this.literal(m, w) : undefined;
    } else if (name === 'Request' || name === 'urlopen') {
      urlNode = positional[0] ?? named.get('url');
      const m = named.get('method');
      method = m ? this.literal(m, w) : positional[1] || named.has('data') ? 'POST' : 'GET';
    } else {
      // A user wrapper: the verb is an argument or in the name.
      if (!WRAPPER_NAME.test(name) || NOT_HTTP_NAME.test(name)) return;
      if (index < 0 && keyword !== 'url' && keyword !== 'path' && keyword !== 'endpoint') return;
      urlNode = arg;
      for (const p of positional) {
        if (p.id === arg.id) continue;
        const v = this.literal(p, w);
        if (v && HTTP_VERBS.test(v)) method = v.toUpperCase();
      }
      const m = named.get('method');
      if (m) method = this.literal(m, w);
      method ??= methodFromName(name.replace(/^_+/, ''));
    }
    if (!urlNode || (urlNode.id !== arg.id && !contains(urlNode, arg))) return;

    const params = named.get('params');
    const bodyNode = named.get('json') ?? named.get('data') ?? named.get('body');
    const site: HttpSite = {
      kind: 'http',
      span: spanOf(call),
      call: spanOf(call.parent?.type === 'await' ? call.parent : call),
      url: this.fold(urlNode, w, 0),
      urlSpan: spanOf(urlNode),
      method: normaliseMethod(method),
      query: params ? this.keysOf(params, w, 0) : undefined,
      body: bodyNode ? this.keysOf(bodyNode, w, 0) : undefined,
      base: receiver ? this.baseOf(receiver, w) : undefined,
      ...this.context(call, w, 'http'),
    };
    w.addSite(site);
  }

  /** The `base_url` of an httpx/aiohttp client (`httpx.Client(base_url=…)`, `with … as client`). */
  private baseOf(receiver: Node, w: Walk): Folded | undefined {
    const value = this.valueAt(receiver, w);
    if (value?.type !== 'call') return undefined;
    const fnText = value.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    if (!pythonClientFactories.test(fnText)) return undefined;
    const base = argumentsOf(value).named.get('base_url');
    return base ? this.fold(base, w, 0) : undefined;
  }

  /** The value a name or `self.x` is given (an assignment, or `with X(...) as name`). */
  private valueAt(node: Node, w: Walk): Node | null {
    if (node.type === 'identifier') {
      const v = this.resolveName(node.text, node, w);
      if (v) return v;
      // `with httpx.Client(base_url=…) as client:`
      for (const offset of w.occurrences(node.text)) {
        if (w.outOfTime()) break;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + node.text.length);
        const target = n?.parent;
        if (target?.type === 'as_pattern_target' && target.parent?.type === 'as_pattern') return target.parent.namedChildren[0] ?? null;
      }
      return null;
    }
    if (node.type === 'attribute') {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute');
      if (obj && attr && /^(?:self|cls)$/.test(obj.text)) return this.memberValue(attr.text, w);
    }
    return null;
  }

  /** Top-level keys of a dict literal (or `json.dumps(dict)`, `dict(a=…)`, a name bound to one). */
  private keysOf(node: Node, w: Walk, depth: number): KeySet {
    const unknown: KeySet = { keys: [], complete: false };
    if (depth > 4) return unknown;
    if (node.type === 'dictionary') {
      const keys: string[] = [];
      let complete = true;
      for (const c of node.namedChildren) {
        if (c?.type === 'pair') {
          const k = c.childForFieldName('key');
          const v = k ? this.literal(k, w) : undefined;
          if (v !== undefined) keys.push(v);
          else complete = false;
        } else if (c?.type === 'dictionary_splat') complete = false;
      }
      return { keys, complete };
    }
    if (node.type === 'call') {
      const fnText = node.childForFieldName('function')?.text ?? '';
      const { positional, named } = argumentsOf(node);
      if (fnText === 'dict') return { keys: [...named.keys()], complete: positional.length === 0 };
      if (/(?:^|\.)(?:dumps|urlencode)$/.test(fnText) && positional[0]) return this.keysOf(positional[0], w, depth + 1);
      return unknown;
    }
    if (node.type === 'identifier') {
      const v = this.resolveName(node.text, node, w);
      return v ? this.keysOf(v, w, depth + 1) : unknown;
    }
    return unknown;
  }

  private literal(node: Node, w: Walk): string | undefined {
    const f = this.fold(node, w, 0);
    return f.length === 1 && typeof f[0] === 'string' ? f[0] : f.length === 0 ? '' : undefined;
  }

  // ---- loops and guards ----------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'for_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        const right = anc.childForFieldName('right');
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), label: right?.text, counted: isRange(right) };
      }
      case 'while_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.childForFieldName('condition')?.text ?? '', counted: true };
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression': {
        if (anc.childForFieldName('body')?.id !== child.id) return undefined;
        const clause = anc.namedChildren.find((c) => c?.type === 'for_in_clause');
        const right = clause?.childForFieldName('right');
        return { kind: 'loop', header: clause?.text ?? '', label: right?.text, counted: isRange(right) };
      }
      case 'lambda':
        return { kind: 'function', callback: anc.parent?.type === 'argument_list' || anc.parent?.type === 'keyword_argument' };
      case 'function_definition': {
        const decorated = anc.parent?.type === 'decorated_definition' ? anc.parent : null;
        for (const d of decorated?.namedChildren ?? []) {
          if (d?.type !== 'decorator') continue;
          const expr = d.namedChildren[0];
          const name = (expr?.type === 'call' ? expr.childForFieldName('function')?.text : expr?.text) ?? '';
          if ((w.idioms.retryDecorators ?? []).some((r) => r === name || name.endsWith(`.${r}`))) return { kind: 'guard', guard: { kind: 'decorator', name: `@${name}` } };
        }
        return { kind: 'function', callback: false };
      }
      case 'decorated_definition':
      case 'class_definition':
        return { kind: 'function', callback: false };
      case 'call': {
        if (anc.childForFieldName('arguments')?.id !== child.id) return undefined;
        const fn = anc.childForFieldName('function');
        if (!fn) return undefined;
        const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : fn.text;
        if (this.isRetryName(name, w)) return { kind: 'guard', guard: { kind: 'wrapper', name } };
        if (w.idioms.iterationCallbacks.includes(name)) {
          const items = argumentsOf(anc).positional[1];
          return { kind: 'loop', header: items?.text ?? name, label: items?.text, counted: false };
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
    if (!p) return null;
    if (p.type === 'assignment' && p.childForFieldName('left')?.id === nameNode.id) return p.childForFieldName('right');
    if (p.type === 'attribute' && p.childForFieldName('attribute')?.id === nameNode.id) {
      const a = p.parent;
      if (a?.type === 'assignment' && a.childForFieldName('left')?.id === p.id && /^(?:self|cls)$/.test(p.childForFieldName('object')?.text ?? '')) {
        return a.childForFieldName('right');
      }
    }
    return null;
  }

  protected scopeOf(node: Node): Node {
    let n = node.parent;
    while (n) {
      if (n.type === 'function_definition' || n.type === 'lambda' || n.type === 'class_definition' || n.type === 'module') return n;
      n = n.parent;
    }
    return node.tree.rootNode;
  }

  /** `self.NAME` / `cls.NAME` / `Klass.NAME` uses (attribute nodes) of a name. */
  private attributeUses(name: string, w: Walk): Node[] {
    const out: Node[] = [];
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (!n || p?.type !== 'attribute' || p.childForFieldName('attribute')?.id !== n.id) continue;
      if (this.definitionValue(n)) continue;
      out.push(p);
    }
    return out;
  }

  /** The value of an attribute: a class attribute, or `self.NAME = …` anywhere in the file. */
  private memberValue(name: string, w: Walk): Node | null {
    for (const offset of w.occurrences(name, false, 'assignments')) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      if (!n) continue;
      const v = this.definitionValue(n);
      if (!v) continue;
      if (n.parent?.type === 'attribute' || this.scopeOf(n).type === 'class_definition') return v;
    }
    return null;
  }

  // ---- folding -------------------------------------------------------------------------------------

  fold(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    if (depth > MAX_FOLD_DEPTH) return hole(node.text);
    const f = (n: Node) => this.fold(n, w, depth + 1, env);
    switch (node.type) {
      case 'string':
        return this.foldString(node, f);
      case 'concatenated_string':
        return concat(...node.namedChildren.filter((c): c is Node => !!c && c.type === 'string').map(f));
      case 'list_splat':
      case 'parenthesized_expression':
      case 'await':
        return node.namedChildren[0] ? f(node.namedChildren[0]) : hole(node.text);
      case 'binary_operator': {
        const op = node.childForFieldName('operator')?.text;
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        if (!l || !r) return hole(node.text);
        if (op === '+') return concat(f(l), f(r));
        if (op === '%') {
          if (r.type === 'tuple') return formatPrintf(f(l), r.namedChildren.filter((c): c is Node => !!c).map(f));
          if (r.type === 'dictionary') {
            const named = new Map<string, Folded>();
            for (const pair of r.namedChildren) {
              const k = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
              const v = pair?.childForFieldName('value');
              const key = k ? this.literal(k, w) : undefined;
              if (key !== undefined && v) named.set(key, f(v));
            }
            return formatPrintf(f(l), named);
          }
          return formatPrintf(f(l), [f(r)]);
        }
        return hole(node.text);
      }
      case 'identifier': {
        const bound = env?.get(node.text);
        if (bound) return bound;
        if (env?.has(node.text)) return hole(node.text);
        const v = this.resolveName(node.text, node, w);
        return v && !contains(v, node) ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'attribute': {
        const attr = node.childForFieldName('attribute');
        const obj = node.childForFieldName('object');
        if (!attr || !obj) return hole(node.text);
        const v = /^(?:self|cls)$/.test(obj.text) || /^[A-Z]/.test(obj.text) ? this.memberValue(attr.text, w) : null;
        return v && !contains(v, node) ? this.fold(v, w, depth + 1) : hole(node.text);
      }
      case 'call':
        return this.foldCall(node, w, depth, env);
      default:
        return hole(node.text);
    }
  }

  private foldString(node: Node, f: (n: Node) => Folded): Folded {
    const prefix = (node.namedChildren[0]?.type === 'string_start' ? node.namedChildren[0].text : '').toLowerCase();
    const raw = prefix.includes('r');
    const parts: Folded[] = [];
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'string_content') {
        // Escapes are children of the content node in this grammar.
        const content = c.text;
        let text = '';
        let last = c.startIndex;
        for (const e of c.namedChildren) {
          if (!e) continue;
          text += content.slice(last - c.startIndex, e.startIndex - c.startIndex);
          text += e.type === 'escape_interpolation' ? e.text[0] : raw ? e.text : unescapePy(e.text);
          last = e.endIndex;
        }
        text += content.slice(last - c.startIndex);
        parts.push(lit(text));
      } else if (c.type === 'escape_sequence') parts.push(lit(raw ? c.text : unescapePy(c.text)));
      else if (c.type === 'escape_interpolation') parts.push(lit(c.text[0]));
      else if (c.type === 'interpolation') {
        const e = c.childForFieldName('expression');
        parts.push(e ? f(e) : hole(c.text));
      }
    }
    return concat(...parts);
  }

  private foldCall(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const fn = node.childForFieldName('function');
    if (!fn) return hole(node.text);
    const { positional, named } = argumentsOf(node);
    const f = (n: Node) => this.fold(n, w, depth + 1, env);
    const text = fn.text.replace(/\s+/g, '');
    if (/^(?:urllib\.parse\.|parse\.)?urljoin$/.test(text) && positional.length >= 2) return urljoin(f(positional[0]), f(positional[1]));
    if (/^(?:posixpath|os\.path)\.join$/.test(text)) return join(positional.map(f), '/');
    if (text === 'str' && positional[0]) return f(positional[0]);
    if (/^(?:os\.environ\.get|os\.getenv)$/.test(text)) return positional[1] ? f(positional[1]) : named.get('default') ? f(named.get('default')!) : hole(node.text);
    if (fn.type === 'attribute') {
      const attr = fn.childForFieldName('attribute')?.text;
      const obj = fn.childForFieldName('object');
      if (!obj) return hole(node.text);
      if (attr === 'format') {
        const kw = new Map<string, Folded>();
        for (const [k, v] of named) kw.set(k, f(v));
        return formatBraces(f(obj), positional.map(f), kw);
      }
      if (attr === 'join' && obj.type === 'string' && positional[0] && (positional[0].type === 'list' || positional[0].type === 'tuple')) {
        const sep = this.literal(obj, w);
        return sep === undefined ? hole(node.text) : join(positional[0].namedChildren.filter((c): c is Node => !!c).map(f), sep);
      }
      if (attr === 'rstrip' && positional[0] && this.literal(positional[0], w) === '/') return trimTrailingSlash(f(obj));
      if (attr === 'strip' || attr === 'lower') return f(obj);
      if (!/^(?:self|cls)$/.test(obj.text)) return hole(node.text);
    }
    // A same-file function returning a URL: fold its body with the arguments bound to its parameters.
    const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text ?? '' : fn.text;
    const def = this.functionDefinition(name, w);
    const ret = def && returnedExpression(def);
    if (!def || !ret) return hole(node.text);
    const params = (def.childForFieldName('parameters')?.namedChildren ?? [])
      .filter((p): p is Node => !!p && p.text !== 'self' && p.text !== 'cls');
    const bound = new Map<string, Folded>();
    params.forEach((p, i) => {
      const pname = p.type === 'identifier' ? p.text : p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text ?? '';
      // `*parts`: the remaining arguments, as the path segments they usually are.
      if (p.type === 'list_splat_pattern') bound.set(pname, join(positional.slice(i).map(f), '/'));
      else bound.set(pname, named.get(pname) ? f(named.get(pname)!) : positional[i] ? f(positional[i]) : hole(pname));
    });
    return this.fold(ret, w, depth + 1, bound);
  }

  private functionDefinition(name: string, w: Walk): Node | null {
    if (!/^\w+$/.test(name)) return null;
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (n && p?.type === 'function_definition' && p.childForFieldName('name')?.id === n.id) return p;
    }
    return null;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

function argumentsOf(call: Node): { positional: Node[]; named: Map<string, Node> } {
  const positional: Node[] = [];
  const named = new Map<string, Node>();
  const args = call.childForFieldName('arguments');
  for (const c of args?.namedChildren ?? []) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'keyword_argument') {
      const k = c.childForFieldName('name')?.text;
      const v = c.childForFieldName('value');
      if (k && v) named.set(k, v);
    } else if (args?.type === 'argument_list') positional.push(c);
  }
  return { positional, named };
}

function isRange(n: Node | null | undefined): boolean {
  return n?.type === 'call' && /^(?:range|Retrying|AsyncRetrying)$/.test(n.childForFieldName('function')?.text ?? '');
}

function enclosingFunction(node: Node): Node | null {
  let n = node.parent;
  while (n && n.type !== 'function_definition') {
    if (n.type === 'lambda' || n.type === 'class_definition') return null;
    n = n.parent;
  }
  return n;
}

function returnedExpression(def: Node): Node | null {
  const body = def.childForFieldName('body');
  const returns: Node[] = [];
  for (const s of body?.namedChildren ?? []) if (s?.type === 'return_statement') returns.push(s);
  return returns.length === 1 ? returns[0].namedChildren[0] ?? null : null;
}

function lastName(text: string): string {
  const t = text.replace(/\(.*$/s, '');
  const i = t.lastIndexOf('.');
  return i >= 0 ? t.slice(i + 1) : t;
}

function unescapePy(seq: string): string {
  switch (seq[1]) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'x':
    case 'u':
    case 'U': {
      const code = parseInt(seq.slice(2), 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    case '\n':
      return '';
    default:
      return seq.slice(1);
  }
}


/** `urljoin(base, path)` (RFC 3986): an absolute path keeps only the host; a relative one replaces the last segment. */
function urljoin(base: Folded, ref: Folded): Folded {
  const first = ref[0];
  if (typeof first === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first)) return ref;
  const last = base[base.length - 1];
  if (typeof last !== 'string') return join([base, ref], '/');
  if (typeof first === 'string' && first.startsWith('/')) {
    const text = base.every((p) => typeof p === 'string') ? (base as string[]).join('') : undefined;
    const m = text !== undefined ? /^([a-z][a-z0-9+.-]*:\/\/[^/]*)/i.exec(text) : null;
    return m ? concat(lit(m[1]), ref) : concat(base, ref);
  }
  if (last.endsWith('/')) return concat(base, ref);
  const slash = last.lastIndexOf('/');
  const hostOnly = base.length === 1 && /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/i.test(last);
  if (hostOnly || slash < 0) return concat(base, lit('/'), ref);
  return concat([...base.slice(0, -1), last.slice(0, slash + 1)], ref);
}
