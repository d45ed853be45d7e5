/**
 * Java: the Partner Center SDK (com.microsoft.store.partnercenter), java.net.http, OkHttp, Apache HttpClient 4/5,
 * Spring RestTemplate / RestClient / WebClient, JAX-RS clients, HttpURLConnection, declarative clients (Retrofit,
 * Feign, Spring HTTP interfaces, Spring Cloud OpenFeign, Micronaut, MicroProfile Rest Client), and the user's
 * own request helpers defined in the same file.
 *
 * Same design as the TypeScript adapter: from each anchor (a string holding a path word, an SDK member name,
 * `Agreement`) climb to the expression that builds the URL, then to the call it is an argument of or the name it
 * is stored in, and follow that name. Library names are data in catalog/idioms/java.ts.
 */
import type { Node } from 'web-tree-sitter';
import { javaIdioms, javaLibraries } from '../../catalog/idioms/java';
import { HttpMethod, OBJECT_REQUIREMENTS, OPERATIONS } from '../../catalog/operations';
import { concat, Folded, formatIndexed, formatPrintf, hole, isHole, join, lit, literalText, Piece } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { javaFixes } from './java-fixes';
import { normaliseStep } from '../sdk';
import type { AnalysisInput, GuardContext, HttpSite, KeySet, LoopContext, PreviousAnalysis, Site, SiteAnalysis } from '../types';
import { methodFromName, normaliseMethod } from '../url';
import { AncestorRole, TreeAdapter, Walk, contains, spanOf } from './base';

const HTTP = javaLibraries.http;
const ANN = javaLibraries.annotations;
const SDK = javaLibraries.sdk;
const LOOPS = javaLibraries.loops;

/** Nodes a local declaration is visible in (Java scopes are blocks). */
const BLOCK_SCOPES = new Set([
  'block',
  'constructor_body',
  'switch_block_statement_group',
  'switch_rule',
  'for_statement',
  'enhanced_for_statement',
  'catch_clause',
  'try_with_resources_statement',
  'lambda_expression',
  'method_declaration',
  'constructor_declaration',
  'compact_constructor_declaration',
  'static_initializer',
  'class_body',
  'interface_body',
  'enum_body',
  'program',
]);

const TYPE_DECLARATIONS = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration']);
const METHOD_DECLARATIONS = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);

/** Methods through which a URL value flows when called on it (`url.trim()`, `builder.path(p)`, `uri.toString()`). */
const CHAIN_THROUGH = new Set([
  'toString', 'trim', 'strip', 'intern', 'concat', 'append', 'formatted', 'replace', 'resolve', 'normalize',
  'path', 'pathSegment', 'queryParam', 'queryParams', 'queryParamIfPresent', 'fragment', 'scheme', 'host', 'port',
  'addPathSegment', 'addPathSegments', 'addEncodedPathSegment', 'addEncodedPathSegments', 'addQueryParameter',
  'addEncodedQueryParameter', 'addParameter', 'setParameter', 'setPath', 'replacePath', 'resolveTemplate',
  'build', 'buildAndExpand', 'expand', 'encode', 'toUri', 'toURI', 'toURL', 'toUriString', 'toExternalForm', 'newBuilder',
]);

/** Methods whose argument becomes part of the URL they return (`sb.append(x)`, `builder.path(x)`, `client.target(x)`). */
const ARG_THROUGH = new Set([
  'append', 'concat', 'path', 'pathSegment', 'queryParam', 'resolve', 'target', 'host', 'scheme',
  'addPathSegment', 'addPathSegments', 'addEncodedPathSegment', 'addEncodedPathSegments', 'addQueryParameter',
  'addEncodedQueryParameter', 'addParameter', 'setParameter', 'setPath', 'replacePath', 'resolveTemplate',
]);

/** Constructors whose argument is the URL they build (`new URI(s)`, `new StringBuilder(base)`). */
const URL_CONSTRUCTORS = new Set(['URI', 'URL', 'StringBuilder', 'StringBuffer', 'URIBuilder', 'StringJoiner']);

/** Last steps of the catalog's SDK chains: the invocations that make the request (`get`, `patch`, `checkStatus`). */
const SDK_TERMINALS = new Set(OPERATIONS.flatMap((o) => (o.sdk ?? []).map((c) => c.split('.').pop()!)));

const OBJECT_TYPES = new Set(OBJECT_REQUIREMENTS.map((o) => o.type));

const MAX_FLOW_DEPTH = 6;

/** Folding budget: nested expressions cost 1, resolving a name or a same-file method costs RESOLVE. */
const MAX_FOLD_DEPTH = 400;
const RESOLVE = 25;

/**
 * The SDK's interface types are anchors too: `void f(ISubscription sub) { sub.patch(s); }` holds no catalog
 * word (`patch` says nothing alone), but the declared type says what `sub` is.
 */
const SDK_TYPE_ANCHOR = new RegExp(`\\b(?:${Object.keys(SDK.types).filter((t) => SDK.types[t]).sort((a, b) => b.length - a.length).join('|')})\\b`, 'g');

/** How a value is being followed: at top level, or inside a same-file helper on behalf of its caller. */
interface Flow {
  depth: number;
  /** Purpose suffix for `firstVisit`: a helper is analysed once per caller. */
  tag: string;
  /** The helper's parameters bound to the caller's arguments. */
  env?: Map<string, Folded>;
  /** Sites found inside a helper are collected here and reported at the caller. */
  sink?: HttpSite[];
}

interface Step {
  name: string;
  node: Node;
  args: Node[];
}

interface Declaration {
  name: Node;
  type?: string;
  value: Node | null;
  scope: Node;
}


export class JavaAdapter extends TreeAdapter {
  readonly language = 'java' as const;
  readonly idioms = javaIdioms;
  readonly comment = { line: '//', block: ['/*', '*/'] as const };
  protected override readonly unitTypes: ReadonlySet<string> = new Set([...METHOD_DECLARATIONS, 'lambda_expression', 'static_initializer']);

  fixes(ctx: FixContext): Fix[] {
    return javaFixes(ctx);
  }

  grammar(): GrammarName {
    return 'java';
  }

  // ---- anchors -------------------------------------------------------------------------------------

  /** SDK type names (`IAggregatePartner`, …) are anchors too, in files that use the SDK. */
  override analyzeSites(input: AnalysisInput, previous?: PreviousAnalysis): SiteAnalysis {
    if (!input.tree || !javaIdioms.sdkEvidence?.test(input.text)) return super.analyzeSites(input, previous);
    const extra: number[] = [];
    SDK_TYPE_ANCHOR.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = SDK_TYPE_ANCHOR.exec(input.text)) !== null) extra.push(m.index);
    if (extra.length === 0) return super.analyzeSites(input, previous);
    const anchors = [...new Set([...input.anchors, ...extra])].sort((a, b) => a - b);
    return super.analyzeSites({ ...input, anchors }, previous);
  }

  protected fromAnchor(node: Node, w: Walk): void {
    if (node.type.endsWith('comment')) return;
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (n.type === 'string_literal') {
        this.visitValue(n, w, { depth: 0, tag: '' });
        return;
      }
    }
    if (node.type === 'type_identifier' && OBJECT_TYPES.has(node.text)) this.fromObjectType(node, w);
    else if (node.type === 'type_identifier' && SDK.types[node.text] !== undefined) this.fromSdkType(node, w);
    else if (node.type === 'identifier') this.fromSdkName(node, w);
  }

  /** From a value (a string, a name's use) to the calls it reaches. */
  private visitValue(expr: Node, w: Walk, flow: Flow): void {
    if (flow.depth > MAX_FLOW_DEPTH || !w.firstVisit(expr, `value${flow.tag}`)) return;
    const root = this.expressionRoot(expr);
    const parent = root.parent;
    if (!parent) return;
    const next: Flow = { ...flow, depth: flow.depth + 1 };
    switch (parent.type) {
      case 'argument_list': {
        const call = parent.parent;
        if (call && (call.type === 'method_invocation' || call.type === 'object_creation_expression')) this.fromArgument(call, root, w, flow);
        return;
      }
      case 'variable_declarator': {
        if (parent.childForFieldName('value')?.id !== root.id) return;
        const name = parent.childForFieldName('name');
        if (!name) return;
        for (const use of this.usesOf(name.text, parent, this.scopeOf(name), w)) this.visitValue(use, w, next);
        return;
      }
      case 'assignment_expression': {
        if (parent.childForFieldName('right')?.id !== root.id) return;
        const left = parent.childForFieldName('left');
        const name = left?.type === 'identifier' ? left : left?.type === 'field_access' ? left.childForFieldName('field') : null;
        if (!name) return;
        for (const use of this.usesOf(name.text, parent, this.scopeOf(name), w)) {
          if (use.startIndex > parent.startIndex) this.visitValue(use, w, next);
        }
        return;
      }
      case 'return_statement': {
        // `String subscriptionsUrl(String c) { return BASE + …; }`: follow the calls of the method.
        const method = enclosingMethod(parent);
        const name = method?.childForFieldName('name');
        if (!method || !name || method.type !== 'method_declaration') return;
        for (const use of this.callsOf(name.text, w)) this.visitValue(use, w, next);
        return;
      }
      case 'annotation_argument_list':
      case 'element_value_pair':
      case 'element_value_array_initializer':
        this.fromAnnotationValue(root, w, flow);
        return;
      case 'method_invocation': {
        if (parent.childForFieldName('object')?.id !== root.id) return;
        const name = parent.childForFieldName('name')?.text;
        if (name === HTTP.connection.open) this.fromConnection(parent, root, w, flow);
        else if (name === HTTP.jaxrs.request) this.fromJaxRs(parent, root, w, flow);
        return;
      }
      case 'expression_statement':
        // `sb.append("/subscriptions");`: the builder is read later (`sb.toString()`).
        this.followBuilderReads(root, w, next);
        return;
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
      switch (p.type) {
        case 'parenthesized_expression':
          n = p;
          continue;
        case 'cast_expression':
          if (p.childForFieldName('value')?.id !== n.id) return n;
          n = p;
          continue;
        case 'binary_expression':
          if (p.childForFieldName('operator')?.type !== '+') return n;
          n = p;
          continue;
        case 'ternary_expression':
          if (p.childForFieldName('condition')?.id === n.id) return n;
          n = p;
          continue;
        case 'field_access':
          if (p.childForFieldName('field')?.id !== n.id) return n;
          n = p;
          continue;
        case 'method_invocation': {
          const name = p.childForFieldName('name')?.text ?? '';
          if (p.childForFieldName('object')?.id !== n.id || !CHAIN_THROUGH.has(name)) return n;
          n = p;
          continue;
        }
        case 'argument_list': {
          const call = p.parent;
          if (!call || !this.isUrlBuilderCall(call)) return n;
          n = call;
          continue;
        }
        case 'lambda_expression':
          // `uri(b -> b.path("/customers/{id}").build(id))`: the lambda is the URL.
          if (p.childForFieldName('body')?.id !== n.id || p.parent?.type !== 'argument_list') return n;
          n = p;
          continue;
        default:
          return n;
      }
    }
  }

  private isUrlBuilderCall(call: Node): boolean {
    if (call.type === 'object_creation_expression') return URL_CONSTRUCTORS.has(lastSegment(typeName(call)));
    if (call.type !== 'method_invocation') return false;
    const name = call.childForFieldName('name')?.text ?? '';
    const obj = call.childForFieldName('object');
    if (!obj) return false;
    const recv = lastSegment(obj.text);
    if (HTTP.urlFactories[recv]?.includes(name)) return true;
    if (recv === 'String' && (name === 'format' || name === 'join' || name === 'valueOf')) return true;
    if (recv === 'MessageFormat' && name === 'format') return true;
    if (recv === 'Objects' && name === 'toString') return true;
    // `String.join("/", List.of(base, "customers", id))`
    if (/^(?:List|Set|Arrays|Stream)$/.test(recv) && (name === 'of' || name === 'asList')) {
      const outer = call.parent?.parent;
      return outer?.type === 'method_invocation' && outer.childForFieldName('name')?.text === 'join' && lastSegment(outer.childForFieldName('object')?.text ?? '') === 'String';
    }
    return ARG_THROUGH.has(name);
  }

  // ---- calls ---------------------------------------------------------------------------------------

  private fromArgument(call: Node, arg: Node, w: Walk, flow: Flow): void {
    const args = argumentsOf(call);
    const index = args.findIndex((a) => a.id === arg.id);
    if (index < 0) return;
    if (call.type === 'object_creation_expression') this.fromConstructor(call, args, index, w, flow);
    else this.fromInvocation(call, args, index, w, flow);
  }

  /** `new HttpGet(url)`, `new HttpUriRequestBase("PATCH", uri)`, `new RequestEntity<>(body, headers, HttpMethod.GET, uri)`. */
  private fromConstructor(call: Node, args: Node[], index: number, w: Walk, flow: Flow): void {
    const type = lastSegment(typeName(call));
    const named = HTTP.requestClasses[type];
    if (named && index === 0) {
      this.emitRequest(call, call, args[0], named, undefined, w, flow);
      return;
    }
    if ((HTTP.methodUrlClasses as readonly string[]).includes(type) && index === 1) {
      this.emitRequest(call, call, args[1], this.methodOf(args[0], w, flow), undefined, w, flow);
      return;
    }
    if (type === 'RequestEntity') {
      const m = args.findIndex((a) => this.methodOf(a, w, flow) !== undefined);
      if (m >= 0 && index === m + 1) this.emitRequest(call, call, args[index], this.methodOf(args[m], w, flow), m > 0 ? args[0] : undefined, w, flow);
    }
  }

  private fromInvocation(call: Node, args: Node[], index: number, w: Walk, flow: Flow): void {
    const name = call.childForFieldName('name')?.text ?? '';
    const obj = call.childForFieldName('object');
    const recv = obj ? lastSegment(obj.text) : '';

    // Request builders: `.uri(u)`, `.url(u)`, `.setUri(u)`, `HttpRequest.newBuilder(u)`.
    if (index === 0 && (HTTP.urlSteps as readonly string[]).includes(name) && obj) {
      this.fromBuilderUrl(call, args, w, flow);
      return;
    }
    if (index === 0 && name === HTTP.jdkBuilder.factory && recv === HTTP.jdkBuilder.factoryClass) {
      this.fromBuilderUrl(call, args, w, flow);
      return;
    }
    // Static factories: `ClassicRequestBuilder.get(url)`, `Unirest.patch(url)`, `RequestEntity.method(HttpMethod.GET, url)`.
    if (obj && (HTTP.verbFactories as readonly string[]).includes(recv)) {
      // Spring's RequestEntity takes URI variables after the URL and its body in a later `.body(x)`;
      // Micronaut's HttpRequest.POST(url, body) takes the body.
      const templated = recv === 'RequestEntity';
      const verb = exactVerb(name);
      const urlAt = verb ? 0 : name === 'create' || name === 'method' ? 1 : -1;
      if (urlAt < 0 || index !== urlAt) return;
      const method = verb ?? this.methodOf(args[0], w, flow);
      if (!method) return;
      const url = templated ? expandTemplate(this.fold(args[urlAt], w, 0, flow.env), this.uriVariables(args.slice(urlAt + 1), w, flow)) : this.fold(args[urlAt], w, 0, flow.env);
      const body = templated ? this.outerSteps(call, w, 0).find((s) => s.name === 'body')?.args[0] : args[urlAt + 1];
      this.emit(this.httpSite(call, topOfChain(call), args[urlAt], url, method, body, undefined, w, flow), w, flow);
      return;
    }
    // Spring RestTemplate / RestOperations.
    const rt = HTTP.restTemplate[name];
    if (rt && obj && index === 0 && (!rt.receiver || HTTP.restTemplateReceiver.test(lastName(obj.text)))) {
      const method = rt.method ?? (rt.methodArg !== undefined && args[rt.methodArg] ? this.methodOf(args[rt.methodArg], w, flow) : undefined);
      if (!method) return;
      const body = rt.body !== undefined ? args[rt.body] : undefined;
      const vars = this.uriVariables(args.slice(rt.vars), w, flow);
      const url = expandTemplate(this.fold(args[0], w, 0, flow.env), vars);
      this.emit(this.httpSite(call, call, args[0], url, method, body, this.baseOf(obj, w), w, flow), w, flow);
      return;
    }
    // A request helper of the same file: follow the argument into it, report at this call.
    const helper = this.sameFileMethod(name, args.length, w);
    if (helper && (!obj || obj.type === 'this' || /^[A-Z]/.test(obj.text))) {
      this.fromHelper(call, helper, args, index, w, flow);
      return;
    }
    // A client object's verb-named method: `partnerCenterClient.get(url)`, Vert.x `client.getAbs(url)`.
    const verbInName = methodFromName(name);
    if (obj && verbInName && !/fetch/i.test(name) && HTTP.clientReceiver.test(lastName(obj.text)) && !HTTP.lookupReceiver.test(lastName(obj.text))) {
      this.emitRequest(call, call, args[index], verbInName, undefined, w, flow);
      return;
    }
    // A helper of the user's own: `sendRequest(HttpMethod.PATCH, url, body)`, `callPartnerCenter("GET", url)`.
    if (HTTP.helperName.test(name) && !HTTP.notHelperName.test(name)) {
      let method: HttpMethod | undefined;
      for (let i = 0; i < args.length && !method; i++) if (i !== index) method = this.methodOf(args[i], w, flow);
      method ??= verbInName;
      if (method) this.emitRequest(call, call, args[index], method, undefined, w, flow);
    }
  }

  /**
   * A request builder given its URL: java.net.http, OkHttp, Apache 5 request builders, WebClient / RestClient
   * (`client.get().uri(u)`). The kind of builder is read from the steps before the URL; the method from the
   * steps before and after it (`.GET()`, `.patch(body)`, `.method("PATCH", body)`), else its default.
   */
  private fromBuilderUrl(call: Node, args: Node[], w: Walk, flow: Flow): void {
    const inner = this.innerSteps(call, w);
    const outer = this.outerSteps(call, w, 0);
    const isJdk = call.childForFieldName('name')?.text === HTTP.jdkBuilder.factory || inner.steps.some((s) => s.name === HTTP.jdkBuilder.factory && lastSegment(s.node.childForFieldName('object')?.text ?? '') === HTTP.jdkBuilder.factoryClass);
    const isOkHttp = inner.root?.type === 'object_creation_expression' && typeName(inner.root).endsWith(HTTP.okhttpBuilder);
    let method: HttpMethod | undefined;
    let body: Node | undefined;
    let base: Folded | undefined;
    let url: Folded;
    if (isJdk || isOkHttp) {
      const verbs = new Set<HttpMethod>();
      for (const s of [...inner.steps, ...outer]) {
        const v = exactVerb(s.name);
        if (v) {
          verbs.add(v);
          body ??= s.args[0];
        } else if (s.name === 'method' && s.args[0]) {
          const m = this.methodOf(s.args[0], w, flow);
          if (!m) return; // `.method(verb, body)` with a verb we cannot know
          verbs.add(m);
          body ??= s.args[1];
        }
      }
      if (verbs.size > 1) return;
      method = verbs.size === 1 ? [...verbs][0] : 'GET';
      url = this.fold(args[0], w, 0, flow.env);
    } else {
      // Apache `ClassicRequestBuilder.create("PATCH").setUri(u)` / `RequestBuilder.get().setUri(u)`.
      const factory = inner.steps.find((s) => (HTTP.verbFactories as readonly string[]).includes(lastSegment(s.node.childForFieldName('object')?.text ?? '')));
      const last = inner.steps[inner.steps.length - 1];
      if (factory) {
        method = exactVerb(factory.name) ?? (factory.name === 'create' && factory.args[0] ? this.methodOf(factory.args[0], w, flow) : undefined);
        url = this.fold(args[0], w, 0, flow.env);
      } else if (last && ((exactVerb(last.name) && last.args.length === 0) || (last.name === 'method' && last.args.length === 1))) {
        // WebClient / RestClient: `client.get().uri("/customers/{id}/subscriptions", id)`.
        method = exactVerb(last.name) ?? this.methodOf(last.args[0], w, flow);
        const vars = this.uriVariables(args.slice(1), w, flow);
        url = expandTemplate(this.fold(args[0], w, 0, flow.env), vars);
        body = outer.find((s) => s.name === 'bodyValue' || s.name === 'body' || s.name === 'syncBody')?.args[0];
        const receiver = last.node.childForFieldName('object');
        base = receiver ? this.baseOf(receiver, w) : undefined;
      } else {
        return;
      }
    }
    if (!method) return;
    this.emit(this.httpSite(call, topOfChain(call), args[0], url, method, body, base, w, flow), w, flow);
  }

  /** HttpURLConnection: `(HttpURLConnection) new URL(u).openConnection()`, then `setRequestMethod("PATCH")`. */
  private fromConnection(open: Node, urlNode: Node, w: Walk, flow: Flow): void {
    let top = open;
    while (top.parent && (top.parent.type === 'cast_expression' || top.parent.type === 'parenthesized_expression')) top = top.parent;
    let method: HttpMethod | undefined = 'GET';
    const name = definedName(top);
    if (name) {
      for (const use of this.usesOf(name.text, top, this.scopeOf(name), w)) {
        const call = use.parent;
        if (call?.type !== 'method_invocation' || call.childForFieldName('object')?.id !== use.id) continue;
        const m = call.childForFieldName('name')?.text;
        const a = argumentsOf(call);
        if (m === HTTP.connection.setMethod && a[0]) method = this.methodOf(a[0], w, flow);
        else if (m === 'setRequestProperty' && a.length === 2 && this.literal(a[0], w, flow)?.toLowerCase() === HTTP.connection.overrideHeader.toLowerCase()) {
          method = this.methodOf(a[1], w, flow);
          break;
        }
      }
    }
    if (!method) return;
    this.emit(this.httpSite(open, top, urlNode, this.fold(urlNode, w, 0, flow.env), method, undefined, undefined, w, flow), w, flow);
  }

  /** JAX-RS client: `client.target(base).path("customers").path(id).request(JSON).get(X.class)`. */
  private fromJaxRs(request: Node, target: Node, w: Walk, flow: Flow): void {
    let method: HttpMethod | undefined;
    let body: Node | undefined;
    for (const s of this.outerSteps(request, w, 0)) {
      if (s.name === 'async' || s.name === 'rx' || s.name === 'accept' || s.name === 'header' || s.name === 'headers' || s.name === 'cookie') continue;
      const built = /^build([A-Z][a-z]+)$/.exec(s.name);
      method = exactVerb(s.name) ?? (built ? exactVerb(built[1]) : undefined);
      if (method) body = s.args[0];
      else if ((s.name === 'method' || s.name === 'build') && s.args[0]) {
        method = this.methodOf(s.args[0], w, flow);
        body = s.args[1];
      }
      break;
    }
    if (!method) return;
    this.emit(this.httpSite(request, topOfChain(request), target, this.fold(target, w, 0, flow.env), method, body, undefined, w, flow), w, flow);
  }

  /**
   * The URL flows into a helper of the same file (`fetchJson(url)`): the helper's request is reported at this call,
   * with the helper's parameters bound to this call's arguments, this call's loop, and either side's retry.
   */
  private fromHelper(call: Node, helper: Node, args: Node[], index: number, w: Walk, flow: Flow): void {
    if (flow.depth >= 3) return;
    const params = parameterNames(helper);
    const param = params[index];
    const body = helper.childForFieldName('body');
    if (!param || !body) return;
    const env = new Map<string, Folded>();
    params.forEach((p, i) => env.set(p.text, args[i] ? this.fold(args[i], w, 0, flow.env) : hole(p.text)));
    const drafts: HttpSite[] = [];
    const inner: Flow = { depth: flow.depth + 1, tag: `${flow.tag}>${call.startIndex}`, env, sink: drafts };
    for (const use of this.usesOf(param.text, param, helper, w)) this.visitValue(use, w, inner);
    if (drafts.length === 0) return;
    const ctx = this.context(call, w, 'http');
    const top = topOfChain(call);
    for (const d of drafts) {
      this.emit({ ...d, span: spanOf(top), call: spanOf(top), loop: ctx.loop ?? d.loop, guard: ctx.guard ?? d.guard }, w, flow);
    }
  }

  /** A request object or call (`new HttpGet(url)`, a builder chain): its site, with the context of where it is sent. */
  private emitRequest(inner: Node, request: Node, urlNode: Node | undefined, method: HttpMethod | undefined, body: Node | undefined, w: Walk, flow: Flow): void {
    if (!urlNode || !method) return;
    this.emit(this.httpSite(inner, topOfChain(request), urlNode, this.fold(urlNode, w, 0, flow.env), method, body, undefined, w, flow), w, flow);
  }

  private httpSite(inner: Node, top: Node, urlNode: Node, url: Folded, method: HttpMethod, body: Node | undefined, base: Folded | undefined, w: Walk, flow: Flow): HttpSite {
    // Sent right away (`client.execute(new HttpGet(url))`): the call is the send; stored: follow it to the send.
    let call = top;
    let dispatch: Node | null = null;
    const p = top.parent;
    if (p?.type === 'argument_list' && p.parent?.type === 'method_invocation') call = p.parent;
    else dispatch = this.dispatchOf(top, w);
    let { loop, guard } = this.context(inner, w, 'http');
    if (dispatch && (!loop || !guard)) {
      const d = this.context(dispatch, w, 'http');
      loop ??= d.loop;
      guard ??= d.guard;
    }
    return {
      kind: 'http',
      span: spanOf(call),
      call: spanOf(call),
      url,
      urlSpan: spanOf(urlNode),
      method,
      body: body ? this.keysOf(body, w, flow, 0) : undefined,
      base,
      loop,
      guard,
    };
  }

  private emit(site: HttpSite, w: Walk, flow: Flow): void {
    if (flow.sink) flow.sink.push(site);
    else w.addSite(site);
  }

  /** Where a stored request is sent: the first call that takes the variable as an argument. */
  private dispatchOf(request: Node, w: Walk): Node | null {
    const name = definedName(request);
    if (!name) return null;
    for (const use of this.usesOf(name.text, request, this.scopeOf(name), w)) {
      const p = use.parent;
      if (p?.type === 'argument_list' && p.parent?.type === 'method_invocation') return p.parent;
    }
    return null;
  }

  /** Steps of a builder chain below `call` (root first), through variables holding the builder. */
  private innerSteps(call: Node, w: Walk): { steps: Step[]; root: Node | null } {
    const steps: Step[] = [];
    let n = call.childForFieldName('object');
    for (let hops = 0; n && hops < 40; hops++) {
      if (n.type === 'method_invocation') {
        steps.unshift({ name: n.childForFieldName('name')?.text ?? '', node: n, args: argumentsOf(n) });
        n = n.childForFieldName('object');
      } else if (n.type === 'parenthesized_expression') {
        n = n.namedChildren[0] ?? null;
      } else if (n.type === 'identifier' || (n.type === 'field_access' && n.childForFieldName('object')?.type === 'this')) {
        const v = this.valueAt(n, w);
        if (!v || (v.type !== 'method_invocation' && v.type !== 'object_creation_expression')) return { steps, root: n };
        n = v;
      } else {
        return { steps, root: n };
      }
    }
    return { steps, root: n };
  }

  /** Steps of a builder chain above `call`, and of the chains continuing it through a variable (`b.GET()`). */
  private outerSteps(call: Node, w: Walk, depth: number): Step[] {
    const steps: Step[] = [];
    let n = call;
    while (n.parent?.type === 'method_invocation' && n.parent.childForFieldName('object')?.id === n.id) {
      n = n.parent;
      steps.push({ name: n.childForFieldName('name')?.text ?? '', node: n, args: argumentsOf(n) });
    }
    const name = depth < 2 ? definedName(n) : null;
    if (name && !steps.some((s) => s.name === 'build')) {
      for (const use of this.usesOf(name.text, n, this.scopeOf(name), w)) {
        const p = use.parent;
        if (p?.type === 'method_invocation' && p.childForFieldName('object')?.id === use.id) {
          steps.push({ name: p.childForFieldName('name')?.text ?? '', node: p, args: argumentsOf(p) }, ...this.outerSteps(p, w, depth + 1));
        }
      }
    }
    return steps;
  }

  /** URI template variables: `getForObject(url, X.class, a, b)`, `uri(url, Map.of("id", id))`. */
  private uriVariables(args: Node[], w: Walk, flow: Flow): Folded[] | Map<string, Folded> {
    if (args.length === 1) {
      const map = this.mapEntries(args[0], w, flow, 0);
      if (map) return map;
    }
    return args.map((a) => this.fold(a, w, 0, flow.env));
  }

  /** The base URL of a client (`WebClient.builder().baseUrl(b).build()`, `WebClient.create(b)`), when the file shows it. */
  private baseOf(receiver: Node, w: Walk): Folded | undefined {
    const value = this.valueAt(receiver, w);
    let n: Node | null = value;
    for (let hops = 0; n && n.type === 'method_invocation' && hops < 20; hops++) {
      const name = n.childForFieldName('name')?.text ?? '';
      const obj = n.childForFieldName('object');
      const a = argumentsOf(n);
      if ((HTTP.baseUrlSteps as readonly string[]).includes(name) && a[0]) return this.fold(a[0], w, 0);
      if (name === 'create' && obj && (HTTP.baseUrlFactories as readonly string[]).includes(obj.text) && a[0]) return this.fold(a[0], w, 0);
      n = obj;
    }
    return undefined;
  }

  // ---- declarative clients -----------------------------------------------------------------------

  /** A string in an annotation: `@GET("/v1/customers/{id}/subscriptions")`, `@RequestLine("GET /v1/…")`, a client's base. */
  private fromAnnotationValue(value: Node, w: Walk, flow: Flow): void {
    let n: Node | null = value.parent;
    let attr = 'value';
    while (n && n.type !== 'annotation') {
      if (n.type === 'element_value_pair') attr = n.childForFieldName('key')?.text ?? attr;
      n = n.parent;
    }
    const annotation = n;
    if (!annotation) return;
    const owner = annotation.parent?.parent;
    if (!owner) return;
    if (TYPE_DECLARATIONS.has(owner.type)) {
      // A client's base URL or path: the calls are its annotated methods.
      const body = owner.childForFieldName('body');
      for (const m of body?.namedChildren ?? []) {
        if (m?.type !== 'method_declaration') continue;
        for (const a of annotationsOf(m)) this.annotationSite(a, m, undefined, w, flow);
      }
      return;
    }
    if (owner.type === 'method_declaration') this.annotationSite(annotation, owner, { value, attr }, w, flow);
  }

  private annotationSite(annotation: Node, method: Node, given: { value: Node; attr: string } | undefined, w: Walk, flow: Flow): void {
    const name = annotationName(annotation);
    const spec = ANN.calls[name];
    if (!spec || !w.firstVisit(annotation, 'annotation')) return;
    const type = enclosingType(method);
    if (spec.onlyIn && !(type && annotationsOf(type).some((a) => spec.onlyIn!.includes(annotationName(a))))) return;
    let valueNode = given && spec.pathAttrs.includes(given.attr) ? given.value : undefined;
    for (const attr of spec.pathAttrs) valueNode ??= annotationValue(annotation, attr) ?? undefined;
    if (!valueNode) return;
    let path = uriTemplateHoles(this.fold(valueNode, w, 0, flow.env));
    let method_: HttpMethod | undefined = spec.method;
    if (spec.methodAttr) {
      const m = annotationValue(annotation, spec.methodAttr);
      method_ = m ? this.methodOf(m, w, flow) : undefined;
    } else if (spec.methodInValue) {
      const first = path[0];
      if (typeof first !== 'string') return;
      const m = /^\s*([A-Za-z]+)\s+/.exec(first);
      if (!m) return;
      method_ = normaliseMethod(m[1]);
      path = concat(lit(first.slice(m[0].length)), path.slice(1));
    } else if (spec.methodFromSibling) {
      for (const a of annotationsOf(method)) method_ ??= exactVerb(annotationName(a));
    }
    if (!method_) return;
    const params = method.childForFieldName('parameters')?.namedChildren ?? [];
    const queryKeys: string[] = [];
    let queryComplete = true;
    let body: KeySet | undefined;
    for (const p of params) {
      if (!p || p.type !== 'formal_parameter') continue;
      for (const a of annotationsOf(p)) {
        const an = annotationName(a);
        if ((ANN.queryParams as readonly string[]).includes(an)) {
          const key = annotationValue(a, 'value') ?? annotationValue(a, 'name');
          const k = key ? this.literal(key, w, flow) : p.childForFieldName('name')?.text;
          if (k) queryKeys.push(k);
          else queryComplete = false;
        } else if ((ANN.queryMaps as readonly string[]).includes(an)) queryComplete = false;
        else if ((ANN.bodies as readonly string[]).includes(an)) body = { keys: [], complete: false };
      }
    }
    const site: HttpSite = {
      kind: 'http',
      span: spanOf(annotation),
      call: spanOf(method),
      url: path,
      urlSpan: spanOf(valueNode),
      method: method_,
      query: { keys: queryKeys, complete: queryComplete },
      body,
      base: type ? this.clientBase(type, w) : undefined,
      ...this.context(annotation, w, 'http'),
    };
    this.emit(site, w, flow);
  }

  /** Base URL and path of a declarative client from its type's annotations (`@FeignClient(url, path)`, `@RequestMapping("/v1")`). */
  private clientBase(type: Node, w: Walk): Folded | undefined {
    const parts: Folded[] = [];
    for (const a of annotationsOf(type)) {
      const attrs = ANN.clientBase[annotationName(a)];
      if (!attrs) continue;
      for (const attr of attrs) {
        const v = annotationValue(a, attr);
        if (v?.type === 'string_literal' || v?.type === 'identifier' || v?.type === 'field_access' || v?.type === 'binary_expression') {
          parts.push(uriTemplateHoles(this.fold(v, w, 0)));
        }
      }
    }
    return parts.length ? smartJoin(parts) : undefined;
  }

  // ---- builders mutated by statements ------------------------------------------------------------

  /** After `sb.append("/x");`, the reads of `sb` that follow (`sb.toString()`, `uri(b.build())`). */
  private followBuilderReads(statementChain: Node, w: Walk, flow: Flow): void {
    const root = chainRoot(statementChain);
    if (root?.type !== 'identifier') return;
    const value = this.valueAt(root, w);
    if (!value || !this.isMutableBuilder(value)) return;
    for (const use of this.usesOf(root.text, root, this.scopeOf(root), w)) {
      if (use.startIndex <= statementChain.startIndex || isBuilderStatement(use)) continue;
      this.visitValue(use, w, flow);
    }
  }

  private isMutableBuilder(value: Node): boolean {
    const root = value.type === 'object_creation_expression' ? value : chainRoot(value);
    if (!root) return false;
    const name = root.type === 'object_creation_expression' ? typeName(root) : root.text;
    return (HTTP.mutableBuilders as readonly string[]).some((b) => name === b || name.endsWith(`.${b}`));
  }

  // ---- the SDK -------------------------------------------------------------------------------------

  /** An SDK member name (`getCustomers`, `getAddOns`) or a root holding part of a chain (`subscriptions.get()`). */
  private fromSdkName(node: Node, w: Walk): void {
    let n = node;
    const p = n.parent;
    if (!p) return;
    if (p.type === 'field_access' && p.childForFieldName('field')?.id === n.id) n = p;
    const call = n.parent;
    if (call?.type !== 'method_invocation') return;
    if (call.childForFieldName('name')?.id !== n.id && call.childForFieldName('object')?.id !== n.id) return;
    this.sdkChain(topOfChain(call), w, 0);
  }

  /** A declaration typed with an SDK interface (`ISubscription sub`, a method returning one): the chains on it. */
  private fromSdkType(typeNode: Node, w: Walk): void {
    let d: Node | null = typeNode.parent;
    if (d?.type === 'generic_type' || d?.type === 'scoped_type_identifier') d = d.parent;
    if (!d || d.childForFieldName('type')?.startIndex !== typeNode.startIndex) return;
    const names: Node[] = [];
    switch (d.type) {
      case 'formal_parameter':
      case 'enhanced_for_statement':
      case 'resource': {
        const n = d.childForFieldName('name');
        if (n) names.push(n);
        break;
      }
      case 'local_variable_declaration':
      case 'field_declaration':
        for (const c of d.namedChildren) {
          const n = c?.type === 'variable_declarator' ? c.childForFieldName('name') : null;
          if (n) names.push(n);
        }
        break;
      case 'method_declaration': {
        const n = d.childForFieldName('name');
        for (const call of n ? this.callsOf(n.text, w) : []) this.sdkChain(topOfChain(call), w, 0);
        return;
      }
      case 'cast_expression': {
        let top = d;
        while (top.parent?.type === 'parenthesized_expression') top = top.parent;
        const call = top.parent;
        if (call?.type === 'method_invocation' && call.childForFieldName('object')?.id === top.id) this.sdkChain(topOfChain(call), w, 0);
        return;
      }
      default:
        return;
    }
    for (const name of names) {
      const scope = this.declarationOf(name.text, name, w, d.type === 'field_declaration')?.scope ?? this.scopeOf(name);
      for (const use of this.usesOf(name.text, name, scope, w)) {
        let u = use;
        if (u.parent?.type === 'field_access' && u.parent.childForFieldName('field')?.id === u.id) u = u.parent;
        const call = u.parent;
        if (call?.type === 'method_invocation' && call.childForFieldName('object')?.id === u.id) this.sdkChain(topOfChain(call), w, 0);
      }
    }
  }

  /**
   * Every invocation of a chain that can make an SDK request (`get`, `patch`, `checkStatus`,
   * `getAzurePlanSubscriptionEntitlements`) is a site: `….getSubscriptions().get().getItems()` calls `get`.
   * A chain stored in a variable is continued at the variable's uses.
   */
  private sdkChain(top: Node, w: Walk, depth: number): void {
    if (depth > 3 || !w.firstVisit(top, 'sdk')) return;
    const links = chainLinks(top);
    if (links.length === 0) return;
    const { prefix, start } = this.chainPrefix(links, w, 0);
    const steps = [...prefix];
    for (const link of links.slice(start)) {
      steps.push(sdkStep(link));
      if (!SDK_TERMINALS.has(steps[steps.length - 1])) continue;
      w.addSite({ kind: 'sdk', span: spanOf(link), call: spanOf(link), steps: [...steps], ...this.context(link, w, 'sdk') });
    }
    const name = definedName(top);
    if (!name) return;
    for (const use of this.usesOf(name.text, top, this.scopeOf(name), w)) {
      let u = use;
      if (u.parent?.type === 'field_access' && u.parent.childForFieldName('field')?.id === u.id) u = u.parent;
      const call = u.parent;
      if (call?.type === 'method_invocation' && call.childForFieldName('object')?.id === u.id && use.startIndex > top.startIndex) {
        this.sdkChain(topOfChain(call), w, depth + 1);
      }
    }
  }

  /** All steps of a chain, its root's included (for a variable that holds part of a chain). */
  private chainSteps(top: Node, w: Walk, depth: number): string[] {
    const links = chainLinks(top);
    const { prefix, start } = this.chainPrefix(links, w, depth);
    return [...prefix, ...links.slice(start).map(sdkStep)];
  }

  /**
   * The steps before a chain's links, from its root. A chain that starts with a call to a same-file method
   * (`subscription(c, s).getAddOns().get()`) starts with what that method returns: its declared SDK type or
   * its returned chain (`start` 1 skips the call itself).
   */
  private chainPrefix(links: Node[], w: Walk, depth: number): { prefix: string[]; start: number } {
    const first = links[0];
    if (!first || depth > 4) return { prefix: [], start: 0 };
    if (first.childForFieldName('object')) return { prefix: this.sdkRootSteps(first, w, depth), start: 0 };
    const m = this.sameFileMethod(first.childForFieldName('name')?.text ?? '', argumentsOf(first).length, w);
    if (!m) return { prefix: [], start: 0 };
    const typed = this.sdkTypeSteps(m.childForFieldName('type')?.text);
    if (typed) return { prefix: typed, start: 1 };
    const ret = singleReturn(m);
    if (ret?.type === 'method_invocation') return { prefix: this.chainSteps(ret, w, depth + 1), start: 1 };
    return { prefix: [], start: 0 };
  }

  /**
   * The steps before a chain's first link, from its receiver: a variable holding a chain, a parameter or field
   * whose declared type is an SDK interface (`ISubscription sub`). A declared type that is not one of the SDK's
   * stops a partial chain from matching (`Customer c; c.getSubscriptions().get()`).
   */
  private sdkRootSteps(first: Node, w: Walk, depth: number): string[] {
    let root = first.childForFieldName('object');
    if (!root) return [];
    while (root.type === 'parenthesized_expression' && root.namedChildren[0]) root = root.namedChildren[0];
    if (root.type === 'cast_expression') {
      const type = root.childForFieldName('type')?.text ?? 'cast';
      return this.sdkTypeSteps(type) ?? [`<${type.toLowerCase()}>`];
    }
    let nameNode: Node | null = null;
    if (root.type === 'identifier') nameNode = root;
    else if (root.type === 'field_access' && root.childForFieldName('object')?.type === 'this') nameNode = root.childForFieldName('field');
    if (!nameNode) return [];
    const decl = this.declarationOf(nameNode.text, root, w, root.type === 'field_access');
    if (!decl) return [];
    const typed = this.sdkTypeSteps(decl.type);
    if (typed) return typed;
    const value = decl.value ?? this.valueAt(root, w);
    if (value?.type === 'method_invocation') return this.chainSteps(value, w, depth + 1);
    if (decl.type && decl.type !== 'var') return [`<${decl.type.toLowerCase()}>`];
    return [];
  }

  /** The chain an SDK interface type stands for, or undefined for any other type. */
  private sdkTypeSteps(type: string | undefined): string[] | undefined {
    if (!type) return undefined;
    const t = lastSegment(type.replace(/<.*$/s, ''));
    const chain = SDK.types[t];
    return chain === undefined ? undefined : chain ? chain.split('.') : [];
  }

  // ---- agreements --------------------------------------------------------------------------------

  /**
   * `Agreement agreement = new Agreement(); agreement.setTemplateId(…); … .getAgreements().create(agreement)`:
   * the keys are the setters called on the variable before it is created; an object that escapes to code we
   * cannot see first (a helper, a field, a return) may get its type there.
   */
  private fromObjectType(typeNode: Node, w: Walk): void {
    let creation = typeNode.parent;
    if (creation?.type === 'generic_type') creation = creation.parent;
    if (creation?.type !== 'object_creation_expression' || !w.firstVisit(creation, 'object')) return;
    const type = typeNode.text;
    if (this.foreignTypes(w).has(type)) return;
    const keys: string[] = [];
    let complete = true;
    let reachesCreate = false;
    // Double-brace initialisation: `new Agreement() {{ setType("…"); }}`.
    const anonymous = creation.namedChildren.find((c) => c?.type === 'class_body');
    if (anonymous) {
      for (const block of anonymous.namedChildren) {
        for (const st of block?.type === 'block' ? block.namedChildren : []) {
          const call = st?.type === 'expression_statement' ? st.namedChildren[0] : null;
          const m = call?.type === 'method_invocation' && !call.childForFieldName('object') ? /^set([A-Z]\w*)$/.exec(call.childForFieldName('name')?.text ?? '') : null;
          if (m) keys.push(m[1]);
        }
      }
    }
    let top = creation;
    while (top.parent && (top.parent.type === 'parenthesized_expression' || top.parent.type === 'cast_expression')) top = top.parent;
    const p = top.parent;
    if (p?.type === 'argument_list') {
      if (this.isAgreementCreate(p.parent, w)) reachesCreate = true;
      else complete = false;
    } else if (p?.type === 'variable_declarator' && p.childForFieldName('value')?.id === top.id) {
      const name = p.childForFieldName('name')!;
      const uses = [...this.usesOf(name.text, p, this.scopeOf(name), w)].sort((a, b) => a.startIndex - b.startIndex);
      for (const use of uses) {
        const u = use.parent;
        if (!u) continue;
        if (u.type === 'method_invocation' && u.childForFieldName('object')?.id === use.id) {
          const m = /^set([A-Z]\w*)$/.exec(u.childForFieldName('name')?.text ?? '');
          if (m) keys.push(m[1]);
          continue;
        }
        if (u.type === 'argument_list') {
          const call = u.parent;
          if (this.isAgreementCreate(call, w)) {
            reachesCreate = true;
            break;
          }
          const callee = call?.childForFieldName('name')?.text ?? '';
          if (call?.type === 'method_invocation' && SDK.readOnlyCalls.test(callee)) continue;
          complete = false;
          break;
        }
        if (u.type === 'return_statement' || u.type === 'assignment_expression' || u.type === 'variable_declarator' || u.type === 'array_initializer' || u.type === 'lambda_expression') {
          complete = false;
          break;
        }
      }
    } else {
      complete = false;
    }
    if (!reachesCreate && !javaIdioms.sdkEvidence?.test(w.text)) return;
    const site: Site = { kind: 'object', type, keys: { keys, complete }, span: spanOf(creation), call: spanOf(creation), ...this.context(creation, w, 'object') };
    w.addSite(site);
  }

  /**
   * `….getAgreements().create(x)`: a create on the SDK's customer agreement collection. Without the SDK's
   * namespace in the file, only the full chain (`getCustomers().byId(c).getAgreements()`) says it is the SDK.
   */
  private isAgreementCreate(call: Node | null | undefined, w: Walk): boolean {
    if (call?.type !== 'method_invocation' || call.childForFieldName('name')?.text !== 'create') return false;
    const obj = call.childForFieldName('object');
    if (!obj) return false;
    let steps: string[] | undefined;
    if (obj.type === 'method_invocation') steps = this.chainSteps(obj, w, 0);
    else if (obj.type === 'identifier') steps = this.sdkTypeSteps(this.declarationOf(obj.text, obj, w, false)?.type);
    if (!steps || steps[steps.length - 1] !== 'agreements') return false;
    return !!javaIdioms.sdkEvidence?.test(w.text) || steps.slice(-3).join('.') === 'customers.byid.agreements';
  }

  /** Object types imported from another package than the SDK's (`import com.contoso.legal.Agreement;`). */
  private foreignTypes(w: Walk): Set<string> {
    return w.memo('java:foreign-types', () => {
      const foreign = new Set<string>();
      for (const type of OBJECT_TYPES) {
        // Only imports count: file-level declarations.
        for (const offset of w.occurrences(type, false, 'scoped')) {
          if (w.outOfTime()) break;
          const n = w.tree.rootNode.descendantForIndex(offset, offset + type.length);
          let imp: Node | null = n;
          while (imp && imp.type !== 'import_declaration' && imp.type !== 'program') imp = imp.parent;
          if (imp?.type === 'import_declaration' && !imp.text.replace(/\s+/g, '').includes(`import${SDK.packagePrefix}`) && !imp.text.replace(/\s+/g, '').startsWith(`importstatic${SDK.packagePrefix}`)) {
            foreign.add(type);
          }
        }
      }
      return foreign;
    });
  }

  // ---- loops and guards --------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'for_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), counted: true };
      }
      case 'enhanced_for_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        const value = anc.childForFieldName('value');
        return { kind: 'loop', header: anc.text.slice(0, body.startIndex - anc.startIndex), label: value?.text, counted: false };
      }
      case 'while_statement':
      case 'do_statement': {
        const body = anc.childForFieldName('body');
        if (body?.id !== child.id) return undefined;
        return { kind: 'loop', header: anc.childForFieldName('condition')?.text ?? '', counted: true };
      }
      case 'lambda_expression':
        return { kind: 'function', callback: anc.parent?.type === 'argument_list' };
      case 'method_declaration':
      case 'constructor_declaration':
      case 'compact_constructor_declaration': {
        const anns = annotationsOf(anc);
        const retry = anns.find((a) => this.isRetryAnnotation(a, w));
        if (retry) return { kind: 'guard', guard: { kind: 'decorator', name: `@${annotationName(retry)}` } };
        const polling = anns.find((a) => annotationName(a) === LOOPS.pollingAnnotation.name && LOOPS.pollingAnnotation.attrs.some((k) => annotationValue(a, k)));
        if (polling) return { kind: 'loop', header: polling.text, label: `@${LOOPS.pollingAnnotation.name}`, counted: false };
        return { kind: 'function', callback: false };
      }
      case 'class_body': {
        const owner = anc.parent;
        if (owner?.type === 'object_creation_expression') return { kind: 'function', callback: true };
        const retry = owner && annotationsOf(owner).find((a) => this.isRetryAnnotation(a, w));
        if (retry) return { kind: 'guard', guard: { kind: 'decorator', name: `@${annotationName(retry)}` } };
        return { kind: 'function', callback: false };
      }
      case 'interface_body':
      case 'enum_body':
      case 'static_initializer':
      case 'class_declaration':
      case 'interface_declaration':
      case 'enum_declaration':
      case 'record_declaration':
        return { kind: 'function', callback: false };
      case 'method_invocation':
        return this.classifyCall(anc, child, w);
      default:
        return undefined;
    }
  }

  private classifyCall(call: Node, child: Node, w: Walk): AncestorRole | undefined {
    const name = call.childForFieldName('name')?.text;
    if (!name) return undefined;
    const obj = call.childForFieldName('object');
    if (obj?.id === child.id) {
      // `…bodyToMono(X.class).retryWhen(Retry.backoff(…))`, `Decorators.ofSupplier(…).withRetry(retry)`.
      return this.isRetryName(name, w) ? { kind: 'guard', guard: { kind: 'wrapper', name } } : undefined;
    }
    if (call.childForFieldName('arguments')?.id !== child.id) return undefined;
    if (this.isRetryName(name, w)) return { kind: 'guard', guard: { kind: 'wrapper', name } };
    if (obj) {
      const recv = obj.text;
      const resolved = obj.type === 'identifier' || obj.type === 'field_access' ? this.valueAt(obj, w)?.text ?? '' : '';
      if (this.isRetryMethod(name, recv, w) || (resolved && this.isRetryMethod(name, resolved, w))) {
        return { kind: 'guard', guard: { kind: 'method', name: `${recv}.${name}` } };
      }
    }
    if ((LOOPS.repeating as readonly string[]).includes(name)) return { kind: 'loop', header: name, label: name, counted: false };
    if (obj && w.idioms.iterationCallbacks.includes(name)) {
      if ((LOOPS.streamOperations as readonly string[]).includes(name) && !this.isStream(obj, w)) return undefined;
      // `customers.stream().map(…)` iterates `customers`.
      const source = obj.type === 'method_invocation' && /^(?:stream|parallelStream)$/.test(obj.childForFieldName('name')?.text ?? '') && argumentsOf(obj).length === 0 ? obj.childForFieldName('object') : null;
      return { kind: 'loop', header: obj.text, label: (source ?? obj).text, counted: false };
    }
    return undefined;
  }

  /** Does this receiver produce a stream (`list.stream()`, `IntStream.range(…)`, `Flux.fromIterable(…)`)? */
  private isStream(receiver: Node, w: Walk): boolean {
    let n: Node | null = receiver;
    for (let hops = 0; n && hops < 30; hops++) {
      if (n.type === 'method_invocation') {
        if ((LOOPS.streamSources as readonly string[]).includes(n.childForFieldName('name')?.text ?? '')) return true;
        n = n.childForFieldName('object');
      } else if (n.type === 'identifier') {
        if ((LOOPS.streamClasses as readonly string[]).includes(n.text)) return true;
        const decl = this.declarationOf(n.text, n, w, false);
        const t = decl?.type?.replace(/<.*$/s, '');
        if (t && (LOOPS.streamClasses as readonly string[]).includes(t)) return true;
        n = decl?.value ?? null;
      } else {
        return false;
      }
    }
    return false;
  }

  private isRetryAnnotation(a: Node, w: Walk): boolean {
    const n = annotationName(a);
    return (w.idioms.retryDecorators ?? []).includes(n) || this.isRetryName(n, w);
  }

  /**
   * Java also passes callbacks by name: a lambda stored in a variable and given to a retry wrapper later
   * (`Supplier<T> call = () -> …; retry.executeSupplier(call)`), and a method given by reference
   * (`customers.forEach(this::syncCustomer)`, `retry.executeSupplier(this::fetch)`).
   */
  protected override context(call: Node, w: Walk, kind: Site['kind']): { loop?: LoopContext; guard?: GuardContext } {
    const ctx = super.context(call, w, kind);
    if (ctx.loop && ctx.guard) return ctx;
    let n: Node | null = call.parent;
    while (n && n.type !== 'lambda_expression' && !METHOD_DECLARATIONS.has(n.type) && n.type !== 'class_body') n = n.parent;
    const refs: Node[] = [];
    if (n?.type === 'lambda_expression') {
      const name = definedName(n);
      if (name) for (const use of this.usesOf(name.text, n, this.scopeOf(name), w)) refs.push(use);
    } else if (n?.type === 'method_declaration') {
      const name = n.childForFieldName('name')?.text;
      if (name) {
        for (const offset of w.occurrences(name)) {
          if (w.outOfTime()) break;
          const id = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
          if (id?.parent?.type === 'method_reference') refs.push(id.parent);
        }
      }
    }
    for (const ref of refs.slice(0, 8)) {
      if (ref.parent?.type !== 'argument_list' || !w.firstVisit(ref, `ref:${call.startIndex}`)) continue;
      const outer = super.context(ref, w, kind);
      ctx.loop ??= outer.loop;
      ctx.guard ??= outer.guard;
    }
    return ctx;
  }

  // ---- names and values --------------------------------------------------------------------------

  protected definitionValue(nameNode: Node): Node | null {
    const p = nameNode.parent;
    if (!p) return null;
    if (p.type === 'variable_declarator' && p.childForFieldName('name')?.id === nameNode.id) return p.childForFieldName('value');
    if (p.type === 'assignment_expression' && p.childForFieldName('left')?.id === nameNode.id) return p.childForFieldName('right');
    if (p.type === 'field_access' && p.childForFieldName('field')?.id === nameNode.id && p.childForFieldName('object')?.type === 'this') {
      const a = p.parent;
      if (a?.type === 'assignment_expression' && a.childForFieldName('left')?.id === p.id) return a.childForFieldName('right');
    }
    return null;
  }

  /**
   * Where a definition is visible: fields (and `this.x = …`) in the whole file, a local in its block, an
   * assignment where its variable is declared.
   */
  protected scopeOf(node: Node): Node {
    const p = node.parent;
    const root = node.tree.rootNode;
    if (!p) return root;
    if (p.type === 'field_access') return root;
    if (p.type === 'variable_declarator') {
      const decl = p.parent;
      if (decl?.type === 'field_declaration' || decl?.type === 'constant_declaration') return root;
      return blockScope(p);
    }
    if (p.type === 'assignment_expression') return declaringScope(node.text, p) ?? root;
    if (p.type === 'formal_parameter' || p.type === 'spread_parameter') {
      const owner = p.parent?.parent;
      return owner ?? root;
    }
    return blockScope(node);
  }

  /** The value a name or `this.field` holds, when the file assigns one. */
  private valueAt(node: Node, w: Walk): Node | null {
    if (node.type === 'identifier') return this.resolveName(node.text, node, w);
    if (node.type === 'field_access') {
      const field = node.childForFieldName('field');
      if (!field) return null;
      return this.resolveName(field.text, node, w);
    }
    return null;
  }

  /** The declaration of a name visible at `use`: its declared type and initial value. */
  private declarationOf(name: string, use: Node, w: Walk, fieldOnly: boolean): Declaration | undefined {
    const decls = w.memo(`java:declarations:${name}`, () => {
      const out: Declaration[] = [];
      for (const offset of w.occurrences(name, false, 'scoped')) {
        if (w.outOfTime()) break;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
        const d = n && declarationAt(n);
        if (d) out.push(d);
      }
      return out;
    });
    let best: Declaration | undefined;
    for (const d of decls) {
      const isField = d.scope.type === 'program';
      if (fieldOnly && !isField) continue;
      if (!contains(d.scope, use)) continue;
      if (!isField && d.name.startIndex > use.startIndex) continue;
      if (!best || d.scope.startIndex > best.scope.startIndex) best = d;
    }
    return best;
  }

  /** Method declarations of the file with that name and number of parameters. */
  private sameFileMethod(name: string, arity: number, w: Walk): Node | null {
    if (!name) return null;
    const list = w.memo(`java:methods:${name}`, () => {
      const out: Node[] = [];
      for (const offset of w.occurrences(name)) {
        if (w.outOfTime()) break;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
        const p = n?.parent;
        if (n && p?.type === 'method_declaration' && p.childForFieldName('name')?.id === n.id && p.childForFieldName('body')) out.push(p);
      }
      return out;
    });
    return list.find((m) => parameterNames(m).length === arity) ?? null;
  }

  /** Invocations of a same-file method by name. */
  private callsOf(name: string, w: Walk): Node[] {
    const out: Node[] = [];
    for (const offset of w.occurrences(name)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      const p = n?.parent;
      if (n && p?.type === 'method_invocation' && p.childForFieldName('name')?.id === n.id) {
        const obj = p.childForFieldName('object');
        if (!obj || obj.type === 'this' || /^[A-Z]/.test(obj.text)) out.push(p);
      }
    }
    return out;
  }

  // ---- values: methods, bodies, maps -------------------------------------------------------------

  /** An HTTP method given as a value: `"PATCH"`, `HttpMethod.PATCH`, `Method.GET`, `HttpMethod.valueOf("GET")`, a constant. */
  private methodOf(node: Node, w: Walk, flow: Flow, depth = 0): HttpMethod | undefined {
    if (depth > 4) return undefined;
    switch (node.type) {
      case 'string_literal':
        return normaliseMethod(this.literal(node, w, flow));
      case 'field_access': {
        const field = node.childForFieldName('field')?.text ?? '';
        const direct = exactVerb(field);
        if (direct && field === field.toUpperCase()) return direct;
        const v = this.valueAt(node, w);
        return v ? this.methodOf(v, w, flow, depth + 1) : undefined;
      }
      case 'identifier': {
        const bound = flow.env?.get(node.text);
        if (bound) return normaliseMethod(literalText(bound));
        const v = this.resolveName(node.text, node, w);
        if (v) return this.methodOf(v, w, flow, depth + 1);
        return node.text === node.text.toUpperCase() ? exactVerb(node.text) : undefined;
      }
      case 'method_invocation': {
        const name = node.childForFieldName('name')?.text;
        const obj = node.childForFieldName('object');
        const a = argumentsOf(node);
        if ((name === 'valueOf' || name === 'resolve') && a[0]) return this.methodOf(a[0], w, flow, depth + 1);
        if ((name === 'name' || name === 'toString') && obj) return this.methodOf(obj, w, flow, depth + 1);
        return undefined;
      }
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.methodOf(node.namedChildren[0], w, flow, depth + 1) : undefined;
      default:
        return undefined;
    }
  }

  /** Top-level keys of a request body: `Map.of(…)`, a map filled with `put`, a JSON string, a wrapper of one. */
  private keysOf(node: Node, w: Walk, flow: Flow, depth: number): KeySet {
    const unknown: KeySet = { keys: [], complete: false };
    if (depth > 4) return unknown;
    if (node.type === 'method_invocation' || node.type === 'object_creation_expression') {
      const map = this.mapEntries(node, w, flow, depth);
      if (map) return { keys: [...map.keys()], complete: true };
      const name = node.type === 'method_invocation' ? node.childForFieldName('name')?.text ?? '' : lastSegment(typeName(node));
      if ((HTTP.bodyWrappers as readonly string[]).includes(name)) {
        const inner = argumentsOf(node).find((a) => !/MediaType|ContentType|JSON\b|UTF_8|charset/i.test(a.text));
        return inner ? this.keysOf(inner, w, flow, depth + 1) : unknown;
      }
      return unknown;
    }
    if (node.type === 'identifier' || node.type === 'field_access') {
      const v = this.valueAt(node, w);
      if (!v) return unknown;
      if (v.type === 'object_creation_expression' && /Map|JSONObject|JsonObject/.test(typeName(v))) return this.putKeys(node, v, w, flow);
      if (v.type === 'method_invocation' && v.childForFieldName('name')?.text === 'createObjectNode') return this.putKeys(node, v, w, flow);
      return this.keysOf(v, w, flow, depth + 1);
    }
    if (node.type === 'string_literal' || node.type === 'binary_expression') {
      const text = literalText(this.fold(node, w, 0, flow.env));
      if (text === undefined) return unknown;
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { keys: Object.keys(parsed), complete: true };
      } catch {
        return unknown;
      }
    }
    return unknown;
  }

  /** Keys of a map filled statement by statement: `body.put("type", …)` before the use. */
  private putKeys(use: Node, creation: Node, w: Walk, flow: Flow): KeySet {
    const name = use.type === 'field_access' ? use.childForFieldName('field')?.text : use.text;
    if (!name) return { keys: [], complete: false };
    const keys: string[] = [];
    let complete = true;
    const decl = creation.parent;
    for (const u of this.usesOf(name, decl ?? creation, this.scopeOf(decl?.childForFieldName('name') ?? use), w)) {
      if (u.startIndex >= use.startIndex) continue;
      const call = u.parent;
      if (call?.type !== 'method_invocation' || call.childForFieldName('object')?.id !== u.id) continue;
      const m = call.childForFieldName('name')?.text;
      const a = argumentsOf(call);
      if ((m === 'put' || m === 'set' || m === 'putPOJO') && a[0]) {
        const k = this.literal(a[0], w, flow);
        if (k === undefined) complete = false;
        else keys.push(k);
      } else if (m === 'putAll' || m === 'setAll') complete = false;
    }
    return { keys, complete };
  }

  /** `Map.of("k", v, …)`, `Map.ofEntries(Map.entry("k", v))`: the entries, folded. */
  private mapEntries(node: Node, w: Walk, flow: Flow, depth: number): Map<string, Folded> | undefined {
    let n: Node | null = node;
    if (n.type === 'identifier') n = this.valueAt(n, w);
    if (!n || n.type !== 'method_invocation' || depth > 4) return undefined;
    const fn = `${n.childForFieldName('object')?.text ?? ''}.${n.childForFieldName('name')?.text ?? ''}`.replace(/\s+/g, '');
    if (!(HTTP.mapFactories as readonly string[]).some((f) => fn === f || fn.endsWith(`.${f}`))) return undefined;
    const a = argumentsOf(n);
    const out = new Map<string, Folded>();
    if (fn.endsWith('ofEntries')) {
      for (const e of a) {
        const ea = e.type === 'method_invocation' ? argumentsOf(e) : [];
        const k = ea[0] ? this.literal(ea[0], w, flow) : undefined;
        if (k === undefined || !ea[1]) return undefined;
        out.set(k, this.fold(ea[1], w, 0, flow.env));
      }
      return out;
    }
    for (let i = 0; i + 1 < a.length; i += 2) {
      const k = this.literal(a[i], w, flow);
      if (k === undefined) return undefined;
      out.set(k, this.fold(a[i + 1], w, 0, flow.env));
    }
    return out;
  }

  private literal(node: Node, w: Walk, flow?: Flow): string | undefined {
    return literalText(this.fold(node, w, 0, flow?.env));
  }

  // ---- folding -------------------------------------------------------------------------------------

  /**
   * `depth` grows by 1 per nested expression and by RESOLVE per name, field or method resolved, so that long
   * concatenations and append chains fold while resolution cycles stop.
   */
  fold(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    if (depth > MAX_FOLD_DEPTH) return hole(node.text);
    const f = (n: Node): Folded => this.fold(n, w, depth + 1, env);
    switch (node.type) {
      case 'string_literal':
        return lit(decodeString(node));
      case 'character_literal':
        return lit(unescapeJava(node.text.slice(1, -1)));
      case 'decimal_integer_literal':
      case 'hex_integer_literal':
        return lit(node.text.replace(/[lL]$/, ''));
      case 'true':
      case 'false':
        return lit(node.text);
      case 'parenthesized_expression':
        return node.namedChildren[0] ? f(node.namedChildren[0]) : hole(node.text);
      case 'cast_expression': {
        const v = node.childForFieldName('value');
        return v ? f(v) : hole(node.text);
      }
      case 'binary_expression': {
        if (node.childForFieldName('operator')?.type !== '+') return hole(node.text);
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        return l && r ? concat(f(l), f(r)) : hole(node.text);
      }
      case 'ternary_expression': {
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        if (!a || !b) return hole(node.text);
        const fa = f(a);
        const fb = f(b);
        return JSON.stringify(fa) === JSON.stringify(fb) ? fa : hole(node.text);
      }
      case 'identifier':
        return this.foldName(node, w, depth, env);
      case 'field_access': {
        const field = node.childForFieldName('field');
        if (!field) return hole(node.text);
        const v = this.resolveName(field.text, node, w);
        return v ? this.foldValue(v, node, w, depth + RESOLVE, env) : hole(node.text);
      }
      case 'method_invocation':
        return this.foldCall(node, w, depth, env);
      case 'object_creation_expression': {
        const type = lastSegment(typeName(node));
        const a = argumentsOf(node);
        if (type === 'URL' && a.length === 2) return resolveUri(f(a[0]), f(a[1]));
        if (URL_CONSTRUCTORS.has(type)) {
          if (a.length === 0 || a[0].type === 'decimal_integer_literal') return [];
          return a.length === 1 ? f(a[0]) : hole(node.text);
        }
        return hole(node.text);
      }
      case 'lambda_expression': {
        // A UriBuilder function: its parameter is an empty builder.
        const body = node.childForFieldName('body');
        const params = node.childForFieldName('parameters');
        if (!body || body.type === 'block' || !params) return hole(node.text);
        const bound = new Map(env ?? []);
        const names = params.type === 'identifier' ? [params] : params.namedChildren.filter((c): c is Node => !!c);
        for (const p of names) bound.set((p.childForFieldName('name') ?? p).text, []);
        return this.fold(body, w, depth + 1, bound);
      }
      default:
        return hole(node.text);
    }
  }

  private foldName(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const bound = env?.get(node.text);
    if (bound) return bound;
    const v = this.resolveName(node.text, node, w);
    return v ? this.foldValue(v, node, w, depth + RESOLVE, env) : hole(node.text);
  }

  /**
   * The folded value of a definition seen from `use`: `url += "/x"` adds to the value before it, and a builder
   * (`StringBuilder`, `UriComponentsBuilder`) gets the statements that mutate it before the use.
   */
  private foldValue(value: Node, use: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const mutable = this.isMutableBuilder(value) && use.type === 'identifier';
    // A definition folds the same from every use (a constant used a hundred times is folded once).
    if (env || mutable) return this.foldDefinition(value, use, mutable, w, depth, env);
    return w.memo(`java:folded:${value.id}`, () => this.foldDefinition(value, use, mutable, w, depth, env));
  }

  private foldDefinition(value: Node, use: Node, mutable: boolean, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const assign = value.parent;
    let base: Folded;
    if (assign?.type === 'assignment_expression' && assign.childForFieldName('operator')?.type === '+=') {
      const left = assign.childForFieldName('left');
      base = concat(left ? this.fold(left, w, depth + 1, env) : [], this.fold(value, w, depth + 1, env));
    } else {
      base = this.fold(value, w, depth + 1, env);
    }
    if (!mutable) return base;
    const decl = value.parent;
    const name = use.text;
    let acc = base;
    for (const u of [...this.usesOf(name, decl ?? value, this.scopeOf(use), w)].sort((a, b) => a.startIndex - b.startIndex)) {
      if (u.startIndex <= value.endIndex || u.startIndex >= use.startIndex || !isBuilderStatement(u)) continue;
      acc = this.fold(topOfChain(u.parent!), w, depth + 1, new Map([...(env ?? []), [name, acc]]));
    }
    return acc;
  }

  private foldCall(node: Node, w: Walk, depth: number, env?: Map<string, Folded>): Folded {
    const name = node.childForFieldName('name')?.text ?? '';
    const obj = node.childForFieldName('object');
    const a = argumentsOf(node);
    const f = (n: Node): Folded => this.fold(n, w, depth + 1, env);
    const recv = obj ? lastSegment(obj.text) : '';
    if (!obj || obj.type === 'this') {
      // A same-file method returning a URL: fold its return with the arguments bound to its parameters.
      const m = this.sameFileMethod(name, a.length, w);
      const ret = m && singleReturn(m);
      if (ret) {
        const bound = new Map<string, Folded>();
        parameterNames(m).forEach((p, i) => bound.set(p.text, a[i] ? f(a[i]) : hole(p.text)));
        return this.fold(ret, w, depth + RESOLVE, bound);
      }
      return hole(node.text);
    }
    if (recv === 'String' && name === 'format' && a.length > 0) {
      const i = /^(?:java\.util\.)?Locale\b|locale$/i.test(a[0].text) ? 1 : 0;
      return a[i] ? formatPrintf(f(a[i]), a.slice(i + 1).map(f)) : hole(node.text);
    }
    if (recv === 'MessageFormat' && name === 'format' && a[0]) return formatIndexed(f(a[0]), a.slice(1).map(f));
    if (recv === 'String' && name === 'join' && a.length >= 2) {
      const sep = this.literal(a[0], w);
      if (sep === undefined) return hole(node.text);
      let parts = a.slice(1);
      if (parts.length === 1) {
        const list = parts[0].type === 'identifier' ? this.valueAt(parts[0], w) : parts[0];
        if (list?.type === 'method_invocation' && /^(?:List|Set|Arrays|Stream)\.(?:of|asList)$/.test(`${list.childForFieldName('object')?.text}.${list.childForFieldName('name')?.text}`)) {
          parts = argumentsOf(list);
        } else return hole(node.text);
      }
      return join(parts.map(f), sep);
    }
    if ((recv === 'String' && name === 'valueOf') || (recv === 'Objects' && name === 'toString')) return a[0] ? f(a[0]) : hole(node.text);
    if (HTTP.urlFactories[recv]?.includes(name)) return a[0] ? f(a[0]) : [];
    switch (name) {
      case 'formatted':
        return formatPrintf(f(obj), a.map(f));
      case 'toString':
      case 'trim':
      case 'strip':
      case 'intern':
      case 'normalize':
      case 'encode':
      case 'toUri':
      case 'toURI':
      case 'toURL':
      case 'toUriString':
      case 'toExternalForm':
      case 'newBuilder':
        return a.length === 0 || name === 'encode' ? f(obj) : hole(node.text);
      case 'concat':
      case 'append':
        return a[0] ? concat(f(obj), f(a[0])) : hole(node.text);
      case 'replace':
        return a.length === 2 ? replaceLiteral(f(obj), this.literal(a[0], w), f(a[1])) : hole(node.text);
      case 'resolve':
        return a[0] ? resolveUri(f(obj), f(a[0])) : hole(node.text);
      case 'target':
        return a[0] ? f(a[0]) : hole(node.text);
      case 'path':
        return a[0] ? smartJoin([f(obj), f(a[0])]) : hole(node.text);
      case 'pathSegment':
      case 'addPathSegment':
      case 'addEncodedPathSegment':
      case 'addPathSegments':
      case 'addEncodedPathSegments':
        return smartJoin([f(obj), ...a.map(f)]);
      case 'setPath':
      case 'replacePath':
        if (!a[0]) return hole(node.text);
        return resolveUri(f(obj), startsWithSlash(f(a[0])) ? f(a[0]) : concat(lit('/'), f(a[0])));
      case 'scheme':
        return a[0] ? concat(f(obj), f(a[0]), lit('://')) : hole(node.text);
      case 'host':
        return a[0] ? concat(f(obj), f(a[0])) : hole(node.text);
      case 'port':
        return a[0] ? concat(f(obj), lit(':'), f(a[0])) : hole(node.text);
      case 'queryParam':
      case 'queryParamIfPresent':
      case 'addQueryParameter':
      case 'addEncodedQueryParameter':
      case 'addParameter':
      case 'setParameter': {
        const key = a[0] ? this.literal(a[0], w) : undefined;
        const base = f(obj);
        const sep = base.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
        return key === undefined ? concat(base, lit(sep), hole(node.text)) : concat(base, lit(`${sep}${key}=`), a[1] ? f(a[1]) : []);
      }
      case 'resolveTemplate':
        return a.length >= 2 ? expandTemplate(f(obj), new Map([[this.literal(a[0], w) ?? '', f(a[1])]]), true) : hole(node.text);
      case 'build':
      case 'buildAndExpand':
      case 'expand':
        return a.length === 0 ? f(obj) : expandTemplate(f(obj), this.uriVariables(a, w, { depth: 0, tag: '', env }));
      default:
        return hole(node.text);
    }
  }
}

// ---- syntax helpers --------------------------------------------------------------------------------

function argumentsOf(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  return args ? args.namedChildren.filter((c): c is Node => !!c && !c.type.endsWith('comment')) : [];
}

/** The outermost call of a fluent chain `call` belongs to (`a.b().c()` from `a.b()`). */
function topOfChain(call: Node): Node {
  let n = call;
  while (n.parent?.type === 'method_invocation' && n.parent.childForFieldName('object')?.id === n.id) n = n.parent;
  return n;
}

/** The calls of a chain, innermost first (`a.b().c()`: `a.b()`, `a.b().c()`). */
function chainLinks(top: Node): Node[] {
  const links: Node[] = [];
  for (let n: Node | null = top; n?.type === 'method_invocation'; n = n.childForFieldName('object')) links.unshift(n);
  return links;
}

/** The innermost receiver of a chain (`sb` in `sb.append(a).append(b)`). */
function chainRoot(chain: Node): Node | null {
  let n: Node | null = chain;
  while (n?.type === 'method_invocation') {
    const obj: Node | null = n.childForFieldName('object');
    if (!obj) return null;
    n = obj;
  }
  return n;
}

/** Is this use of a builder variable a statement that mutates it (`sb.append(x);`)? */
function isBuilderStatement(use: Node): boolean {
  const call = use.parent;
  if (call?.type !== 'method_invocation' || call.childForFieldName('object')?.id !== use.id) return false;
  return topOfChain(call).parent?.type === 'expression_statement';
}

/** The variable a value is stored in (`T x = value;`, `x = value;`, `this.x = value;`). */
function definedName(value: Node): Node | null {
  const p = value.parent;
  if (p?.type === 'variable_declarator' && p.childForFieldName('value')?.id === value.id) return p.childForFieldName('name');
  if (p?.type === 'assignment_expression' && p.childForFieldName('right')?.id === value.id) {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') return left;
    if (left?.type === 'field_access') return left.childForFieldName('field');
  }
  return null;
}

/** The type text of `new T(…)`, without type arguments (`Request.Builder`, `HttpGet`). */
function typeName(creation: Node): string {
  let t = creation.childForFieldName('type');
  if (t?.type === 'generic_type') t = t.namedChildren[0] ?? null;
  return t ? t.text.replace(/\s+/g, '') : '';
}

function lastSegment(dotted: string): string {
  const i = dotted.lastIndexOf('.');
  return i < 0 ? dotted : dotted.slice(i + 1);
}

/** The last identifier of a receiver (`webClient` in `this.webClient`, `client` in `getClient()`). */
function lastName(text: string): string {
  let end = text.trimEnd().length;
  if (text[end - 1] === ')') {
    const open = text.lastIndexOf('(', end - 1);
    if (open >= 0 && text.slice(open + 1, end - 1).trim() === '') end = text.slice(0, open).trimEnd().length;
  }
  let start = end;
  while (start > 0 && /\w/.test(text[start - 1])) start--;
  return start < end ? text.slice(start, end) : text;
}

/** A method name that is exactly an HTTP verb (`GET`, `get`, `Patch`). */
function exactVerb(name: string): HttpMethod | undefined {
  return /^(?:get|post|put|patch|delete|head|options)$/i.test(name) ? normaliseMethod(name) : undefined;
}

function sdkStep(link: Node): string {
  const step = normaliseStep(link.childForFieldName('name')?.text ?? '');
  const a = argumentsOf(link);
  // `list.get(0)` reads a list; the SDK's `get()` takes no index.
  if (step === 'get' && a.length === 1 && a[0].type === 'decimal_integer_literal') return 'get[index]';
  return step;
}

function annotationsOf(node: Node): Node[] {
  const mods = node.namedChildren.find((c) => c?.type === 'modifiers');
  return mods ? mods.namedChildren.filter((c): c is Node => !!c && (c.type === 'annotation' || c.type === 'marker_annotation')) : [];
}

function annotationName(a: Node): string {
  const n = a.childForFieldName('name');
  return n ? lastSegment(n.text) : '';
}

/** An annotation's attribute (`value` is also the unnamed single argument). */
function annotationValue(a: Node, attr: string): Node | null {
  const args = a.childForFieldName('arguments');
  if (!args) return null;
  for (const c of args.namedChildren) {
    if (!c) continue;
    if (c.type === 'element_value_pair') {
      if (c.childForFieldName('key')?.text === attr) return firstOfArray(c.childForFieldName('value'));
    } else if (attr === 'value' && !c.type.endsWith('comment')) {
      return firstOfArray(c);
    }
  }
  return null;
}

function firstOfArray(v: Node | null): Node | null {
  if (v?.type === 'element_value_array_initializer') return v.namedChildren.find((c) => c && !c.type.endsWith('comment')) ?? null;
  return v;
}

function enclosingType(node: Node): Node | null {
  let n = node.parent;
  while (n && !TYPE_DECLARATIONS.has(n.type)) n = n.parent;
  return n;
}

function enclosingMethod(node: Node): Node | null {
  let n = node.parent;
  while (n && !METHOD_DECLARATIONS.has(n.type) && n.type !== 'lambda_expression' && n.type !== 'class_body') n = n.parent;
  return n && METHOD_DECLARATIONS.has(n.type) ? n : null;
}

function parameterNames(method: Node): Node[] {
  const params = method.childForFieldName('parameters');
  if (!params) return [];
  return params.namedChildren
    .filter((c): c is Node => !!c && (c.type === 'formal_parameter' || c.type === 'spread_parameter'))
    .map((p) => p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('name') ?? p);
}

/** The expression a method returns, when its body is a single return statement (after local declarations). */
function singleReturn(method: Node): Node | null {
  const body = method.childForFieldName('body');
  if (!body) return null;
  const returns = body.namedChildren.filter((c): c is Node => !!c && c.type === 'return_statement');
  return returns.length === 1 ? returns[0].namedChildren[0] ?? null : null;
}

/** The nearest enclosing node a local declaration is visible in. */
function blockScope(node: Node): Node {
  let n = node.parent;
  while (n && !BLOCK_SCOPES.has(n.type)) n = n.parent;
  return n ?? node.tree.rootNode;
}

/** For `x = …`: the block (or method, for a parameter) where `x` is declared; null for a field. */
function declaringScope(name: string, from: Node): Node | null {
  for (let n = from.parent; n; n = n.parent) {
    if (n.type === 'block' || n.type === 'constructor_body' || n.type === 'switch_block_statement_group') {
      for (const st of n.namedChildren) {
        if (!st || st.startIndex >= from.startIndex) break;
        if (st.type === 'local_variable_declaration' && declares(st, name)) return n;
      }
    } else if (n.type === 'for_statement') {
      const init = n.childForFieldName('init');
      if (init?.type === 'local_variable_declaration' && declares(init, name)) return n;
    } else if (n.type === 'enhanced_for_statement' || n.type === 'catch_clause') {
      if (n.childForFieldName('name')?.text === name) return n;
    } else if (METHOD_DECLARATIONS.has(n.type) || n.type === 'lambda_expression') {
      if (parameterNames(n).some((p) => p.text === name)) return n;
      if (n.type === 'lambda_expression') continue;
      return null;
    }
  }
  return null;
}

function declares(declaration: Node, name: string): boolean {
  return declaration.namedChildren.some((d) => d?.type === 'variable_declarator' && d.childForFieldName('name')?.text === name);
}

/** If `n` is the name in a declaration (local, field, parameter, loop variable, resource), that declaration. */
function declarationAt(n: Node): Declaration | null {
  const p = n.parent;
  if (!p) return null;
  if (p.type === 'variable_declarator' && p.childForFieldName('name')?.id === n.id) {
    const decl = p.parent;
    const type = decl?.childForFieldName('type')?.text;
    const isField = decl?.type === 'field_declaration' || decl?.type === 'constant_declaration';
    return { name: n, type, value: p.childForFieldName('value'), scope: isField ? n.tree.rootNode : blockScope(p) };
  }
  if ((p.type === 'formal_parameter' || p.type === 'catch_formal_parameter' || p.type === 'resource') && p.childForFieldName('name')?.id === n.id) {
    const owner = p.type === 'formal_parameter' ? p.parent?.parent : p.parent?.parent;
    return { name: n, type: p.childForFieldName('type')?.text, value: p.type === 'resource' ? p.childForFieldName('value') : null, scope: owner ?? n.tree.rootNode };
  }
  if (p.type === 'enhanced_for_statement' && p.childForFieldName('name')?.id === n.id) {
    return { name: n, type: p.childForFieldName('type')?.text, value: null, scope: p };
  }
  if (p.type === 'lambda_expression' && p.childForFieldName('parameters')?.id === n.id) return { name: n, value: null, scope: p };
  if (p.type === 'inferred_parameters') return { name: n, value: null, scope: p.parent ?? n.tree.rootNode };
  return null;
}

// ---- strings and URLs ------------------------------------------------------------------------------

function decodeString(node: Node): string {
  const raw = node.text;
  if (raw.startsWith('"""')) return decodeTextBlock(raw.slice(3, raw.endsWith('"""') && raw.length >= 6 ? -3 : undefined));
  let s = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'string_fragment') s += c.text;
    else if (c.type === 'escape_sequence') s += unescapeJava(c.text);
  }
  return s;
}

/** A text block's value: the opening line dropped, incidental indentation stripped, escapes applied. */
function decodeTextBlock(content: string): string {
  const nl = content.indexOf('\n');
  const lines = (nl < 0 ? '' : content.slice(nl + 1)).split(/\r\n|\r|\n/);
  let indent = Infinity;
  lines.forEach((l, i) => {
    if (l.trim() === '' && i !== lines.length - 1) return;
    indent = Math.min(indent, l.length - l.trimStart().length);
  });
  if (!Number.isFinite(indent)) indent = 0;
  const stripped = lines.map((l) => trimTrailingBlanks(l.slice(indent))).join('\n');
  return stripped.replace(/\\(?:u+[0-9a-fA-F]{4}|[0-7]{1,3}|[\s\S])/g, (m) => (m === '\\\n' ? '' : unescapeJava(m)));
}

function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return line.slice(0, end);
}

function unescapeJava(seq: string): string {
  if (seq.length < 2 || seq[0] !== '\\') return seq;
  const c = seq[1];
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 's':
      return ' ';
    case 'u': {
      const hex = seq.replace(/^\\u+/, '');
      const code = parseInt(hex, 16);
      return Number.isFinite(code) ? String.fromCharCode(code) : '';
    }
    default:
      if (/[0-7]/.test(c)) return String.fromCharCode(parseInt(seq.slice(1), 8) || 0);
      return seq.slice(1);
  }
}

function startsWithSlash(f: Folded): boolean {
  return typeof f[0] === 'string' && f[0].startsWith('/');
}

/** Joins URL parts with exactly one `/` between them (`UriComponentsBuilder.path`, `WebTarget.path`). */
function smartJoin(parts: Folded[]): Folded {
  let out: Folded = [];
  for (const part of parts) {
    if (part.length === 0) continue;
    if (out.length === 0) {
      out = part;
      continue;
    }
    const last = out[out.length - 1];
    const first = part[0];
    const endsSlash = typeof last === 'string' && last.endsWith('/');
    const startsSlash = typeof first === 'string' && first.startsWith('/');
    if (endsSlash && startsSlash) out = concat(out, lit((first as string).slice(1)), part.slice(1));
    else if (endsSlash || startsSlash) out = concat(out, part);
    else out = concat(out, lit('/'), part);
  }
  return out;
}

/** RFC 3986 resolution of a reference against a base (`URI.create(base).resolve(path)`, `new URL(base, path)`). */
function resolveUri(base: Folded, ref: Folded): Folded {
  const first = ref[0];
  if (typeof first === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first)) return ref;
  if (first === undefined) return base;
  if (isHole(first)) return concat(base, ref);
  const b = base.slice();
  const head = b.findIndex(isHole);
  const literalHead = head < 0 ? b.join('') : (b.slice(0, head) as string[]).join('');
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(literalHead);
  if (first.startsWith('/')) return origin ? concat(lit(origin[0]), ref) : concat(base, ref);
  const last = b[b.length - 1];
  if (typeof last === 'string') {
    const i = last.lastIndexOf('/');
    const keep = origin && head < 0 && i < origin[0].length ? `${origin[0]}/` : last.slice(0, i + 1);
    if (i >= 0 || (origin && head < 0)) return concat(b.slice(0, -1), lit(keep), ref);
  }
  return concat(base, lit('/'), ref);
}

/**
 * Expands URI template variables (`{customerId}`) in the literal parts: positional values in order of
 * appearance (Spring's varargs), or by name; unknown ones become holes.
 */
function expandTemplate(template: Folded, vars: readonly Folded[] | ReadonlyMap<string, Folded>, keepUnknown = false): Folded {
  let next = 0;
  const out: Folded[] = [];
  for (const piece of template) {
    if (typeof piece !== 'string') {
      out.push([piece]);
      continue;
    }
    const re = /\{([^{}]*)\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(piece)) !== null) {
      let value: Folded | undefined;
      if (Array.isArray(vars)) value = (vars as readonly Folded[])[next++];
      else value = (vars as ReadonlyMap<string, Folded>).get(m[1].split(':')[0].trim());
      if (value === undefined && keepUnknown) continue;
      out.push(lit(piece.slice(last, m.index)), value ?? hole(m[0]));
      last = m.index + m[0].length;
    }
    out.push(lit(piece.slice(last)));
  }
  return concat(...out);
}

/** Template variables and property placeholders (`{id}`, `${partnercenter.url}`) in a declared path are holes. */
function uriTemplateHoles(f: Folded): Folded {
  const out: Piece[][] = [];
  for (const piece of f) {
    if (typeof piece !== 'string') {
      out.push([piece]);
      continue;
    }
    const re = /\$?\{[^{}]*\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(piece)) !== null) {
      out.push([...lit(piece.slice(last, m.index)), { hole: m[0] }]);
      last = m.index + m[0].length;
    }
    out.push([...lit(piece.slice(last))]);
  }
  return concat(...out);
}

function replaceLiteral(base: Folded, from: string | undefined, to: Folded): Folded {
  if (!from) return base;
  const out: Folded[] = [];
  for (const piece of base) {
    if (typeof piece !== 'string' || !piece.includes(from)) {
      out.push([piece]);
      continue;
    }
    piece.split(from).forEach((p, i) => {
      if (i > 0) out.push(to);
      out.push(lit(p));
    });
  }
  return concat(...out);
}
