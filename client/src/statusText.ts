/**
 * What the language status item says, from the server's state and the last `pcAdvisor/status` of the
 * active document. Pure (the translation function is passed in), so it is unit tested in both languages.
 */
import type { StatusParams } from '../../server/src/lsp/protocol';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface L10n {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

export type StatusSeverity = 'information' | 'warning' | 'error';

export interface StatusView {
  text: string;
  detail: string;
  severity: StatusSeverity;
  busy: boolean;
  /** Which command the item links to. */
  command: 'scan' | 'output' | 'restart';
}

/** A codicon reference followed by a space (kept out of the translated strings). */
const icon = (name: string) => `$(${name}) `;

/** The view for a server state and the active document's status (undefined: not analysed yet). */
export function statusView(server: ServerState, status: StatusParams | undefined, l10n: L10n): StatusView {
  switch (server) {
    case 'starting':
      return { text: l10n.t('Partner Center'), detail: l10n.t('Starting the server…'), severity: 'information', busy: true, command: 'output' };
    case 'stopped':
      return { text: icon('debug-disconnect') + l10n.t('Partner Center'), detail: l10n.t('The server is stopped'), severity: 'error', busy: false, command: 'restart' };
    case 'failed':
      return { text: icon('error') + l10n.t('Partner Center'), detail: l10n.t('The server crashed repeatedly and was not restarted'), severity: 'error', busy: false, command: 'restart' };
    case 'running':
      break;
  }
  if (!status) return { text: l10n.t('Partner Center'), detail: l10n.t('Analysing…'), severity: 'information', busy: true, command: 'scan' };
  switch (status.state) {
    case 'disabled':
      return { text: icon('circle-slash') + l10n.t('Partner Center: off'), detail: l10n.t('Disabled by the setting pcAdvisor.enable'), severity: 'information', busy: false, command: 'scan' };
    case 'excluded':
      return { text: icon('circle-slash') + l10n.t('Partner Center: excluded'), detail: l10n.t('This file matches pcAdvisor.exclude'), severity: 'information', busy: false, command: 'scan' };
    case 'skipped':
      return { text: icon('circle-slash') + l10n.t('Partner Center: skipped'), detail: status.message ?? l10n.t('This file was not analysed'), severity: 'information', busy: false, command: 'output' };
    case 'error':
      return { text: icon('error') + l10n.t('Partner Center: analysis failed'), detail: status.message ?? l10n.t('See the output for details'), severity: 'error', busy: false, command: 'output' };
    case 'ok':
      break;
  }
  const n = status.throttledCallSites;
  const text =
    n === 0 ? icon('check') + l10n.t('No throttled calls') : n === 1 ? icon('warning') + l10n.t('1 throttled call') : icon('warning') + l10n.t('{0} throttled calls', n);
  const f = status.findings;
  const detail = f === 0 ? l10n.t('No findings in this file') : f === 1 ? l10n.t('1 finding in this file') : l10n.t('{0} findings in this file', f);
  return { text, detail, severity: f > 0 ? 'warning' : 'information', busy: false, command: 'scan' };
}
