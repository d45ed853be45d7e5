/**
 * Child processes of the e2e tests: each runs in its own process group so that stopping it also stops
 * what it started (code-server's extension host, the language server). Everything still running when the
 * test process exits is killed, also after a failure.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import * as fs from 'fs';

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export interface Started {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<number | string>;
  /** Stops the process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a process in its own group, its output appended to `logFile`. */
export function start(command: string, args: string[], options: SpawnOptions & { logFile: string }): Started {
  const { logFile, ...spawnOptions } = options;
  const log = fs.openSync(logFile, 'a');
  fs.writeSync(log, `$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  running.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (e) => {
      running.delete(child);
      resolve(`spawn error: ${e.message}`);
    });
  });
  return {
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (!running.has(child)) return;
      killGroup(child, 'SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    },
  };
}

/** Runs a process to completion; rejects with its output when it fails. */
export function runToEnd(command: string, args: string[], options: SpawnOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${out.slice(-4000)}`)),
    );
  });
}
