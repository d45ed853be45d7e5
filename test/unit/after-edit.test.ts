/**
 * What an open document keeps up to date after an edit by looking only around it (the prefilter's anchors, the
 * line index) is exactly what reading the whole edited text gives.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { LineIndex } from '../../server/src/engine/engine';
import { anchors, anchorsAfterEdit } from '../../server/src/engine/prefilter';

/** A random edit of a random text: [start, oldEnd) of `before` replaced by `insert`. */
function edited(pieces: fc.Arbitrary<string>) {
  return fc.tuple(fc.array(pieces, { maxLength: 30 }), fc.nat(), fc.nat({ max: 12 }), fc.array(pieces, { maxLength: 3 })).map(([p, at, remove, inserted]) => {
    const before = p.join('');
    const start = at % (before.length + 1);
    const oldEnd = Math.min(before.length, start + remove);
    const insert = inserted.join('');
    return { before, after: before.slice(0, start) + insert + before.slice(oldEnd), start, oldEnd, newEnd: start + insert.length };
  });
}

describe('prefilter anchors after an edit', () => {
  it('equal the anchors of the whole edited text (random texts and edits)', () => {
    // Anchor words, pieces of them, words that run into each other, and what separates them.
    const piece = fc.constantFrom('customers', 'Customers', 'custom', 'ers', 'subscriptions', 'orders', 'agreement', 'agreements', 'Get-PartnerCustomerOrder', 'get-', 'Partner', '-', 'x', '1', ' ', '/', '.', '\n', '"', 'é', 'K');
    fc.assert(
      fc.property(edited(piece), (e) => {
        assert.deepStrictEqual(anchorsAfterEdit(anchors(e.before), e.after, e), anchors(e.after));
      }),
      { numRuns: 5000, seed: 20201125 },
    );
  });
});

describe('line index after an edit', () => {
  it('gives every offset the position a new index gives (random texts with \\n, \\r\\n and \\r, random edits)', () => {
    const piece = fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '\n\n', '\r\r', 'é');
    fc.assert(
      fc.property(edited(piece), (e) => {
        const updated = LineIndex.afterEdit(new LineIndex(e.before), e.after, e.start, e.oldEnd, e.newEnd);
        const fresh = new LineIndex(e.after);
        assert.strictEqual(updated.lineCount, fresh.lineCount);
        for (let o = 0; o <= e.after.length; o++) assert.deepStrictEqual(updated.positionAt(o), fresh.positionAt(o), `offset ${o}`);
      }),
      { numRuns: 5000, seed: 20201125 },
    );
  });
});
