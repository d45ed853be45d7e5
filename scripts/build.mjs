// Bundles the extension client, the language server, the CLI and the scan worker with esbuild, and copies the
// tree-sitter runtime and the grammars the engine uses next to the bundles (esbuild does not copy .wasm files).
//   node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

export const GRAMMARS = ['c-sharp', 'typescript', 'tsx', 'javascript', 'python', 'java', 'go', 'powershell'];

function copyWasm() {
  const out = path.join(dist, 'wasm');
  fs.mkdirSync(out, { recursive: true });
  const grammarDir = path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  for (const g of GRAMMARS) fs.copyFileSync(path.join(grammarDir, `tree-sitter-${g}.wasm`), path.join(out, `tree-sitter-${g}.wasm`));
  const runtime = path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
  fs.copyFileSync(runtime, path.join(out, 'web-tree-sitter.wasm'));
}

// web-tree-sitter's ESM build reads import.meta.url, which is empty in a CommonJS bundle.
const importMetaBanner = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify,
  logLevel: 'warning',
  define: { 'import.meta.url': '__importMetaUrl' },
};

/**
 * `pc-advisor lsp` runs the language server bundled as dist/server.js next to the CLI, instead of a copy inside
 * dist/cli.js: a scan does not load (nor V8 pre-parse) the 470 KB of the server and vscode-languageserver, about
 * 10 ms of every scan's start. From sources (tsx) the import stays as written.
 */
const serverBesideCli = {
  name: 'server-beside-cli',
  setup(build) {
    // dist/server.js is the bundle of server/src/lsp/main.ts: the one import it stands for is the CLI's.
    build.onResolve({ filter: /^\.\.\/lsp\/main$/ }, (args) =>
      path.resolve(args.resolveDir) === path.join(root, 'server', 'src', 'cli') ? { path: './server.js', external: true } : undefined,
    );
  },
};

const entries = [
  { entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'client.js'), external: ['vscode'], banner: { js: importMetaBanner } },
  { entryPoints: [path.join(root, 'server/src/lsp/main.ts')], outfile: path.join(dist, 'server.js'), banner: { js: importMetaBanner } },
  { entryPoints: [path.join(root, 'server/src/cli/main.ts')], outfile: path.join(dist, 'cli.js'), banner: { js: `#!/usr/bin/env node\n${importMetaBanner}` }, plugins: [serverBesideCli] },
  // The scan's worker threads (server/src/scan/pool.ts), started by the CLI and the server from next to them.
  { entryPoints: [path.join(root, 'server/src/scan/worker.ts')], outfile: path.join(dist, 'scan-worker.js'), banner: { js: importMetaBanner } },
].filter((e) => fs.existsSync(e.entryPoints[0]));

/**
 * dist/build-id: a hash of what the CLI runs (its bundle, the worker's, the runtime and the grammars). A scan
 * cache (`pc-advisor scan --cache`) is only reused by the same build. Watch builds write none: their caches are
 * never reused.
 */
function writeBuildId() {
  const h = createHash('sha256');
  const files = ['cli.js', 'scan-worker.js', ...fs.readdirSync(path.join(dist, 'wasm')).sort().map((f) => path.join('wasm', f))];
  for (const f of files) {
    const p = path.join(dist, f);
    if (!fs.existsSync(p)) continue;
    h.update(f).update('\0').update(fs.readFileSync(p));
  }
  fs.writeFileSync(path.join(dist, 'build-id'), `${h.digest('hex').slice(0, 32)}\n`);
}

// A build that fails half-way must not leave the previous id beside new bundles: it goes first.
fs.rmSync(path.join(dist, 'build-id'), { force: true });
copyWasm();
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  console.log('watching…');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) fs.chmodSync(cli, 0o755);
  writeBuildId();
}
