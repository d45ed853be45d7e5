/**
 * A scan worker thread (bundled to dist/scan-worker.js, started by pool.ts): analyses the batches of files it
 * is sent, one after the other, each with an engine built from the options in the message, and sends back
 * each batch's outcomes; lists folders when asked. Its parse trees, heap and WebAssembly memory go away with
 * the thread.
 */
import { parentPort } from 'worker_threads';
import { Engine } from '../engine/engine';
import { analyzeFile } from './batch';
import { parseFailHook, toOutcome, WORKER_FAIL_ENV, type BatchRequest, type ListRequest, type ScanOutcome, type WorkerReply } from './outcome';
import { listFolder } from './pool';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs as a worker thread of the Partner Center Advisor scan');

const engines = new Map<number, Engine>();
const fail = parseFailHook(process.env[WORKER_FAIL_ENV]);

async function run(req: BatchRequest | ListRequest): Promise<void> {
  if ('list' in req) {
    port!.postMessage({ list: req.list, ...listFolder(req.folder, req.exclude) } satisfies WorkerReply);
    return;
  }
  let engine = engines.get(req.key);
  if (!engine) engines.set(req.key, (engine = new Engine(req.options)));
  const outcomes: ScanOutcome[] = [];
  for (const file of req.files) {
    if (fail && file.includes(fail.match)) {
      if (fail.mode === 'exit') process.exit(70);
      throw new Error(`${WORKER_FAIL_ENV}: failing on ${file}`);
    }
    outcomes.push(toOutcome(await analyzeFile(engine, file, { contentKey: req.contentKeys })));
  }
  port!.postMessage({ batch: req.batch, outcomes } satisfies WorkerReply);
}

// Batches run in order, one at a time. An error here is a bug: it ends the thread (unhandled rejection), and
// the pool analyses the batches it had sent in its own thread.
let queue: Promise<void> = Promise.resolve();
port.on('message', (req: BatchRequest | ListRequest) => {
  queue = queue.then(() => run(req));
});
port.postMessage({ ready: true } satisfies WorkerReply);
