/**
 * Applies an LSP WorkspaceEdit the way an editor does, for tests: `documentChanges` (TextDocumentEdit, with
 * the version check: an edit made for another version of a document is refused) or `changes`. Edits of one
 * document are applied to its original text; inserts at the same position keep their array order;
 * overlapping edits are an error, as in VS Code.
 */
import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver/node';

export interface EditedDocument {
  version: number;
  text: string;
}

/** Offset of an LSP position (UTF-16 code units; \r\n, \n and \r end lines), clamped like editors do. */
export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line && i < text.length) {
    const c = text[i++];
    if (c === '\r') {
      if (text[i] === '\n') i++;
      line++;
    } else if (c === '\n') line++;
  }
  if (line < p.line) return text.length;
  let end = i;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  return Math.min(i + p.character, end);
}

/** The text after a list of edits of one document (LSP semantics). */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits.map((e, index) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText, index }));
  for (const s of spans) if (s.end < s.start) throw new Error(`an edit ends before it starts: ${JSON.stringify(s)}`);
  spans.sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) throw new Error(`overlapping edits at offset ${s.start}`);
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * Applies `edit` to `docs` (by URI) and returns the new texts by URI; throws when a TextDocumentEdit is for
 * a version other than the document's, or names a document that is not there (nothing is applied then).
 */
export function applyWorkspaceEdit(edit: WorkspaceEdit, docs: ReadonlyMap<string, EditedDocument>): Map<string, string> {
  const out = new Map<string, string>();
  const apply = (uri: string, version: number | null | undefined, edits: readonly TextEdit[]) => {
    const doc = docs.get(uri);
    if (!doc) throw new Error(`the edit names a document that is not open: ${uri}`);
    if (version !== undefined && version !== null && version !== doc.version) {
      throw new Error(`the edit is for version ${version} of ${uri}, the document is at version ${doc.version}`);
    }
    out.set(uri, applyTextEdits(out.get(uri) ?? doc.text, edits));
  };
  for (const change of edit.documentChanges ?? []) {
    if (!('textDocument' in change)) throw new Error(`unexpected resource operation ${JSON.stringify(change)}`);
    apply(change.textDocument.uri, change.textDocument.version, change.edits as TextEdit[]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, undefined, edits);
  return out;
}

/** The range of the whole of `text`. */
export function wholeRange(text: string): Range {
  const lines = text.split(/\r\n|\r|\n/);
  return { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}
