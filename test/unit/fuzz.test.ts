/**
 * Short property-based run over mutated fixtures of every language (the long run is `npm run fuzz`).
 * FUZZ_SEED and FUZZ_RUNS override the defaults; a failure prints its seed and the counterexample.
 */
import fc from 'fast-check';
import { Engine } from '../../server/src/engine/engine';
import { documents, seeds } from '../fuzz/documents';
import { checkDocument, compactReport } from '../fuzz/properties';

describe('fuzz: the engine on mutated documents', function () {
  this.timeout(120_000);
  it('never throws, keeps every range inside the document in UTF-16 positions, answers within 1 s, fixes apply cleanly', async () => {
    const engine = new Engine();
    const seed = Number(process.env.FUZZ_SEED ?? 20210214);
    await fc.assert(
      fc.asyncProperty(documents(seeds()), async ({ file, text }) => checkDocument(engine, file, text)),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed, endOnFailure: true, reporter: compactReport },
    );
  });
});
