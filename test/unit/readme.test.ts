import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { README_SECTIONS, replaceSection } from '../../server/src/catalog/tables';
import { OPERATIONS } from '../../server/src/catalog/operations';
import { RULES } from '../../server/src/catalog/rules';

describe('README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

  for (const [name, build] of Object.entries(README_SECTIONS)) {
    it(`has the ${name} table generated from the catalog (run npx tsx scripts/readme.ts)`, () => {
      assert.strictEqual(replaceSection(readme, name, build()), readme);
    });
  }

  it('names every rule and every operation', () => {
    for (const r of RULES) assert.ok(readme.includes(`\`${r.id}\``), r.id);
    for (const o of OPERATIONS) assert.ok(readme.includes(`\`${o.slug}\``), o.slug);
  });

  it('shows the two set-up commands', () => {
    assert.match(readme, /npm ci && npm run scan -- examples\//);
    assert.match(readme, /npm ci && npm test/);
  });
});
