/**
 * Smoke test of the benchmark: `npm run bench -- --quick` runs end to end and its JSON holds every metric.
 * The times themselves are goals for the benchmark, never assertions of the test suite.
 */
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

describe('benchmark (--quick smoke run)', function () {
  this.timeout(300_000);

  it('produces the JSON with every metric', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-bench-'));
    const out = path.join(dir, 'latest.json');
    try {
      const r = cp.spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'run.ts'), '--quick', '--files', '120', '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.strictEqual(r.status, 0, `bench failed:\n${r.stderr}`);
      const j = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.strictEqual(j.keystroke.length, 8, 'one keystroke row per language');
      for (const k of j.keystroke) {
        for (const key of ['openMs', 'urlMedianMs', 'urlP95Ms', 'codeMedianMs', 'codeP95Ms']) assert.strictEqual(typeof k[key], 'number', `${k.language}.${key}`);
        assert.ok(k.lines >= 5000, `${k.language}: a 5,000-line file`);
      }
      assert.strictEqual(typeof j.open.worstMs, 'number');
      assert.strictEqual(typeof j.scan.ms, 'number');
      assert.ok(j.scan.planted > 0 && j.scan.found <= j.scan.planted, 'planted calls counted');
      assert.ok('rgMs' in j.scan && 'ratio' in j.scan);
      assert.strictEqual(typeof j.scan.warm.ms, 'number', 'the scan with a warm cache');
      assert.strictEqual(typeof j.scan.oneThreadMs, 'number', 'the scan in one thread');
      for (const key of ['readMs', 'nodeMs', 'parseMs', 'files', 'candidates', 'parsed', 'parsedMb']) assert.strictEqual(typeof j.scan.floor[key], 'number', `scan.floor.${key}`);
      assert.ok(j.scan.floor.parsed > 0 && j.scan.floor.parsed <= j.scan.floor.candidates && j.scan.floor.candidates < j.scan.floor.files, 'the floor parses the files with Partner Center words only');
      assert.strictEqual(typeof j.peer.oursMs, 'number');
      assert.ok('eslintMs' in j.peer && 'speedup' in j.peer);
      assert.strictEqual(typeof j.peer.warm.oursMs, 'number', 'the peer with warm caches');
      assert.ok('eslintMs' in j.peer.warm && 'speedup' in j.peer.warm);
      assert.strictEqual(typeof j.peer.floor.ms, 'number', 'the peer floor');
      assert.strictEqual(typeof j.memory.rssMb, 'number');
      assert.strictEqual(typeof j.start.ms, 'number');
      for (const m of ['keystroke', 'open', 'scan', 'peer', 'memory', 'start']) assert.ok(m in j.met, `met.${m}`);
      // The table printed for the README.
      assert.match(r.stdout, /\| Workspace scan \|/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
