/**
 * Quick fixes for Java: add the agreement type (`.byAgreementType("MicrosoftCustomerAgreement")` in an SDK
 * chain, `agreement.setType(…)` after `new Agreement()`, `agreementType=` in a URL string).
 */
import type { Node } from 'web-tree-sitter';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, nodeAt } from '../fixes';

const MCA = 'MicrosoftCustomerAgreement';

export function javaFixes(ctx: FixContext): Fix[] {
  if (!ctx.tree || ctx.finding.rule !== 'pc-missing-agreement-type') return [];
  const edit = agreementEdit(ctx);
  return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
}

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
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      n = n.childForFieldName('name')?.text === 'formatted' ? n.childForFieldName('object') : args[0] ?? null;
    } else if (n.type === 'object_creation_expression' || n.type === 'method_invocation') {
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      n = args[args.length - 1] ?? null;
    } else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else n = null;
  }
  if (n?.type !== 'string_literal' || n.text.startsWith('"""')) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  return { span: { start: n.endIndex - 1, end: n.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` };
}
