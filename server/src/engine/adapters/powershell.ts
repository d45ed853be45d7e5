/**
 * PowerShell: the PartnerCenter module's cmdlets, Invoke-RestMethod / Invoke-WebRequest (and `irm`/`iwr`),
 * and the user's own functions that wrap them.
 *
 * The grammar nests one wrapper node per precedence level (`pipeline > pipeline_chain > logical_expression >
 * … > unary_expression > variable`), so values are compared after `unwrap`. Commands are `command` nodes with
 * `command_name` and `command_elements` (parameters, arguments, splats); `ForEach-Object` / `%` parse as
 * `foreach_command`. Variables are case-insensitive and `$script:x`, `$global:x`, `$using:x` and `@x` (a splat)
 * all name the variable `x`.
 */
import type { Node } from 'web-tree-sitter';
import { powershellHttp, powershellIdioms } from '../../catalog/idioms/powershell';
import { OPERATIONS } from '../../catalog/operations';
import { concat, Folded, formatIndexed, hole, isHole, join, lit, literalText } from '../folded';
import type { Fix, FixContext } from '../fixes';
import type { GrammarName } from '../parser';
import { powershellFixes } from './powershell-fixes';
import type { LanguageIdioms } from '../../catalog/idioms/types';
import type { CmdletSite, GuardContext, HttpSite, KeySet, LoopContext, Site, Span } from '../types';
import { normaliseMethod } from '../url';
import { AncestorRole, contains, Definition, spanOf, TreeAdapter, Walk } from './base';

const lower = (s: string): string => s.toLowerCase();

/** Cmdlets of the PartnerCenter module that the catalog knows (lower-cased). */
const CMDLETS = new Set(OPERATIONS.flatMap((o) => (o.cmdlets ?? []).map((c) => lower(c.name))));
const WEB_COMMANDS = new Set(powershellHttp.commands.map(lower));
const SWITCHES = new Set(powershellHttp.switches.map(lower));
const SERIALIZERS = new Set(powershellHttp.serializers.map(lower));
const MEMBER_ADDERS = new Set(powershellHttp.memberAdders.map(lower));
const URL_BUILDERS = new Set(powershellHttp.urlBuilders);
const STRING_METHODS = new Set(powershellHttp.stringMethods);
const ITEM_VARIABLES = new Set(powershellHttp.itemVariables);
const SCOPES = new Set(powershellHttp.scopeModifiers);
/** What comes before a variable's name: `$x`, `@x` (splatting), `$script:x` … */
const SPELLINGS = ['$', '@', ...[...SCOPES].map((s) => `$${s}:`)];
const ITERATION = new Set(powershellIdioms.iterationCallbacks.map(lower));

/** Nodes that only wrap their operand when they have a single named child. */
const WRAPPERS = new Set([
  'pipeline',
  'pipeline_chain',
  'logical_expression',
  'bitwise_expression',
  'comparison_expression',
  'additive_expression',
  'multiplicative_expression',
  'format_expression',
  'range_expression',
  'array_literal_expression',
  'unary_expression',
  'expression_with_unary_operator',
  'argument_expression',
  'logical_argument_expression',
  'bitwise_argument_expression',
  'comparison_argument_expression',
  'additive_argument_expression',
  'multiplicative_argument_expression',
  'format_argument_expression',
  'range_argument_expression',
  'left_assignment_expression',
  'key_expression',
]);

const STRING_TYPES = new Set([
  'string_literal',
  'expandable_string_literal',
  'expandable_here_string_literal',
  'verbatim_string_characters',
  'verbatim_here_string_characters',
]);

/** Automatic variables that never hold a value defined in the file. */
const AUTOMATIC = new Set(['_', 'psitem', 'this', 'true', 'false', 'null', 'args', 'input', 'matches', 'error']);

/** A variable reference: its bare, lower-cased name (`base` for `$script:Base`, `${base}`, `@base`). */
interface VarRef {
  name: string;
  splat: boolean;
  /** The scope modifier, when one was written (`script`, `global`, …). */
  scope?: string;
  /** `$env:X`, `$_`, `$true`: nothing in the file defines it. */
  special: boolean;
}

/** A command's arguments as PowerShell binds them. */
interface ParsedCommand {
  node: Node;
  /** Name as written, without a module qualifier (`PartnerCenter\Get-…`). */
  name: string;
  named: { param: string; value: Node | null }[];
  positional: Node[];
  /** `@params` variables. */
  splats: Node[];
}

/** The entries of a hashtable (`@{ Uri = …; Method = 'Get' }`) and the keys added to it afterwards. */
interface HashInfo {
  entries: { key: string; value: Node }[];
  keys: string[];
  complete: boolean;
}

/** A variable's definition, with the variable node it defines. */
interface VarDef extends Definition {
  name: Node;
}

/** Parameters of a same-file function bound to a caller's arguments. */
interface Bindings {
  /** The function whose parameters these are. */
  scope: Node;
  folded: Map<string, Folded>;
  nodes: Map<string, Node>;
}

export class PowerShellAdapter extends TreeAdapter {
  readonly language = 'powershell' as const;
  readonly idioms = powershellIdioms;
  readonly comment = { line: '#', block: ['<#', '#>'] as const };
  protected override readonly unitTypes: ReadonlySet<string> = new Set(['function_statement', 'class_method_definition']);

  /** `$PSDefaultParameterValues` can give every `Invoke-RestMethod` of the file a retry. */
  protected override textDependencies(idioms: LanguageIdioms): RegExp[] {
    return [...super.textDependencies(idioms), /\$PSDefaultParameterValues\b/i];
  }

  fixes(ctx: FixContext): Fix[] {
    return powershellFixes(ctx);
  }

  grammar(): GrammarName {
    return 'powershell';
  }

  // ---- anchors -------------------------------------------------------------------------------------

  protected fromAnchor(node: Node, w: Walk): void {
    if (node.type === 'comment') return;
    if (node.type === 'command_name') {
      const cmd = node.parent;
      if (cmd?.type === 'command' && CMDLETS.has(lower(commandName(node.text)))) this.siteFromCommand(cmd, w);
      return;
    }
    let n: Node | null = node;
    for (let i = 0; i < 3 && n; i++, n = n.parent) {
      if (n.type === 'string_literal' || n.type === 'generic_token') {
        this.visitValue(n, w, 0);
        return;
      }
    }
  }

  /** From a value (a string, a variable's use, a function's output) to the commands it reaches. */
  private visitValue(expr: Node, w: Walk, depth: number): void {
    if (depth > TreeAdapter.maxDepth || !w.firstVisit(expr, 'value')) return;
    const root = this.expressionRoot(expr);
    const parent = root.parent;
    if (!parent) return;
    switch (parent.type) {
      case 'command_elements': {
        const cmd = parent.parent;
        if (cmd?.type === 'command') this.siteFromCommand(cmd, w, root);
        return;
      }
      case 'invokation_expression':
        this.dotnetSite(parent, root, w);
        return;
      case 'assignment_expression': {
        if (parent.childForFieldName('value')?.id !== root.id) return;
        const target = assignedVariable(parent);
        if (target) {
          const def = this.definitionAt(target, w);
          if (def) for (const use of this.usesOfVariable(target, def, w)) this.visitValue(use, w, depth + 1);
          return;
        }
        // `$request['Uri'] = "…"`, `$config.Endpoints.Orders = '…'`: an entry added to a hashtable.
        const left = named(parent).find((c) => c.type === 'left_assignment_expression');
        const access = left && accessPath(unwrap(left), (k) => literalText(this.foldStatic(k)));
        const def = access && this.resolveDefinition(access.variable, w);
        if (access && def) this.followHashValue(def, access.keys, w, depth);
        return;
      }
      case 'script_parameter_default': {
        const param = parent.parent;
        const v = param ? named(param).find((c) => c.type === 'variable') : undefined;
        const def = v && this.definitionAt(v, w);
        if (v && def) for (const use of this.usesOfVariable(v, def, w)) this.visitValue(use, w, depth + 1);
        return;
      }
      case 'hash_entry': {
        // `$request = @{ Uri = "…"; Method = 'Get' }` then `Invoke-RestMethod @request`, or a table of endpoints
        // `$Config = @{ Endpoints = @{ Orders = '…' } }` used as `$Config.Endpoints.Orders`.
        const path: string[] = [];
        let entry: Node = parent;
        for (;;) {
          const key = hashKey(entry);
          const hash = entry.parent?.type === 'hash_literal_body' ? entry.parent.parent : null;
          if (!key || !hash) return;
          path.unshift(key);
          const hashRoot = this.expressionRoot(hash);
          const holder = hashRoot.parent;
          if (holder?.type === 'hash_entry') {
            entry = holder;
            continue;
          }
          if (holder?.type === 'command_elements' && holder.parent?.type === 'command') {
            this.siteFromCommand(holder.parent, w, hashRoot);
            return;
          }
          if (holder?.type !== 'assignment_expression' || holder.childForFieldName('value')?.id !== hashRoot.id) return;
          const target = assignedVariable(holder);
          const def = target && this.definitionAt(target, w);
          if (def) this.followHashValue(def, path, w, depth);
          return;
        }
      }
      case 'flow_control_statement':
      case 'statement_list': {
        // A function's output: `return "…"` or a bare expression statement.
        if (parent.type === 'flow_control_statement' && !/^return\b/i.test(parent.text)) return;
        if (parent.type === 'statement_list' && unwrap(root).type === 'command') return;
        const fn = enclosingFunction(parent);
        if (!fn) return;
        if (fn.type === 'function_statement') {
          const fname = named(fn).find((c) => c.type === 'function_name')?.text;
          if (!fname) return;
          for (const offset of w.occurrences(fname, true)) {
            if (w.outOfTime()) break;
            const n = w.tree.rootNode.descendantForIndex(offset, offset + fname.length);
            if (n?.type === 'command_name' && lower(commandName(n.text)) === lower(fname) && n.parent?.type === 'command') {
              this.visitValue(n.parent, w, depth + 1);
            }
          }
        }
        return;
      }
      default:
        return;
    }
  }

  /** From a hashtable variable to where the value at `path` is used: `$h.A.B`, `$h['A']`, or `@h` (one level). */
  private followHashValue(def: VarDef, path: string[], w: Walk, depth: number): void {
    for (const use of this.usesOfVariable(def.name, def, w)) {
      if (varRef(use)?.splat) {
        if (path.length === 1) this.visitValue(use, w, depth + 1);
        continue;
      }
      let cur: Node = use;
      for (const k of path) {
        const p = cur.parent;
        const key = p && (p.type === 'member_access' || p.type === 'element_access') && named(p)[0]?.id === cur.id ? this.accessKey(p) : undefined;
        if (!p || !key || lower(key) !== lower(k)) {
          cur = use;
          break;
        }
        cur = p;
      }
      if (cur.id !== use.id) this.visitValue(cur, w, depth + 1);
    }
  }

  /** The key of `$x.Key` or `$x['Key']`. */
  private accessKey(access: Node): string | undefined {
    const kids = named(access);
    if (access.type === 'member_access') return kids.find((c) => c.type === 'member_name')?.text;
    return kids[1] ? literalText(this.foldStatic(kids[1])) : undefined;
  }

  /** Climbs through the expressions that build a URL from its parts. */
  private expressionRoot(node: Node): Node {
    let n = node;
    for (;;) {
      const p = n.parent;
      if (!p) return n;
      const kids = named(p);
      if (WRAPPERS.has(p.type) && kids.length === 1) {
        n = p;
      } else if (p.type === 'additive_expression' && operatorOf(p) === '+') {
        n = p;
      } else if (p.type === 'format_expression') {
        n = p;
      } else if (p.type === 'array_literal_expression' && (isFormatArguments(p) || isJoinOperand(p))) {
        n = p;
      } else if (p.type === 'comparison_expression' && /^-[ci]?join$/i.test(operatorOf(p) ?? '') && kids[0]?.id === n.id) {
        n = p;
      } else if (p.type === 'member_access' && kids[0]?.id === n.id && commandModeArguments(p) && STRING_METHODS.has(lower(memberName(p) ?? ''))) {
        n = p;
      } else if (p.type === 'comparison_expression' && /^-[ci]?replace$/i.test(operatorOf(p) ?? '') && kids[0]?.id === n.id) {
        n = p;
      } else if (
        STRING_TYPES.has(p.type) ||
        p.type === 'parenthesized_expression' ||
        p.type === 'sub_expression' ||
        (p.type === 'statement_list' && p.parent?.type === 'sub_expression' && kids.length === 1)
      ) {
        n = p;
      } else if (p.type === 'cast_expression' && kids[kids.length - 1]?.id === n.id) {
        n = p;
      } else if (p.type === 'argument_expression_list' || p.type === 'argument_list') {
        n = p;
      } else if (p.type === 'invokation_expression') {
        const kind = this.invocationKind(p);
        const onObject = kids[0]?.id === n.id;
        if ((kind === 'builder' && !onObject) || (kind === 'string-method' && onObject)) n = p;
        else return n;
      } else {
        return n;
      }
    }
  }

  /** `[string]::Format(…)` builds a URL from its arguments; `$base.TrimEnd('/')` keeps one. */
  private invocationKind(inv: Node): 'builder' | 'string-method' | undefined {
    const kids = named(inv);
    const member = kids.find((c) => c.type === 'member_name')?.text;
    if (!member) return undefined;
    if (kids[0]?.type === 'type_literal') {
      return URL_BUILDERS.has(`${typeBaseName(kids[0])}::${lower(member)}`) ? 'builder' : undefined;
    }
    return STRING_METHODS.has(lower(member)) ? 'string-method' : undefined;
  }

  // ---- commands ------------------------------------------------------------------------------------

  /**
   * A command a value reaches (or an anchored cmdlet name): a PartnerCenter cmdlet, a web cmdlet, or a
   * same-file function whose body calls a web cmdlet with what it is given (`from` is the argument).
   */
  private siteFromCommand(cmd: Node, w: Walk, from?: Node): void {
    const pc = parseCommand(cmd);
    if (!pc) return;
    const name = lower(pc.name);
    if (CMDLETS.has(name)) {
      if (w.firstVisit(cmd, 'cmdlet')) this.cmdletSite(pc, w);
    } else if (WEB_COMMANDS.has(name)) {
      if (w.firstVisit(cmd, 'web')) this.webSite(pc, w);
    } else if (from) {
      const fn = this.functionDefinition(pc.name, w);
      if (fn) this.wrapperSites(pc, fn, from, w);
      else this.externalWrapperSite(pc, from, w);
    }
  }

  private cmdletSite(pc: ParsedCommand, w: Walk): void {
    const keys = pc.named.map((a) => a.param);
    let complete = true;
    for (const s of pc.splats) {
      const h = this.splatHash(s, w);
      if (!h) {
        complete = false;
        continue;
      }
      keys.push(...h.keys);
      complete &&= h.complete;
    }
    const ctx = this.siteContext(pc.node, w, 'cmdlet');
    const site: CmdletSite = {
      kind: 'cmdlet',
      span: spanOf(pc.node),
      call: spanOf(pc.node),
      name: pc.name,
      params: { keys, complete },
      ...ctx,
    };
    w.addSite(site);
  }

  private webSite(pc: ParsedCommand, w: Walk): void {
    const site = this.httpSiteOf(pc, w);
    if (!site) return;
    w.addSite({ ...site, ...this.siteContext(pc.node, w, 'http', site.guard ?? this.sessionRetry(pc.name, w)) });
  }

  /** `$PSDefaultParameterValues['Invoke-RestMethod:MaximumRetryCount'] = 5` in the file covers that cmdlet. */
  private sessionRetry(command: string, w: Walk): GuardContext | undefined {
    let defaults = SESSION_DEFAULTS.get(w);
    if (!defaults) {
      defaults = [];
      const text = /\$PSDefaultParameterValues\b/i.test(w.text) ? w.text : '';
      for (const m of text.matchAll(new RegExp(powershellHttp.retryDefault))) {
        if (Number(m[2]) > 0) defaults.push(new RegExp(`^${m[1].replace(/[^\w*?-]/g, '').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i'));
      }
      SESSION_DEFAULTS.set(w, defaults);
    }
    const name = powershellHttp.aliases[lower(command)] ?? command;
    return defaults.some((re) => re.test(name)) ? { kind: 'file', name: '$PSDefaultParameterValues' } : undefined;
  }

  /**
   * The request an Invoke-RestMethod / Invoke-WebRequest command makes: `-Uri` (or the first positional
   * argument), `-Method` (GET by default), `-Body` (the query string on GET), splatted hashtables, and
   * `-MaximumRetryCount`. `b` binds the parameters of the function the command is in (wrappers).
   */
  private httpSiteOf(pc: ParsedCommand, w: Walk, b?: Bindings): HttpSite | undefined {
    let splatUnknown = false;
    const fromSplat = new Map<string, Node>();
    const splatKeys: string[] = [];
    for (const s of pc.splats) {
      const h = this.splatHash(s, w, b);
      if (!h) {
        splatUnknown = true;
        continue;
      }
      if (!h.complete) splatUnknown = true;
      for (const e of h.entries) fromSplat.set(lower(e.key), e.value);
      splatKeys.push(...h.keys);
    }
    const param = (full: string, min: number): Node | undefined => {
      const a = pc.named.find((x) => paramIs(x.param, full, min));
      if (a) return a.value ?? undefined;
      for (const [k, v] of fromSplat) if (paramIs(k, full, min)) return v;
      return undefined;
    };
    const given = (full: string, min: number): boolean =>
      pc.named.some((x) => paramIs(x.param, full, min)) || splatKeys.some((k) => paramIs(k, full, min));

    const urlNode = param('Uri', 2) ?? pc.positional[0];
    if (!urlNode) return undefined;

    let method: string | undefined;
    const methodNode = param('Method', 2) ?? param('CustomMethod', 2);
    if (methodNode) method = this.methodOf(methodNode, w, b);
    else if (given('Method', 2) || given('CustomMethod', 2) || splatUnknown) method = undefined;
    else method = 'GET';

    let body: KeySet | undefined;
    let query: KeySet | undefined;
    const bodyNode = param('Body', 2);
    if (bodyNode) body = this.bodyKeys(bodyNode, w, 0, b);
    else if (given('Body', 2) || given('InFile', 2)) body = { keys: [], complete: false };
    // On GET, Invoke-RestMethod sends a dictionary body as the query string.
    if (normaliseMethod(method) === 'GET' && body) {
      query = body;
      body = undefined;
    }

    let guard: GuardContext | undefined;
    const retryParam = powershellHttp.retryOption;
    if (given(retryParam, 10)) {
      const v = param(retryParam, 10);
      const count = v ? literalText(this.fold(v, w, 0, b)) : undefined;
      if (count === undefined || Number(count) !== 0) guard = { kind: 'option', name: `-${retryParam}` };
    }

    return {
      kind: 'http',
      span: spanOf(pc.node),
      call: spanOf(pc.node),
      url: this.fold(urlNode, w, 0, b),
      urlSpan: spanOf(urlNode),
      method: normaliseMethod(method),
      body,
      query,
      guard,
    };
  }

  /**
   * A call of a same-file function that passes `from` to a web cmdlet in its body:
   * `function Invoke-PcApi($Path, $Method = 'GET') { Invoke-RestMethod -Uri "$Base/$Path" -Method $Method }`
   * called as `Invoke-PcApi -Path "customers/$id/subscriptions"`. The site is the caller's command; a retry
   * inside the wrapper covers it.
   */
  private wrapperSites(pc: ParsedCommand, fn: Node, from: Node, w: Walk): void {
    if (contains(fn, pc.node)) return;
    const bindings = this.bindArguments(fn, pc, w);
    const boundTo = [...bindings.nodes].find(([, node]) => node.id === from.id || contains(node, from))?.[0];
    if (!boundTo) return;
    for (const inner of this.webCommandsIn(fn, w)) {
      const innerPc = parseCommand(inner);
      if (!innerPc) continue;
      const site = this.httpSiteOf(innerPc, w, bindings);
      if (!site) continue;
      // Only a request that depends on what this caller passes is the caller's.
      const without: Bindings = { ...bindings, folded: new Map(bindings.folded) };
      without.folded.set(boundTo, hole(`$${boundTo}`));
      const other = this.httpSiteOf(innerPc, w, without);
      if (other && sameFolded(other.url, site.url) && other.method === site.method) continue;
      const innerCtx = this.siteContext(inner, w, 'http', site.guard);
      const ctx = this.siteContext(pc.node, w, 'http', innerCtx.guard);
      w.addSite({ ...site, span: spanOf(pc.node), call: spanOf(pc.node), urlSpan: undefined, ...ctx });
    }
  }

  /**
   * A request helper defined in another file, recognised by its name and parameters:
   * `New-GraphGetRequest -Uri "…/customers/$id/subscriptions"`, `New-GraphPostRequest -Type PATCH -Uri …`.
   */
  private externalWrapperSite(pc: ParsedCommand, from: Node, w: Walk): void {
    const spec = powershellHttp.wrappers;
    const dash = pc.name.indexOf('-');
    const verb = dash > 0 ? pc.name.slice(0, dash) : '';
    if (!spec.name.test(pc.name) || spec.notVerbs.some((v) => lower(v) === lower(verb))) return;
    const byName = (names: string[]) => pc.named.find((a) => names.some((n) => paramIs(a.param, n, Math.min(3, n.length))));
    const urlArg = byName(spec.urlParams)?.value ?? pc.positional[0];
    if (!urlArg || !(urlArg.id === from.id || contains(urlArg, from))) return;
    const methodArg = byName(spec.methodParams);
    let method: string | undefined;
    if (methodArg) method = methodArg.value ? literalText(this.fold(methodArg.value, w, 0)) : undefined;
    else method = methodInName(dash > 0 ? pc.name.slice(dash + 1) : pc.name) ?? (lower(verb) === 'get' ? 'GET' : undefined);
    const bodyNode = byName(spec.bodyParams)?.value;
    let body = bodyNode ? this.bodyKeys(bodyNode, w, 0) : undefined;
    let query: KeySet | undefined;
    if (normaliseMethod(method) === 'GET' && body) {
      query = body;
      body = undefined;
    }
    if (!w.firstVisit(pc.node, 'wrapper')) return;
    w.addSite({
      kind: 'http',
      span: spanOf(pc.node),
      call: spanOf(pc.node),
      url: this.fold(urlArg, w, 0),
      urlSpan: spanOf(urlArg),
      method: normaliseMethod(method),
      body,
      query,
      ...this.siteContext(pc.node, w, 'http'),
    });
  }

  /** A .NET client call: `$client.GetStringAsync($uri)`, `$wc.DownloadString($uri)`, `$wc.UploadString($uri, 'PATCH', $json)`. */
  private dotnetSite(inv: Node, from: Node, w: Walk): void {
    const kids = named(inv);
    const member = kids.find((c) => c.type === 'member_name')?.text;
    const receiver = kids[0];
    const method = member ? powershellHttp.dotnetMethods[lower(member)] : undefined;
    const args = argumentsOf(inv);
    if (!method || !receiver || receiver.type === 'type_literal' || !args[0] || !(contains(from, args[0]) || contains(args[0], from))) return;
    const r = unwrap(receiver);
    const value = r.type === 'variable' ? this.resolveVariable(r, w) : r;
    if (!value || !powershellHttp.dotnetClient.test(value.text)) return;
    let m: string | undefined = method;
    if (lower(member!) === 'uploadstring' && args.length === 3) m = literalText(this.fold(args[1], w, 0));
    if (!w.firstVisit(inv, 'dotnet')) return;
    w.addSite({
      kind: 'http',
      span: spanOf(inv),
      call: spanOf(inv),
      url: this.fold(args[0], w, 0),
      urlSpan: spanOf(args[0]),
      method: normaliseMethod(m),
      body: m === 'GET' ? undefined : args.length > 1 ? { keys: [], complete: false } : undefined,
      ...this.siteContext(inv, w, 'http'),
    });
  }

  /** Web cmdlet commands inside a function's body (found by name, not by walking the body). */
  private webCommandsIn(fn: Node, w: Walk): Node[] {
    const out: Node[] = [];
    for (const name of powershellHttp.commands) {
      for (const offset of w.occurrences(name, true)) {
        if (w.outOfTime()) break;
        if (offset < fn.startIndex || offset >= fn.endIndex) continue;
        const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
        if (n?.type === 'command_name' && lower(commandName(n.text)) === lower(name) && n.parent?.type === 'command') {
          if (enclosingFunction(n.parent)?.id === fn.id) out.push(n.parent);
        }
      }
    }
    return out;
  }

  /** Loop and guard of a command: the enclosing loops and retries, pipeline input, the file's retry. */
  private siteContext(cmd: Node, w: Walk, kind: Site['kind'], own?: GuardContext): { loop?: LoopContext; guard?: GuardContext } {
    const ctx = this.context(cmd, w, kind);
    const loop = ctx.loop ?? (kind === 'cmdlet' ? this.pipelineInputLoop(cmd, w) : undefined);
    return { loop, guard: own ?? ctx.guard };
  }

  /**
   * `$customers | Get-PartnerCustomerSubscription` runs the cmdlet once per piped item. One piped value
   * (`$_`, a foreach variable, a literal) is not a loop.
   */
  private pipelineInputLoop(cmd: Node, w: Walk): LoopContext | undefined {
    const first = pipelineUpstream(cmd);
    if (!first || this.isSingleValue(first, w)) return undefined;
    return { span: spanOf(cmd.parent!), label: first.text };
  }

  private isSingleValue(node: Node, w: Walk): boolean {
    const v = unwrap(node);
    if (STRING_TYPES.has(v.type) || v.type === 'integer_literal' || v.type === 'hash_literal_expression') return true;
    if (v.type === 'cast_expression') return true;
    if (v.type !== 'variable') return false;
    const ref = varRef(v);
    if (!ref) return false;
    if (ITEM_VARIABLES.has(ref.name)) return true;
    // The variable of an enclosing `foreach ($c in …)` holds one item.
    for (let a = v.parent; a; a = a.parent) {
      if (a.type === 'foreach_statement') {
        const loopVar = named(a).find((c) => c.type === 'variable');
        if (loopVar && varRef(loopVar)?.name === ref.name) return true;
      }
      if (a.type === 'function_statement') break;
    }
    const value = this.resolveVariable(v, w);
    if (!value) return false;
    const u = unwrap(value);
    return STRING_TYPES.has(u.type) || u.type === 'integer_literal' || u.type === 'hash_literal_expression' || u.type === 'cast_expression';
  }

  /** The literal HTTP method of `-Method Get`, `-Method 'PATCH'`, `-Method $m`, `[…WebRequestMethod]::Post`. */
  private methodOf(node: Node, w: Walk, b?: Bindings): string | undefined {
    return literalText(this.fold(node, w, 0, b));
  }

  // ---- splats, hashtables, bodies ----------------------------------------------------------------------

  /** The hashtable behind `@params`, when the file shows it. */
  private splatHash(splat: Node, w: Walk, b?: Bindings): HashInfo | undefined {
    const ref = varRef(splat);
    if (!ref) return undefined;
    const bound = b?.nodes.get(ref.name);
    if (bound) return this.hashOf(bound, w, 0);
    const def = this.resolveDefinition(splat, w);
    if (!def) return undefined;
    return this.hashOf(def.value, w, 0, def, splat);
  }

  /**
   * A hashtable literal's entries, and the keys its variable gets before `use` (`$h.Key = …`,
   * `$h['Key'] = …`, `$h.Add('Key', …)`, `$h += @{…}`); unknown additions make it incomplete.
   */
  private hashOf(value: Node, w: Walk, depth: number, def?: VarDef, use?: Node): HashInfo | undefined {
    if (depth > 3) return undefined;
    let v = unwrap(value);
    while (v.type === 'cast_expression' || v.type === 'parenthesized_expression') {
      const inner = named(v).pop();
      if (!inner) return undefined;
      v = unwrap(inner);
    }
    if (v.type === 'variable') {
      const d = this.resolveDefinition(v, w);
      return d ? this.hashOf(d.value, w, depth + 1, d, v) : undefined;
    }
    if (v.type === 'member_access' || v.type === 'element_access') {
      // `$config.PartnerCenter` where `$config = @{ PartnerCenter = @{ … } }`
      const kids = named(v);
      const key = v.type === 'member_access' ? kids.find((c) => c.type === 'member_name')?.text : kids[1] && literalText(this.foldStatic(kids[1]));
      const outer = kids[0] && this.hashOf(kids[0], w, depth + 1);
      const entry = key ? outer?.entries.find((e) => lower(e.key) === lower(key)) : undefined;
      return entry ? this.hashOf(entry.value, w, depth + 1) : undefined;
    }
    if (v.type !== 'hash_literal_expression') return undefined;
    const info: HashInfo = { entries: [], keys: [], complete: true };
    const body = named(v).find((c) => c.type === 'hash_literal_body');
    for (const e of body ? named(body) : []) {
      if (e.type !== 'hash_entry') continue;
      const k = hashKey(e);
      const val = named(e).find((c) => c.type !== 'key_expression');
      if (!k) {
        info.complete = false;
        continue;
      }
      info.keys.push(k);
      if (val) info.entries.push({ key: k, value: val });
    }
    if (def) this.addLaterKeys(info, def, use, w);
    return info;
  }

  private addLaterKeys(info: HashInfo, def: VarDef, use: Node | undefined, w: Walk): void {
    for (const u of this.usesOfVariable(def.name, def, w)) {
      if (use && u.startIndex >= use.startIndex) continue;
      const access = this.memberOf(u);
      if (access) {
        const asg = assignmentWithLeft(access.node);
        const value = asg ? asg.childForFieldName('value') : access.method === 'add' ? argumentsOf(access.node)[1] : undefined;
        if (asg || access.method === 'add') {
          if (!access.key) info.complete = false;
          else {
            info.keys.push(access.key);
            if (value) info.entries.push({ key: access.key, value });
          }
        }
        continue;
      }
      // `$h += @{ … }`
      const asg = assignmentWithLeft(u);
      if (asg && operatorOf(asg) === '+=') {
        const more = this.hashOf(asg.childForFieldName('value') ?? asg, w, 3);
        if (more) info.keys.push(...more.keys);
        else info.complete = false;
        continue;
      }
      // `$obj | Add-Member …` or `Add-Member -InputObject $obj …`
      const root = this.expressionRoot(u);
      const cmd = root.parent?.type === 'command_elements' ? root.parent.parent : root.parent?.type === 'pipeline_chain' ? nextCommand(root) : null;
      if (cmd?.type === 'command') {
        const pc = parseCommand(cmd);
        if (pc && MEMBER_ADDERS.has(lower(pc.name))) info.complete = false;
      }
    }
  }

  /**
   * Top-level keys of a request body: a hashtable or `[pscustomobject]` (directly, through a variable, or
   * piped to / passed to ConvertTo-Json) or a JSON string.
   */
  private bodyKeys(node: Node, w: Walk, depth: number, b?: Bindings): KeySet {
    const unknown: KeySet = { keys: [], complete: false };
    if (depth > 5) return unknown;
    let v = unwrap(node);
    if (v.type === 'parenthesized_expression' || v.type === 'sub_expression') {
      const inner = named(v).pop();
      if (!inner) return unknown;
      const stmts = inner.type === 'statement_list' ? named(inner) : [inner];
      if (stmts.length !== 1) return unknown;
      return this.bodyKeys(stmts[0], w, depth + 1, b);
    }
    if (v.type === 'pipeline_chain') {
      // `$body | ConvertTo-Json -Depth 5`
      const parts = named(v);
      const last = parts[parts.length - 1];
      const pc = last?.type === 'command' ? parseCommand(last) : null;
      if (parts.length === 2 && pc && SERIALIZERS.has(lower(pc.name))) return this.bodyKeys(parts[0], w, depth + 1, b);
      return unknown;
    }
    if (v.type === 'command') {
      // `ConvertTo-Json @{ … }`, `ConvertTo-Json -InputObject $body`
      const pc = parseCommand(v);
      if (!pc || !SERIALIZERS.has(lower(pc.name))) return unknown;
      const input = pc.named.find((a) => paramIs(a.param, 'InputObject', 1))?.value ?? pc.positional[0];
      return input ? this.bodyKeys(input, w, depth + 1, b) : unknown;
    }
    if (v.type === 'variable') {
      const ref = varRef(v);
      const bound = ref && b?.nodes.get(ref.name);
      if (bound) return this.bodyKeys(bound, w, depth + 1);
      if (ref && b?.folded.has(ref.name)) return unknown;
      const def = this.resolveDefinition(v, w);
      if (!def) return unknown;
      const h = this.hashOf(def.value, w, 0, def, v);
      if (h) return { keys: h.keys, complete: h.complete };
      return this.bodyKeys(def.value, w, depth + 1);
    }
    const h = this.hashOf(v, w, 0);
    if (h) return { keys: h.keys, complete: h.complete };
    if (STRING_TYPES.has(v.type)) return jsonKeys(this.fold(v, w, 0, b));
    return unknown;
  }

  // ---- loops and guards ----------------------------------------------------------------------------

  protected classify(anc: Node, child: Node, w: Walk): AncestorRole | undefined {
    switch (anc.type) {
      case 'foreach_statement': {
        if (child.type !== 'statement_block') return undefined;
        const collection = named(anc).find((c) => c.type === 'pipeline');
        const label = collection?.text;
        return { kind: 'loop', header: anc.text.slice(0, child.startIndex - anc.startIndex), label, counted: isRange(label) };
      }
      case 'for_statement':
        if (child.type !== 'statement_block') return undefined;
        return { kind: 'loop', header: anc.text.slice(0, child.startIndex - anc.startIndex), counted: true };
      case 'while_statement':
      case 'do_statement': {
        if (child.type !== 'statement_block') return undefined;
        return { kind: 'loop', header: anc.childForFieldName('condition')?.text ?? '', counted: true };
      }
      case 'foreach_command': {
        // `… | ForEach-Object { }` / `%`; -Begin and -End blocks run once.
        if (child.type !== 'script_block_expression') return undefined;
        const before = w.text.slice(anc.startIndex, child.startIndex).trimEnd();
        if (/-(?:b|be|beg|begi|begin|e|en|end):?$/i.test(before)) return undefined;
        const upstream = pipelineUpstream(anc.parent);
        if (upstream && this.isSingleValue(upstream, w)) return undefined;
        const label = upstream?.text;
        return { kind: 'loop', header: label ?? 'ForEach-Object', label, counted: isRange(label) };
      }
      case 'invokation_foreach_expression': {
        const label = named(anc)[0]?.text;
        return { kind: 'loop', header: label ?? 'ForEach', label, counted: isRange(label) };
      }
      case 'invokation_expression': {
        // `$customers.ForEach({ … })`, `.Where({ … })`
        if (child.type !== 'argument_list') return undefined;
        const kids = named(anc);
        const member = kids.find((c) => c.type === 'member_name')?.text;
        if (!member || kids[0]?.type === 'type_literal' || !ITERATION.has(lower(member))) return undefined;
        return { kind: 'loop', header: kids[0]?.text ?? member, label: kids[0]?.text, counted: false };
      }
      case 'parenthesized_expression': {
        // The grammar does not parse `$x.ForEach({ … })` (ForEach is a keyword): it leaves `$x.ForEach` in an
        // ERROR node before the parenthesised script block.
        const m = /(\$[\w:]+(?:\.\w+)*)\s*\.\s*(ForEach|Where)\s*$/i.exec(w.text.slice(Math.max(0, anc.startIndex - 200), anc.startIndex));
        if (!m || unwrap(child).type !== 'script_block_expression') return undefined;
        return { kind: 'loop', header: m[1], label: m[1], counted: false };
      }
      case 'script_block_expression':
        return this.scriptBlockRole(anc, w);
      case 'function_statement':
      case 'class_method_definition':
        return { kind: 'function', callback: false };
      case 'command': {
        if (child.type !== 'command_elements') return undefined;
        const nameNode = anc.childForFieldName('command_name');
        if (nameNode?.type !== 'command_name') return undefined;
        const name = commandName(nameNode.text);
        if (this.isRetryName(name, w)) return { kind: 'guard', guard: { kind: 'wrapper', name } };
        if (ITERATION.has(lower(name))) {
          const upstream = pipelineUpstream(anc);
          if (upstream && this.isSingleValue(upstream, w)) return undefined;
          const label = upstream?.text;
          return { kind: 'loop', header: label ?? name, label, counted: isRange(label) };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /**
   * A script block passed to a command or method runs there (the walk goes on to that command); one stored in
   * a variable is a function, unless the variable is handed to a retry command (`Invoke-WithRetry $work`).
   */
  private scriptBlockRole(sb: Node, w: Walk): AncestorRole {
    let root = sb;
    while (root.parent && WRAPPERS.has(root.parent.type) && named(root.parent).length === 1) root = root.parent;
    const p = root.parent;
    if (!p) return { kind: 'function', callback: false };
    if (p.type === 'parenthesized_expression' && this.classify(p, root, w)?.kind === 'loop') return { kind: 'function', callback: true };
    if (
      p.type === 'command_elements' ||
      p.type === 'foreach_command' ||
      p.type === 'invokation_foreach_expression' ||
      p.type === 'command_name_expr' ||
      p.type === 'argument_list' ||
      p.type === 'argument_expression_list'
    ) {
      return { kind: 'function', callback: true };
    }
    if (p.type === 'assignment_expression' && p.childForFieldName('value')?.id === root.id) {
      const target = assignedVariable(p);
      const def = target && this.definitionAt(target, w);
      if (target && def) {
        for (const use of this.usesOfVariable(target, def, w)) {
          const r = this.expressionRoot(use);
          const cmd = r.parent?.type === 'command_elements' ? r.parent.parent : null;
          const n = cmd?.childForFieldName('command_name');
          if (n?.type === 'command_name' && this.isRetryName(commandName(n.text), w)) {
            return { kind: 'guard', guard: { kind: 'wrapper', name: commandName(n.text) } };
          }
        }
      }
    }
    return { kind: 'function', callback: false };
  }

  // ---- variables -----------------------------------------------------------------------------------

  protected definitionValue(nameNode: Node): Node | null {
    if (nameNode.type !== 'variable') return null;
    const p = nameNode.parent;
    if (p?.type === 'script_parameter') {
      const d = named(p).find((c) => c.type === 'script_parameter_default');
      return d ? named(d)[0] ?? null : null;
    }
    if (p?.type === 'class_property_definition') {
      const kids = named(p);
      const i = kids.findIndex((c) => c.id === nameNode.id);
      return kids[i + 1] ?? null;
    }
    const asg = assignmentWithLeft(nameNode);
    return asg && operatorOf(asg) === '=' ? asg.childForFieldName('value') : null;
  }

  protected scopeOf(node: Node): Node {
    return enclosingFunction(node) ?? node.tree.rootNode;
  }

  /**
   * Offsets and lengths of every spelling of a variable (`$x`, `$script:x`, `@x`, …). Looked up for definitions,
   * a spelling with a scope (`$script:x`) can be visible outside the function it is in; looked up for uses, only
   * those in `purpose` (a scope) count.
   */
  private variableOccurrences(name: string, w: Walk, purpose: 'scoped' | Span): { offset: number; length: number }[] {
    const list: { offset: number; length: number }[] = [];
    const found = w.occurrencesOfSpellings(name, SPELLINGS, true, (prefix) => (purpose === 'scoped' && prefix.includes(':') ? 'any' : purpose));
    for (const [prefix, offsets] of found) for (const offset of offsets) list.push({ offset, length: prefix.length + name.length });
    return list.sort((a, b) => a.offset - b.offset);
  }

  /** Every definition of a variable (assignments, parameter defaults, class properties), memoised. */
  private variableDefinitions(name: string, w: Walk): VarDef[] {
    return w.memo(`ps:definitions:${name}`, () => {
      const defs: VarDef[] = [];
      for (const { offset, length } of this.variableOccurrences(name, w, 'scoped')) {
        const n = w.tree.rootNode.descendantForIndex(offset, offset + length);
        if (n?.type !== 'variable') continue;
        const value = this.definitionValue(n);
        if (!value) continue;
        const ref = varRef(n);
        const scope = ref?.scope === 'script' || ref?.scope === 'global' ? w.tree.rootNode : this.scopeOf(n);
        const def: VarDef = { offset, value, scope, name: n };
        defs.push(def);
      }
      return defs;
    });
  }

  /** The definition that gives a variable its value at `use` (closest scope, last one before the use). */
  private resolveDefinition(use: Node, w: Walk): VarDef | null {
    const ref = varRef(use);
    if (!ref || ref.special) return null;
    let best: VarDef | null = null;
    let bestScore = -Infinity;
    for (const d of this.variableDefinitions(ref.name, w)) {
      if (d.offset >= use.startIndex && d.offset < use.endIndex) continue;
      if (contains(d.value, use) || !contains(d.scope, use)) continue;
      if ((ref.scope === 'script' || ref.scope === 'global') && d.scope.id !== w.tree.rootNode.id) continue;
      const before = d.offset < use.startIndex;
      const score = d.scope.startIndex * 4 + (before ? 2 : 0) + (before ? d.offset / 1e12 : -d.offset / 1e12);
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    return best;
  }

  private resolveVariable(use: Node, w: Walk): Node | null {
    return this.resolveDefinition(use, w)?.value ?? null;
  }

  /** The definition whose name node is `nameNode`. */
  private definitionAt(nameNode: Node, w: Walk): VarDef | undefined {
    const ref = varRef(nameNode);
    if (!ref) return undefined;
    return this.variableDefinitions(ref.name, w).find((d) => d.offset === nameNode.startIndex);
  }

  /** Uses of a defined variable in the definition's scope (the file for a script-level one). */
  private usesOfVariable(nameNode: Node, def: Definition, w: Walk): Node[] {
    const ref = varRef(nameNode);
    if (!ref) return [];
    const out: Node[] = [];
    for (const { offset, length } of this.variableOccurrences(ref.name, w, spanOf(def.scope))) {
      if (offset < def.scope.startIndex || offset >= def.scope.endIndex || offset === nameNode.startIndex) continue;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + length);
      if (n?.type === 'variable' && !this.definitionValue(n)) out.push(n);
    }
    return out;
  }

  /** `$x.Key`, `$x['Key']` or `$x.Add('Key', …)` around a variable use. */
  private memberOf(use: Node): { node: Node; key?: string; method?: string } | undefined {
    let n = use;
    while (n.parent && WRAPPERS.has(n.parent.type) && named(n.parent).length === 1) n = n.parent;
    const p = n.parent;
    if (!p || named(p)[0]?.id !== n.id) return undefined;
    if (p.type === 'member_access') {
      const m = named(p).find((c) => c.type === 'member_name');
      return { node: p, key: m?.text };
    }
    if (p.type === 'element_access') {
      const k = named(p)[1];
      return { node: p, key: k ? literalText(this.foldStatic(k)) : undefined };
    }
    if (p.type === 'invokation_expression') {
      const m = named(p).find((c) => c.type === 'member_name')?.text;
      const args = argumentsOf(p);
      const key = args[0] ? literalText(this.foldStatic(args[0])) : undefined;
      return { node: p, method: m ? lower(m) : undefined, key };
    }
    return undefined;
  }

  // ---- functions -----------------------------------------------------------------------------------

  private functionDefinition(name: string, w: Walk): Node | null {
    for (const offset of w.occurrences(name, true)) {
      if (w.outOfTime()) break;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      if (n?.type === 'function_name' && lower(n.text) === lower(name) && n.parent?.type === 'function_statement') return n.parent;
    }
    return null;
  }

  /** The parameters of a function (`function f($a)` or a `param()` block), as lower-cased names and defaults. */
  private functionParameters(fn: Node): { name: string; fallback?: Node }[] {
    const decl = named(fn).find((c) => c.type === 'function_parameter_declaration');
    const block = named(fn).find((c) => c.type === 'script_block');
    const paramBlock = block ? named(block).find((c) => c.type === 'param_block') : undefined;
    const list = named(decl ?? paramBlock ?? fn).find((c) => c.type === 'parameter_list');
    const out: { name: string; fallback?: Node }[] = [];
    for (const p of list ? named(list) : []) {
      if (p.type !== 'script_parameter') continue;
      const v = named(p).find((c) => c.type === 'variable');
      const ref = v && varRef(v);
      if (!ref) continue;
      const d = named(p).find((c) => c.type === 'script_parameter_default');
      out.push({ name: ref.name, fallback: d ? named(d)[0] : undefined });
    }
    return out;
  }

  /** Binds a caller's named and positional arguments to a function's parameters (prefixes allowed). */
  private bindArguments(fn: Node, pc: ParsedCommand, w: Walk, depth = 0, env?: Bindings): Bindings {
    const params = this.functionParameters(fn);
    const folded = new Map<string, Folded>();
    const nodes = new Map<string, Node>();
    const bind = (name: string, value: Node) => {
      nodes.set(name, value);
      folded.set(name, this.fold(value, w, depth + 1, env));
    };
    for (const a of pc.named) {
      const p = params.find((x) => x.name === lower(a.param)) ?? params.find((x) => x.name.startsWith(lower(a.param)));
      if (p && a.value && !nodes.has(p.name)) bind(p.name, a.value);
    }
    let i = 0;
    for (const p of params) {
      if (nodes.has(p.name)) continue;
      const arg = pc.positional[i++];
      if (arg) bind(p.name, arg);
      else folded.set(p.name, p.fallback ? this.fold(p.fallback, w, depth + 1) : hole(`$${p.name}`));
    }
    return { scope: fn, folded, nodes };
  }

  /** What a function writes to its output: its single `return X`, else a last statement that is an expression. */
  private outputExpression(fn: Node): Node | null {
    const block = named(fn).find((c) => c.type === 'script_block');
    const body = block && named(block).find((c) => c.type === 'script_block_body');
    const stmts = body ? named(named(body).find((c) => c.type === 'statement_list') ?? body) : [];
    const returns = stmts.filter((s) => s.type === 'flow_control_statement' && /^return\b/i.test(s.text));
    if (returns.length === 1) return named(returns[0])[0] ?? null;
    if (returns.length > 1) return null;
    const last = stmts[stmts.length - 1];
    if (last?.type !== 'pipeline') return null;
    const u = unwrap(last);
    return u.type === 'command' || u.type === 'assignment_expression' || u.type === 'pipeline_chain' ? null : last;
  }

  // ---- folding -------------------------------------------------------------------------------------

  /** Folds without following names (hashtable keys, element keys). */
  private foldStatic(node: Node): Folded {
    const v = unwrap(node);
    if (STRING_TYPES.has(v.type) && !named(v).some((c) => c.type === 'variable' || c.type === 'sub_expression')) {
      return this.foldString(v);
    }
    if (v.type === 'simple_name' || v.type === 'generic_token') return lit(v.text);
    return hole(node.text);
  }

  fold(node: Node, w: Walk, depth: number, env?: Bindings): Folded {
    if (depth > 10) return hole(node.text);
    const n = unwrap(node);
    const f = (x: Node) => this.fold(x, w, depth + 1, env);
    switch (n.type) {
      case 'string_literal':
      case 'expandable_string_literal':
      case 'expandable_here_string_literal':
      case 'verbatim_string_characters':
      case 'verbatim_here_string_characters':
        return this.foldString(n, f);
      case 'generic_token':
      case 'simple_name':
        // A bareword argument (`-Method Get`, an unquoted URL): `$name` inside it cannot be resolved here.
        return concat(...n.text.split(/(\$\{[^{}$]*\}|\$[\w:]+)/).map((part, i) => (i % 2 ? hole(part) : lit(part))));
      case 'integer_literal':
        return lit(n.text);
      case 'variable': {
        const ref = varRef(n);
        if (!ref || ref.special) return hole(n.text);
        if (env?.folded.has(ref.name)) return env.folded.get(ref.name)!;
        // A local of the function whose parameters are bound keeps the bindings.
        const def = this.resolveDefinition(n, w);
        return def ? this.fold(def.value, w, depth + 1, env && def.scope.id === env.scope.id ? env : undefined) : hole(n.text);
      }
      case 'additive_expression': {
        const kids = named(n);
        if (operatorOf(n) !== '+' || kids.length !== 2) return hole(n.text);
        return concat(f(kids[0]), f(kids[1]));
      }
      case 'format_expression': {
        // `"…/customers/{0}/subscriptions" -f $id` (the right operand is the argument list)
        const kids = named(n).filter((c) => c.type !== 'format_operator');
        if (kids.length !== 2) return hole(n.text);
        return formatIndexed(f(kids[0]), listItems(kids[1]).map(f));
      }
      case 'comparison_expression': {
        const op = lower(operatorOf(n) ?? '');
        const kids = named(n).filter((c) => c.type !== 'comparison_operator');
        if (kids.length !== 2) return hole(n.text);
        if (op === '-join') {
          const sep = literalText(f(kids[1]));
          return sep === undefined ? hole(n.text) : join(listItems(kids[0]).map(f), sep);
        }
        if (/^-[ci]?replace$/.test(op)) {
          const [pattern, replacement] = listItems(kids[1]);
          const from = pattern ? literalText(f(pattern)) : undefined;
          if (from === undefined || /[\\^$.|?*+()[\]{}]/.test(from)) return hole(n.text);
          return replaceAll(f(kids[0]), from, replacement ? f(replacement) : []);
        }
        return hole(n.text);
      }
      case 'parenthesized_expression':
      case 'sub_expression': {
        const inner = named(n).pop();
        if (!inner) return hole(n.text);
        const stmts = inner.type === 'statement_list' ? named(inner) : [inner];
        return stmts.length === 1 ? f(stmts[0]) : hole(n.text);
      }
      case 'cast_expression': {
        const kids = named(n);
        return kids.length === 2 ? f(kids[1]) : hole(n.text);
      }
      case 'member_access':
      case 'element_access':
        return this.foldMember(n, w, depth, env);
      case 'invokation_expression':
        return this.foldInvocation(n, w, depth, env);
      case 'command': {
        // A same-file function that returns a URL, called with arguments.
        const pc = parseCommand(n);
        const fn = pc && this.functionDefinition(pc.name, w);
        const out = fn && this.outputExpression(fn);
        if (!pc || !fn || !out || contains(fn, n)) return hole(n.text);
        const b = this.bindArguments(fn, pc, w, depth, env);
        return this.fold(out, w, depth + 1, b);
      }
      default:
        return hole(n.text);
    }
  }

  /** A string literal: verbatim text, or expandable text with `$var`, `${var}` and `$(…)` folded. */
  private foldString(node: Node, f?: (n: Node) => Folded): Folded {
    let n = node;
    if (n.type === 'string_literal') {
      const inner = named(n)[0];
      if (!inner) return hole(node.text);
      n = inner;
    }
    const text = n.text;
    const here = n.type === 'expandable_here_string_literal' || n.type === 'verbatim_here_string_characters';
    let start = 1;
    let end = text.length - 1;
    if (here) {
      const firstBreak = text.search(/\r?\n/);
      const lastBreak = Math.max(text.lastIndexOf('\n', text.length - 3), -1);
      if (firstBreak < 0 || lastBreak < firstBreak) return lit('');
      start = text[firstBreak] === '\r' ? firstBreak + 2 : firstBreak + 1;
      end = lastBreak > 0 && text[lastBreak - 1] === '\r' ? lastBreak - 1 : lastBreak;
      if (end < start) return lit('');
    }
    if (n.type === 'verbatim_string_characters' || n.type === 'verbatim_here_string_characters') {
      const body = text.slice(start, end);
      return lit(here ? body : body.replace(/''/g, "'"));
    }
    const parts: Folded[] = [];
    let at = n.startIndex + start;
    const stop = n.startIndex + end;
    for (const c of named(n)) {
      if (c.startIndex < at || c.endIndex > stop) continue;
      parts.push(lit(unescapeExpandable(sliceAt(text, n, at, c.startIndex), here)));
      parts.push(f && (c.type === 'variable' || c.type === 'sub_expression') ? f(c) : hole(c.text));
      at = c.endIndex;
    }
    parts.push(lit(unescapeExpandable(sliceAt(text, n, at, stop), here)));
    return concat(...parts);
  }

  /** `$config.BaseUrl`, `$config['BaseUrl']` (a hashtable in the file), `$this.Base` (a class property). */
  private foldMember(n: Node, w: Walk, depth: number, env?: Bindings): Folded {
    const kids = named(n);
    const obj = kids[0];
    if (!obj) return hole(n.text);
    const key =
      n.type === 'member_access'
        ? kids.find((c) => c.type === 'member_name')?.text
        : kids[1]
          ? literalText(this.fold(kids[1], w, depth + 1, env))
          : undefined;
    if (!key) return hole(n.text);
    const callArgs = n.type === 'member_access' ? commandModeArguments(n) : undefined;
    if (callArgs) return this.foldCall(n, obj, key, argumentsOf(callArgs), w, depth, env);
    const o = unwrap(obj);
    if (o.type === 'type_literal') {
      // `[Microsoft.PowerShell.Commands.WebRequestMethod]::Patch`
      return powershellHttp.methodEnum.test(typeFullName(o)) ? lit(key) : hole(n.text);
    }
    if (o.type === 'variable' && varRef(o)?.name === 'this') {
      const value = this.classProperty(o, key);
      return value ? this.fold(value, w, depth + 1) : hole(n.text);
    }
    if (lower(key) === 'absoluteuri' || lower(key) === 'originalstring') return this.fold(obj, w, depth + 1, env);
    const hash = this.hashOf(obj, w, 0);
    const entry = hash?.entries.find((e) => lower(e.key) === lower(key));
    return entry ? this.fold(entry.value, w, depth + 1) : hole(n.text);
  }

  private foldInvocation(n: Node, w: Walk, depth: number, env?: Bindings): Folded {
    const kids = named(n);
    const member = kids.find((c) => c.type === 'member_name')?.text;
    if (!member || !kids[0]) return hole(n.text);
    return this.foldCall(n, kids[0], member, argumentsOf(n), w, depth, env);
  }

  /** `[type]::Method(args)` or `$object.Method(args)`. */
  private foldCall(n: Node, object: Node, member: string, args: Node[], w: Walk, depth: number, env?: Bindings): Folded {
    const f = (x: Node) => this.fold(x, w, depth + 1, env);
    const m = lower(member);
    if (object.type === 'type_literal') {
      const key = `${typeBaseName(object)}::${m}`;
      if (!URL_BUILDERS.has(key)) return hole(n.text);
      switch (key) {
        case 'string::format':
          return args[0] ? formatIndexed(f(args[0]), args.slice(1).flatMap(listItems).map(f)) : hole(n.text);
        case 'string::concat':
          return concat(...args.map(f));
        case 'string::join': {
          const sep = args[0] ? literalText(f(args[0])) : undefined;
          return sep === undefined ? hole(n.text) : join(args.slice(1).flatMap(listItems).map(f), sep);
        }
        case 'uri::new': {
          if (args.length === 1) return f(args[0]);
          if (args.length !== 2) return hole(n.text);
          const rel = f(args[1]);
          const first = rel[0];
          if (typeof first === 'string' && /^[a-z]+:\/\//i.test(first)) return rel;
          return join([f(args[0]), rel], '/');
        }
        default:
          return args[0] ? f(args[0]) : hole(n.text);
      }
    }
    if (!STRING_METHODS.has(m)) return hole(n.text);
    const base = f(object);
    if (m === 'replace') {
      const from = args[0] ? literalText(f(args[0])) : undefined;
      return from === undefined || !args[1] ? hole(n.text) : replaceAll(base, from, f(args[1]));
    }
    if (m === 'trimend' && args.length === 1) {
      const chars = literalText(f(args[0]));
      const last = base[base.length - 1];
      if (chars && typeof last === 'string') {
        let t = last;
        while (t && chars.includes(t[t.length - 1])) t = t.slice(0, -1);
        return concat(base.slice(0, -1), lit(t));
      }
    }
    return base;
  }

  /** The default value of a class property `[string]$Base = '…'`, for `$this.Base`. */
  private classProperty(thisNode: Node, key: string): Node | null {
    let cls: Node | null = thisNode.parent;
    while (cls && cls.type !== 'class_statement') cls = cls.parent;
    if (!cls) return null;
    for (const c of named(cls)) {
      if (c.type !== 'class_property_definition') continue;
      const v = named(c).find((x) => x.type === 'variable');
      if (v && varRef(v)?.name === lower(key)) return this.definitionValue(v);
    }
    return null;
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

const SESSION_DEFAULTS = new WeakMap<Walk, RegExp[]>();

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** Descends through single-operand wrapper nodes. */
function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (!WRAPPERS.has(n.type)) return n;
    const kids = named(n);
    if (kids.length !== 1) return n;
    n = kids[0];
  }
}

/** The operator token of a binary expression (`+`, `-join`, `-replace`, `=`, `+=`). */
function operatorOf(n: Node): string | undefined {
  for (let i = 0; i < n.childCount; i++) {
    const c = n.child(i);
    if (!c) continue;
    if (c.type === 'comparison_operator' || c.type === 'assignement_operator' || c.type === 'format_operator') return c.text.trim();
    if (!c.isNamed && c.type !== '(' && c.type !== ')') return c.type;
  }
  return undefined;
}

function varRef(n: Node): VarRef | undefined {
  if (n.type !== 'variable') return undefined;
  let t = n.text;
  const splat = t.startsWith('@');
  if (!t.startsWith('$') && !splat) return undefined;
  t = t.slice(1);
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  const colon = t.indexOf(':');
  let scope: string | undefined;
  if (colon > 0) {
    const s = lower(t.slice(0, colon));
    if (!SCOPES.has(s)) return { name: lower(t), splat, special: true };
    scope = s;
    t = t.slice(colon + 1);
  }
  const name = lower(t);
  return { name, splat, scope, special: AUTOMATIC.has(name) };
}

/** The variable an assignment defines (`$x = …`, `[string]$x = …`), if its target is one. */
function assignedVariable(asg: Node): Node | undefined {
  const left = named(asg).find((c) => c.type === 'left_assignment_expression');
  if (!left) return undefined;
  let v = unwrap(left);
  if (v.type === 'cast_expression') v = named(v).pop() ?? v;
  v = unwrap(v);
  return v.type === 'variable' ? v : undefined;
}

/** The assignment whose target is `node` (through wrappers and a type cast). */
function assignmentWithLeft(node: Node): Node | null {
  let n = node;
  let a = n.parent;
  while (a && ((WRAPPERS.has(a.type) && a.type !== 'left_assignment_expression' && named(a).length === 1) || (a.type === 'cast_expression' && named(a).pop()?.id === n.id))) {
    n = a;
    a = a.parent;
  }
  if (a?.type !== 'left_assignment_expression') return null;
  const asg = a.parent;
  return asg?.type === 'assignment_expression' ? asg : null;
}

function hashKey(entry: Node): string | undefined {
  const k = named(entry).find((c) => c.type === 'key_expression');
  if (!k) return undefined;
  const v = unwrap(k);
  if (v.type === 'simple_name') return v.text;
  if (v.type === 'string_literal') {
    const inner = named(v)[0];
    if (inner?.type === 'verbatim_string_characters') return inner.text.slice(1, -1);
    if (inner?.type === 'expandable_string_literal' && named(inner).length === 0) return inner.text.slice(1, -1);
  }
  return undefined;
}

/** `Get-PartnerCustomerOrder` from `PartnerCenter\Get-PartnerCustomerOrder`. */
function commandName(text: string): string {
  const i = text.lastIndexOf('\\');
  return i >= 0 ? text.slice(i + 1) : text;
}

function parseCommand(cmd: Node): ParsedCommand | null {
  const nameNode = cmd.childForFieldName('command_name');
  if (nameNode?.type !== 'command_name') return null;
  const pc: ParsedCommand = { node: cmd, name: commandName(nameNode.text), named: [], positional: [], splats: [] };
  const elements = cmd.childForFieldName('command_elements');
  let pending: { param: string; value: Node | null } | null = null;
  let colon = false;
  for (const c of elements ? named(elements) : []) {
    if (c.type === 'command_argument_sep') {
      if (c.text.includes(':')) colon = true;
      continue;
    }
    if (c.type === 'redirection' || c.type === 'ERROR') continue;
    // In argument mode `$u.Trim()` parses as a member access followed by its argument list.
    if (c.type === 'argument_list' && c.previousSibling?.endIndex === c.startIndex) continue;
    if (c.type === 'command_parameter') {
      const entry = { param: c.text.replace(/^[-\u2013\u2014\u2015]+/, '').replace(/:$/, ''), value: null };
      pc.named.push(entry);
      pending = entry;
      colon = c.text.endsWith(':');
      continue;
    }
    const v = unwrap(c);
    if (v.type === 'variable' && v.text.startsWith('@')) {
      pc.splats.push(v);
      pending = null;
      continue;
    }
    if (pending && (colon || !SWITCHES.has(lower(pending.param)))) pending.value = c;
    else pc.positional.push(c);
    pending = null;
    colon = false;
  }
  return pc;
}

/** `-Ur` for `-Uri`: PowerShell accepts an unambiguous prefix; `min` is the shortest unambiguous one. */
function paramIs(written: string, full: string, min: number): boolean {
  const p = lower(written);
  return p.length >= min && lower(full).startsWith(p);
}

/** The items of `$a, $b` (an array literal), else the expression itself. */
function listItems(node: Node): Node[] {
  let n = unwrap(node);
  if (n.type === 'array_expression') {
    const inner = named(n).find((c) => c.type === 'statement_list');
    const stmts = inner ? named(inner) : [];
    if (stmts.length !== 1) return [node];
    n = unwrap(stmts[0]);
  }
  if (n.type === 'array_literal_expression') return named(n);
  return [node];
}

function isFormatArguments(arr: Node): boolean {
  const range = arr.parent;
  const fmt = range?.type === 'range_expression' ? range.parent : null;
  return fmt?.type === 'format_expression' && named(fmt).pop()?.id === range!.id;
}

/** An HTTP verb written as a word of a command's noun: `GraphGETRequest`, `PcPatch`, `ApiPostRequest`. */
function methodInName(noun: string): string | undefined {
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < noun.length; i++) {
    const c = noun[i];
    const upper = c >= 'A' && c <= 'Z';
    const next = noun[i + 1] ?? '';
    const nextLower = next >= 'a' && next <= 'z';
    const prevUpper = i > 0 && noun[i - 1] >= 'A' && noun[i - 1] <= 'Z';
    // A word starts at an upper-case letter after a lower-case one, or at the last capital of an acronym.
    if (upper && word && (!prevUpper || nextLower)) {
      words.push(word);
      word = '';
    }
    word += c;
  }
  if (word) words.push(word);
  for (const w of words) {
    const m = normaliseMethod(w);
    if (m) return m;
  }
  return undefined;
}

/** `$x.A['B']` as the variable `$x` and the keys `A`, `B`. */
function accessPath(node: Node, keyOf: (k: Node) => string | undefined): { variable: Node; keys: string[] } | undefined {
  const keys: string[] = [];
  let n = node;
  while (n.type === 'member_access' || n.type === 'element_access') {
    const kids = named(n);
    const key = n.type === 'member_access' ? kids.find((c) => c.type === 'member_name')?.text : kids[1] ? keyOf(kids[1]) : undefined;
    if (!key || !kids[0]) return undefined;
    keys.unshift(key);
    n = unwrap(kids[0]);
  }
  return n.type === 'variable' && keys.length ? { variable: n, keys } : undefined;
}

function memberName(access: Node): string | undefined {
  return named(access).find((c) => c.type === 'member_name')?.text;
}

/**
 * In argument mode the grammar splits `$u.Trim()` into a member access and the argument list that follows
 * it: the argument list, when one follows the access directly.
 */
function commandModeArguments(access: Node): Node | undefined {
  let n = access;
  while (n.parent && WRAPPERS.has(n.parent.type) && named(n.parent).length === 1) n = n.parent;
  if (n.parent?.type !== 'command_elements') return undefined;
  const next = n.nextSibling;
  return next?.type === 'argument_list' && next.startIndex === n.endIndex ? next : undefined;
}

/** The left operand of `-join` (`$a, 'b' -join '/'`). */
function isJoinOperand(arr: Node): boolean {
  let n = arr;
  while (n.parent && WRAPPERS.has(n.parent.type) && named(n.parent).length === 1) n = n.parent;
  const p = n.parent;
  return p?.type === 'comparison_expression' && /^-[ci]?join$/i.test(operatorOf(p) ?? '') && named(p)[0]?.id === n.id;
}

/** The arguments of an invocation, or of an argument list. */
function argumentsOf(inv: Node): Node[] {
  if (inv.type === 'argument_list') {
    const exprs = named(inv).find((c) => c.type === 'argument_expression_list');
    return exprs ? named(exprs) : [];
  }
  const list = named(inv).find((c) => c.type === 'argument_list');
  const exprs = list && named(list).find((c) => c.type === 'argument_expression_list');
  return exprs ? named(exprs) : [];
}

/** `string` for `[System.String]`, `uri` for `[System.Uri]`. */
function typeBaseName(typeLiteral: Node): string {
  const full = typeFullName(typeLiteral);
  return lower(full.slice(full.lastIndexOf('.') + 1));
}

function typeFullName(typeLiteral: Node): string {
  return typeLiteral.text.replace(/^\[|\]$/g, '').trim();
}

function enclosingFunction(node: Node): Node | null {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_statement' || n.type === 'class_method_definition') return n;
  }
  return null;
}

/** The first element of the pipeline a command is in, when something is piped into it. */
function pipelineUpstream(cmd: Node | null): Node | undefined {
  const chain = cmd?.parent;
  if (chain?.type !== 'pipeline_chain') return undefined;
  const first = named(chain)[0];
  return first && first.id !== cmd!.id ? first : undefined;
}

/** The command right after an expression in a pipeline (`$obj | Add-Member …`). */
function nextCommand(expr: Node): Node | null {
  let n = expr.nextNamedSibling;
  while (n && n.type === 'comment') n = n.nextNamedSibling;
  return n?.type === 'command' ? n : null;
}

/** `1..5`, `0..$max`: a counted iteration (a retry loop when it handles 429). */
function isRange(collection: string | undefined): boolean {
  const t = collection?.trim().replace(/^\(/, '').trimStart();
  return !!t && /^(?:\d+|\$[\w:]+) ?\.\./.test(t);
}

function sliceAt(text: string, n: Node, from: number, to: number): string {
  return text.slice(from - n.startIndex, to - n.startIndex);
}

/** Backtick escapes of expandable strings (`` `n ``, `` `$ ``, `` `u{…} ``) and `""` in double-quoted ones. */
function unescapeExpandable(s: string, here: boolean): string {
  return s.replace(/`(u\{[0-9a-fA-F]{1,6}\}|[\s\S])|""/g, (m, c: string | undefined) => {
    if (c === undefined) return here ? m : '"';
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '0':
        return '\0';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      default: {
        if (c.startsWith('u{')) {
          const code = parseInt(c.slice(2, -1), 16);
          return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
        }
        return c;
      }
    }
  });
}

function replaceAll(base: Folded, from: string, to: Folded): Folded {
  if (!from) return base;
  const out: Folded[] = [];
  for (const piece of base) {
    if (isHole(piece)) {
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

function sameFolded(a: Folded, b: Folded): boolean {
  return a.length === b.length && a.every((p, i) => (isHole(p) ? isHole(b[i]) && (b[i] as { hole: string }).hole === p.hole : p === b[i]));
}

/** Top-level keys of a JSON object body; holes (`"$id"`) stand for values. */
function jsonKeys(f: Folded): KeySet {
  const text = f.map((p) => (isHole(p) ? '0' : p)).join('');
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { keys: Object.keys(v), complete: true };
  } catch {
    // not JSON we can read
  }
  return { keys: [], complete: false };
}
