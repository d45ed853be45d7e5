/**
 * server/src/scan/pool.ts with the built worker bundle (dist/scan-worker.js): worker threads analyse exactly what
 * the calling thread would (examples/, read errors, skipped files, several option sets), list folders like the
 * walk does, lose no file when a worker crashes or exits (PC_ADVISOR_TEST_WORKER_FAIL, the tests' failure hook),
 * stop when cancelled, and are not used without the bundle. Then `pc-advisor scan --jobs N`: the same report,
 * messages and exit code as --jobs 1, on examples/ and on a generated tree with errors and skipped files.
 */
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toReportFinding } from '../../server/src/cli/report';
import { MIN_ANALYSES_FOR_WORKERS } from '../../server/src/cli/scan';
import { Engine } from '../../server/src/engine/engine';
import type { EngineOptions, Finding } from '../../server/src/engine/types';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { analyzeFile } from '../../server/src/scan/batch';
import { toOutcome, WORKER_FAIL_ENV, type ScanOutcome } from '../../server/src/scan/outcome';
import { defaultWorkerFile, listFolder, ScanPool, type PoolOptions } from '../../server/src/scan/pool';
import { isSupportedFile } from '../../server/src/scan/walk';
import { DIST_CLI, ensureBuilt, ROOT } from '../helpers/lsp-client';
import { write } from '../helpers/files';

const DIST_WORKER = path.join(ROOT, 'dist', 'scan-worker.js');
const EXAMPLES = path.join(ROOT, 'examples');
const PC = 'https://api.partnercenter.microsoft.com/v1';
const FLAGGED_TS = `const API = '${PC}';\nexport const list = (id: string) => fetch(\`\${API}/customers/\${id}/subscriptions\`);\n`;


/** Every supported file under `dir`, sorted. */
function supportedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && isSupportedFile(e.name)) out.push(path.join(e.parentPath ?? (e as { path?: string }).path ?? dir, e.name));
  }
  return out.sort();
}

/** A tree beside examples/: a BOM, a large file, a binary file, French messages, many findings in one file. */
function sideTree(dir: string): string[] {
  write(dir, 'bom.ts', '\uFEFF' + FLAGGED_TS);
  write(dir, 'large.ts', FLAGGED_TS + '// padding\n'.repeat(2000));
  write(dir, 'binary.ts', Buffer.from([0x63, 0x75, 0x73, 0x74, 0x6f, 0x6d, 0x65, 0x72, 0x73, 0, 1, 2, 3, 0, 0xff, 0xfe]));
  write(dir, 'many.ts', Array.from({ length: 40 }, (_, i) => `export const r${i} = (id: string) => fetch(\`${PC}/customers/\${id}/orders\`);`).join('\n'));
  write(dir, 'clean.py', 'customers = []\n');
  return supportedFiles(dir);
}

/** Runs files through a pool; returns the outcomes by file index and the pool's statistics. */
async function runPool(files: readonly { file: string; options: EngineOptions }[], options: Partial<PoolOptions> = {}, env: Record<string, string> = {}) {
  const outcomes: (ScanOutcome | undefined)[] = files.map(() => undefined);
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, env); // workers take a copy of the environment when they start
  let pool: ScanPool | undefined;
  try {
    pool = await ScanPool.start({ workers: 1, workerFile: DIST_WORKER, ...options }, (id, outcome) => {
      assert.strictEqual(outcomes[id], undefined, `one outcome per file (${files[id].file})`);
      outcomes[id] = outcome;
    });
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  assert.ok(pool, 'the pool starts from the built bundle');
  files.forEach((f, i) => pool.add(f.file, f.options, i));
  await pool.end();
  return { outcomes, stats: pool.stats };
}

async function inProcess(files: readonly { file: string; options: EngineOptions }[]): Promise<ScanOutcome[]> {
  const engines = new Map<EngineOptions, Engine>();
  const out: ScanOutcome[] = [];
  for (const { file, options } of files) {
    let engine = engines.get(options);
    if (!engine) engines.set(options, (engine = new Engine(options)));
    out.push(toOutcome(await analyzeFile(engine, file)));
  }
  return out;
}

describe('scan pool (worker threads from dist/scan-worker.js)', function () {
  this.timeout(120000);
  let dir: string;
  let files: { file: string; options: EngineOptions }[];
  let expected: ScanOutcome[];
  const defaults = new Engine().options;
  const french = new Engine({ locale: 'fr', rules: { 'pc-throttled-endpoint': 'error', 'pc-throttled-in-loop': 'off' }, maxFileSize: 4000 }).options;

  before(async () => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-pool-'));
    const paths = [...supportedFiles(EXAMPLES), ...sideTree(dir), path.join(dir, 'missing.ts')];
    assert.ok(paths.length >= 12, `${paths.length} files`);
    // Each file with both option sets, interleaved in runs (a batch has one set of options).
    files = [];
    for (let i = 0; i < paths.length; i++) for (const options of i % 3 === 0 ? [defaults, french] : [french, defaults]) files.push({ file: paths[i], options });
    expected = await inProcess(files);
    assert.ok(expected.some((o) => o.findings.length > 0), 'findings');
    assert.ok(expected.some((o) => o.skipped), 'skipped files');
    assert.ok(expected.some((o) => o.error), 'read errors');
    assert.ok(expected.some((o) => o.findings.some((f) => f.severity === 'error' && /est limitée/.test(f.message))), 'the French options apply');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('workers analyse exactly what the calling thread does, with each file its options', async () => {
    const { outcomes, stats } = await runPool(files, { workers: 2 });
    assert.deepStrictEqual(outcomes, expected);
    assert.deepStrictEqual(stats, { workers: 2, workerFiles: files.length, inProcessFiles: 0, crashes: 0 });
  });

  it('the calling thread helps once it has added every file (inProcess), and the outcomes are the same', async () => {
    const { outcomes, stats } = await runPool(files, { workers: 1, inProcess: true });
    assert.deepStrictEqual(outcomes, expected);
    assert.strictEqual(stats.workerFiles + stats.inProcessFiles, files.length);
  });

  for (const mode of ['throw', 'exit'] as const) {
    it(`a worker that fails (${mode}) loses no file: its unfinished batches are analysed in the calling thread`, async () => {
      // The failure hook makes the worker fail on the large file, in the middle of the list.
      const { outcomes, stats } = await runPool(files, { workers: 1 }, { [WORKER_FAIL_ENV]: `${mode}:${path.join(dir, 'large.ts')}` });
      assert.deepStrictEqual(outcomes, expected);
      assert.strictEqual(stats.crashes, 1);
      assert.ok(stats.inProcessFiles > 0, JSON.stringify(stats));
      assert.strictEqual(stats.workerFiles + stats.inProcessFiles, files.length);
    });
  }

  it('when every worker has failed, the calling thread analyses the rest', async () => {
    const { outcomes, stats } = await runPool(files, { workers: 2 }, { [WORKER_FAIL_ENV]: `throw:${path.sep}` });
    assert.deepStrictEqual(outcomes, expected);
    assert.deepStrictEqual(stats, { workers: 2, workerFiles: 0, inProcessFiles: files.length, crashes: 2 });
  });

  it('lists a folder in a worker as the walk does (.gitignore, exclusion globs, errors), and in this thread after a crash', async () => {
    write(dir, 'listed/.gitignore', 'ignored/\n');
    write(dir, 'listed/ignored/a.ts', FLAGGED_TS);
    write(dir, 'listed/src/b.ts', FLAGGED_TS);
    write(dir, 'listed/src/gen/c.ts', FLAGGED_TS);
    write(dir, 'listed/d.cs', '');
    const folder = path.join(dir, 'listed');
    const want = listFolder(folder, ['src/gen']);
    assert.deepStrictEqual(want.files, [path.join(folder, 'd.cs'), path.join(folder, 'src', 'b.ts')]);
    const pool = (await ScanPool.start({ workers: 1, workerFile: DIST_WORKER }, () => assert.fail('no files were added')))!;
    try {
      assert.deepStrictEqual(await pool.list(folder, ['src/gen']), want);
      assert.deepStrictEqual(await pool.list(path.join(dir, 'nowhere'), []), listFolder(path.join(dir, 'nowhere'), []));
    } finally {
      await pool.end();
    }
    // The worker exits on the first file; the listing is then done in this thread.
    const { stats } = await runPool([{ file: path.join(folder, 'd.cs'), options: defaults }], {}, { [WORKER_FAIL_ENV]: `exit:${path.sep}` });
    assert.strictEqual(stats.crashes, 1);
    const failing = (await ScanPool.start({ workers: 1, workerFile: DIST_WORKER }, () => undefined))!;
    await failing.end(); // its worker has stopped
    assert.deepStrictEqual(await failing.list(folder, ['src/gen']), want);
  });

  it('stops when cancelled: end() resolves and no outcome comes afterwards', async () => {
    const many = Array.from({ length: 300 }, (_, i) => write(dir, `cancel/f${i}.ts`, FLAGGED_TS));
    let delivered = 0;
    let cancelled = false;
    const pool: ScanPool = (await ScanPool.start({ workers: 1, workerFile: DIST_WORKER }, () => {
      assert.ok(!cancelled, 'an outcome after cancel()');
      if (++delivered === 10) {
        cancelled = true;
        pool.cancel();
      }
    }))!;
    many.forEach((f, i) => pool.add(f, defaults, i));
    await pool.end();
    assert.strictEqual(delivered, 10);
    assert.deepStrictEqual(await pool.list(dir, []), { files: [], errors: [] });
  });

  it('is not used without the worker bundle (running from sources): the caller analyses in its own thread', async () => {
    assert.strictEqual(defaultWorkerFile(), undefined, 'no scan-worker.js next to server/src/scan');
    assert.strictEqual(await ScanPool.start({ workers: 2 }, () => undefined), undefined);
    assert.strictEqual(await ScanPool.start({ workers: 2, workerFile: path.join(dir, 'no-such-worker.js') }, () => undefined), undefined);
  });

  it('outcomes keep what reports read of a finding: the CLI report and the diagnostics are the same as from the full finding', async () => {
    const engine = new Engine();
    for (const file of supportedFiles(EXAMPLES)) {
      const full = await analyzeFile(engine, file);
      const slim = toOutcome(full);
      assert.strictEqual(slim.findings.length, full.result.findings.length);
      full.result.findings.forEach((f, i) => {
        assert.deepStrictEqual(toReportFinding(ROOT, file, slim.findings[i] as Finding), toReportFinding(ROOT, file, f));
        assert.deepStrictEqual(toDiagnostic(slim.findings[i] as Finding), toDiagnostic(f));
      });
    }
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = cp.spawnSync(process.execPath, [DIST_CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Files to analyse in the --jobs tree: four times what it takes for threads to start. */
const FILLER = 4 * MIN_ANALYSES_FOR_WORKERS;

describe('pc-advisor scan --jobs: the same report as one thread', function () {
  this.timeout(180000);
  let dir: string;

  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-jobs-'));
    // examples/ a few times over, enough other files to analyse for threads (all with Partner Center words, one in
    // ten with a finding), and a few files of every kind of outcome.
    for (let i = 0; i < 10; i++) fs.cpSync(EXAMPLES, path.join(dir, 'tree', `copy${i}`), { recursive: true });
    for (let i = 0; i < FILLER; i++) {
      write(dir, `tree/filler/d${Math.floor(i / 100)}/f${i}.ts`, i % 10 === 0 ? FLAGGED_TS : `export const customers${i} = [];\n`);
    }
    sideTree(path.join(dir, 'tree', 'side'));
    write(dir, 'tree/.gitignore', 'ignored/\n');
    write(dir, 'tree/ignored/x.ts', FLAGGED_TS);
    write(dir, 'notes.txt', 'customers');
    write(dir, 'other/app.ts', FLAGGED_TS);
    if (process.platform !== 'win32' && process.getuid?.() !== 0) fs.chmodSync(write(dir, 'tree/side/locked.ts', FLAGGED_TS), 0);
  });
  after(() => {
    if (fs.existsSync(path.join(dir, 'tree/side/locked.ts'))) fs.chmodSync(path.join(dir, 'tree/side/locked.ts'), 0o644);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ARGS = ['scan', 'missing-a', 'tree', 'notes.txt', 'missing-b', 'other', '--max-file-size', '0.01'];

  for (const format of ['json', 'sarif', 'text'] as const) {
    it(`--format ${format}: stdout, stderr and exit code of --jobs 2 and 3 are those of --jobs 1`, () => {
      const args = [...ARGS, '--format', format, ...(format === 'text' ? ['--verbose'] : [])];
      const one = cli([...args, '--jobs', '1'], dir);
      assert.strictEqual(one.code, 1, one.stderr);
      assert.match(one.stderr, /cannot read missing-a: no such file or directory\n.*cannot read missing-b/s);
      if (format === 'json') {
        const items = JSON.parse(one.stdout) as { file: string; rule?: string; skipped?: string }[];
        assert.ok(items.filter((i) => i.rule).length > FILLER / 10, 'findings');
        assert.ok(items.some((i) => i.skipped && i.file === 'tree/side/large.ts') && items.some((i) => i.file === 'notes.txt'), 'skipped files');
      }
      for (const jobs of ['2', '3']) assert.deepStrictEqual(cli([...args, '--jobs', jobs], dir), one, `--jobs ${jobs}`);
      // Default --jobs too.
      assert.deepStrictEqual(cli(args, dir), one, 'default --jobs');
    });
  }

  it('--output: the same file and the same message', () => {
    const run = (jobs: string) => {
      const out = path.join(dir, `report-${jobs}.sarif`);
      const r = cli([...ARGS, '--format', 'sarif', '--output', out, '--jobs', jobs], dir);
      const text = fs.readFileSync(out, 'utf8');
      fs.rmSync(out);
      return { ...r, stderr: r.stderr.replace(out, 'OUT'), text };
    };
    const one = run('1');
    assert.strictEqual(one.stdout, '');
    assert.match(one.stderr, /findings? in \d+ files scanned; report written to OUT\n$/);
    assert.deepStrictEqual(run('2'), one);
  });

  it('a worker that fails changes nothing: its files are analysed by the main thread, with no message', () => {
    const args = [...ARGS, '--format', 'json'];
    const one = cli([...args, '--jobs', '1'], dir);
    for (const mode of ['throw', 'exit']) {
      // Every file makes the worker fail: whichever it gets first.
      assert.deepStrictEqual(cli([...args, '--jobs', '2'], dir, { [WORKER_FAIL_ENV]: `${mode}:${path.sep}` }), one, mode);
    }
  });
});
