// Runs the real-editor test suites:
//   code-server  the packaged .vsix in a real VS Code (code-server) driven in Chromium with Playwright;
//   neovim       the language server in headless Neovim, a third-party LSP client (test/nvim/);
//   electron     the @vscode/test-electron suite (runs only where a VS Code build is available).
//
//   node scripts/e2e/run.mjs [--suite code-server|neovim|electron|all]     (default: all)
//
// Installs what the suites need when it is missing and it can (scripts/e2e/install.mjs); otherwise says what
// is missing and how to install it, and exits 1. Builds the bundles and the .vsix first.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureE2ePrerequisites, ROOT } from './install.mjs';

const args = process.argv.slice(2);
const suiteArg = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : 'all';
const SUITES = ['code-server', 'neovim', 'electron'];
if (suiteArg !== 'all' && !SUITES.includes(suiteArg)) {
  console.error(`unknown suite "${suiteArg}": use one of ${SUITES.join(', ')} or all`);
  process.exit(2);
}
const suites = suiteArg === 'all' ? SUITES : [suiteArg];

function log(msg) {
  process.stderr.write(`[e2e] ${msg}\n`);
}

function run(cmd, argv, opts = {}) {
  log(`$ ${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  return r.status ?? 1;
}

const need = suites.filter((s) => s === 'code-server' || s === 'neovim');
const tools = need.length ? ensureE2ePrerequisites({ need }) : { missing: [] };
if (tools.missing.length) {
  log(`cannot run the e2e suites, missing:\n  - ${tools.missing.join('\n  - ')}`);
  process.exit(1);
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failed = 0;

if (suites.includes('code-server')) {
  // The .vsix is what a user installs: test exactly that.
  if (run(npm, ['run', '--silent', 'package']) !== 0) {
    log('building the .vsix failed');
    process.exit(1);
  }
  const env = {
    ...process.env,
    PC_E2E_NODE24: tools.node24,
    PC_E2E_CODE_SERVER: tools.codeServer,
    PC_E2E_CHROMIUM: tools.chromium,
  };
  failed += run(npx, ['mocha', '--config', 'test/e2e/.mocharc.json', 'test/e2e/code-server/**/*.test.ts'], { env }) === 0 ? 0 : 1;
} else {
  run(process.execPath, ['scripts/build.mjs']);
}

if (suites.includes('neovim')) {
  const dir = path.join(ROOT, 'test', 'nvim');
  if (fs.existsSync(dir)) failed += run(npx, ['mocha', '--config', 'test/e2e/.mocharc.json', 'test/nvim/**/*.test.ts']) === 0 ? 0 : 1;
  else log('no Neovim suite (test/nvim/) in this tree');
}

if (suites.includes('electron')) {
  const runner = path.join(ROOT, 'test', 'e2e', 'electron', 'run.ts');
  if (fs.existsSync(runner)) failed += run(npx, ['tsx', runner]) === 0 ? 0 : 1;
  else log('no @vscode/test-electron suite (test/e2e/electron/) in this tree');
}

if (failed) {
  log(`${failed} suite(s) failed; screenshots and logs are in test-results/e2e/`);
  process.exit(1);
}
log('all e2e suites passed');
