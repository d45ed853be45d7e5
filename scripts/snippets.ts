/**
 * Writes snippets/*.json from the code templates (server/src/catalog/templates), the same code the quick
 * fixes insert.   npx tsx scripts/snippets.ts [--check]
 */
import * as fs from 'fs';
import * as path from 'path';
import { SNIPPET_SETS, snippetFile } from '../server/src/catalog/templates';

const dir = path.join(__dirname, '..', 'snippets');
fs.mkdirSync(dir, { recursive: true });
let stale = false;
for (const set of SNIPPET_SETS) {
  const file = path.join(dir, set.file);
  const json = JSON.stringify(snippetFile(set), null, 2) + '\n';
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (current === json) continue;
  if (process.argv.includes('--check')) stale = true;
  else fs.writeFileSync(file, json);
}
if (stale) {
  console.error('snippets/ is out of date: run `npx tsx scripts/snippets.ts`');
  process.exit(1);
}
