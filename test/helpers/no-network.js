/**
 * A `--require` preload for the security tests (plain JavaScript: it runs inside the bundled server and CLI).
 * It records to the file named by PC_ADVISOR_AUDIT_LOG, one JSON object a line:
 *   - `{ "loaded": pid }` when it starts (proof that the process ran under it);
 *   - `{ "blocked": what }` for every attempt at network access (sockets, TLS, HTTP(S), fetch, DNS, UDP,
 *     listening servers) or at running a program (child_process, workers) — the attempt also throws;
 *   - `{ "required": file }` for every module the process loads from PC_ADVISOR_WORKSPACE (also throws);
 *   - `{ "wrote": path }` for every file system write by path (recorded only; the test decides).
 * The Node IPC channel (`--node-ipc`) is set up by Node itself on a pipe handle and goes through none of these.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const logFile = process.env.PC_ADVISOR_AUDIT_LOG;
const workspace = process.env.PC_ADVISOR_WORKSPACE ? path.resolve(process.env.PC_ADVISOR_WORKSPACE) : undefined;
const append = fs.appendFileSync;

let recording = false;
function record(entry) {
  if (!logFile || recording) return;
  recording = true; // appendFileSync goes through the writeFileSync watched below
  try {
    append(logFile, `${JSON.stringify({ pid: process.pid, ...entry })}\n`);
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
const workers = require('worker_threads');

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
workers.Worker = function Worker() {
  record({ blocked: 'worker_threads.Worker' });
  throw new Error('blocked by the security test: worker_threads.Worker');
};
workers.Worker.prototype = OriginalWorker.prototype;

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
