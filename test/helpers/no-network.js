/**
 * A `--require` preload for the security tests (plain JavaScript: it runs inside the bundled server and CLI).
 * It records to the file named by PC_ADVISOR_AUDIT_LOG, one JSON object a line:
 *   - `{ "loaded": pid, "thread": id }` when it starts (proof that the process ran under it), in the main thread
 *     (thread 0) and in every worker thread: Node applies the preload to workers, so they are under it too;
 *   - `{ "blocked": what }` for every attempt at network access (sockets, TLS, HTTP(S), fetch, DNS, UDP,
 *     listening servers) or at running a program (child_process, workers) — the attempt also throws;
 *   - `{ "worker": file }` for the one worker allowed: the scan's own bundle, dist/scan-worker.js next to the
 *     bundle the process runs (dist/cli.js, dist/server.js), started from the main thread, with the process's
 *     Node options (an `execArgv` that would leave out this preload is refused);
 *   - `{ "required": file }` for every module the process loads from PC_ADVISOR_WORKSPACE (also throws);
 *   - `{ "wrote": path }` for every file system write by path (recorded only; the test decides).
 * The Node IPC channel (`--node-ipc`) is set up by Node itself on a pipe handle and goes through none of these.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const workers = require('worker_threads');

const logFile = process.env.PC_ADVISOR_AUDIT_LOG;
const workspace = process.env.PC_ADVISOR_WORKSPACE ? path.resolve(process.env.PC_ADVISOR_WORKSPACE) : undefined;
const append = fs.appendFileSync;

let recording = false;
function record(entry) {
  if (!logFile || recording) return;
  recording = true; // appendFileSync goes through the writeFileSync watched below
  try {
    append(logFile, `${JSON.stringify({ pid: process.pid, thread: workers.threadId, ...entry })}\n`);
  } finally {
    recording = false;
  }
}

record({ loaded: process.pid, argv: process.argv.slice(2) });

function block(owner, key, what) {
  if (!owner || typeof owner[key] !== 'function') return;
  owner[key] = function blocked() {
    record({ blocked: what });
    throw new Error(`blocked by the security test: ${what}`);
  };
}

const net = require('net');
const tls = require('tls');
const http = require('http');
const https = require('https');
const http2 = require('http2');
const dns = require('dns');
const dgram = require('dgram');
const cp = require('child_process');

block(net.Socket.prototype, 'connect', 'net.Socket.prototype.connect');
block(net, 'connect', 'net.connect');
block(net, 'createConnection', 'net.createConnection');
block(net.Server.prototype, 'listen', 'net.Server.prototype.listen');
block(tls, 'connect', 'tls.connect');
for (const [name, mod] of [['http', http], ['https', https]]) {
  block(mod, 'request', `${name}.request`);
  block(mod, 'get', `${name}.get`);
}
block(http2, 'connect', 'http2.connect');
for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'reverse']) {
  block(dns, key, `dns.${key}`);
  block(dns.promises, key, `dns.promises.${key}`);
}
block(dgram, 'createSocket', 'dgram.createSocket');
block(globalThis, 'fetch', 'fetch');
for (const key of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) block(cp, key, `child_process.${key}`);
const OriginalWorker = workers.Worker;
/** The scan worker bundled next to the running bundle (main thread only), or undefined. */
function allowedWorker() {
  if (!workers.isMainThread || !process.argv[1]) return undefined;
  try {
    return fs.realpathSync(path.join(path.dirname(fs.realpathSync(process.argv[1])), 'scan-worker.js'));
  } catch {
    return undefined;
  }
}
function isAllowedWorker(file, options) {
  const allowed = allowedWorker();
  if (!allowed || options?.eval || options?.execArgv !== undefined) return false;
  if (typeof file !== 'string' && !(file instanceof URL)) return false;
  try {
    return fs.realpathSync(file instanceof URL ? require('url').fileURLToPath(file) : file) === allowed;
  } catch {
    return false;
  }
}
workers.Worker = function Worker(file, options) {
  if (!new.target) throw new TypeError("Class constructor Worker cannot be invoked without 'new'");
  if (isAllowedWorker(file, options)) {
    record({ worker: String(file) });
    return Reflect.construct(OriginalWorker, [file, options], new.target);
  }
  record({ blocked: 'worker_threads.Worker' });
  throw new Error('blocked by the security test: worker_threads.Worker');
};
workers.Worker.prototype = OriginalWorker.prototype;
Object.setPrototypeOf(workers.Worker, OriginalWorker);

// Modules loaded from the workspace.
if (workspace) {
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    let file;
    try {
      file = Module._resolveFilename(request, parent, isMain);
    } catch {
      file = undefined;
    }
    if (file && path.resolve(file).startsWith(workspace + path.sep)) {
      record({ required: file });
      throw new Error(`blocked by the security test: require(${file})`);
    }
    return load.apply(this, arguments);
  };
}

// File system writes by path (recorded, not blocked).
function isWriteFlag(flags) {
  return flags !== undefined && flags !== null && !(flags === 'r' || flags === 'rs' || flags === 'sr' || flags === fs.constants.O_RDONLY);
}
function watchWrites(owner, key, pathIndexes, flagIndex) {
  const original = owner[key];
  if (typeof original !== 'function') return;
  owner[key] = function (...args) {
    if (flagIndex === undefined || isWriteFlag(args[flagIndex])) {
      for (const i of pathIndexes) {
        const p = args[i];
        if (typeof p === 'string' || p instanceof URL || Buffer.isBuffer(p)) record({ wrote: path.resolve(String(p instanceof URL ? p.pathname : p)), via: key });
      }
    }
    return original.apply(this, args);
  };
}
for (const owner of [fs, fs.promises]) {
  for (const key of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'mkdir', 'mkdirSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'unlink', 'unlinkSync', 'truncate', 'truncateSync', 'mkdtemp', 'mkdtempSync', 'chmod', 'chmodSync', 'utimes', 'utimesSync']) {
    watchWrites(owner, key, [0]);
  }
  for (const key of ['rename', 'renameSync', 'copyFile', 'copyFileSync', 'cp', 'cpSync', 'symlink', 'symlinkSync', 'link', 'linkSync']) watchWrites(owner, key, [0, 1]);
  for (const key of ['open', 'openSync']) watchWrites(owner, key, [0], 1);
}
watchWrites(fs, 'createWriteStream', [0]);
