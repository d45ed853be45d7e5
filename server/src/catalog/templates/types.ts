/**
 * Code templates: the code the quick fixes insert and the snippets offer, from one source. Templates are
 * written with two-space indentation and `\n`; `SourceText.block` re-indents them to the file's style.
 *
 * Snippets are generated from the same functions (scripts/snippets.ts): parameters are passed as
 * placeholder tokens, the code is escaped for the snippet syntax, then the tokens become `${n:name}`.
 */
export interface SnippetSpec {
  /** `pc-…` */
  prefix: string;
  name: string;
  description: string;
  /** Builds the body; `p(n, name)` returns a placeholder token for tab stop n. */
  body: (p: (n: number, name: string) => string) => string;
}
