/**
 * `pc-advisor`: the command line (bundled to dist/cli.js). `scan` reports findings in text, JSON or SARIF;
 * `lsp` runs the same language server as dist/server.js.
 */
import pkg from '../../../package.json';
// The language server is loaded only for `pc-advisor lsp` (a scan does not pay for it): from dist/server.js next to
// the bundle (scripts/build.mjs), or from the sources.
import { HELP, parseCommandLine, USAGE, UsageError } from './args';
import { readBuildId } from '../scan/cache';
import { runScan, type CliIO } from './scan';

const VERSION: string = pkg.version;
const HOMEPAGE: string | undefined = (pkg as { homepage?: string }).homepage;

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const cmd = parseCommandLine(argv);
    switch (cmd.command) {
      case 'help':
        io.stdout(HELP);
        return 0;
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'lsp':
        (await import('../lsp/main')).startLanguageServer();
        return -1; // runs until the client says exit
      case 'scan':
        return await runScan(cmd, io, { version: VERSION, informationUri: HOMEPAGE, build: readBuildId(__dirname) });
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`pc-advisor: ${e.message}\n${USAGE}\nRun 'pc-advisor --help' for the options.\n`);
      return 2;
    }
    io.stderr(`pc-advisor: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  const io: CliIO = {
    cwd: process.cwd(),
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: !!process.stdout.isTTY,
    env: process.env,
  };
  // A closed pipe (`pc-advisor scan | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2), io).then((code) => {
    if (code < 0) return;
    process.exitCode = code;
  });
}
