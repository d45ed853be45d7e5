/**
 * Quick fixes for PowerShell: wrap a throttled command in Invoke-PartnerCenterWithRetry (the helper function
 * is inserted once, after #Requires/using/param), and add the agreement type (-AgreementType on the cmdlet,
 * agreementType= in an Invoke-RestMethod URL).
 */
import type { Node } from 'web-tree-sitter';
import { MCA, PS_RETRY_HELPER, psRetryCall, psRetryHelper } from '../../catalog/templates/powershell';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, nodeAt } from '../fixes';

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
  const retry = retryFix(ctx, command);
  return retry ? [retry] : [];
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
  if (!new RegExp(`function\\s+${PS_RETRY_HELPER}\\b`, 'i').test(ctx.text)) edits.push(insertHelper(ctx));
  return { kind: 'retry', title: fixTitle('retry', ctx.lang), edits };
}

/** The helper function before the script's first statement (after #Requires, using and param()). */
function insertHelper(ctx: FixContext): FixEdit {
  const root = ctx.tree!.rootNode;
  const eol = ctx.source.eol;
  let after: Node | null = null;
  for (const c of root.namedChildren) {
    if (!c || c.type === 'comment') continue;
    if (c.type === 'param_block' || c.type === 'using_statement') after = c;
    else break;
  }
  const block = ctx.source.block(psRetryHelper(), '');
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
