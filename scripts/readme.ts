/**
 * Regenerates the README's catalog tables (rules, operations) from the catalog.
 *   npx tsx scripts/readme.ts          rewrite README.md
 *   npx tsx scripts/readme.ts --check  exit 1 if README.md is out of date
 */
import * as fs from 'fs';
import * as path from 'path';
import { README_SECTIONS, replaceSection } from '../server/src/catalog/tables';

const file = path.join(__dirname, '..', 'README.md');
const current = fs.readFileSync(file, 'utf8');
let next = current;
for (const [name, build] of Object.entries(README_SECTIONS)) next = replaceSection(next, name, build());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md is out of date: run `npx tsx scripts/readme.ts`');
    process.exit(1);
  }
} else if (next !== current) {
  fs.writeFileSync(file, next);
  console.log('README.md updated');
}
