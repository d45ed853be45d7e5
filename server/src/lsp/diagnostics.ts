/** Engine findings as LSP diagnostics. */
import { Diagnostic, DiagnosticSeverity, type Position } from 'vscode-languageserver/node';
import type { Severity } from '../catalog/rules';
import type { AnalysisResult, Finding } from '../engine/types';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  const data: DiagnosticData = { rule: f.rule, operation: f.operation };
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: f.docUrl },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data,
  };
}

/** The one information diagnostic of a document that was not (completely) analysed, at its start. */
export function skippedDiagnostic(why: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    message: why,
  };
}

export function toDiagnostics(result: AnalysisResult): Diagnostic[] {
  const out = result.findings.map(toDiagnostic);
  if (result.skipped) out.unshift(skippedDiagnostic(result.skipped));
  return out;
}

/**
 * The finding behind one of our diagnostics (same rule, operation and range) in an analysis of the same
 * text; for code actions, which get the diagnostics back from the client.
 */
export function findingOf(result: AnalysisResult, d: Diagnostic): Finding | undefined {
  const data = diagnosticData(d);
  if (!data) return undefined;
  const same = (a: Position, b: Position) => a.line === b.line && a.character === b.character;
  return result.findings.find(
    (f) => f.rule === data.rule && f.operation === data.operation && same(f.range.start, d.range.start) && same(f.range.end, d.range.end),
  );
}

/** Whether a diagnostic is one of ours with a finding behind it (for code actions). */
export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (d.source !== DIAGNOSTIC_SOURCE || !data || typeof data.rule !== 'string' || typeof data.operation !== 'string') return undefined;
  return { rule: data.rule, operation: data.operation };
}
