/** Hovers on recognised call sites (flagged or not): what the operation is, whether it is throttled, links. */
import type { Hover, MarkupKind } from 'vscode-languageserver/node';
import { operation } from '../catalog/operations';
import { hoverMarkdown, type Lang } from '../catalog/text';
import { LineIndex } from '../engine/engine';
import type { AnalysisResult, Recognition } from '../engine/types';

/**
 * The innermost recognised call covering `offset` (a position at the end of a call still counts): the
 * smallest call span, so that a call nested in the argument of another wins.
 */
export function recognitionAt(result: AnalysisResult, offset: number): Recognition | undefined {
  let best: Recognition | undefined;
  let bestSize = Infinity;
  for (const r of result.recognitions) {
    const spans = [r.site.call, r.site.span];
    const covers = spans.some((s) => s.start <= offset && offset <= s.end);
    if (!covers) continue;
    const size = r.site.call.end - r.site.call.start;
    if (size < bestSize) {
      best = r;
      bestSize = size;
    }
  }
  return best;
}

export function hoverFor(result: AnalysisResult, text: string, offset: number, lang: Lang, format: MarkupKind): Hover | null {
  const r = recognitionAt(result, offset);
  if (!r) return null;
  const op = operation(r.operation);
  if (!op) return null;
  const value = hoverMarkdown({ op, guardName: r.site.guard?.name, loopLabel: r.site.loop?.label, inLoop: !!r.site.loop }, lang);
  // The underlined part when the position is in it, else the whole call.
  const span = r.site.span.start <= offset && offset <= r.site.span.end ? r.site.span : r.site.call;
  return { contents: { kind: format, value }, range: new LineIndex(text).rangeOf(span) };
}
