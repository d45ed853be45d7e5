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
import { applyEdits, type Fix } from '../engine/fixes';
import type { AnalysisResult } from '../engine/types';
import { findingOf } from './diagnostics';

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
  /**
   * The client takes versioned `documentChanges` (all current editors do); else plain `changes`, whose
   * staleness only the server's own version check guards.
   */
  documentChanges: boolean;
}

function workspaceEdit(ctx: CodeActionContext, edits: TextEdit[]): WorkspaceEdit {
  if (!ctx.documentChanges) return { changes: { [ctx.uri]: edits } };
  return { documentChanges: [{ textDocument: { uri: ctx.uri, version: ctx.version }, edits }] };
}

/**
 * A fix's edits as LSP text edits. LSP applies edits of one TextDocumentEdit to the original text, and
 * inserts at the same position in array order; the engine's edits are applied from the end. When two
 * edits touch the same offset the two semantics could disagree, so such a fix becomes one edit of the
 * whole changed region (computed with the engine's own applyEdits).
 */
export function fixTextEdits(text: string, fix: Fix, lines: LineIndex): TextEdit[] {
  const spans = fix.edits.map((e) => e.span).sort((a, b) => a.start - b.start);
  const touching = spans.some((s, i) => i > 0 && s.start <= spans[i - 1].end);
  if (!touching) return fix.edits.map((e) => ({ range: lines.rangeOf(e.span), newText: e.newText }));
  const e = minimalEdit(text, applyEdits(text, fix.edits));
  return [{ range: lines.rangeOf(e), newText: e.newText }];
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
  // Do not split a surrogate pair or a CRLF at either end.
  const splits = (i: number) =>
    i > 0 && i < before.length && ((/[\uDC00-\uDFFF]/.test(before[i]) && /[\uD800-\uDBFF]/.test(before[i - 1])) || (before[i] === '\n' && before[i - 1] === '\r'));
  while (splits(start)) start--;
  while (splits(endB)) {
    endB++;
    endA++;
  }
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

/** Whether a requested `only` list admits a kind (`only: ['source']` admits `source.fixAll.pcAdvisor`). */
export function kindWanted(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/**
 * The code actions for a request: quick fixes for our diagnostics in `params.context.diagnostics` (those
 * whose finding is in the current analysis: a diagnostic of another version matches nothing), and the
 * fix-all, as a quick fix when there is more than one agreementType finding and as `source.fixAll.pcAdvisor`
 * when that kind is asked for explicitly (`editor.codeActionsOnSave`, "Source Action…").
 */
export async function codeActions(ctx: CodeActionContext, params: CodeActionParams): Promise<CodeAction[]> {
  const only = params.context.only;
  const out: CodeAction[] = [];

  if (kindWanted(only, CodeActionKind.QuickFix)) {
    const lines = new LineIndex(ctx.doc.text);
    const agreementDiagnostics: Diagnostic[] = [];
    for (const d of params.context.diagnostics ?? []) {
      const finding = findingOf(ctx.result, d);
      if (!finding) continue;
      if (finding.rule === 'pc-missing-agreement-type') agreementDiagnostics.push(d);
      for (const fix of ctx.doc.fixes(finding)) {
        if (fix.kind === 'docs') {
          if (!fix.url) continue;
          const a = CodeAction.create(fix.title, { title: fix.title, command: OPEN_DOCS_COMMAND, arguments: [fix.url] }, CodeActionKind.QuickFix);
          a.diagnostics = [d];
          out.push(a);
          continue;
        }
        if (fix.edits.length === 0) continue;
        const a = CodeAction.create(fix.title, workspaceEdit(ctx, fixTextEdits(ctx.doc.text, fix, lines)), CodeActionKind.QuickFix);
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
  }

  // Fix-all on save (`editor.codeActionsOnSave: { "source.fixAll.pcAdvisor": "explicit" }`): only when asked for.
  if (only && kindWanted(only, FIX_ALL_KIND)) {
    const a = await fixAllAction(ctx, FIX_ALL_KIND, []);
    if (a) out.push(a);
  }
  return out;
}
