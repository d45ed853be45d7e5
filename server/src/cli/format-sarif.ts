/**
 * The SARIF 2.1.0 report (GitHub code scanning, Azure DevOps, the SARIF viewers). The rules come from the
 * catalog; locations are relative to the scan root (`%SRCROOT%`, the current folder), regions 1-based in
 * UTF-16 code units (SARIF's default column kind, the one editors use).
 */
import { pathToFileURL } from 'url';
import { docUrl, GUIDANCE_DOC } from '../catalog/operations';
import { RULES, type Rule, type Severity } from '../catalog/rules';
import { t, type Lang } from '../catalog/text';
import type { ReportNote, ScanReport } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export function sarifLevel(s: Severity): SarifLevel {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

/** `pc-throttled-in-loop` -> `ThrottledInLoop`. */
function ruleName(id: string): string {
  return id
    .replace(/^pc-/, '')
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function sarifRule(r: Rule, lang: Lang) {
  const title = t(r.title, lang);
  const description = t(r.description, lang);
  const helpUri = docUrl(r.doc);
  const guidance = docUrl(GUIDANCE_DOC);
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: title },
    fullDescription: { text: description },
    helpUri,
    help: {
      text: `${description}\n\n${helpUri}`,
      markdown: `**${title}**\n\n${description}\n\n[Documentation](${helpUri})${helpUri === guidance ? '' : ` · [Throttling guidance](${guidance})`}`,
    },
    defaultConfiguration: { level: sarifLevel(r.severity) },
    properties: {
      tags: ['partner-center', r.id === 'pc-missing-agreement-type' ? 'correctness' : 'reliability'],
      precision: 'high',
    },
  };
}

/** A relative path as a URI reference (each segment percent-encoded). */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Where a file is: relative to %SRCROOT% when it is inside the root, else an absolute file URI. */
function artifactLocation(file: string, abs: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('../') || file === '..' || /^[A-Za-z]:/.test(file) || file.startsWith('/')) return { uri: pathToFileURL(abs).href };
  return { uri: relativeUri(file), uriBaseId: SRCROOT };
}

export interface SarifOptions {
  version: string;
  informationUri: string;
  locale: string;
  lang: Lang;
}

export function buildSarif(report: ScanReport, options: SarifOptions) {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const rootUri = pathToFileURL(report.root).href.replace(/\/?$/, '/');
  const notification = (n: ReportNote, level: SarifLevel) => ({
    level,
    message: { text: `${n.file}: ${n.message}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file, n.path) } }],
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'pc-advisor',
            fullName: 'Partner Center Advisor',
            version: options.version,
            semanticVersion: options.version,
            informationUri: options.informationUri,
            rules: RULES.map((r) => sarifRule(r, options.lang)),
          },
        },
        language: options.locale,
        columnKind: 'utf16CodeUnits' as const,
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: [
              ...report.errors.map((e) => notification(e, 'error')),
              ...report.skipped.map((s) => notification(s, 'note')),
            ],
          },
        ],
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule)!,
          level: sarifLevel(f.severity),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file, f.path),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          properties: { operation: f.operation, docUrl: f.docUrl },
        })),
      },
    ],
  };
}

export function formatSarif(report: ScanReport, options: SarifOptions): string {
  return JSON.stringify(buildSarif(report, options), null, 2) + '\n';
}
