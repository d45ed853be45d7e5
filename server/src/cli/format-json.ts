/**
 * The JSON report: an array, one object per finding (file relative to the current folder, 1-based
 * positions). Files that were not analysed, or only in part, follow as `{ "file", "skipped" }` objects
 * (they have no `rule`), so that nothing is silently left out.
 */
import type { ScanReport } from './report';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  operation: string;
  severity: string;
  message: string;
  docUrl: string;
}

export interface JsonSkipped {
  file: string;
  skipped: string;
}

export function formatJson(report: ScanReport): string {
  const items: (JsonFinding | JsonSkipped)[] = report.findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    rule: f.rule,
    operation: f.operation,
    severity: f.severity,
    message: f.message,
    docUrl: f.docUrl,
  }));
  for (const s of report.skipped) items.push({ file: s.file, skipped: s.message });
  return JSON.stringify(items, null, 2) + '\n';
}
