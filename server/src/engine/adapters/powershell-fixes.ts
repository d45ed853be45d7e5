/**
 * Quick fixes for PowerShell: wrap a throttled command in Invoke-PartnerCenterWithRetry, query the Activity
 * Log (Get-PartnerCenterChangedCustomerId) before a per-customer `foreach` or `ForEach-Object` and iterate only
 * the customers that changed, and add the agreement type (-AgreementType on the cmdlet, agreementType= in an
 * Invoke-RestMethod URL). Helper functions are inserted once, after #Requires/using/param.
 */
import type { Node } from 'web-tree-sitter';
import { powershellHttp } from '../../catalog/idioms/powershell';
import { operation } from '../../catalog/operations';
import {
  MCA,
  PS_AUDIT_HELPER,
  PS_RETRY_HELPER,
  psAuditHelper,
  psAuditQuery,
  psRetryCall,
  psRetryHelper,
} from '../../catalog/templates/powershell';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, nodeAt, customerIdInUrl } from '../fixes';
import type { HttpSite, Span } from '../types';

export function powershellFixes(ctx: FixContext): Fix[] {
  const { finding, tree } = ctx;
  if (!tree) return [];
  // The command (a pipeline or an assignment may have the same span).
  let command: Node | null = tree.rootNode.descendantForIndex(finding.site.call.start, finding.site.call.start);
  while (command && command.type !== 'command') command = command.parent;
  if (!command || command.startIndex !== finding.site.call.start) return [];
  if (finding.rule === 'pc-missing-agreement-type') {
    const edit = agreementEdit(ctx, command);
    return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
  }
  const out: Fix[] = [];
  if (finding.rule === 'pc-throttled-in-loop') {
    const fix = activityLogFix(ctx, command);
    if (fix) out.push(fix);
  }
  const retry = retryFix(ctx, command);
  if (retry) out.push(retry);
  return out;
}

/** The end of a command's last element (commands include their trailing separators). */
function commandEnd(command: Node): number {
  const elements = command.childForFieldName('command_elements');
  const parts = (elements?.namedChildren ?? []).filter((c): c is Node => !!c && c.type !== 'command_argument_sep');
  return parts.length ? parts[parts.length - 1].endIndex : (command.childForFieldName('command_name') ?? command).endIndex;
}

function retryFix(ctx: FixContext, command: Node): Fix | undefined {
  // A command fed by a pipeline (`$ids | Get-…`) cannot be wrapped alone.
  const chain = command.parent;
  if (chain?.type === 'pipeline_chain' && chain.namedChildren[0]?.id !== command.id) return undefined;
  const end = commandEnd(command);
  const text = ctx.text.slice(command.startIndex, end);
  if (text.includes('\n')) return undefined;
  const edits: FixEdit[] = [{ span: { start: command.startIndex, end }, newText: psRetryCall(text) }];
  if (!hasFunction(ctx.text, PS_RETRY_HELPER)) edits.push(insertHelper(ctx, psRetryHelper()));
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

function hasFunction(text: string, name: string): boolean {
  return new RegExp(`function\\s+${name}\\b`, 'i').test(text);
}

/** A helper function before the script's first statement (after #Requires, using and param()). */
function insertHelper(ctx: FixContext, code: string): FixEdit {
  const root = ctx.tree!.rootNode;
  const eol = ctx.source.eol;
  let after: Node | null = null;
  for (const c of root.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'param_block' || c.type === 'using_statement') after = c;
    else break;
  }
  const block = ctx.source.block(code, '');
  if (after) {
    const at = ctx.source.lineEnd(after.endIndex);
    return { span: { start: at, end: at }, newText: `${eol}${eol}${block}` };
  }
  const first = root.namedChildren.find((c) => c && c.type !== 'comment');
  const at = first ? ctx.source.lineStart(first.startIndex) : ctx.text.length;
  return { span: { start: at, end: at }, newText: `${block}${eol}${eol}` };
}

function agreementEdit(ctx: FixContext, command: Node): FixEdit | undefined {
  const site = ctx.finding.site;
  if (site.kind === 'cmdlet') {
    const end = commandEnd(command);
    return { span: { start: end, end }, newText: ` -AgreementType ${MCA}` };
  }
  if (site.kind !== 'http' || ctx.finding.requirement === 'type' || !site.urlSpan) return undefined;
  // Inside the URL's string, before its closing quote.
  let n: Node | null = nodeAt(ctx.tree!, site.urlSpan);
  while (n && n.type !== 'expandable_string_literal' && n.type !== 'verbatim_string_characters' && n.namedChildren.length > 0) {
    n = n.namedChildren[n.namedChildren.length - 1];
  }
  if (!n || !/^(?:expandable_string_literal|verbatim_string_characters)$/.test(n.type)) return undefined;
  const quote = ctx.text[n.endIndex - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  return { span: { start: n.endIndex - 1, end: n.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` };
}

// ---- Activity Log -----------------------------------------------------------------------------------

const FOREACH_OBJECT = new Set(['foreach-object', '%', 'foreach']);
const WEB_COMMANDS = new Set(powershellHttp.commands.map((c) => c.toLowerCase()));
const SWITCHES = new Set(powershellHttp.switches.map((c) => c.toLowerCase()));
/** Parameters of the web cmdlets that belong to one request, not to the caller's connection settings. */
const PER_REQUEST = /^-(?:uri|url|method|body|infile|outfile|passthru|form|customMethod|responseHeadersVariable|statusCodeVariable|resume)$/i;

interface LoopShape {
  /** The statement the query goes before. */
  statement: Node;
  /** What is iterated: replaced by the filtered collection. */
  collection: Span;
  /** Names of the variable that holds the current item (without `$`, lower case). */
  item: string[];
}

const named = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');

/** `$c`, `$script:c`, `${c}` → `c` (lower case). */
function variableName(text: string): string | undefined {
  const m = /^\$(?:\{(?:\w+:)?(\w+)\}|(?:\w+:)?(\w+))$/.exec(text.trim());
  return m ? (m[1] ?? m[2]).toLowerCase() : undefined;
}

function statementOf(n: Node): Node | null {
  let s: Node | null = n;
  while (s?.parent && s.parent.type !== 'statement_list') s = s.parent;
  return s?.parent ? s : null;
}

function loopShape(ctx: FixContext, loop: Node): LoopShape | undefined {
  // Syntax errors are allowed in the loop's body (the grammar misses `continue label`), not around what is rewritten.
  if (loop.children.some((c) => c?.isError || c?.isMissing)) return undefined;
  if (loop.type === 'foreach_statement') {
    const kids = named(loop);
    const variable = kids.find((c) => c.type === 'variable');
    const collection = kids.find((c) => c.type === 'pipeline');
    const name = variable && variableName(variable.text);
    const statement = statementOf(loop);
    if (!name || !collection || collection.hasError || !statement) return undefined;
    return { statement, collection: { start: collection.startIndex, end: collection.endIndex }, item: [name] };
  }
  // `… | ForEach-Object { … }` / `%` / `foreach`: the elements before it are filtered.
  const command = loop.type === 'foreach_command' ? loop.parent : loop;
  if (command?.type !== 'command') return undefined;
  const head = loop.type === 'foreach_command' ? loop.children[0]?.text : command.childForFieldName('command_name')?.text;
  if (!head || !FOREACH_OBJECT.has(head.toLowerCase())) return undefined;
  const chain = command.parent;
  if (chain?.type !== 'pipeline_chain') return undefined;
  const elements = named(chain);
  const at = elements.findIndex((e) => e.id === command.id);
  if (at < 1 || elements.slice(0, at).some((e) => e.hasError) || command.children.some((c) => c?.isError)) return undefined;
  const statement = statementOf(chain);
  if (!statement) return undefined;
  const start = elements[0].startIndex;
  // A command's node includes the separators after it.
  const end = start + ctx.text.slice(start, elements[at - 1].endIndex).trimEnd().length;
  return { statement, collection: { start, end }, item: ['_', 'psitem'] };
}

/** The text of the -CustomerId argument of a cmdlet (`-CustomerId $c.CustomerId`, `-CustomerId:$id`, `-Cust $x`). */
function cmdletCustomerId(ctx: FixContext, command: Node): string | undefined {
  const args = commandArguments(ctx, command);
  const arg = args?.find((a) => a.name && a.name.length >= 3 && 'customerid'.startsWith(a.name.toLowerCase()));
  return arg?.value?.text;
}


interface Argument {
  /** The parameter name without the dash and colon; undefined for a positional argument. */
  name?: string;
  param?: Node;
  value?: Node;
}

/** A command's arguments: parameters with their values (switches have none), positional values; undefined for splats. */
function commandArguments(ctx: FixContext, command: Node): Argument[] | undefined {
  const list = command.childForFieldName('command_elements');
  if (!list) return [];
  const elements = named(list).filter((e) => e.type !== 'command_argument_sep');
  const out: Argument[] = [];
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i];
    if (e.type === 'command_parameter') {
      const name = e.text.replace(/^-/, '').replace(/:$/, '');
      const next = elements[i + 1];
      const colon = e.text.endsWith(':') || (!!next && ctx.text.slice(e.endIndex, next.startIndex).includes(':'));
      if (next && next.type !== 'command_parameter' && (colon || !SWITCHES.has(name.toLowerCase()))) {
        out.push({ name, param: e, value: next });
        i++;
      } else out.push({ name, param: e });
    } else if (e.text.startsWith('@') && /^@[\w:]+$/.test(e.text.trim())) {
      return undefined;
    } else out.push({ value: e });
  }
  return out;
}

/** Descends through the grammar's one-child wrappers (pipeline > … > unary_expression > string_literal). */
function unwrap(n: Node): Node {
  let v = n;
  for (let k = named(v); k.length === 1 && v.type !== 'expandable_string_literal' && v.type !== 'verbatim_string_characters' && v.type !== 'variable'; k = named(v)) v = k[0];
  return v;
}

/** The last `$name = <value>` inside `scope` before `before`. */
function assignmentIn(scope: Node, name: string, before: number): Node | undefined {
  let found: Node | undefined;
  const visit = (n: Node): void => {
    if (n.startIndex >= before) return;
    if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left') ?? n.namedChildren[0];
      const op = n.children.find((c) => c?.type === 'assignement_operator');
      const value = n.childForFieldName('value') ?? n.namedChildren[n.namedChildren.length - 1];
      if (left && op?.text === '=' && variableName(unwrap(left).text) === name && value) found = value;
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(scope);
  return found;
}

/** The text before `customers/` in the URL's string: `$base/`, `https://…/v1/`; undefined when it is not written so. */
function urlPrefix(ctx: FixContext, site: HttpSite, call: Node, loop: Node): { prefix: string; verbatim: boolean } | undefined {
  if (!site.urlSpan) return undefined;
  let url: Node | null = nodeAt(ctx.tree!, site.urlSpan);
  if (!url) return undefined;
  url = unwrap(url);
  if (url.type === 'variable') {
    const name = variableName(url.text);
    const value = name && assignmentIn(loop, name, call.startIndex);
    if (!value) return undefined;
    url = unwrap(value);
  }
  // `"$base/customers/{0}/orders" -f $c.id`: the format string.
  if (url.type === 'format_expression') {
    const kids = named(url);
    if (kids.length !== 3 || !/^-f$/i.test(kids[1].text)) return undefined;
    url = unwrap(kids[0]);
  }
  const verbatim = url.type === 'verbatim_string_characters';
  if (!verbatim && (url.type !== 'expandable_string_literal' || !url.text.startsWith('"'))) return undefined;
  const text = url.text;
  const re = /customers\//gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const at = url.startIndex + m.index;
    // In the literal text, not inside a `$(…)` or a variable.
    if (named(url).some((c) => c.startIndex <= at && at < c.endIndex)) continue;
    const prefix = text.slice(1, m.index);
    if (!prefix || prefix.includes('{')) return undefined;
    return { prefix, verbatim };
  }
  return undefined;
}

/** The -BaseUri argument: the prefix without its trailing slash, as a variable or a quoted string. */
function baseUriArgument(prefix: string, verbatim: boolean): string | undefined {
  if (!prefix.endsWith('/')) return undefined;
  const base = prefix.slice(0, -1).replace(/\$using:/gi, '$');
  if (!base) return undefined;
  if (verbatim) return `'${base}'`;
  if (/^\$(?:\{[^{}]+\}|[\w:]+)$/.test(base)) return base;
  if (!/[$`]/.test(base)) return `'${base}'`;
  return `"${base}"`;
}

/** The web cmdlet's connection parameters (headers, token, session…) as a hashtable literal for splatting. */
function requestParameters(ctx: FixContext, call: Node, urlSpan: Span): string | undefined {
  const args = commandArguments(ctx, call);
  if (!args) return undefined;
  const entries: string[] = [];
  for (const a of args) {
    const inUrl = a.value && a.value.startIndex <= urlSpan.start && urlSpan.end <= a.value.endIndex;
    if (inUrl) continue;
    if (!a.name) return undefined; // another positional argument: its binding is not known
    if (PER_REQUEST.test(`-${a.name}`) || !/^\w+$/.test(a.name)) continue;
    let value: string;
    if (!a.value) value = '$true';
    else if (unwrap(a.value).type === 'generic_token') {
      if (a.value.text.includes("'")) return undefined;
      value = `'${a.value.text}'`;
    } else if (a.value.text.includes('\n')) {
      return undefined;
    } else value = a.value.text.replace(/\$using:/gi, '$');
    entries.push(`${a.name} = ${value}`);
  }
  return entries.length ? `@{ ${entries.join('; ')} }` : '';
}

/** `$customersWithChangedSubscriptions`: the variable holding the filtered collection, named after it. */
function changedName(collection: string, resourceType: string): string {
  const t = collection.trim();
  const m = /^\$(?:\{(?:\w+:)?(\w+)\}|(?:\w+:)?(\w+))$/.exec(t) ?? /^\$[\w:]+(?:\.\w+)*\.(\w+)$/.exec(t);
  const base = m ? (m[1] ?? m[2]) : 'customers';
  return `${base}WithChanged${resourceType}s`;
}

/** A variable name not used in `text` (PowerShell names are case-insensitive): `base`, else `base2`… */
function freshVariable(text: string, base: string, taken: string[] = []): string {
  let name = base;
  const used = (n: string) =>
    taken.some((t) => t.toLowerCase() === n.toLowerCase()) || new RegExp(`\\$(?:\\{)?(?:\\w+:)?${n}(?![\\w])`, 'i').test(text);
  for (let i = 2; used(name); i++) name = `${base}${i}`;
  return name;
}

/** Is the variable `$name` given a value inside `scope` (a loop: not known before it starts)? */
function assignedIn(scope: Node, name: string): boolean {
  return new RegExp(`\\$(?:\\{)?(?:\\w+:)?${name}\\}?\\s*(?:[-+*/%]|\\?\\?)?=(?!=)`, 'i').test(scope.text);
}

function enclosingScope(n: Node): Node {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_statement') return p;
  return n.tree.rootNode;
}

/**
 * The customer id as a property path of the current item, written with `$_`: `$c.CustomerId` in
 * `foreach ($c in …)` → `$_.CustomerId`; `$_.id` stays; a variable set in the loop (`$id = $c.CustomerId`, `$c = $_`) is followed once.
 */
function itemPath(idText: string, shape: LoopShape, loop: Node, call: Node, depth = 0): string | undefined {
  const id = /^\$(?:\{(\w+)\}|(\w+))((?:\.\w+)*)$/.exec(idText.trim().replace(/^"\$\((.*)\)"$/, '$1'));
  if (!id) return undefined;
  const name = (id[1] ?? id[2]).toLowerCase();
  if (shape.item.includes(name)) return `$_${id[3]}`;
  if (depth > 0) return undefined;
  const value = assignmentIn(loop, name, call.startIndex);
  const base = value && itemPath(value.text, shape, loop, call, depth + 1);
  return base && `${base}${id[3]}`;
}

function activityLogFix(ctx: FixContext, command: Node): Fix | undefined {
  const { finding } = ctx;
  const site = finding.site;
  const op = operation(finding.operation);
  if (!op?.resourceType || op.method !== 'GET' || !site.loop) return undefined;
  // The loop node (the outermost node of its span may be a statement list or a command around it).
  let loop = nodeAt(ctx.tree!, site.loop.span);
  for (let n = loop; n && n.type !== 'foreach_statement' && n.type !== 'foreach_command'; ) {
    n = n.namedChildren.find((c) => c?.startIndex === site.loop!.span.start && c.endIndex === site.loop!.span.end) ?? null;
    if (n) loop = n;
  }
  const shape = loop && loopShape(ctx, loop);
  if (!loop || !shape) return undefined;
  // The query goes on its own lines before the statement (a label may precede a foreach).
  const lineStart = ctx.source.lineStart(shape.statement.startIndex);
  if (!/^\s*(?::\w+\s+)?$/.test(ctx.text.slice(lineStart, shape.statement.startIndex))) return undefined;

  // The customer id, as a property path of the current item: `$c.CustomerId` → `$_.CustomerId`.
  const idText = site.kind === 'cmdlet' ? cmdletCustomerId(ctx, command) : site.kind === 'http' ? customerIdInUrl(site) : undefined;
  const itemId = idText && itemPath(idText, shape, loop, command);
  if (!itemId) return undefined;

  let rest: { baseUri: string; requestParameters: string } | undefined;
  if (site.kind === 'http') {
    if (!WEB_COMMANDS.has((command.childForFieldName('command_name')?.text ?? '').toLowerCase())) return undefined;
    const prefix = urlPrefix(ctx, site, command, loop);
    const baseUri = prefix && baseUriArgument(prefix.prefix, prefix.verbatim);
    const requestParams = baseUri !== undefined && site.urlSpan ? requestParameters(ctx, command, site.urlSpan) : undefined;
    if (!baseUri || requestParams === undefined) return undefined;
    // What the query uses must be known before the loop: not the item, nothing the loop assigns.
    for (const m of `${baseUri} ${requestParams}`.matchAll(/\$(?:\{)?(?:\w+:)?(\w+)/g)) {
      const name = m[1].toLowerCase();
      if (name === 'true' || name === 'false' || name === 'null') continue;
      if (shape.item.includes(name) || assignedIn(loop, name)) return undefined;
    }
    rest = { baseUri, requestParameters: requestParams };
  } else if (site.kind !== 'cmdlet') return undefined;

  const scope = enclosingScope(shape.statement);
  const resourceType = op.resourceType[0].toUpperCase() + op.resourceType.slice(1);
  const collection = ctx.text.slice(shape.collection.start, shape.collection.end);
  const taken = (name: string) => new RegExp(`\\$(?:\\{)?(?:\\w+:)?${name}(?!\\w)`, 'i').test(scope.text);
  const ids = freshVariable(scope.text, taken('changedCustomerIds') ? `changed${resourceType}CustomerIds` : 'changedCustomerIds');
  const changed = freshVariable(scope.text, changedName(collection, resourceType), [ids]);
  const query = psAuditQuery({
    ids,
    changed,
    collection,
    itemId,
    resourceType,
    baseUri: rest?.baseUri,
    requestParameters: rest?.requestParameters || undefined,
  });
  const indent = ctx.source.indentAt(shape.statement.startIndex);
  const edits: FixEdit[] = [
    { span: { start: lineStart, end: lineStart }, newText: ctx.source.block(query, indent) + ctx.source.eol },
    { span: shape.collection, newText: `$${changed}` },
  ];
  if (!hasFunction(ctx.text, PS_AUDIT_HELPER)) edits.push(insertHelper(ctx, psAuditHelper()));
  return { kind: 'activity-log', title: fixTitle('activity-log', ctx.lang), edits };
}
