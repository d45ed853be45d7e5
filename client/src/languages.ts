/**
 * The VS Code language ids the extension serves. `package.json` activates on exactly these (a unit test
 * checks it); `http` is contributed by the extension itself for `.http`/`.rest` files when no REST client
 * extension provides it. Pure data: no `vscode` import, so tests can load it.
 */
export const LANGUAGE_IDS = [
  'csharp',
  'powershell',
  'python',
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'java',
  'go',
  'http',
] as const;

/**
 * URI schemes of the documents sent to the server. `file` and `untitled` only: the server reads files from
 * disk for the workspace scan, so virtual file systems are not supported (see `capabilities` in package.json).
 */
export const SCHEMES = ['file', 'untitled'] as const;

/** A document selector over the served languages and schemes. */
export function documentSelector(): { scheme: string; language: string }[] {
  return SCHEMES.flatMap((scheme) => LANGUAGE_IDS.map((language) => ({ scheme, language })));
}
