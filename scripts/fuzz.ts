/**
 * The long fuzz run: `npm run fuzz -- [--runs N] [--seed S] [--keep-going] [--path P] [--minutes M]` (default 100,000
 * documents, a random seed that is printed first so that any failure can be replayed with `--seed S`).
 *
 * By default the run stops at the first failure and reports its seed and path (replay it alone with
 * `--seed S --path P`). With `--keep-going` every document is checked and the failures are listed at the end,
 * grouped by seed file and message, each with the path that replays it. `--minutes M` stops the run after M
 * minutes and reports how many documents it checked.
 */
import fc from 'fast-check';
import * as path from 'path';
import { Engine } from '../server/src/engine/engine';
import { documents, seeds } from '../test/fuzz/documents';
import { checkDocument, compactReport } from '../test/fuzz/properties';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Failure {
  run: number;
  file: string;
  chars: number;
  message: string;
}

/** A failure message without its numbers ("analysis took 1203 ms" -> "analysis took N ms"), for grouping. */
function kindOf(message: string): string {
  return message.split('\n')[0].replace(/\d+/g, 'N').slice(0, 160);
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs') ?? 100_000);
  const seed = Number(arg('--seed') ?? Math.floor(Math.random() * 2 ** 31));
  const replay = arg('--path');
  const keepGoing = process.argv.includes('--keep-going');
  const minutes = arg('--minutes') === undefined ? undefined : Number(arg('--minutes'));
  console.log(`fuzz: ${runs} documents, seed ${seed}${replay ? `, path ${replay}` : ''}${keepGoing ? ', keep going' : ''}`);
  const engine = new Engine();
  const all = seeds();
  let done = 0;
  const failures: Failure[] = [];
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  // Progress by count: the property runs in microtasks, so a timer would not get a turn.
  const progress = () => {
    if (done % 5000 === 0) console.log(`  ${done} documents, ${failures.length} failures, ${seconds()} s`);
  };
  const root = path.join(__dirname, '..');
  await fc.assert(
    fc.asyncProperty(documents(all), async ({ file, text }) => {
      const run = done++;
      progress();
      if (!keepGoing) return checkDocument(engine, file, text);
      try {
        await checkDocument(engine, file, text);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push({ run, file: path.relative(root, file), chars: text.length, message });
        console.log(`  failure at path ${run} (${path.relative(root, file)}, ${text.length} chars): ${message.split('\n')[0].slice(0, 200)}`);
      }
    }),
    {
      numRuns: runs,
      seed,
      path: replay,
      endOnFailure: true,
      reporter: compactReport,
      ...(minutes === undefined ? {} : { interruptAfterTimeLimit: minutes * 60_000, markInterruptAsFailure: false }),
    },
  );
  if (done < runs && !replay) console.log(`fuzz: stopped after ${minutes} minutes`);
  if (failures.length === 0) {
    console.log(`fuzz: ${done} documents from ${all.length} seed files, no failure (seed ${seed}, ${seconds()} s)`);
    return;
  }
  console.log(`fuzz: ${done} documents from ${all.length} seed files, ${failures.length} failures (seed ${seed}, ${seconds()} s):`);
  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = `${f.file}: ${kindOf(f.message)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${list.length} × ${key} (replay: --seed ${seed} --path ${list[0].run})`);
  }
  process.exitCode = 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
