/** The transports the command line may name; vscode-languageserver reads them from process.argv itself. */
export function hasTransport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(socket|pipe)(=|$)/.test(a));
}
