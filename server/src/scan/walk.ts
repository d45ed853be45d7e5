/**
 * Finding the files to scan, for the CLI and the server's workspace scan.
 *
 * Folders are walked depth-first in name order (stable output). Skipped: the usual build, dependency and
 * tool folders (`SKIPPED_DIRS`), paths ignored by `.gitignore` files (nested ones too, and those of the
 * enclosing repository above the scanned folder), paths matching the exclusion globs, and symbolic links
 * that lead out of the scanned folder. A path given explicitly is scanned even in a skipped folder or when
 * git ignores it (not when an exclusion glob matches it); an explicit unsupported file is reported as skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import ignore, { type Ignore } from 'ignore';
import { SUPPORTED_EXTENSIONS } from '../engine/adapters';
import type { PathMatcher } from './exclude';

/** Folders never entered while walking (they can still be scanned by naming them). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'bin',
  'obj',
  'dist',
  'build',
  'out',
  'target',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
]);

const SUPPORTED = new Set(SUPPORTED_EXTENSIONS);

/** Whether the file name has an extension the engine analyses. */
export function isSupportedFile(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && SUPPORTED.has(name.slice(dot).toLowerCase());
}

export type WalkEntry =
  /** A file to analyse. `root` is the explicit path it was found under. */
  | { kind: 'file'; path: string; root: string }
  /** An explicit file that is not analysed (unsupported extension, not a regular file). */
  | { kind: 'skipped'; path: string; reason: string }
  /** A path that could not be read (missing, permission denied…), with a message for people. */
  | { kind: 'error'; path: string; message: string };

export interface WalkOptions {
  /** Exclusion globs, given the path relative to `excludeBase` ('/'-separated). */
  exclude?: PathMatcher;
  /** What exclusion paths are relative to; default: each explicit root folder. */
  excludeBase?: string;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
}

/** A .gitignore's rules, and how to turn a path relative to the scanned root into one relative to it. */
interface IgnoreLayer {
  ig: Ignore;
  /** Prepended to the root-relative path (the root's location below the .gitignore's folder). */
  prefix: string;
  /** Removed from the root-relative path (the .gitignore's folder below the root). */
  strip: number;
}

/** Readable reason for a file system error. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err?.message ?? String(e);
  }
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Reads a .gitignore into `ig`; unreadable files are ignored (git does the same). */
function readIgnoreFile(file: string): Ignore | undefined {
  try {
    return ignore({ allowRelativePaths: true }).add(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The ignore layers that apply to `dir` from outside it: the enclosing git repository's `.git/info/exclude`
 * and the `.gitignore` files of the folders between the repository root and `dir` (`dir`'s own is read while
 * walking). None when `dir` is not in a repository.
 */
function ancestorLayers(dir: string): IgnoreLayer[] {
  const above: string[] = [];
  let cur = dir;
  let repoRoot: string | undefined;
  for (;;) {
    if (fs.existsSync(path.join(cur, '.git'))) {
      repoRoot = cur;
      break;
    }
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
    above.push(cur);
  }
  if (!repoRoot) return [];
  const prefixFrom = (base: string) => (base === dir ? '' : toPosix(path.relative(base, dir)) + '/');
  const layers: IgnoreLayer[] = [];
  const info = readIgnoreFile(path.join(repoRoot, '.git', 'info', 'exclude'));
  if (info) layers.push({ ig: info, prefix: prefixFrom(repoRoot), strip: 0 });
  // Outermost first, so that deeper files can re-include what outer ones ignore.
  for (const d of above.reverse()) {
    const ig = readIgnoreFile(path.join(d, '.gitignore'));
    if (ig) layers.push({ ig, prefix: prefixFrom(d), strip: 0 });
  }
  return layers;
}

function ignoredBy(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const l of layers) {
    const p = l.prefix + rel.slice(l.strip) + (isDir ? '/' : '');
    const r = l.ig.test(p);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/**
 * Walks the given paths (files or folders) and yields the files to analyse, the explicit files skipped and
 * the paths that could not be read, in order. Synchronous: directory listing is cheap next to analysis,
 * and the caller decides when to yield to its event loop.
 */
export function* walk(paths: readonly string[], options: WalkOptions = {}): Generator<WalkEntry> {
  const useGitignore = options.gitignore !== false;
  for (const given of paths) {
    const abs = path.resolve(given);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      yield { kind: 'error', path: given, message: describeFsError(e) };
      continue;
    }
    if (st.isFile()) {
      // Exclusion globs are the user's own: they apply to explicit files too (`git diff --name-only | xargs …`).
      if (options.exclude) {
        const base = options.excludeBase ? path.resolve(options.excludeBase) : path.dirname(abs);
        if (options.exclude(isInside(abs, base) ? toPosix(path.relative(base, abs)) : toPosix(abs))) continue;
      }
      if (isSupportedFile(abs)) yield { kind: 'file', path: abs, root: abs };
      else yield { kind: 'skipped', path: abs, reason: `unsupported file type${path.extname(abs) ? ` (${path.extname(abs)})` : ''}` };
      continue;
    }
    if (!st.isDirectory()) {
      yield { kind: 'skipped', path: abs, reason: 'not a regular file or folder' };
      continue;
    }
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch (e) {
      yield { kind: 'error', path: given, message: describeFsError(e) };
      continue;
    }
    const base = options.excludeBase ? path.resolve(options.excludeBase) : abs;
    const excludePrefix = options.exclude && isInside(abs, base) && abs !== base ? toPosix(path.relative(base, abs)) + '/' : '';
    const exclude = options.exclude
      ? isInside(abs, base)
        ? (rel: string) => options.exclude!(excludePrefix + rel)
        : (rel: string) => options.exclude!(toPosix(path.join(abs, rel)))
      : undefined;
    yield* walkDir(abs, real, useGitignore ? ancestorLayers(abs) : [], useGitignore, exclude);
  }
}

function* walkDir(
  root: string,
  realRoot: string,
  outerLayers: IgnoreLayer[],
  useGitignore: boolean,
  exclude: ((rel: string) => boolean) | undefined,
): Generator<WalkEntry> {
  // Real paths of the folders and files met, so that a link inside the root yields nothing twice.
  const seenDirs = new Set<string>([realRoot]);
  const seenFiles = new Set<string>();
  interface Frame {
    dir: string;
    real: string;
    rel: string;
    layers: IgnoreLayer[];
  }
  // Explicit stack (no recursion limit on deep trees); each frame lists one folder.
  const stack: Frame[] = [{ dir: root, real: realRoot, rel: '', layers: outerLayers }];
  while (stack.length > 0) {
    const { dir, real, rel, layers: parentLayers } = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      yield { kind: 'error', path: dir, message: describeFsError(e) };
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let layers = parentLayers;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const ig = readIgnoreFile(path.join(dir, '.gitignore'));
      if (ig) layers = [...parentLayers, { ig, prefix: '', strip: rel.length }];
    }
    const subdirs: Frame[] = [];
    for (const ent of entries) {
      const name = ent.name;
      let isDir = ent.isDirectory();
      let isFile = ent.isFile();
      let target = real + path.sep + name;
      if (ent.isSymbolicLink()) {
        // Follow a link only when it stays inside the scanned folder.
        try {
          target = fs.realpathSync(path.join(dir, name));
          const st = fs.statSync(target);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling or looping link
        }
        if (!isInside(target, realRoot)) continue;
      }
      const entRel = rel + name;
      if (isDir) {
        if (SKIPPED_DIRS.has(name)) continue;
        if (layers.length > 0 && ignoredBy(layers, entRel, true)) continue;
        if (exclude?.(entRel)) continue;
        if (seenDirs.has(target)) continue;
        seenDirs.add(target);
        subdirs.push({ dir: path.join(dir, name), real: target, rel: entRel + '/', layers });
      } else if (isFile) {
        if (!isSupportedFile(name)) continue;
        if (layers.length > 0 && ignoredBy(layers, entRel, false)) continue;
        if (exclude?.(entRel)) continue;
        if (seenFiles.has(target)) continue;
        seenFiles.add(target);
        yield { kind: 'file', path: path.join(dir, name), root };
      }
    }
    // Depth-first in name order: push in reverse so that the first folder is listed next.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
}
