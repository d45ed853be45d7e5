/**
 * The scan cache (`pc-advisor scan --cache FILE`, server/src/scan/cache.ts): a scan with it reports exactly what a
 * scan without it does, cold and warm, in one thread and with worker threads; a warm scan takes its results from
 * the cache and analyses only the files that changed; another build or other options start a new cache; entries
 * of deleted files go away and a scan that changes nothing writes nothing; a file that is not a cache is never
 * overwritten; results that ran out of time or failed are never kept.
 */
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MIN_ANALYSES_FOR_WORKERS } from '../../server/src/cli/scan';
import { DEFAULT_OPTIONS } from '../../server/src/engine/types';
import { cacheKey, ScanCache, BUILD_ID_FILE, CacheError } from '../../server/src/scan/cache';
import type { ScanOutcome } from '../../server/src/scan/outcome';
import { DIST_CLI, ensureBuilt, ROOT } from '../helpers/lsp-client';
import { write } from '../helpers/files';

const EXAMPLES = path.join(ROOT, 'examples');
const PC = 'https://api.partnercenter.microsoft.com/v1';
const FLAGGED_TS = `const API = '${PC}';\nexport const list = (id: string) => fetch(\`\${API}/customers/\${id}/subscriptions\`);\n`;
const ORDERS_TS = `export const orders = (id: string) => fetch(\`${PC}/customers/\${id}/orders\`);\n`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, cliFile = DIST_CLI): Run {
  const r = cp.spawnSync(process.execPath, [cliFile, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The numbers of the --verbose cache line: files from the cache, analysed, kept. */
function cacheStats(stderr: string): { hits: number; analysed: number; kept: number } {
  const m = /cache .*: (\d+) files? from the cache, (\d+) analysed \((\d+) kept\)/.exec(stderr);
  assert.ok(m, `a cache line on stderr:\n${stderr}`);
  return { hits: Number(m[1]), analysed: Number(m[2]), kept: Number(m[3]) };
}

function entriesOf(cacheFile: string): Record<string, { findings: { message: string }[]; skipped?: string }> {
  return (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { entries: Record<string, { findings: { message: string }[] }> }).entries;
}

/** examples/, and files of every kind of outcome: BOM, over the size limit, binary, many findings, clean. */
function tree(dir: string): void {
  fs.cpSync(EXAMPLES, path.join(dir, 'tree', 'examples'), { recursive: true });
  write(dir, 'tree/side/bom.ts', '\uFEFF' + FLAGGED_TS);
  write(dir, 'tree/side/large.ts', FLAGGED_TS + '// padding\n'.repeat(2000));
  write(dir, 'tree/side/binary.ts', Buffer.from([0x63, 0x75, 0x73, 0x74, 0x6f, 0x6d, 0x65, 0x72, 0x73, 0, 1, 2, 3, 0, 0xff, 0xfe]));
  write(dir, 'tree/side/many.ts', Array.from({ length: 40 }, (_, i) => `export const r${i} = (id: string) => fetch(\`${PC}/customers/\${id}/orders\`);`).join('\n'));
  write(dir, 'tree/side/clean.py', 'customers = []\n');
  write(dir, 'tree/side/same-a.ts', ORDERS_TS);
  write(dir, 'tree/side/same-b.ts', ORDERS_TS);
  write(dir, 'tree/side/same-b.tsx', ORDERS_TS);
  write(dir, 'tree/side/plain.ts', 'export const x = 1;\n');
}

describe('pc-advisor scan --cache', function () {
  this.timeout(120000);
  let dir: string;
  const ARGS = ['scan', 'tree', 'missing', '--max-file-size', '0.01'];

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-cache-'));
    tree(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const format of ['json', 'sarif', 'text'] as const) {
    it(`--format ${format}: cold and warm scans report what a scan without the cache does`, () => {
      const args = [...ARGS, '--format', format];
      const plain = cli(args, dir);
      assert.strictEqual(plain.code, 1, plain.stderr);
      assert.match(plain.stderr, /cannot read missing/);
      const cold = cli([...args, '--cache', 'scan.cache'], dir);
      assert.ok(fs.existsSync(path.join(dir, 'scan.cache')), 'the cache is written');
      const warm = cli([...args, '--cache', 'scan.cache'], dir);
      assert.deepStrictEqual(cold, plain, 'cold');
      assert.deepStrictEqual(warm, plain, 'warm');
    });
  }

  it('a warm scan takes its results from the cache and analyses only the files that changed', () => {
    const args = [...ARGS, '--format', 'json', '--cache', 'scan.cache', '--verbose'];
    const cold = cli(args, dir);
    const first = cacheStats(cold.stderr);
    // Every file with Partner Center words: examples/, bom, many, clean, binary, same-a, same-b (.ts and .tsx).
    const files = first.hits + first.analysed;
    assert.ok(files >= 10, JSON.stringify(first));
    // Entries are what the files' analyses gave: change a message in the cache, and the warm scan reports it.
    const file = path.join(dir, 'scan.cache');
    const saved = fs.readFileSync(file, 'utf8');
    const doc = JSON.parse(saved);
    const entry = Object.values(doc.entries as Record<string, { findings: { message: string }[] }>).find((e) => e.findings.length > 0)!;
    entry.findings[0].message = 'FROM THE CACHE';
    fs.writeFileSync(file, JSON.stringify(doc));
    const warm = cli(args, dir);
    assert.deepStrictEqual(cacheStats(warm.stderr), { hits: files, analysed: 0, kept: 0 });
    assert.strictEqual((JSON.parse(warm.stdout) as { message?: string }[]).filter((f) => f.message === 'FROM THE CACHE').length, 1);

    // One file changes: it alone is analysed, and the report is a fresh scan's.
    fs.writeFileSync(file, saved);
    fs.appendFileSync(path.join(dir, 'tree/side/bom.ts'), ORDERS_TS);
    const edited = cli(args, dir);
    assert.deepStrictEqual(cacheStats(edited.stderr), { hits: files - 1, analysed: 1, kept: 1 });
    assert.strictEqual(edited.stdout, cli([...ARGS, '--format', 'json'], dir).stdout);
    assert.ok((JSON.parse(edited.stdout) as { file: string; operation?: string }[]).some((f) => f.file.endsWith('bom.ts') && f.operation === 'list-customer-orders'), 'the new call is found');
  });

  it('other options start a new cache; so does another build', () => {
    const base = [...ARGS, '--format', 'json'];
    cli([...base, '--cache', 'scan.cache'], dir);
    for (const extra of [['--locale', 'fr'], ['--rule', 'pc-throttled-endpoint=error'], ['--extra-host', 'pc-proxy.contoso.example'], ['--retry-helper', 'withRetry'], ['--max-file-size', '1']]) {
      const r = cli([...base, ...extra, '--cache', 'other.cache', '--verbose'], dir);
      const again = cli([...base, ...extra, '--cache', 'scan.cache', '--verbose'], dir);
      assert.strictEqual(cacheStats(again.stderr).hits, cacheStats(r.stderr).hits, `${extra.join(' ')}: nothing reused from the other options' cache`);
      assert.strictEqual(again.stdout, cli([...base, ...extra], dir).stdout, extra.join(' '));
      fs.rmSync(path.join(dir, 'other.cache'));
      cli([...base, '--cache', 'scan.cache'], dir); // back to the default options
    }
    // Another build: a copy of dist/ with another build id reuses nothing.
    const dist = path.join(dir, 'dist');
    fs.cpSync(path.dirname(DIST_CLI), dist, { recursive: true });
    const same = cli([...base, '--cache', 'scan.cache', '--verbose'], dir, path.join(dist, 'cli.js'));
    assert.ok(cacheStats(same.stderr).hits > 1, 'a copy of the same build reuses the cache');
    fs.writeFileSync(path.join(dist, BUILD_ID_FILE), 'another-build-0123456789\n');
    const other = cli([...base, '--cache', 'scan.cache', '--verbose'], dir, path.join(dist, 'cli.js'));
    const fresh = cli([...base, '--cache', 'fresh.cache', '--verbose'], dir, path.join(dist, 'cli.js'));
    assert.deepStrictEqual(cacheStats(other.stderr), cacheStats(fresh.stderr), 'another build: nothing reused');
    assert.strictEqual(other.stdout, same.stdout);
    // Without a build id, the scan says so and goes without the cache.
    fs.rmSync(path.join(dist, BUILD_ID_FILE));
    const none = cli([...base, '--cache', 'scan.cache'], dir, path.join(dist, 'cli.js'));
    assert.match(none.stderr, /--cache needs a built pc-advisor/);
    assert.strictEqual(none.stdout, same.stdout);
  });

  it('entries of deleted files go away; a scan that changes nothing writes nothing', () => {
    const args = [...ARGS, '--format', 'json', '--cache', 'scan.cache'];
    const file = path.join(dir, 'scan.cache');
    cli(args, dir);
    const before = Object.keys(entriesOf(file)).length;
    fs.rmSync(path.join(dir, 'tree/side/many.ts'));
    cli(args, dir);
    assert.strictEqual(Object.keys(entriesOf(file)).length, before - 1);
    const st = fs.statSync(file);
    const text = fs.readFileSync(file, 'utf8');
    cli(args, dir);
    assert.strictEqual(fs.statSync(file).mtimeMs, st.mtimeMs, 'not rewritten');
    assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['scan.cache', 'tree'], 'no temporary file left');
  });

  it('a file that is not a cache is never overwritten; unusable paths are usage errors', () => {
    const source = path.join(dir, 'tree/side/many.ts');
    const text = fs.readFileSync(source, 'utf8');
    const r = cli([...ARGS, '--cache', 'tree/side/many.ts'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /--cache: .*many\.ts exists and is not a pc-advisor scan cache; it was left as it is/);
    assert.strictEqual(r.stdout, '', 'nothing scanned');
    assert.strictEqual(fs.readFileSync(source, 'utf8'), text);
    for (const [args, message] of [
      [['--cache', 'tree'], /--cache .*tree: is a folder/],
      [['--cache', 'nowhere/scan.cache'], /--cache .*scan\.cache: folder .*nowhere does not exist/],
      [['--cache', 'report.json', '--output', 'report.json'], /--cache report\.json: the same file as --output/],
    ] as const) {
      const u = cli([...ARGS, ...args], dir);
      assert.strictEqual(u.code, 2, args.join(' '));
      assert.match(u.stderr, message);
    }
    assert.deepStrictEqual(fs.readdirSync(dir), ['tree'], 'nothing written');
  });

  it('a damaged cache is replaced, with a note', () => {
    const file = path.join(dir, 'scan.cache');
    fs.writeFileSync(file, '{"format":"pc-advisor scan cache","version":1,"key":"x","entries":{"a":');
    const r = cli([...ARGS, '--format', 'json', '--cache', 'scan.cache'], dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /the cache .*scan\.cache is damaged \(not complete JSON\); starting a new one/);
    assert.strictEqual(r.stdout, cli([...ARGS, '--format', 'json'], dir).stdout);
    assert.ok(Object.keys(entriesOf(file)).length > 5, 'a new cache');
  });

  it('with worker threads: the same report, cold and warm, as one thread without the cache', function () {
    for (let i = 0; i < MIN_ANALYSES_FOR_WORKERS + 50; i++) write(dir, `tree/filler/d${Math.floor(i / 100)}/f${i}.ts`, i % 2 === 0 ? FLAGGED_TS.replace('list', `list${i}`) : `export const customers${i} = [];\n`);
    const base = [...ARGS, '--format', 'sarif'];
    const one = cli([...base, '--jobs', '1'], dir);
    const cold = cli([...base, '--jobs', '2', '--cache', 'scan.cache', '--verbose'], dir);
    const stats = cacheStats(cold.stderr);
    assert.ok(stats.analysed > MIN_ANALYSES_FOR_WORKERS, JSON.stringify(stats));
    const warm = cli([...base, '--jobs', '2', '--cache', 'scan.cache', '--verbose'], dir);
    assert.strictEqual(cacheStats(warm.stderr).analysed, 0);
    for (const r of [cold, warm]) {
      assert.strictEqual(r.stdout, one.stdout);
      assert.strictEqual(r.code, one.code);
    }
  });
});

describe('ScanCache', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-cache-unit-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const finding = { rule: 'pc-throttled-endpoint', operation: 'list-customer-orders', severity: 'warning', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } }, message: 'm', docUrl: 'https://learn.microsoft.com/x' } as ScanOutcome['findings'][number];

  it('keeps complete analyses only: not those out of time, failed, or without a content key', () => {
    const file = path.join(dir, 'c');
    const key = cacheKey('build-1234', DEFAULT_OPTIONS);
    const { cache } = ScanCache.open(file, key);
    cache.put({ path: '/a.ts', findings: [finding], contentKey: 'ok' });
    cache.put({ path: '/b.ts', findings: [], skipped: 'binary', contentKey: 'skipped' });
    cache.put({ path: '/c.ts', findings: [], skipped: 'partial', outOfTime: true, contentKey: 'late' });
    cache.put({ path: '/d.ts', findings: [], error: 'analysis failed: x', contentKey: 'failed' });
    cache.put({ path: '/e.ts', findings: [finding] });
    assert.deepStrictEqual(cache.stats, { hits: 0, analysed: 4, stored: 2 });
    assert.strictEqual(cache.save(), undefined);
    const again = ScanCache.open(file, key).cache;
    assert.deepStrictEqual(again.get('ok'), { findings: [finding] });
    assert.deepStrictEqual(again.get('skipped'), { findings: [], skipped: 'binary' });
    for (const k of ['late', 'failed', 'nothing']) assert.strictEqual(again.get(k), undefined, k);
    // Another key (build or options): nothing.
    assert.strictEqual(ScanCache.open(file, cacheKey('build-5678', DEFAULT_OPTIONS)).cache.get('ok'), undefined);
    assert.strictEqual(ScanCache.open(file, cacheKey('build-1234', { ...DEFAULT_OPTIONS, locale: 'fr' })).cache.get('ok'), undefined);
  });

  it('a damaged entry (a field missing or of the wrong type, an unknown rule or severity) is a miss, not a crash', () => {
    const file = path.join(dir, 'c');
    const key = cacheKey('build-1234', DEFAULT_OPTIONS);
    const { cache } = ScanCache.open(file, key);
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) cache.put({ path: `/${k}.ts`, findings: [finding], contentKey: k });
    cache.save();
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    doc.entries.a = null;
    doc.entries.b = { findings: 'x' };
    doc.entries.c.findings[0].range = { start: { line: 'one' } };
    delete doc.entries.d.findings[0].message;
    doc.entries.e.findings[0].severity = 'loud';
    doc.entries.f.findings[0].rule = 'pc-nope';
    fs.writeFileSync(file, JSON.stringify(doc));
    const again = ScanCache.open(file, key).cache;
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) assert.strictEqual(again.get(k), undefined, k);
    assert.ok(again.get('g'));
  });

  it('refuses a file that is not a cache, an empty one too, and leaves it as it is', () => {
    for (const [name, text] of [['notes.json', '{"entries": {}}'], ['__init__.py', '']]) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      assert.throws(() => ScanCache.open(file, 'k'), (e: unknown) => e instanceof CacheError && /is not a pc-advisor scan cache/.test(e.message), name);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), text);
    }
  });

  it('through a symbolic link, the file it leads to is the cache; a link to nothing is refused', function () {
    const target = path.join(dir, 'real.cache');
    const link = path.join(dir, 'link.cache');
    try {
      fs.symlinkSync(target, link);
    } catch {
      this.skip(); // no symbolic links here
    }
    assert.throws(() => ScanCache.open(link, 'k'), (e: unknown) => e instanceof CacheError && /symbolic link to a file that does not exist/.test(e.message));
    fs.writeFileSync(target, JSON.stringify({ format: 'pc-advisor scan cache', version: 1, key: 'other', entries: {} }));
    const { cache } = ScanCache.open(link, 'k');
    cache.put({ path: '/a.ts', findings: [finding], contentKey: 'a' });
    assert.strictEqual(cache.save(), undefined);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link stays a link');
    assert.ok(ScanCache.open(target, 'k').cache.get('a'), 'the target holds the entries');
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ['link.cache', 'real.cache']);
  });

  it('a temporary file is always a new file: whatever is at a likely name is left alone', () => {
    const file = path.join(dir, 'c');
    // What an attacker or another job could have put where a name made of the process id would be.
    const decoy = path.join(dir, `.c.${process.pid}.tmp`);
    fs.writeFileSync(decoy, 'keep me');
    const { cache } = ScanCache.open(file, 'k');
    cache.put({ path: '/a.ts', findings: [finding], contentKey: 'a' });
    assert.strictEqual(cache.save(), undefined);
    assert.strictEqual(fs.readFileSync(decoy, 'utf8'), 'keep me');
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), [`.c.${process.pid}.tmp`, 'c']);
  });

  it('refuses a path that is not a regular file (a named pipe is not read)', function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'pipe');
    if (cp.spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    assert.throws(() => ScanCache.open(fifo, 'k'), (e: unknown) => e instanceof CacheError && /is not a regular file/.test(e.message));
  });
});
