/**
 * Security posture of the bundled server and CLI, tested on the real processes:
 *   - no network access and no programs run: both run under a `--require` preload (test/helpers/no-network.js)
 *     that records and refuses sockets, TLS, HTTP(S), fetch, DNS, UDP, listening, child processes and workers
 *     (the Node IPC channel is a pipe Node sets up itself and is the one channel left); the one worker allowed
 *     is the scan's own bundle, dist/scan-worker.js, and its threads run under the preload too;
 *   - workspace files are never required or executed: a workspace of .js/.ts/.py/.ps1/package.json/
 *     .eslintrc.js… files that would each write a marker file if they ran is scanned, opened, hovered and
 *     fixed; no marker appears and no module is loaded from the workspace;
 *   - the server writes no file at all; the CLI writes only its --output file (the temporary tree, the
 *     current folder and HOME are compared before and after);
 *   - hover Markdown built from user code is escaped: a crafted string literal cannot become a link;
 *   - symbolic links out of the scanned root are not followed.
 */
import * as assert from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { MIN_ANALYSES_FOR_WORKERS } from '../../server/src/cli/scan';
import { WORKER_MIN_FILES } from '../../server/src/lsp/workspace';
import { isSupportedFile } from '../../server/src/scan/walk';
import { DIST_CLI, DIST_SERVER, ensureBuilt, fileUri, LspTestClient, ROOT } from '../helpers/lsp-client';

const PRELOAD = path.join(ROOT, 'test', 'helpers', 'no-network.js');
const DIST_WORKER = path.join(ROOT, 'dist', 'scan-worker.js');
const PC = 'https://api.partnercenter.microsoft.com/v1';

interface AuditEntry {
  pid: number;
  /** 0: the main thread; workers have their own id. */
  thread: number;
  loaded?: number;
  worker?: string;
  blocked?: string;
  required?: string;
  wrote?: string;
}

/** Every file and folder under `dir`, files with their size and modification time (links as links). */
function snapshot(dir: string, out = new Map<string, string>(), base = dir): Map<string, string> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    const st = fs.lstatSync(p);
    // A folder changes when its entries do, which are listed themselves.
    out.set(path.relative(base, p), e.isDirectory() ? 'folder' : `${e.isSymbolicLink() ? 'link' : 'file'}:${st.size}:${st.mtimeMs}`);
    if (e.isDirectory()) snapshot(p, out, base);
  }
  return out;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) out.push(`${before.has(p) ? 'changed' : 'added'} ${p}`);
  for (const p of before.keys()) if (!after.has(p)) out.push(`removed ${p}`);
  return out.sort();
}

/**
 * A workspace whose files would each write `<markers>/<name>` if anything loaded or ran them; each also
 * calls Partner Center, so that it is analysed.
 */
function hostileWorkspace(ws: string, markers: string): string[] {
  const m = (name: string) => JSON.stringify(path.join(markers, name));
  const files: Record<string, string> = {
    'index.js': `require('fs').writeFileSync(${m('index.js')}, 'ran');\nfetch('${PC}/customers/c/subscriptions');\n`,
    'src/app.ts': `import * as fs from 'fs';\nfs.writeFileSync(${m('app.ts')}, 'ran');\nexport const r = fetch(\`${PC}/customers/\${id}/orders\`);\n`,
    'src/esm.mjs': `import fs from 'fs';\nfs.writeFileSync(${m('esm.mjs')}, 'ran');\nawait fetch('${PC}/customers/c/agreements');\n`,
    'src/common.cjs': `require('fs').writeFileSync(${m('common.cjs')}, 'ran');\n`,
    'tool.py': `open(${m('tool.py')}, 'w').write('ran')\nimport requests\nrequests.get("${PC}/customers/c/subscriptions")\n`,
    'setup.py': `open(${m('setup.py')}, 'w').write('ran')\n`,
    'conftest.py': `open(${m('conftest.py')}, 'w').write('ran')\n`,
    'script.ps1': `Set-Content -Path ${m('script.ps1')} -Value ran\nInvoke-RestMethod -Uri "${PC}/customers/$id/subscriptions"\n`,
    'main.go': `package main\nimport "os"\nfunc main() { os.WriteFile(${m('main.go')}, nil, 0o644) }\n`,
    'package.json': JSON.stringify({ name: 'evil', main: 'index.js', scripts: { preinstall: 'node index.js', postinstall: 'node index.js', prepare: 'node index.js', test: 'node index.js' } }),
    'tsconfig.json': JSON.stringify({ extends: './index.js', compilerOptions: { plugins: [{ name: './index.js' }] } }),
    '.eslintrc.js': `require('fs').writeFileSync(${m('.eslintrc.js')}, 'ran');\nmodule.exports = {};\n`,
    'eslint.config.js': `require('fs').writeFileSync(${m('eslint.config.js')}, 'ran');\nmodule.exports = [];\n`,
    'prettier.config.js': `require('fs').writeFileSync(${m('prettier.config.js')}, 'ran');\n`,
    'babel.config.js': `require('fs').writeFileSync(${m('babel.config.js')}, 'ran');\n`,
    '.pc-advisor.js': `require('fs').writeFileSync(${m('.pc-advisor.js')}, 'ran');\n`,
    'pc-advisor.config.js': `require('fs').writeFileSync(${m('pc-advisor.config.js')}, 'ran');\n`,
    '.vscode/settings.json': JSON.stringify({ 'pcAdvisor.retryHelpers': ['require("fs").writeFileSync("x")'] }),
    'node_modules/typescript/index.js': `require('fs').writeFileSync(${m('typescript')}, 'ran');\n`,
    'node_modules/web-tree-sitter/index.js': `require('fs').writeFileSync(${m('web-tree-sitter')}, 'ran');\n`,
    'node_modules/picomatch/index.js': `require('fs').writeFileSync(${m('picomatch')}, 'ran');\n`,
    'node_modules/ignore/index.js': `require('fs').writeFileSync(${m('ignore')}, 'ran');\n`,
    'requests.http': `GET ${PC}/customers/{{c}}/subscriptions\n`,
    '.gitignore': 'ignored/\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), text);
  }
  return Object.keys(files);
}

function readAudit(file: string): AuditEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
}

function languageOf(file: string): string {
  const ext = path.extname(file);
  const ids: Record<string, string> = { '.ts': 'typescript', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.py': 'python', '.ps1': 'powershell', '.go': 'go', '.json': 'json', '.http': 'http' };
  return ids[ext] ?? 'plaintext';
}

/**
 * Code spans removed the CommonMark way: a run of n backticks opens a span that the next run of exactly n
 * backticks closes; a run with no closing match is literal text.
 */
function outsideCodeSpans(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] !== '`') {
      out += markdown[i++];
      continue;
    }
    let n = 0;
    while (markdown[i + n] === '`') n++;
    let j = i + n;
    let close = -1;
    while (j < markdown.length) {
      if (markdown[j] !== '`') {
        j++;
        continue;
      }
      let k = 0;
      while (markdown[j + k] === '`') k++;
      if (k === n) {
        close = j;
        break;
      }
      j += k;
    }
    if (close < 0) {
      out += '`'.repeat(n);
      i += n;
    } else {
      out += ' ';
      i = close + n;
    }
  }
  return out;
}

describe('security', function () {
  this.timeout(120000);
  let tmp: string;
  let ws: string;
  let markers: string;
  let outside: string;
  let audit: string;
  let env: NodeJS.ProcessEnv;

  before(() => ensureBuilt());
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-security-')));
    ws = path.join(tmp, 'workspace');
    markers = path.join(tmp, 'markers');
    outside = path.join(tmp, 'outside');
    for (const d of [ws, markers, outside, path.join(tmp, 'home'), path.join(tmp, 'cwd'), path.join(tmp, 'out')]) fs.mkdirSync(d);
    audit = path.join(tmp, 'audit.log');
    env = {
      ...process.env,
      NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`,
      PC_ADVISOR_AUDIT_LOG: audit,
      PC_ADVISOR_WORKSPACE: ws,
      HOME: path.join(tmp, 'home'),
      USERPROFILE: path.join(tmp, 'home'),
      TMPDIR: path.join(tmp, 'home'),
    };
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function linkOutside(): boolean {
    fs.writeFileSync(path.join(outside, 'secret.ts'), `export const s = fetch('${PC}/customers/secret/subscriptions');\n`);
    try {
      fs.symlinkSync(outside, path.join(ws, 'linked-dir'), 'dir');
      fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(ws, 'linked-secret.ts'), 'file');
      return true;
    } catch {
      return false; // no symbolic links on this file system
    }
  }

  it('the preload refuses and records network access (the check itself works)', () => {
    const script = [
      "const net = require('net');",
      "const { Worker } = require('worker_threads');",
      "for (const f of [() => net.connect(80, '127.0.0.1'), () => require('https').get('https://example.com'), () => require('dns').lookup('example.com', () => {}), () => fetch('https://example.com'), () => require('child_process').execSync('true'),",
      // Workers: code, a file of ours that is not a bundle running next to it, and the scan bundle when the running
      // script is not one of ours.
      `  () => new Worker('1', { eval: true }), () => new Worker(${JSON.stringify(path.join(ROOT, 'test', 'helpers', 'no-network.js'))}), () => new Worker(${JSON.stringify(DIST_WORKER)})]) {`,
      '  try { f(); } catch (e) { if (!/blocked by the security test/.test(e.message)) throw e; }',
      '}',
    ].join('\n');
    cp.execFileSync(process.execPath, ['-e', script], { env, cwd: tmp });
    const entries = readAudit(audit);
    assert.strictEqual(entries.filter((e) => e.loaded).length, 1);
    assert.deepStrictEqual(
      entries.filter((e) => e.blocked).map((e) => e.blocked),
      ['net.connect', 'https.get', 'dns.lookup', 'fetch', 'child_process.execSync', 'worker_threads.Worker', 'worker_threads.Worker', 'worker_threads.Worker'],
    );
  });

  it('the preload allows only the scan worker next to the running bundle, without other Node options', () => {
    // A copy of the bundles elsewhere: its own scan-worker.js is allowed, another folder's is not.
    const copy = path.join(tmp, 'copy');
    fs.mkdirSync(copy);
    const script = path.join(copy, 'cli.js');
    fs.copyFileSync(DIST_WORKER, path.join(copy, 'scan-worker.js'));
    fs.writeFileSync(
      script,
      [
        "const { Worker } = require('worker_threads');",
        "const own = new Worker(require('path').join(__dirname, 'scan-worker.js'));",
        "own.on('message', () => own.terminate());",
        `for (const f of [() => new Worker(${JSON.stringify(DIST_WORKER)}), () => new Worker(require('path').join(__dirname, 'scan-worker.js'), { execArgv: [] })]) {`,
        '  try { f(); } catch (e) { if (!/blocked by the security test/.test(e.message)) throw e; }',
        '}',
      ].join('\n'),
    );
    cp.execFileSync(process.execPath, [script], { env, cwd: tmp });
    const entries = readAudit(audit);
    assert.deepStrictEqual(entries.filter((e) => e.worker).map((e) => path.basename(e.worker!)), ['scan-worker.js']);
    assert.deepStrictEqual(entries.filter((e) => e.blocked).map((e) => e.blocked), ['worker_threads.Worker', 'worker_threads.Worker']);
    // The allowed worker ran under the preload (Node passes it on to worker threads).
    assert.ok(entries.some((e) => e.loaded && e.thread !== 0), JSON.stringify(entries));
  });

  it('the CLI: no network, no workspace code run or loaded, writes only --output, does not follow links out of the root', () => {
    hostileWorkspace(ws, markers);
    const linked = linkOutside();
    const before = snapshot(tmp);
    const output = path.join(tmp, 'out', 'report.json');
    const r = cp.spawnSync(process.execPath, [DIST_CLI, 'scan', ws, '--format', 'json', '--output', output], { env, cwd: path.join(tmp, 'cwd'), encoding: 'utf8' });
    assert.strictEqual(r.status, 1, `findings: exit 1; stderr: ${r.stderr}`);
    assert.strictEqual(r.stdout, '', 'nothing on stdout with --output');

    const entries = readAudit(audit);
    assert.strictEqual(entries.filter((e) => e.loaded && e.thread === 0).length, 1, 'the CLI ran under the preload');
    assert.deepStrictEqual(entries.filter((e) => e.blocked || e.required), []);
    assert.deepStrictEqual([...new Set(entries.filter((e) => e.wrote).map((e) => e.wrote))], [output], 'writes by path');
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'no workspace file ran');
    const after = snapshot(tmp);
    assert.deepStrictEqual(changes(before, after).filter((c) => c !== 'changed audit.log' && c !== 'added audit.log'), ['added out/report.json']);

    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as Array<{ file: string; rule?: string }>;
    // Paths are relative to the current folder.
    const inWorkspace = (f: string) => path.relative(ws, path.resolve(tmp, 'cwd', f)).replace(/\\/g, '/');
    const flagged = new Set(report.filter((f) => f.rule).map((f) => inWorkspace(f.file)));
    assert.ok(flagged.has('src/app.ts') && flagged.has('script.ps1') && flagged.has('requests.http'), JSON.stringify([...flagged]));
    assert.ok(![...flagged].some((f) => f.includes('node_modules')), 'node_modules skipped');
    if (linked) {
      assert.ok(!report.some((f) => /secret|linked/.test(f.file)), `nothing through the links: ${JSON.stringify(report.map((f) => f.file))}`);
    }
  });

  /** Enough other files for the scans to use worker threads (one in ten calls Partner Center). */
  function filler(n: number): void {
    for (let i = 0; i < n; i++) {
      const file = path.join(ws, 'filler', `d${Math.floor(i / 100)}`, `f${i}.ts`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, i % 10 === 0 ? `export const r${i} = fetch(\`${PC}/customers/\${id}/orders\`);\n` : `export const n${i} = ${i};\n`);
    }
  }

  it('the CLI with worker threads (--jobs 2, enough files for them): no network, no workspace code run, writes only --output', () => {
    hostileWorkspace(ws, markers);
    filler(10 * MIN_ANALYSES_FOR_WORKERS); // one in ten has Partner Center words: enough files to analyse for threads
    const before = snapshot(tmp);
    const output = path.join(tmp, 'out', 'report.json');
    const r = cp.spawnSync(process.execPath, [DIST_CLI, 'scan', ws, '--format', 'json', '--output', output, '--jobs', '2'], { env, cwd: path.join(tmp, 'cwd'), encoding: 'utf8' });
    assert.strictEqual(r.status, 1, `findings: exit 1; stderr: ${r.stderr}`);
    const entries = readAudit(audit);
    assert.strictEqual(entries.filter((e) => e.loaded && e.thread === 0).length, 1, 'the CLI ran under the preload');
    assert.deepStrictEqual(entries.filter((e) => e.worker).map((e) => path.resolve(e.worker!)), [DIST_WORKER], 'one scan worker started');
    assert.deepStrictEqual(entries.filter((e) => e.blocked || e.required), []);
    assert.deepStrictEqual([...new Set(entries.filter((e) => e.wrote).map((e) => e.wrote))], [output], 'writes by path');
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'no workspace file ran');
    assert.deepStrictEqual(changes(before, snapshot(tmp)).filter((c) => !c.endsWith(' audit.log')), ['added out/report.json']);
    const report = JSON.parse(fs.readFileSync(output, 'utf8')) as Array<{ file: string; rule?: string }>;
    assert.strictEqual(report.filter((f) => f.rule && f.file.includes('filler')).length, MIN_ANALYSES_FOR_WORKERS);
  });

  it('the CLI with --cache: writes only --output and the cache (through a temporary file next to it), cold and warm', () => {
    hostileWorkspace(ws, markers);
    const before = snapshot(tmp);
    const output = path.join(tmp, 'out', 'report.json');
    const cacheFile = path.join(tmp, 'out', 'scan.cache');
    const scan = () => cp.spawnSync(process.execPath, [DIST_CLI, 'scan', ws, '--format', 'json', '--output', output, '--cache', cacheFile], { env, cwd: path.join(tmp, 'cwd'), encoding: 'utf8' });
    const cold = scan();
    assert.strictEqual(cold.status, 1, `findings: exit 1; stderr: ${cold.stderr}`);
    const wrote = (): string[] => [...new Set(readAudit(audit).filter((e) => e.wrote).map((e) => path.basename(e.wrote!).replace(/\.[0-9a-f]{12}\.tmp$/, '.RANDOM.tmp')))].sort();
    assert.deepStrictEqual(wrote(), ['.scan.cache.RANDOM.tmp', 'report.json', 'scan.cache'], 'the temporary file, renamed to the cache; the report');
    assert.ok(readAudit(audit).filter((e) => e.wrote).every((e) => path.dirname(e.wrote!) === path.dirname(output)), 'all of them in out/');
    const report = fs.readFileSync(output, 'utf8');
    fs.writeFileSync(audit, '');
    const warm = scan();
    assert.strictEqual(warm.status, 1, warm.stderr);
    assert.deepStrictEqual(wrote(), ['report.json'], 'a warm scan that changes nothing writes only the report');
    assert.strictEqual(fs.readFileSync(output, 'utf8'), report);
    assert.deepStrictEqual(fs.readdirSync(markers), [], 'no workspace file ran');
    assert.deepStrictEqual(changes(before, snapshot(tmp)).filter((c) => !c.endsWith(' audit.log')), ['added out/report.json', 'added out/scan.cache']);
  });

  for (const transport of ['stdio', 'ipc'] as const) {
    it(`the server over ${transport}: no network, no workspace code run or loaded, no file written`, async () => {
      const names = hostileWorkspace(ws, markers);
      filler(WORKER_MIN_FILES); // enough for the scan to run in a worker thread
      const linked = linkOutside();
      const before = snapshot(tmp);
      const client =
        transport === 'ipc'
          ? await LspTestClient.start({ ipcModule: DIST_SERVER, execArgv: [], env, cwd: path.join(tmp, 'cwd') })
          : await LspTestClient.start({ env, cwd: path.join(tmp, 'cwd') });
      try {
        await client.initialize({ workspaceFolders: [{ uri: fileUri(ws), name: 'ws' }], capabilities: { window: { showDocument: { support: true } } } });
        const scan = await client.connection.sendRequest<{ files: number; cancelled: boolean }>('pcAdvisor/scanWorkspace', {});
        assert.strictEqual(scan.cancelled, false);
        assert.ok(scan.files >= WORKER_MIN_FILES + 8, `scanned ${scan.files} files`);
        const published = [...client.diagnostics.keys()];
        assert.ok(published.includes(fileUri(path.join(ws, 'src', 'app.ts'))), JSON.stringify(published));
        if (linked) assert.ok(!published.some((u) => /secret|linked|outside/.test(u)), `nothing through the links: ${JSON.stringify(published)}`);

        // Open every file, hover everywhere a diagnostic is, ask for every code action and run the docs command.
        for (const name of names) {
          const file = path.join(ws, name);
          const uri = fileUri(file);
          const text = fs.readFileSync(file, 'utf8');
          client.open(uri, languageOf(file), text);
          if (!isSupportedFile(file)) continue; // opened, but not analysed: no diagnostics to wait for
          const diags: Diagnostic[] = await client.waitFor(`the analysis of ${name}`, () => {
            const s = client.statuses.find((x) => x.uri === uri);
            const d = client.diagnostics.get(uri);
            return s && d && d.version === 1 ? d.diagnostics : undefined;
          });
          for (const d of diags) {
            await client.hover(uri, d.range.start);
            const actions = await client.codeActions(uri, d.range, { diagnostics: [d] });
            for (const a of actions) if ('command' in a && a.command && typeof a.command !== 'string') await client.executeCommand(a.command.command, a.command.arguments);
          }
          await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [], only: ['source.fixAll.pcAdvisor'] });
        }
        assert.ok(client.shownDocuments.length > 0, 'documentation shown through the client');
      } finally {
        await client.stop();
      }
      const entries = readAudit(audit);
      assert.strictEqual(entries.filter((e) => e.loaded && e.thread === 0).length, 1, 'the server ran under the preload');
      assert.deepStrictEqual(entries.filter((e) => e.blocked || e.required || e.wrote), []);
      // The scan ran in the worker thread, under the preload too.
      const workers = entries.filter((e) => e.worker).map((e) => path.resolve(e.worker!));
      assert.ok(workers.length > 0 && workers.every((w) => w === DIST_WORKER), `the scan workers: ${JSON.stringify(workers)}`);
      assert.ok(entries.some((e) => e.loaded && e.thread !== 0), 'the worker ran under the preload');
      assert.deepStrictEqual(fs.readdirSync(markers), [], 'no workspace file ran');
      assert.deepStrictEqual(changes(before, snapshot(tmp)).filter((c) => !c.endsWith(' audit.log')), []);
    });
  }

  it('hover Markdown from user code is escaped: a crafted string literal cannot become a link or HTML', async () => {
    const client = await LspTestClient.start();
    try {
      await client.initialize();
      const crafted = [
        '[x](command:workbench.action.terminal.new)',
        '`[y](command:workbench.action.terminal.new)`',
        '``</code>[z](command:workbench.action.reloadWindow)<img src=x onerror=alert(1)>',
      ];
      const text = [
        `const API = '${PC}';`,
        ...crafted.map((c, i) => `for (const id${i} of [${JSON.stringify(c).replace(/^"|"$/g, "'")}]) {\n  await fetch(\`\${API}/customers/\${id${i}}/subscriptions\`);\n}`),
        '',
      ].join('\n');
      const uri = fileUri(path.join(os.tmpdir(), 'crafted.ts'));
      client.open(uri, 'typescript', text);
      const diags = await client.waitForDiagnostics(uri, (d) => d.filter((x) => x.code === 'pc-throttled-in-loop').length === crafted.length);
      for (const d of diags.filter((x) => x.code === 'pc-throttled-in-loop')) {
        const hover = (await client.hover(uri, d.range.start)) as Hover;
        assert.ok(hover, 'a hover');
        assert.ok(!JSON.stringify(hover).includes('isTrusted'), 'never trusted');
        const md = (hover.contents as MarkupContent).value;
        assert.strictEqual((hover.contents as MarkupContent).kind, 'markdown');
        assert.ok(md.includes('command:workbench.action'), `the label is shown: ${md}`);
        const prose = outsideCodeSpans(md);
        assert.ok(!prose.includes('command:'), `no command outside code spans: ${prose}`);
        assert.ok(!/<[a-z/]/i.test(prose), `no HTML outside code spans: ${prose}`);
        const targets = [...prose.matchAll(/\]\(([^)]*)\)/g)].map((x) => x[1]);
        assert.ok(targets.length > 0 && targets.every((t) => t.startsWith('https://learn.microsoft.com/partner-center/')), JSON.stringify(targets));
        // The diagnostic message is plain text (not Markdown).
        assert.strictEqual(typeof d.message, 'string');
      }
    } finally {
      await client.stop();
    }
  });
});
