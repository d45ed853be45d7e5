/**
 * The protocol shared by the extension client and the language server (both import this module; it imports
 * neither vscode nor the LSP libraries). Settings live under the `pcAdvisor` section.
 */

export const SETTINGS_SECTION = 'pcAdvisor';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** The `pcAdvisor.*` settings as the server uses them (after validation, with defaults). */
export interface Settings {
  enable: boolean;
  /** Severity per rule id; rules not listed keep their default. */
  rules: Record<string, SeveritySetting>;
  /** Extra Partner Center hosts (a proxy, a mock server). */
  extraHosts: string[];
  /** Names of your own retry helpers: calls wrapped in them count as covered. */
  retryHelpers: string[];
  /** Glob patterns (relative to the workspace folder) of files not to analyse. */
  exclude: string[];
  /** Files larger than this many megabytes are skipped with one information message. */
  maxFileSize: number;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  extraHosts: [],
  retryHelpers: [],
  exclude: [],
  maxFileSize: 4,
};

/** Sent by the client in `initializationOptions`. */
export interface InitializationOptions {
  /** VS Code's display language (`vscode.env.language`), e.g. `fr` or `en`. */
  locale?: string;
  /** The settings at start (clients that do not answer `workspace/configuration`). */
  settings?: Partial<Settings>;
}

/** Scan every supported file of the workspace folders; diagnostics are published for closed files too. */
export const ScanWorkspaceRequest = 'pcAdvisor/scanWorkspace';
export interface ScanWorkspaceParams {
  /** Folder URIs; default: the workspace folders the server knows. */
  folders?: string[];
  /**
   * LSP `WorkDoneProgressParams`: a token chosen by the client (VS Code shows the progress in a notification
   * with a Cancel button that cancels the request). Servers report `$/progress` on it when given.
   */
  workDoneToken?: string | number;
}
export interface ScanWorkspaceResult {
  files: number;
  findings: number;
  cancelled: boolean;
}

/** Sent by the server after each analysis of an open document, for the language status item. */
export const StatusNotification = 'pcAdvisor/status';
export interface StatusParams {
  uri: string;
  state: 'ok' | 'skipped' | 'disabled' | 'excluded' | 'error';
  /** Recognised calls to throttled operations in the document (flagged or covered). */
  throttledCallSites: number;
  findings: number;
  /** Why the document was skipped, localised. */
  message?: string;
}

/** Command ids (contributed by the client; code actions refer to them). */
export const Commands = {
  scanWorkspace: 'pcAdvisor.scanWorkspace',
  openGuidance: 'pcAdvisor.openGuidance',
  showOutput: 'pcAdvisor.showOutput',
  restartServer: 'pcAdvisor.restartServer',
  /** Arguments: [url: string]. Opens a documentation page. */
  openDocs: 'pcAdvisor.openDocs',
} as const;

/** `data` of every diagnostic the server publishes. */
export interface DiagnosticData {
  rule: string;
  operation: string;
}

export const DIAGNOSTIC_SOURCE = 'pc-advisor';
