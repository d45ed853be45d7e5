/**
 * What a scan found, independent of the output format: findings with 1-based positions and paths relative
 * to the scan root (the current folder), files skipped and paths that could not be read.
 */
import * as path from 'path';
import type { RuleId, Severity } from '../catalog/rules';
import type { OperationSlug } from '../catalog/operations';
import type { Finding } from '../engine/types';

export interface ReportFinding {
  /** '/'-separated, relative to the root (`../` when outside it). */
  file: string;
  /** Absolute path. */
  path: string;
  /** 1-based; columns count UTF-16 code units, like editors and SARIF's default. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: RuleId;
  operation: OperationSlug;
  severity: Severity;
  message: string;
  docUrl: string;
}

export interface ReportNote {
  file: string;
  path: string;
  /** Why the file was not (completely) analysed, or could not be read. */
  message: string;
}

export interface ScanReport {
  /** Absolute path of the folder paths are relative to. */
  root: string;
  findings: ReportFinding[];
  /** Files not analysed (unsupported, too large, binary) or analysed only in part. */
  skipped: ReportNote[];
  /** Paths that could not be read. */
  errors: ReportNote[];
  /** Files analysed (with or without findings). */
  filesScanned: number;
}

/** The path as shown to people and in reports: relative to the root, '/'-separated. */
export function displayPath(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  const shown = rel === '' ? path.basename(abs) : rel;
  return path.sep === '/' ? shown : shown.split(path.sep).join('/');
}

export function toReportFinding(root: string, abs: string, f: Finding): ReportFinding {
  return {
    file: displayPath(root, abs),
    path: abs,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    rule: f.rule,
    operation: f.operation,
    severity: f.severity,
    message: f.message,
    docUrl: f.docUrl,
  };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Severity rank: lower is more severe. */
export function severityRank(s: Severity): number {
  return ORDER[s];
}

/** Sorts findings by file, then position (reports are stable whatever the file system's order). */
export function sortReport(report: ScanReport): void {
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  report.findings.sort((a, b) => byFile(a, b) || a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  report.skipped.sort(byFile);
}
