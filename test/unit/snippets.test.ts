import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SNIPPET_SETS, snippetDefaultCode, snippetFile } from '../../server/src/catalog/templates';
import { parserFor } from '../../server/src/engine/parser';

const DIR = path.join(__dirname, '..', '..', 'snippets');

describe('snippets', () => {
  for (const set of SNIPPET_SETS) {
    describe(set.file, () => {
      it('is valid JSON generated from the templates (npx tsx scripts/snippets.ts)', () => {
        const text = fs.readFileSync(path.join(DIR, set.file), 'utf8');
        const parsed = JSON.parse(text);
        assert.deepStrictEqual(parsed, snippetFile(set));
      });

      for (const spec of set.specs) {
        it(`${spec.prefix}: prefix starts with pc- and the body parses`, async () => {
          assert.match(spec.prefix, /^pc-/);
          if (!set.grammar) return;
          const parser = await parserFor(set.grammar);
          const tree = parser.parse(snippetDefaultCode(spec))!;
          try {
            assert.ok(!tree.rootNode.hasError, `${spec.prefix} does not parse:\n${snippetDefaultCode(spec)}`);
          } finally {
            tree.delete();
          }
        });
      }
    });
  }

  it('every snippet file is contributed in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const contributed: { language: string; path: string }[] = pkg.contributes?.snippets ?? [];
    for (const set of SNIPPET_SETS) {
      for (const language of set.languages) {
        assert.ok(
          contributed.some((c) => c.language === language && path.normalize(c.path) === path.normalize(`./snippets/${set.file}`)),
          `package.json contributes.snippets lacks ${language} -> ./snippets/${set.file}`,
        );
      }
    }
  });
});
