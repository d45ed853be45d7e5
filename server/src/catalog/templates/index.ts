/**
 * Snippet sets per VS Code language id, built from the same templates as the quick fixes.
 * scripts/snippets.ts writes them to snippets/<file>.json; a unit test checks they are current and parse.
 */
import type { GrammarName } from '../../engine/parser';
import type { SnippetSpec } from './types';
import { csSnippets } from './csharp';
import { goSnippets } from './go';
import { javaSnippets } from './java';
import { psSnippets } from './powershell';
import { pySnippets } from './python';
import { tsSnippets } from './typescript';

export interface SnippetSet {
  /** File under snippets/. */
  file: string;
  /** VS Code language ids the file is contributed for. */
  languages: string[];
  /** Grammar the bodies must parse with (null: not checked). */
  grammar: GrammarName | null;
  specs: SnippetSpec[];
}

export const SNIPPET_SETS: SnippetSet[] = [
  { file: 'typescript.json', languages: ['typescript', 'typescriptreact'], grammar: 'typescript', specs: tsSnippets(true) },
  { file: 'javascript.json', languages: ['javascript', 'javascriptreact'], grammar: 'javascript', specs: tsSnippets(false) },
  { file: 'csharp.json', languages: ['csharp'], grammar: 'c-sharp', specs: csSnippets() },
  { file: 'python.json', languages: ['python'], grammar: 'python', specs: pySnippets() },
  { file: 'powershell.json', languages: ['powershell'], grammar: 'powershell', specs: psSnippets() },
  { file: 'java.json', languages: ['java'], grammar: 'java', specs: javaSnippets() },
  { file: 'go.json', languages: ['go'], grammar: 'go', specs: goSnippets() },
];

const TOKEN = /\u0001(\d{1,3})\u0002([^\u0003\u0001]{0,400})\u0003/g;

function token(n: number, name: string): string {
  return `\u0001${n}\u0002${name}\u0003`;
}

const escapeText = (s: string): string => s.replace(/[\\$}]/g, (c) => `\\${c}`);

/** The VS Code snippet body (one string per line). */
export function snippetBody(spec: SnippetSpec): string[] {
  const code = spec.body(token);
  let out = '';
  let last = 0;
  for (const m of code.matchAll(TOKEN)) {
    out += escapeText(code.slice(last, m.index)) + `\${${m[1]}:${escapeText(m[2])}}`;
    last = m.index! + m[0].length;
  }
  out += escapeText(code.slice(last));
  return out.split('\n');
}

/** The code a snippet inserts when every placeholder keeps its default. */
export function snippetDefaultCode(spec: SnippetSpec): string {
  return spec.body(token).replace(TOKEN, (_m, _n, name: string) => name);
}

export function snippetFile(set: SnippetSet): Record<string, { prefix: string; body: string[]; description: string }> {
  const out: Record<string, { prefix: string; body: string[]; description: string }> = {};
  for (const spec of set.specs) out[spec.name] = { prefix: spec.prefix, body: snippetBody(spec), description: spec.description };
  return out;
}
