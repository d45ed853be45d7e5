/**
 * dist/server.js: the language server's entry point (the VS Code client starts it with --node-ipc, other
 * editors with --stdio). `pc-advisor lsp --stdio` loads this bundle and calls `startLanguageServer`.
 */
import { version } from '../../../package.json';
import { startLanguageServer } from './server';
import { hasTransport } from './transport';

export { startLanguageServer };

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args.includes('--version')) {
    process.stdout.write(`${version}\n`);
  } else if (!hasTransport(args)) {
    process.stderr.write('Partner Center Advisor language server\nUsage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
    process.exitCode = 2;
  } else {
    startLanguageServer();
  }
}
