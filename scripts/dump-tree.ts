/**
 * Developer tool: prints the tree-sitter syntax tree of a file (or of stdin with --lang), with node types,
 * field names and positions, to write and check adapter code against the real grammar.
 *   npx tsx scripts/dump-tree.ts path/to/file.cs
 *   echo 'x = f"{a}/b"' | npx tsx scripts/dump-tree.ts --lang python
 */
import * as fs from 'fs';
import { adapterForFile, adapterForLanguageId } from '../server/src/engine/adapters';
import { parserFor } from '../server/src/engine/parser';
import type { Node } from 'web-tree-sitter';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let text: string;
  let grammar;
  if (args[0] === '--lang') {
    text = fs.readFileSync(0, 'utf8');
    const a = adapterForLanguageId(args[1]);
    grammar = a?.grammar(`x.${args[1]}`, args[1]);
  } else {
    text = fs.readFileSync(args[0], 'utf8');
    grammar = adapterForFile(args[0])?.grammar(args[0]);
  }
  if (!grammar) throw new Error('no grammar for that input');
  const parser = await parserFor(grammar);
  const tree = parser.parse(text);
  if (!tree) throw new Error('parse failed');
  const print = (n: Node, depth: number, field: string | null): void => {
    const snippet = n.childCount === 0 ? ` ${JSON.stringify(n.text.slice(0, 60))}` : '';
    console.log(`${'  '.repeat(depth)}${field ? field + ': ' : ''}${n.isNamed ? n.type : JSON.stringify(n.type)} [${n.startPosition.row}:${n.startPosition.column}]${snippet}`);
    for (let i = 0; i < n.childCount; i++) print(n.child(i)!, depth + 1, n.fieldNameForChild(i));
  };
  print(tree.rootNode, 0, null);
  tree.delete();
}
main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
