/**
 * Quick fixes for Go: add the agreement type (`agreementType=` in the URL's string literal, also inside a
 * fmt.Sprintf format).
 */
import type { Node } from 'web-tree-sitter';
import { fixTitle } from '../../catalog/text';
import { Fix, FixContext, FixEdit, nodeAt } from '../fixes';

const MCA = 'MicrosoftCustomerAgreement';

export function goFixes(ctx: FixContext): Fix[] {
  if (!ctx.tree || ctx.finding.rule !== 'pc-missing-agreement-type') return [];
  const edit = agreementEdit(ctx);
  return edit ? [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }] : [];
}

function agreementEdit(ctx: FixContext): FixEdit | undefined {
  const site = ctx.finding.site;
  if (site.kind !== 'http' || ctx.finding.requirement === 'type' || !site.urlSpan) return undefined;
  let n: Node | null = nodeAt(ctx.tree!, site.urlSpan);
  for (let i = 0; n && i < 8 && n.type !== 'interpreted_string_literal' && n.type !== 'raw_string_literal'; i++) {
    if (n.type === 'binary_expression') n = n.childForFieldName('right');
    else if (n.type === 'call_expression' && /(?:^|\.)Sprintf$/.test(n.childForFieldName('function')?.text ?? '')) {
      n = n.childForFieldName('arguments')?.namedChildren[0] ?? null;
    } else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else n = null;
  }
  if (!n || !/^(?:interpreted_string_literal|raw_string_literal)$/.test(n.type)) return undefined;
  const sep = site.url.some((p) => typeof p === 'string' && p.includes('?')) ? '&' : '?';
  return { span: { start: n.endIndex - 1, end: n.endIndex - 1 }, newText: `${sep}agreementType=${MCA}` };
}
