/**
 * server/src/scan in process: the walk (order, skipped folders, .gitignore layers up to the repository
 * root, explicit paths), exclusion globs, and batch analysis (bounded reads, BOM, cancellation).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Engine } from '../../server/src/engine/engine';
import { analyzeFile, scanFiles } from '../../server/src/scan/batch';
import { compileExcludes } from '../../server/src/scan/exclude';
import { isSupportedFile, walk, type WalkEntry } from '../../server/src/scan/walk';
import { write } from '../helpers/files';

const FLAGGED = "const API = 'https://api.partnercenter.microsoft.com/v1';\nexport const list = (id: string) => fetch(`${API}/customers/${id}/subscriptions`);\n";


/** The walk's entries, as `kind path` relative to `root` ('/'-separated). */
function entries(root: string, paths: string[], options?: Parameters<typeof walk>[1]): string[] {
  const rel = (p: string) => path.relative(root, path.resolve(root, p)).split(path.sep).join('/');
  return [...walk(paths.map((p) => path.resolve(root, p)), options)].map((e: WalkEntry) => `${e.kind} ${rel(e.path)}`);
}

describe('scan: walk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-walk-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('yields supported files in a stable order, files of a folder before its subfolders', () => {
    for (const f of ['b.ts', 'a.py', 'z/c.cs', 'm/d.http', 'm/e.REST', 'readme.md', 'data.json', 'm/n/f.go']) write(dir, f);
    assert.deepStrictEqual(entries(dir, ['.']), ['file a.py', 'file b.ts', 'file m/d.http', 'file m/e.REST', 'file m/n/f.go', 'file z/c.cs']);
  });

  it('skips the build, dependency and tool folders, unless named explicitly', () => {
    for (const d of ['node_modules', '.git', 'bin', 'obj', 'dist', 'build', 'out', 'target', 'vendor', '.venv', 'venv', '__pycache__']) write(dir, `${d}/x.ts`);
    write(dir, 'src/app.ts');
    write(dir, 'src/node_modules/y.ts');
    assert.deepStrictEqual(entries(dir, ['.']), ['file src/app.ts']);
    assert.deepStrictEqual(entries(dir, ['dist', 'vendor/x.ts']), ['file dist/x.ts', 'file vendor/x.ts']);
  });

  it('applies .gitignore files: nested ones, negations, folder patterns', () => {
    write(dir, '.gitignore', '*.gen.ts\nlogs/\n/rooted.ts\n');
    write(dir, 'a.gen.ts');
    write(dir, 'rooted.ts');
    write(dir, 'sub/rooted.ts');
    write(dir, 'logs/x.ts');
    write(dir, 'sub/.gitignore', '!keep.gen.ts\n');
    write(dir, 'sub/keep.gen.ts');
    write(dir, 'sub/drop.gen.ts');
    assert.deepStrictEqual(entries(dir, ['.']), ['file sub/keep.gen.ts', 'file sub/rooted.ts']);
    assert.deepStrictEqual(entries(dir, ['.'], { gitignore: false }).length, 6);
  });

  it('applies the .gitignore files above the scanned folder, up to the repository root only', () => {
    write(dir, '.gitignore', 'generated/\n');
    write(dir, 'repo/.git/HEAD', 'ref: refs/heads/main\n');
    write(dir, 'repo/.gitignore', '*.tmp.ts\n/pkg/local/\n');
    write(dir, 'repo/.git/info/exclude', 'private.ts\n');
    write(dir, 'repo/pkg/a.ts');
    write(dir, 'repo/pkg/b.tmp.ts');
    write(dir, 'repo/pkg/local/c.ts');
    write(dir, 'repo/pkg/private.ts');
    write(dir, 'repo/pkg/generated/d.ts'); // ignored only by a file outside the repository: scanned
    assert.deepStrictEqual(entries(dir, ['repo/pkg']), ['file repo/pkg/a.ts', 'file repo/pkg/generated/d.ts']);    // At the repository root itself, .git/info/exclude still applies.
    assert.deepStrictEqual(entries(dir, ['repo']), ['file repo/pkg/a.ts', 'file repo/pkg/generated/d.ts']);
  });

  it('reports missing paths and explicit unsupported files, and goes on', () => {
    write(dir, 'notes.txt');
    write(dir, 'a.ts');
    const got = [...walk([path.join(dir, 'missing'), path.join(dir, 'notes.txt'), path.join(dir, 'a.ts')])];
    assert.deepStrictEqual(got.map((e) => e.kind), ['error', 'skipped', 'file']);
    assert.strictEqual((got[0] as { message: string }).message, 'no such file or directory');
    assert.strictEqual((got[1] as { reason: string }).reason, 'unsupported file type (.txt)');
  });

  it('excludes with globs relative to the given base', () => {
    write(dir, 'src/a.ts');
    write(dir, 'src/gen/b.ts');
    write(dir, 'test/c.spec.ts');
    const exclude = compileExcludes(['src/gen', '*.spec.ts']);
    assert.deepStrictEqual(entries(dir, ['src', 'test'], { exclude, excludeBase: dir }), ['file src/a.ts']);
    // They apply to files named explicitly too.
    assert.deepStrictEqual(entries(dir, ['src/a.ts', 'test/c.spec.ts'], { exclude, excludeBase: dir }), ['file src/a.ts']);
    // Relative to the scanned folder when no base is given.
    assert.deepStrictEqual(entries(dir, ['src'], { exclude: compileExcludes(['gen/**']) }), ['file src/a.ts']);
  });

  it('knows the supported extensions, case-insensitively', () => {
    for (const f of ['a.ts', 'a.TSX', 'a.mjs', 'a.cs', 'a.ps1', 'a.psm1', 'a.py', 'a.java', 'a.go', 'a.http', 'a.rest']) assert.ok(isSupportedFile(f), f);
    for (const f of ['a.md', 'ts', '.ts', 'a.json', 'a.d']) assert.ok(!isSupportedFile(f), f);
  });
});

describe('scan: exclusion globs', () => {
  it('match names anywhere without a slash, paths (and their folders) with one', () => {
    const m = compileExcludes(['*.min.js', 'generated', 'src/legacy', 'docs/', 'tools/**/*.ts']);
    const yes = ['a.min.js', 'x/y/a.min.js', 'generated/a.ts', 'x/generated/a.ts', 'src/legacy/a.ts', 'src/legacy', 'docs/a.ts', 'x/docs/a.ts', 'tools/a/b.ts'];
    const no = ['a.js', 'src/legacyx/a.ts', 'x/src/legacy/a.ts', 'generatedx/a.ts', 'tools/a/b.js'];
    for (const p of yes) assert.ok(m(p), `${p} should be excluded`);
    for (const p of no) assert.ok(!m(p), `${p} should not be excluded`);
    assert.ok(!compileExcludes([])('anything'));
  });
});

describe('scan: batch analysis', () => {
  let dir: string;
  const engine = new Engine();
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-batch-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('analyses a file; positions ignore a byte order mark', async () => {
    const plain = await analyzeFile(engine, write(dir, 'a.ts', FLAGGED));
    const bom = await analyzeFile(engine, write(dir, 'b.ts', '\uFEFF' + FLAGGED));
    assert.strictEqual(plain.result.findings.length, 1);
    assert.deepStrictEqual(bom.result.findings.map((f) => f.range), plain.result.findings.map((f) => f.range));
  });

  it('skips a file over the size limit without analysing it, with the reason', async () => {
    const small = new Engine({ maxFileSize: 100 });
    const a = await analyzeFile(small, write(dir, 'big.ts', FLAGGED));
    assert.deepStrictEqual(a.result.findings, []);
    assert.match(a.result.skipped ?? '', /larger than/);
  });

  it('returns read errors instead of throwing', async () => {
    const a = await analyzeFile(engine, path.join(dir, 'gone.ts'));
    assert.strictEqual(a.error, 'no such file or directory');
  });

  it('stops when cancelled', async () => {
    const files = Array.from({ length: 20 }, (_, i) => write(dir, `f${i}.ts`, FLAGGED));
    let cancelled = false;
    const seen: string[] = [];
    for await (const a of scanFiles(engine, files, { token: { get isCancellationRequested() { return cancelled; } } })) {
      seen.push(a.path);
      if (seen.length === 5) cancelled = true;
    }
    assert.strictEqual(seen.length, 5);
    const all: number[] = [];
    for await (const a of scanFiles(engine, files, { yieldEveryMs: 0 })) all.push(a.result.findings.length);
    assert.deepStrictEqual(all, files.map(() => 1));
  });
});
