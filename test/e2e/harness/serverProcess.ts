/** The language server processes that a test session started (found by their command line under /proc). */
import * as fs from 'fs';
import * as path from 'path';

/** Pids of processes running `<extensionsDir>/…/dist/server.js` (Linux). */
export function serverProcesses(extensionsDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    const args = cmdline.split('\0');
    if (args.some((a) => a.startsWith(extensionsDir + path.sep) && a.endsWith(`${path.sep}dist${path.sep}server.js`))) pids.push(Number(entry));
  }
  return pids;
}
