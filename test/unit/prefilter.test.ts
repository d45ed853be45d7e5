/**
 * The prefilter's anchors after an edit, found again only around the edit, are exactly those of the edited text
 * searched whole.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { anchors, anchorsAfterEdit } from '../../server/src/engine/prefilter';

describe('prefilter anchors after an edit', () => {
  it('equal the anchors of the whole edited text (random texts and edits)', () => {
    // Anchor words, pieces of them, words that run into each other, and what separates them.
    const piece = fc.constantFrom('customers', 'Customers', 'custom', 'ers', 'subscriptions', 'orders', 'agreement', 'agreements', 'Get-PartnerCustomerOrder', 'get-', 'Partner', '-', 'x', '1', ' ', '/', '.', '\n', '"', 'é', 'K');
    const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 12 }), fc.array(piece, { maxLength: 3 }), (before, at, remove, inserted) => {
        const start = at % (before.length + 1);
        const oldEnd = Math.min(before.length, start + remove);
        const insert = inserted.join('');
        const after = before.slice(0, start) + insert + before.slice(oldEnd);
        const change = { start, oldEnd, newEnd: start + insert.length };
        assert.deepStrictEqual(anchorsAfterEdit(anchors(before), after, change), anchors(after));
      }),
      { numRuns: 5000, seed: 20201125 },
    );
  });
});
