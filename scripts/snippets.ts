/**
 * Writes snippets/*.json from the code templates (server/src/catalog/templates), the same code the quick
 * fixes insert, and keeps package.json `contributes.snippets` in step with them (one entry per language id).
 *   npx tsx scripts/snippets.ts [--check]
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
// package.json: replace only the `contributes.snippets` array, keeping the rest of the file as it is.
const manifestFile = path.join(__dirname, '..', 'package.json');
const manifestText = fs.readFileSync(manifestFile, 'utf8');
const manifest = JSON.parse(manifestText);
const contributions = SNIPPET_SETS.flatMap((set) =>
  set.languages.map((language) => ({ language, path: `./snippets/${set.file}` })),
);
if (JSON.stringify(manifest.contributes?.snippets) !== JSON.stringify(contributions)) {
  if (process.argv.includes('--check')) stale = true;
  else {
    manifest.contributes = { ...manifest.contributes, snippets: contributions };
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  }
}
if (stale) {
  console.error('snippets/ is out of date: run `npx tsx scripts/snippets.ts`');
  process.exit(1);
}
