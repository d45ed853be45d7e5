/**
 * The text report: findings grouped by file, one per line (`line:col  severity  message  rule`, columns
 * aligned within a file), then a summary. Colours only when asked (a terminal without NO_COLOR).
 */
import type { Severity } from '../catalog/rules';
import type { ReportFinding, ScanReport } from './report';

interface Style {
  file(s: string): string;
  dim(s: string): string;
  severity(sev: Severity, s: string): string;
  bold(s: string): string;
}

const PLAIN: Style = { file: (s) => s, dim: (s) => s, severity: (_v, s) => s, bold: (s) => s };

const sgr = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const COLOR: Style = {
  file: sgr('4'),
  dim: sgr('2'),
  bold: sgr('1'),
  severity: (sev, s) => (sev === 'error' ? sgr('31')(s) : sev === 'warning' ? sgr('33')(s) : sgr('36')(s)),
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatText(report: ScanReport, options: { color: boolean; verbose: boolean }): string {
  const st = options.color ? COLOR : PLAIN;
  const out: string[] = [];
  const groups = new Map<string, ReportFinding[]>();
  for (const f of report.findings) {
    let g = groups.get(f.file);
    if (!g) groups.set(f.file, (g = []));
    g.push(f);
  }
  for (const [file, findings] of groups) {
    out.push(st.file(file));
    const pos = findings.map((f) => `${f.line}:${f.column}`);
    const posWidth = Math.max(...pos.map((p) => p.length));
    const sevWidth = Math.max(...findings.map((f) => f.severity.length));
    findings.forEach((f, i) => {
      const where = st.dim(pos[i].padEnd(posWidth));
      const sev = st.severity(f.severity, f.severity.padEnd(sevWidth));
      out.push(`  ${where}  ${sev}  ${f.message}  ${st.dim(f.rule)}`);
    });
    out.push('');
  }
  if (options.verbose && report.skipped.length > 0) {
    out.push(st.bold('Skipped'));
    for (const s of report.skipped) out.push(`  ${s.file}  ${st.dim(s.message)}`);
    out.push('');
  }

  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of report.findings) counts[f.severity]++;
  const parts = (['error', 'warning', 'information', 'hint'] as const)
    .filter((s) => counts[s] > 0 || s === 'error' || s === 'warning')
    .map((s) => plural(counts[s], s === 'information' ? 'information' : s, s === 'information' ? 'information' : `${s}s`));
  const scanned = `${plural(report.filesScanned, 'file')} scanned`;
  const extra: string[] = [];
  if (report.skipped.length > 0) extra.push(`${plural(report.skipped.length, 'file')} skipped${options.verbose ? '' : ' (--verbose lists them)'}`);
  if (report.errors.length > 0) extra.push(`${plural(report.errors.length, 'path')} could not be read`);
  const tail = [scanned, ...extra].join(', ');
  if (report.findings.length === 0) {
    out.push(`No problems found (${tail}).`);
  } else {
    const summary = `${plural(report.findings.length, 'problem')} (${parts.join(', ')}) in ${plural(groups.size, 'file')}`;
    out.push(`${st.bold(summary)}; ${tail}.`);
  }
  return out.join('\n') + '\n';
}
