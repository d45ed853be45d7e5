/**
 * Hover Markdown built from user code cannot inject links, HTML or commands: user text only ever appears
 * inside code spans whose delimiters it cannot close, and the only links are the catalog's documentation.
 */
import * as assert from 'assert';
import { OPERATIONS } from '../../server/src/catalog/operations';
import { codeSpan, hoverMarkdown } from '../../server/src/catalog/text';

const HOSTILE = [
  '[click](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '`` ](command:x) ``',
  '```js\n[a](http://evil.example)\n```',
  '\\`](https://evil.example)',
  '<a href="command:editor.action.selectAll">x</a>',
];

/** Removes code spans (CommonMark: a run of N backticks up to the next run of exactly N). */
function outsideCodeSpans(md: string): string {
  return md.replace(/(`+)([^`]|(?!\1)`)*?\1/g, '');
}

describe('markdown safety of hovers', () => {
  for (const evil of HOSTILE) {
    it(`escapes ${JSON.stringify(evil)}`, () => {
      for (const op of OPERATIONS) {
        const md = hoverMarkdown({ op, loopLabel: evil, guardName: evil, inLoop: true }, 'en');
        const outside = outsideCodeSpans(md);
        assert.ok(!outside.includes('evil.example'), md);
        assert.ok(!/command:/.test(outside), md);
        assert.ok(!/<(img|a)\b/i.test(outside), md);
        const links = [...outside.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
        for (const l of links) assert.match(l, /^https:\/\/learn\.microsoft\.com\/partner-center\/developer\//);
      }
    });
  }

  it('code spans are never closed early by the text inside', () => {
    for (const evil of HOSTILE) {
      const span = codeSpan(evil);
      const ticks = /^`+/.exec(span)![0];
      const inner = span.slice(ticks.length, span.length - ticks.length);
      assert.ok(!inner.includes(ticks), span);
      assert.ok(span.endsWith(ticks));
    }
  });
});
