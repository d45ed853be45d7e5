import type { Node } from 'web-tree-sitter';
import { adapterFor } from '../../server/src/engine/adapters';
import { parserFor } from '../../server/src/engine/parser';

/** ERROR and MISSING nodes of a text's syntax tree (0 for languages without a grammar). */
export async function syntaxErrors(text: string, fileName: string): Promise<string[]> {
  const grammar = adapterFor(fileName)?.grammar(fileName);
  if (!grammar) return [];
  const parser = await parserFor(grammar);
  const tree = parser.parse(text);
  if (!tree) return ['unparsable'];
  const out: string[] = [];
  const visit = (n: Node): void => {
    if (n.isError || n.isMissing) out.push(`${n.isMissing ? 'MISSING' : 'ERROR'} ${n.type} at ${n.startPosition.row + 1}:${n.startPosition.column + 1}`);
    if (n.hasError || n.isMissing) for (const c of n.children) if (c) visit(c);
  };
  visit(tree.rootNode);
  tree.delete();
  return out;
}
