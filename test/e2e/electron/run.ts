/**
 * The @vscode/test-electron suite: the extension in a desktop VS Code, with the vscode API.
 * `@vscode/test-electron` downloads a VS Code build, which needs internet; this runner uses the build named
 * by VSCODE_EXECUTABLE, or downloads one when PC_E2E_DOWNLOAD_VSCODE=1, and otherwise skips with a message
 * (the code-server suite covers a real VS Code on machines without internet).
 *   VSCODE_EXECUTABLE=/path/to/code npm run test:vscode
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const executable = process.env.VSCODE_EXECUTABLE;
  if (!executable && process.env.PC_E2E_DOWNLOAD_VSCODE !== '1') {
    process.stderr.write(
      '[e2e] test-electron suite skipped: no VS Code build here. Set VSCODE_EXECUTABLE to a VS Code binary, or ' +
        'PC_E2E_DOWNLOAD_VSCODE=1 on a machine with internet to let @vscode/test-electron download one.\n',
    );
    return;
  }
  if (executable && !fs.existsSync(executable)) throw new Error(`VSCODE_EXECUTABLE=${executable} does not exist`);
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [path.join(root, 'test', 'e2e', 'workspace'), '--disable-extensions', '--skip-welcome', '--disable-workspace-trust'],
  });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
