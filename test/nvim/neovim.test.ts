/**
 * The language server in another LSP editor: headless Neovim (Debian `neovim`, 0.7+) with its built-in LSP
 * client, started as `pc-advisor lsp --stdio`. Neovim sends its own language ids (`cs`, `ps1`), which the
 * server must understand. Run by `npm run test:e2e` (after `node scripts/build.mjs`).
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface NvimResult {
  error?: string;
  filetype?: string;
  diagnostics?: { line: number; col: number; message: string; source: string; code: string }[];
  hover?: string;
}

function runNeovim(file: string): NvimResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-nvim-'));
  const out = path.join(dir, 'result.json');
  try {
    const r = spawnSync('nvim', ['--headless', '--clean', '-c', `luafile ${path.join(__dirname, 'client.lua')}`, file], {
      cwd: path.join(__dirname, 'workspace'),
      env: { ...process.env, PC_NVIM_OUT: out, PC_NVIM_CLI: CLI, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.ok(fs.existsSync(out), `Neovim wrote no result (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('Neovim (headless, built-in LSP client)', function () {
  this.timeout(90_000);

  before(function () {
    if (spawnSync('nvim', ['--version']).status !== 0) throw new Error('nvim is not installed (Debian: apt-get install -y neovim)');
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
  });

  it('flags the throttled SDK call in a C# file (language id `cs`) and answers a hover', () => {
    const r = runNeovim('Sync.cs');
    assert.strictEqual(r.error, undefined, r.error);
    assert.strictEqual(r.filetype, 'cs');
    assert.strictEqual(r.diagnostics?.length, 1, JSON.stringify(r.diagnostics));
    const d = r.diagnostics![0];
    assert.strictEqual(d.line, 6);
    assert.strictEqual(d.code, 'pc-throttled-endpoint');
    assert.strictEqual(d.source, 'pc-advisor');
    assert.match(d.message, /Get all of a customer's subscriptions/);
    assert.match(r.hover ?? '', /HTTP 429/);
    assert.match(r.hover ?? '', /https:\/\/learn\.microsoft\.com\/partner-center\/developer\/get-all-of-a-customer-s-subscriptions/);
  });

  it('flags the agreement cmdlet without -AgreementType in a PowerShell file (language id `ps1`)', () => {
    const r = runNeovim('report.ps1');
    assert.strictEqual(r.error, undefined, r.error);
    assert.strictEqual(r.filetype, 'ps1');
    assert.deepStrictEqual(
      r.diagnostics?.map((d) => [d.line, d.code]),
      [[1, 'pc-missing-agreement-type']],
    );
    assert.match(r.diagnostics![0].message, /-AgreementType/);
  });
});
