/**
 * Code actions: the engine's fixes for the diagnostics in the request, as quick fixes with versioned
 * WorkspaceEdits (an edit made for an older version of the document is refused by the client); "Fix all
 * agreementType problems" as a quick fix and as `source.fixAll.pcAdvisor` for `editor.codeActionsOnSave`.
 */
import {
  CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { fixTitle, type Lang } from '../catalog/text';
import { LineIndex, type EngineDocument } from '../engine/engine';
import type { Fix } from '../engine/fixes';
import type { AnalysisResult, Finding } from '../engine/types';
import { diagnosticData } from './diagnostics';

/** The code action kind of our fix-all (a sub-kind of `source.fixAll`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.pcAdvisor`;

/** Server command that opens a documentation page in the user's browser (window/showDocument). */
export const OPEN_DOCS_COMMAND = 'pcAdvisor.server.openDocs';

export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, FIX_ALL_KIND];

export interface CodeActionContext {
  uri: string;
  version: number;
  /** The engine document at `version` (its text is the client's text). */
  doc: EngineDocument;
  /** The analysis of that same text. */
  result: AnalysisResult;
  lang: Lang;
  /** Computes the text after every safe fix (the engine's fixAll). */
  fixAll: (text: string) => Promise<string>;
}

function sameRange(d: Diagnostic, f: Finding): boolean {
  return (
    d.range.start.line === f.range.start.line &&
    d.range.start.character === f.range.start.character &&
    d.range.end.line === f.range.end.line &&
    d.range.end.character === f.range.end.character
  );
}

function workspaceEdit(ctx: CodeActionContext, edits: TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri: ctx.uri, version: ctx.version }, edits }] };
}

function textEdits(ctx: CodeActionContext, fix: Fix, lines: LineIndex): TextEdit[] {
  return fix.edits.map((e) => ({ range: lines.rangeOf(e.span), newText: e.newText }));
}

/** One edit that turns `before` into `after` (common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  // Do not split a surrogate pair or a CRLF.
  while (start > 0 && (/[\uDC00-\uDFFF]/.test(before[start]) || (before[start] === '\n' && before[start - 1] === '\r'))) start--;
  return { start, end: endB, newText: after.slice(start, endA) };
}

async function fixAllAction(ctx: CodeActionContext, kind: string, diagnostics: Diagnostic[]): Promise<CodeAction | undefined> {
  const before = ctx.doc.text;
  const after = await ctx.fixAll(before);
  if (after === before) return undefined;
  const e = minimalEdit(before, after);
  const lines = new LineIndex(before);
  const action = CodeAction.create(fixTitle('fix-all', ctx.lang), workspaceEdit(ctx, [{ range: lines.rangeOf(e), newText: e.newText }]), kind);
  if (diagnostics.length) action.diagnostics = diagnostics;
  return action;
}

export async function codeActions(ctx: CodeActionContext, params: CodeActionParams): Promise<CodeAction[]> {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const out: CodeAction[] = [];

  // Fix-all on save (`editor.codeActionsOnSave: { "source.fixAll.pcAdvisor": "explicit" }`).
  if (only && wants(FIX_ALL_KIND) && !wants(CodeActionKind.QuickFix)) {
    const a = await fixAllAction(ctx, FIX_ALL_KIND, []);
    return a ? [a] : [];
  }
  if (!wants(CodeActionKind.QuickFix)) return out;

  const lines = new LineIndex(ctx.doc.text);
  const agreementDiagnostics: Diagnostic[] = [];
  for (const d of params.context.diagnostics) {
    const data = diagnosticData(d);
    if (!data) continue;
    const finding = ctx.result.findings.find((f) => f.rule === data.rule && f.operation === data.operation && sameRange(d, f));
    if (!finding) continue;
    if (finding.rule === 'pc-missing-agreement-type') agreementDiagnostics.push(d);
    for (const fix of ctx.doc.fixes(finding)) {
      if (fix.kind === 'docs') {
        const a = CodeAction.create(fix.title, { title: fix.title, command: OPEN_DOCS_COMMAND, arguments: [fix.url] }, CodeActionKind.QuickFix);
        a.diagnostics = [d];
        out.push(a);
        continue;
      }
      if (fix.edits.length === 0) continue;
      const a = CodeAction.create(fix.title, workspaceEdit(ctx, textEdits(ctx, fix, lines)), CodeActionKind.QuickFix);
      a.diagnostics = [d];
      if (fix.preferred) a.isPreferred = true;
      out.push(a);
    }
  }
  // "Fix all agreementType problems in this file", when there is more than the one under the cursor.
  const agreementFindings = ctx.result.findings.filter((f) => f.rule === 'pc-missing-agreement-type').length;
  if (agreementDiagnostics.length > 0 && agreementFindings > 1) {
    const a = await fixAllAction(ctx, CodeActionKind.QuickFix, agreementDiagnostics);
    if (a) out.push(a);
  }
  return out;
}
