/**
 * `pc-advisor` (the bundled dist/cli.js) on temporary folders with the TypeScript and .http fixtures copied
 * in: the three formats, exit codes, --fail-on, what the walk skips, unreadable paths, usage errors and
 * --output writing exactly one file.
 */
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAnnotations } from '../helpers/annotations';
import { DIST_CLI, ensureBuilt, ROOT } from '../helpers/lsp-client';
import { write } from '../helpers/files';

const FIXTURES = path.join(ROOT, 'test', 'fixtures');
/** The options the fixture harness analyses with (fixtures exercise these settings). */
const FIXTURE_FLAGS = ['--extra-host', 'pc-proxy.contoso.example', '--retry-helper', 'callWithCompanyRetry'];

/**
 * The key parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json), checked by hand (no network): required
 * properties, types, enums and minimums, plus the cross-references a consumer follows (ruleIndex, uriBaseId).
 * Returns the problems found, as JSON paths.
 */
export function validateSarif(doc: unknown): string[] {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const need = (cond: boolean, where: string, what: string) => {
    if (!cond) errors.push(`${where}: ${what}`);
  };
  const str = (v: unknown, where: string) => need(typeof v === 'string' && v.length > 0, where, 'a non-empty string');
  const int = (v: unknown, where: string, min: number) => need(Number.isInteger(v) && (v as number) >= min, where, `an integer >= ${min}`);
  const absUri = (v: unknown, where: string) => need(typeof v === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(v), where, 'an absolute URI');
  const message = (v: unknown, where: string) => {
    need(isObj(v), where, 'a message object');
    if (isObj(v)) need(typeof v.text === 'string' || typeof v.id === 'string', where, 'text or id');
  };
  const multiformat = (v: unknown, where: string) => {
    need(isObj(v) && typeof v.text === 'string', where, 'a multiformatMessageString with text');
  };
  const LEVELS = ['none', 'note', 'warning', 'error'];

  if (!isObj(doc)) return ['$: not an object'];
  need(doc.version === '2.1.0', '$.version', '"2.1.0"');
  absUri(doc.$schema, '$.$schema');
  need(Array.isArray(doc.runs), '$.runs', 'an array');
  (Array.isArray(doc.runs) ? doc.runs : []).forEach((run: unknown, ri: number) => {
    const at = `$.runs[${ri}]`;
    if (!isObj(run)) return need(false, at, 'an object');
    const driver = isObj(run.tool) ? run.tool.driver : undefined;
    need(isObj(driver), `${at}.tool.driver`, 'an object');
    if (!isObj(driver)) return;
    str(driver.name, `${at}.tool.driver.name`);
    if (driver.version !== undefined) str(driver.version, `${at}.tool.driver.version`);
    if (driver.informationUri !== undefined) absUri(driver.informationUri, `${at}.tool.driver.informationUri`);
    const rules = Array.isArray(driver.rules) ? (driver.rules as unknown[]) : [];
    const ids = new Set<string>();
    rules.forEach((rule, i) => {
      const w = `${at}.tool.driver.rules[${i}]`;
      if (!isObj(rule)) return need(false, w, 'an object');
      str(rule.id, `${w}.id`);
      need(!ids.has(rule.id as string), `${w}.id`, 'unique');
      ids.add(rule.id as string);
      if (rule.name !== undefined) str(rule.name, `${w}.name`);
      if (rule.shortDescription !== undefined) multiformat(rule.shortDescription, `${w}.shortDescription`);
      if (rule.fullDescription !== undefined) multiformat(rule.fullDescription, `${w}.fullDescription`);
      if (rule.help !== undefined) multiformat(rule.help, `${w}.help`);
      if (rule.helpUri !== undefined) absUri(rule.helpUri, `${w}.helpUri`);
      const level = isObj(rule.defaultConfiguration) ? rule.defaultConfiguration.level : undefined;
      if (level !== undefined) need(LEVELS.includes(level as string), `${w}.defaultConfiguration.level`, LEVELS.join('|'));
    });
    if (run.columnKind !== undefined) need(['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind as string), `${at}.columnKind`, 'utf16CodeUnits|unicodeCodePoints');
    const bases = isObj(run.originalUriBaseIds) ? run.originalUriBaseIds : {};
    for (const [id, loc] of Object.entries(bases)) {
      const uri = isObj(loc) ? loc.uri : undefined;
      absUri(uri, `${at}.originalUriBaseIds.${id}.uri`);
      need(typeof uri === 'string' && uri.endsWith('/'), `${at}.originalUriBaseIds.${id}.uri`, 'ending with "/"');
    }
    const artifact = (v: unknown, where: string) => {
      need(isObj(v), where, 'an artifactLocation');
      if (!isObj(v)) return;
      need(typeof v.uri === 'string', `${where}.uri`, 'a string');
      if (v.uriBaseId !== undefined) {
        need(typeof v.uriBaseId === 'string' && v.uriBaseId in bases, `${where}.uriBaseId`, 'defined in originalUriBaseIds');
        need(typeof v.uri === 'string' && !v.uri.startsWith('/') && !/^[a-z][a-z0-9+.-]*:/i.test(v.uri), `${where}.uri`, 'relative to its uriBaseId');
      } else absUri(v.uri, `${where}.uri`);
    };
    (Array.isArray(run.invocations) ? run.invocations : []).forEach((inv: unknown, ii: number) => {
      const w = `${at}.invocations[${ii}]`;
      if (!isObj(inv)) return need(false, w, 'an object');
      need(typeof inv.executionSuccessful === 'boolean', `${w}.executionSuccessful`, 'a boolean');
      (Array.isArray(inv.toolExecutionNotifications) ? inv.toolExecutionNotifications : []).forEach((n: unknown, ni: number) => {
        message(isObj(n) ? n.message : undefined, `${w}.toolExecutionNotifications[${ni}].message`);
      });
    });
    need(Array.isArray(run.results), `${at}.results`, 'an array');
    (Array.isArray(run.results) ? run.results : []).forEach((res: unknown, i: number) => {
      const w = `${at}.results[${i}]`;
      if (!isObj(res)) return need(false, w, 'an object');
      message(res.message, `${w}.message`);
      str(res.ruleId, `${w}.ruleId`);
      int(res.ruleIndex, `${w}.ruleIndex`, 0);
      if (Number.isInteger(res.ruleIndex)) {
        const rule = rules[res.ruleIndex as number];
        need(isObj(rule) && rule.id === res.ruleId, `${w}.ruleIndex`, 'pointing at the rule with its ruleId');
      }
      if (res.level !== undefined) need(LEVELS.includes(res.level as string), `${w}.level`, LEVELS.join('|'));
      if (res.properties !== undefined) need(isObj(res.properties), `${w}.properties`, 'a property bag');
      need(Array.isArray(res.locations) && res.locations.length > 0, `${w}.locations`, 'a non-empty array');
      (Array.isArray(res.locations) ? res.locations : []).forEach((loc: unknown, li: number) => {
        const pl = isObj(loc) ? loc.physicalLocation : undefined;
        const lw = `${w}.locations[${li}].physicalLocation`;
        if (!isObj(pl)) return need(false, lw, 'an object');
        artifact(pl.artifactLocation, `${lw}.artifactLocation`);
        const r = pl.region;
        if (!isObj(r)) return need(false, `${lw}.region`, 'an object');
        int(r.startLine, `${lw}.region.startLine`, 1);
        int(r.startColumn, `${lw}.region.startColumn`, 1);
        int(r.endLine, `${lw}.region.endLine`, 1);
        int(r.endColumn, `${lw}.region.endColumn`, 1);
        const sl = r.startLine as number;
        const el = r.endLine as number;
        need(el > sl || (el === sl && (r.endColumn as number) >= (r.startColumn as number)), `${lw}.region`, 'ending after it starts');
      });
    });
  });
  return errors;
}

const FLAGGED_TS = "const API = 'https://api.partnercenter.microsoft.com/v1';\nexport const list = (id: string) => fetch(`${API}/customers/${id}/subscriptions`);\n";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    cp.execFile(process.execPath, [DIST_CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 99) : 0;
      resolve({ code: typeof code === 'number' ? code : 99, stdout, stderr });
    });
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-cli-'));
}


/** Every file under `dir`, relative, sorted (to prove nothing else was written). */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Copies the TypeScript and .http fixtures to `<dir>/src/<language>/`; returns what their annotations expect. */
function copyFixtures(dir: string): string[] {
  const expected: string[] = [];
  for (const lang of ['typescript', 'http']) {
    for (const name of fs.readdirSync(path.join(FIXTURES, lang))) {
      if (/\.fixed\.[^.]+$/.test(name) || name.endsWith('.md')) continue;
      const text = fs.readFileSync(path.join(FIXTURES, lang, name), 'utf8');
      const rel = `src/${lang}/${name}`;
      write(dir, rel, text);
      for (const a of parseAnnotations(text)) if (a.kind === 'ruleid') expected.push(`${rel}:${a.line + 1} ${a.rule} ${a.operation}`);
    }
  }
  return expected.sort();
}

interface JsonItem {
  file: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  rule?: string;
  operation?: string;
  severity?: string;
  message?: string;
  docUrl?: string;
  skipped?: string;
}

describe('pc-advisor scan', function () {
  this.timeout(60000);
  let dir: string;
  let expected: string[];

  before(() => {
    ensureBuilt();
    dir = tempDir();
    expected = copyFixtures(dir);
    assert.ok(expected.length > 20, 'the fixtures expect findings');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--format json: every finding the fixtures annotate, with relative paths and 1-based positions', async () => {
    const r = await run(['scan', ...FIXTURE_FLAGS, '--format', 'json'], dir);
    assert.strictEqual(r.code, 1, r.stderr);
    const items = JSON.parse(r.stdout) as JsonItem[];
    assert.ok(Array.isArray(items));
    const findings = items.filter((i) => i.rule);
    assert.deepStrictEqual(findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.operation}`).sort(), expected);
    for (const f of findings) {
      assert.deepStrictEqual(Object.keys(f).sort(), ['column', 'docUrl', 'endColumn', 'endLine', 'file', 'line', 'message', 'operation', 'rule', 'severity']);
      assert.ok(f.column! >= 1 && f.endLine! >= f.line!, JSON.stringify(f));
      assert.match(f.docUrl!, /^https:\/\/learn\.microsoft\.com\/partner-center\/developer\//);
      assert.strictEqual(f.severity, 'warning');
    }
    // The column points at the call: check one against the source.
    const first = findings[0];
    const line = fs.readFileSync(path.join(dir, first.file), 'utf8').split(/\r?\n/)[first.line! - 1];
    assert.ok(line.length >= first.column! - 1, 'the column is inside the line');
  });

  it('--format text: grouped by file, `line:col  severity  message  rule`, with a summary', async () => {
    const r = await run(['scan', ...FIXTURE_FLAGS], dir);
    assert.strictEqual(r.code, 1);
    const lines = r.stdout.split('\n');
    const fileLine = lines.indexOf('src/http/partner-center.http');
    assert.ok(fileLine >= 0, r.stdout);
    assert.match(lines[fileLine + 1], /^ {2}\d+:\d+ +warning {2}.+ {2}pc-[a-z-]+$/);
    const findingLines = lines.filter((l) => /^ {2}\d+:\d+ /.test(l));
    assert.strictEqual(findingLines.length, expected.length);
    const files = new Set(expected.map((e) => e.split(':')[0]));
    assert.match(r.stdout, new RegExp(`${expected.length} problems \\(0 errors, ${expected.length} warnings\\) in ${files.size} files; \\d+ files scanned\\.\\n$`));
    assert.ok(!r.stdout.includes('\u001b['), 'no colours when not a terminal');
  });

  it('--format sarif: valid SARIF 2.1.0 with rules from the catalog and relative locations', async () => {
    const r = await run(['scan', ...FIXTURE_FLAGS, '--format', 'sarif'], dir);
    assert.strictEqual(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.deepStrictEqual(validateSarif(sarif), []);
    const run0 = sarif.runs[0];
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    assert.strictEqual(run0.tool.driver.version, version);
    assert.deepStrictEqual(run0.tool.driver.rules.map((x: { id: string }) => x.id), ['pc-throttled-endpoint', 'pc-throttled-in-loop', 'pc-missing-agreement-type']);
    const results = run0.results as Array<{ ruleId: string; properties: { operation: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }> }>;
    assert.deepStrictEqual(
      results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region.startLine} ${x.ruleId} ${x.properties.operation}`).sort(),
      expected,
    );
    assert.ok(results.every((x) => x.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%'));
  });

  it('--fail-on: exit 1 at or above the level, 0 below it, never with none', async () => {
    assert.strictEqual((await run(['scan', ...FIXTURE_FLAGS, '--fail-on', 'error'], dir)).code, 0, 'all findings are warnings');
    assert.strictEqual((await run(['scan', ...FIXTURE_FLAGS, '--fail-on', 'none'], dir)).code, 0);
    assert.strictEqual((await run(['scan', ...FIXTURE_FLAGS, '--fail-on', 'warning'], dir)).code, 1);
    const raised = await run(['scan', ...FIXTURE_FLAGS, '--fail-on', 'error', '--rule', 'pc-missing-agreement-type=error', '--format', 'json'], dir);
    assert.strictEqual(raised.code, 1);
    const items = JSON.parse(raised.stdout) as JsonItem[];
    assert.ok(items.some((i) => i.rule === 'pc-missing-agreement-type' && i.severity === 'error'));
    const off = await run(['scan', ...FIXTURE_FLAGS, '--rule', 'pc-throttled-endpoint=off', '--rule', 'pc-throttled-in-loop=off', '--rule', 'pc-missing-agreement-type=off'], dir);
    assert.strictEqual(off.code, 0);
    assert.match(off.stdout, /^No problems found/);
  });

  it('--locale fr: messages in French', async () => {
    const r = await run(['scan', 'src/http', '--locale', 'fr', '--format', 'json'], dir);
    const items = JSON.parse(r.stdout) as JsonItem[];
    assert.ok(items.length > 0);
    assert.ok(items.filter((i) => i.rule === 'pc-throttled-endpoint').every((i) => /est limitée/.test(i.message!)), items[0].message);
  });
});

describe('SARIF shape checks', () => {
  const valid = () => ({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 't', rules: [{ id: 'r1', defaultConfiguration: { level: 'warning' } }] } },
        originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///w/' } },
        results: [
          {
            ruleId: 'r1',
            ruleIndex: 0,
            level: 'warning',
            message: { text: 'm' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'a.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } }],
          },
        ],
      },
    ],
  });

  it('accept a minimal valid log and reject broken ones', () => {
    assert.deepStrictEqual(validateSarif(valid()), []);
    const broken: Array<[string, (d: ReturnType<typeof valid>) => void]> = [
      ['version', (d) => ((d as { version: string }).version = '2.0.0')],
      ['driver.name', (d) => delete (d.runs[0].tool.driver as { name?: string }).name],
      ['ruleIndex', (d) => (d.runs[0].results[0].ruleIndex = 1)],
      ['level', (d) => (d.runs[0].results[0].level = 'warn')],
      ['startLine', (d) => (d.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)],
      ['message', (d) => ((d.runs[0].results[0] as { message?: unknown }).message = {})],
      ['uriBaseId', (d) => (d.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId = '%OTHER%')],
      ['base uri', (d) => (d.runs[0].originalUriBaseIds['%SRCROOT%'].uri = 'file:///w')],
      ['region order', (d) => (d.runs[0].results[0].locations[0].physicalLocation.region.endColumn = 0)],
    ];
    for (const [what, breakIt] of broken) {
      const d = valid();
      breakIt(d);
      assert.ok(validateSarif(d).length > 0, `accepted a log with a bad ${what}`);
    }
  });
});

describe('pc-advisor scan: what is walked', function () {
  this.timeout(60000);
  let dir: string;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = async (args: string[], cwd = dir) => {
    const r = await run(['scan', '--format', 'json', ...args], cwd);
    return { r, items: JSON.parse(r.stdout || '[]') as JsonItem[] };
  };

  it('skips node_modules, build folders and .gitignored paths (nested .gitignore files too)', async () => {
    write(dir, 'src/app.ts', FLAGGED_TS);
    write(dir, 'node_modules/lib/index.ts', FLAGGED_TS);
    write(dir, 'dist/app.js', FLAGGED_TS.replace(': string', ''));
    write(dir, 'obj/x.ts', FLAGGED_TS);
    write(dir, '.gitignore', 'ignored/\n*.gen.ts\n');
    write(dir, 'ignored/a.ts', FLAGGED_TS);
    write(dir, 'src/api.gen.ts', FLAGGED_TS);
    write(dir, 'src/keep/.gitignore', '!*.gen.ts\nlocal.ts\n');
    write(dir, 'src/keep/kept.gen.ts', FLAGGED_TS);
    write(dir, 'src/keep/local.ts', FLAGGED_TS);
    write(dir, 'src/other/local.ts', FLAGGED_TS);
    const { r, items } = await files([]);
    assert.strictEqual(r.code, 1, r.stderr);
    assert.deepStrictEqual([...new Set(items.map((i) => i.file))].sort(), ['src/app.ts', 'src/keep/kept.gen.ts', 'src/other/local.ts']);

    // A path named explicitly is scanned even when ignored.
    const explicit = await files(['ignored/a.ts', 'node_modules/lib']);
    assert.deepStrictEqual([...new Set(explicit.items.map((i) => i.file))].sort(), ['ignored/a.ts', 'node_modules/lib/index.ts']);
  });

  it('--exclude skips matching paths (relative to the current folder, or a name anywhere)', async () => {
    write(dir, 'src/app.ts', FLAGGED_TS);
    write(dir, 'src/generated/client.ts', FLAGGED_TS);
    write(dir, 'test/app.spec.ts', FLAGGED_TS);
    const { items } = await files(['--exclude', 'src/generated', '--exclude', '*.spec.ts']);
    assert.deepStrictEqual(items.map((i) => i.file), ['src/app.ts']);
  });

  it('does not follow symbolic links out of the scanned folder, and reports linked files once', async function () {
    const outside = tempDir();
    try {
      write(outside, 'secret.ts', FLAGGED_TS);
      write(dir, 'src/app.ts', FLAGGED_TS);
      try {
        fs.symlinkSync(outside, path.join(dir, 'out-link'), 'dir');
        fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'src-link'), 'dir');
      } catch {
        this.skip(); // no symlinks on this file system
      }
      const { items } = await files([]);
      assert.deepStrictEqual(items.map((i) => i.file), ['src/app.ts']);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a missing path on stderr and goes on; exit 2 only when nothing could be scanned', async () => {
    write(dir, 'src/app.ts', FLAGGED_TS);
    const some = await run(['scan', 'missing', 'src'], dir);
    assert.strictEqual(some.code, 1);
    assert.match(some.stderr, /pc-advisor: cannot read missing: no such file or directory/);
    assert.match(some.stdout, /src\/app\.ts/);

    const none = await run(['scan', 'missing', 'also-missing'], dir);
    assert.strictEqual(none.code, 2);
    assert.match(none.stderr, /cannot read missing/);
    assert.match(none.stderr, /cannot read also-missing/);
  });

  it('reports a path that cannot be opened (a symbolic link loop) and scans the rest', async function () {
    write(dir, 'src/app.ts', FLAGGED_TS);
    try {
      fs.symlinkSync('loop-b.ts', path.join(dir, 'loop-a.ts'));
      fs.symlinkSync('loop-a.ts', path.join(dir, 'loop-b.ts'));
    } catch {
      this.skip();
    }
    const r = await run(['scan', 'loop-a.ts', 'src', '--format', 'json'], dir);
    assert.strictEqual(r.code, 1);
    assert.match(r.stderr, /cannot read loop-a\.ts: too many levels of symbolic links/);
    assert.deepStrictEqual((JSON.parse(r.stdout) as JsonItem[]).map((i) => i.file), ['src/app.ts']);
    // Inside a walked folder, broken links are passed over quietly.
    const walked = await run(['scan'], dir);
    assert.strictEqual(walked.code, 1);
    assert.strictEqual(walked.stderr, '');
  });

  it('reports an unreadable file and scans the rest', async function () {
    if (process.getuid?.() === 0 || process.platform === 'win32') this.skip(); // root reads everything
    write(dir, 'src/app.ts', FLAGGED_TS);
    const locked = write(dir, 'src/locked.ts', FLAGGED_TS);
    fs.chmodSync(locked, 0);
    try {
      const r = await run(['scan', '--format', 'json'], dir);
      assert.strictEqual(r.code, 1);
      assert.match(r.stderr, /cannot read src\/locked\.ts: permission denied/);
      assert.deepStrictEqual((JSON.parse(r.stdout) as JsonItem[]).map((i) => i.file), ['src/app.ts']);
    } finally {
      fs.chmodSync(locked, 0o644);
    }
  });

  it('reports explicit unsupported files and oversized files as skipped, not as errors', async () => {
    write(dir, 'notes.txt', 'customers');
    write(dir, 'big.ts', FLAGGED_TS + '// padding\n'.repeat(20000));
    write(dir, 'app.ts', FLAGGED_TS);
    const { r, items } = await files(['notes.txt', 'big.ts', 'app.ts', '--max-file-size', '0.1']);
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.stderr, '');
    assert.deepStrictEqual(
      items.map((i) => (i.skipped ? `${i.file} skipped` : `${i.file} ${i.rule}`)),
      ['app.ts pc-throttled-endpoint', 'big.ts skipped', 'notes.txt skipped'],
    );
    assert.match(items.find((i) => i.file === 'big.ts')!.skipped!, /larger than 0\.1 MB/);
    const text = await run(['scan', 'notes.txt', 'big.ts', '--max-file-size', '0.1', '--verbose'], dir);
    assert.strictEqual(text.code, 0);
    assert.match(text.stdout, /Skipped\n {2}big\.ts {2}.*larger than/);
    assert.match(text.stdout, / {2}notes\.txt {2}unsupported file type \(\.txt\)/);
  });

  it('exits 0 with "No problems found" on a clean folder', async () => {
    write(dir, 'src/app.ts', 'export const customers: string[] = [];\n');
    const r = await run(['scan'], dir);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stdout, 'No problems found (1 file scanned).\n');
  });
});

describe('pc-advisor: usage, --output, --version', function () {
  this.timeout(60000);
  let dir: string;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = tempDir();
    write(dir, 'src/app.ts', FLAGGED_TS);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [args, message] of [
    [['scan', '--format', 'xml'], /invalid value 'xml' for --format: expected text, json, sarif/],
    [['scan', '--fail-on', 'sometimes'], /invalid value 'sometimes' for --fail-on/],
    [['scan', '--rule', 'pc-nope=error'], /unknown rule 'pc-nope'/],
    [['scan', '--rule', 'pc-throttled-endpoint=loud'], /invalid value 'loud' for --rule pc-throttled-endpoint/],
    [['scan', '--max-file-size', 'big'], /--max-file-size: expected a positive number/],
    [['scan', '--locale', 'de'], /--locale: expected en or fr/],
    [['scan', '--jobs', '0'], /invalid value '0' for --jobs: expected a whole number from 1 to 256/],
    [['scan', '-j', 'many'], /invalid value 'many' for --jobs/],
    [['scan', '--bogus'], /unknown option '--bogus'/],
    [['scan', '--output'], /option --output needs a value/],
    [['scan', '--cache'], /option --cache needs a value/],
    [['scan', '--cache', ' '], /--cache needs a file name/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['lsp'], /--stdio or --node-ipc/],
  ] as const) {
    it(`exits 2 with a clear message and the usage line: ${args.join(' ')}`, async () => {
      const r = await run([...args], dir);
      assert.strictEqual(r.code, 2);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Usage: pc-advisor scan \[paths\.\.\.\]/);
      assert.strictEqual(r.stdout, '');
      assert.deepStrictEqual(listing(dir), ['src/app.ts'], 'nothing written');
    });
  }

  it('--output writes exactly one file and nothing to stdout', async () => {
    const out = tempDir();
    try {
      const before = listing(dir);
      const r = await run(['scan', '--format', 'sarif', '--output', path.join(out, 'report.sarif')], dir);
      assert.strictEqual(r.code, 1);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /1 finding in 1 file scanned; report written to/);
      assert.deepStrictEqual(listing(out), ['report.sarif']);
      assert.deepStrictEqual(listing(dir), before, 'nothing written in the scanned folder');
      assert.deepStrictEqual(validateSarif(JSON.parse(fs.readFileSync(path.join(out, 'report.sarif'), 'utf8'))), []);
      // Relative to the current folder, overwriting.
      const again = await run(['scan', '-o', 'report.txt'], dir);
      assert.strictEqual(again.code, 1);
      assert.match(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8'), /src\/app\.ts\n {2}2:\d+ {2}warning/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('--output into a missing folder is an error that writes nothing', async () => {
    const r = await run(['scan', '--output', 'no/such/dir/report.json', '--format', 'json'], dir);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /folder .*no[\\/]such[\\/]dir does not exist/);
    assert.deepStrictEqual(listing(dir), ['src/app.ts']);
  });

  it('--version prints the package version; --help the usage', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    assert.strictEqual((await run(['--version'], dir)).stdout, `${version}\n`);
    const help = await run(['--help'], dir);
    assert.strictEqual(help.code, 0);
    assert.match(help.stdout, /Usage: pc-advisor scan/);
    assert.match(help.stdout, /--fail-on LEVEL/);
    assert.match(help.stdout, /-j, --jobs N/);
    assert.match(help.stdout, /--cache FILE/);
    assert.match(help.stdout, /Exit codes/);
  });
});
