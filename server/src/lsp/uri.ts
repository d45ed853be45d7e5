/**
 * Document URIs and file paths. `file:` URIs map to paths; other schemes (`untitled:`, notebook cells) have
 * no file on disk but still a name the engine can take an extension from.
 */
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';

/** The file system path of a `file:` URI, else undefined. */
export function uriToPath(uri: string): string | undefined {
  if (!/^file:/i.test(uri)) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** A name for the engine (it uses the extension when the language id is unknown). */
export function uriToFileName(uri: string): string {
  const p = uriToPath(uri);
  if (p) return p;
  try {
    return decodeURIComponent(new URL(uri).pathname) || uri;
  } catch {
    return uri;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
}

/** `child` relative to `folder` ('/'-separated) when it is inside it, else undefined. */
export function relativeInside(folder: string, child: string): string | undefined {
  const rel = path.relative(folder, child);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}
