/**
 * The long fuzz run: `npm run fuzz -- [--runs N] [--seed S]` (default 100,000 documents, a random seed that
 * is printed first so that any failure can be replayed with `--seed S`).
 */
import fc from 'fast-check';
import { Engine } from '../server/src/engine/engine';
import { documents, seeds } from '../test/fuzz/documents';
import { checkDocument, compactReport } from '../test/fuzz/properties';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs') ?? 100_000);
  const seed = Number(arg('--seed') ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`fuzz: ${runs} documents, seed ${seed}`);
  const engine = new Engine();
  const all = seeds();
  let done = 0;
  const started = Date.now();
  const timer = setInterval(() => console.log(`  ${done} documents, ${((Date.now() - started) / 1000).toFixed(0)} s`), 30_000);
  try {
    await fc.assert(
      fc.asyncProperty(documents(all), async ({ file, text }) => {
        await checkDocument(engine, file, text);
        done++;
      }),
      { numRuns: runs, seed, endOnFailure: true, reporter: compactReport },
    );
    console.log(`fuzz: ${done} documents from ${all.length} seed files, no failure (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } finally {
    clearInterval(timer);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
