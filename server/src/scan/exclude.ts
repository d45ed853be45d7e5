/**
 * Exclusion globs (picomatch), shared by the CLI's `--exclude` and the server's `pcAdvisor.exclude`.
 * Paths are '/'-separated and relative (to the current directory or the workspace folder). A pattern
 * without a slash also matches a file or folder name anywhere (`*.min.js`, `generated`), as in
 * `.gitignore`; a pattern with a slash matches the relative path or one of its folders (`src/generated`,
 * `src/**` followed by a file glob).
 */
import picomatch from 'picomatch';

export type PathMatcher = (relPath: string) => boolean;

/** Never matches: for an empty list. */
const NOTHING: PathMatcher = () => false;

/**
 * Compiles the patterns. Invalid patterns are reported through `onInvalid` and left out (picomatch
 * throws on a few malformed ones).
 */
export function compileExcludes(patterns: readonly string[], onInvalid?: (pattern: string, error: string) => void): PathMatcher {
  const full: picomatch.Matcher[] = [];
  const base: picomatch.Matcher[] = [];
  for (const raw of patterns) {
    const p = raw.trim().replace(/\\/g, '/').replace(/^\.\//, '');
    if (!p) continue;
    try {
      // A trailing slash means "a folder of this name": it and everything under it.
      let name = p;
      while (name.endsWith('/')) name = name.slice(0, -1);
      if (!name) continue;
      if (name.includes('/')) full.push(picomatch(p.endsWith('/') ? `${name}/**` : name, { dot: true }));
      else base.push(picomatch(name, { dot: true }));
    } catch (e) {
      onInvalid?.(raw, e instanceof Error ? e.message : String(e));
    }
  }
  if (full.length === 0 && base.length === 0) return NOTHING;
  return (relPath: string) => {
    const rel = relPath.replace(/\\/g, '/');
    if (full.length > 0) {
      // The path or one of its folders (`src/generated` excludes `src/generated/a.ts`).
      for (let end = rel.indexOf('/'); ; end = rel.indexOf('/', end + 1)) {
        const prefix = end < 0 ? rel : rel.slice(0, end);
        for (const m of full) if (m(prefix)) return true;
        if (end < 0) break;
      }
    }
    if (base.length > 0) {
      // Any segment of the path (a folder name or the file name).
      for (const seg of rel.split('/')) {
        if (!seg) continue;
        for (const m of base) if (m(seg)) return true;
      }
    }
    return false;
  };
}
