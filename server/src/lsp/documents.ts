/**
 * Open documents: the text as the client has it (vscode-languageserver-textdocument, incremental updates),
 * the engine document that keeps the syntax tree and re-parses incrementally, and the last analysis with
 * the version it was made for. One `Engine` per document, configured with the settings of the document's
 * scope (settings can differ per workspace folder).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { SUPPORTED_LANGUAGE_IDS } from '../engine/adapters';
import { Engine, type EngineDocument } from '../engine/engine';
import type { AnalysisResult, Range, Span } from '../engine/types';
import type { Settings, StatusParams } from './protocol';
import { uriToFileName } from './uri';

/** The engine's language id for a client's id: ids the engine does not know fall back to the extension. */
export function engineLanguageId(languageId: string): string | undefined {
  return SUPPORTED_LANGUAGE_IDS.includes(languageId) ? languageId : undefined;
}

export interface Analysis {
  version: number;
  state: StatusParams['state'];
  /** Undefined when the document was not analysed (disabled, excluded, unsupported, error). */
  result?: AnalysisResult;
  settings: Settings;
}

export class OpenDocument {
  readonly engine = new Engine();
  readonly fileName: string;
  private textDoc: TextDocument;
  /** Undefined while opening; null when no adapter handles the document. */
  private engineDoc: EngineDocument | null | undefined;
  /** Resolves once the engine document is open (its grammar loaded). */
  readonly ready: Promise<void>;
  /** Bumped by every change and every re-analysis request: a run that sees another value is stale. */
  generation = 0;
  timer: NodeJS.Timeout | undefined;
  last: Analysis | undefined;
  closed = false;
  /** Why the engine document could not be opened (a grammar failed to load…). */
  openError: string | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    version: number,
    text: string,
    onOpenError: (e: unknown) => void,
  ) {
    this.fileName = uriToFileName(uri);
    this.textDoc = TextDocument.create(uri, languageId, version, text);
    this.ready = this.engine
      .openDocument(this.fileName, engineLanguageId(languageId), text)
      .then(
        (doc) => {
          if (this.closed) {
            doc?.dispose();
            return;
          }
          this.engineDoc = doc ?? null;
          // Changes that arrived while the grammar was loading.
          if (doc && doc.text !== this.textDoc.getText()) doc.applyChanges([{ text: this.textDoc.getText() }]);
        },
        (e) => {
          this.engineDoc = null;
          this.openError = e instanceof Error ? e.message : String(e);
          onOpenError(e);
        },
      );
  }

  get version(): number {
    return this.textDoc.version;
  }

  get text(): string {
    return this.textDoc.getText();
  }

  get textDocument(): TextDocument {
    return this.textDoc;
  }

  /** The engine document (with its tree), once open; undefined when no adapter handles this document. */
  get engineDocument(): EngineDocument | undefined {
    return this.engineDoc ?? undefined;
  }

  /** Whether the engine analyses this document (known once `ready` resolved). */
  get supported(): boolean {
    return !!this.engineDoc;
  }

  /**
   * Applies the client's changes (in order, LSP semantics) to the text and the engine document.
   * Returns false when the two disagreed afterwards and the engine document was re-synchronised.
   */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): boolean {
    this.textDoc = TextDocument.update(this.textDoc, [...changes], version);
    this.generation++;
    const doc = this.engineDoc;
    if (!doc) return true;
    doc.applyChanges(changes);
    if (doc.text !== this.textDoc.getText()) {
      doc.applyChanges([{ text: this.textDoc.getText() }]);
      return false;
    }
    return true;
  }

  /** The analysis of the current version, reusing the last one when it is current. */
  currentResult(settings: Settings): AnalysisResult | undefined {
    if (this.last && this.last.version === this.version && this.last.settings === settings) return this.last.result;
    return this.engineDoc ? this.engineDoc.analyze() : undefined;
  }

  offsetAt(position: { line: number; character: number }): number {
    return this.textDoc.offsetAt(position);
  }

  /** A span of the current text (engine offsets, e.g. a fix's edit) as an LSP range. */
  rangeOf(span: Span): Range {
    return { start: this.textDoc.positionAt(span.start), end: this.textDoc.positionAt(span.end) };
  }

  dispose(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.engineDoc?.dispose();
    this.engineDoc = undefined;
  }
}
