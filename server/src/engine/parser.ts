/**
 * Tree-sitter runtime and grammars (the ones VS Code itself ships, @vscode/tree-sitter-wasm).
 * The runtime is initialised once; each grammar is loaded once, lazily, on first use.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { isMainThread } from 'worker_threads';
import { Language, Parser, type Tree } from 'web-tree-sitter';

export type GrammarName = 'c-sharp' | 'typescript' | 'tsx' | 'javascript' | 'python' | 'java' | 'go' | 'powershell';

function candidateDirs(): string[] {
  const dirs: string[] = [];
  const env = process.env.PC_ADVISOR_WASM_DIR;
  if (env) dirs.push(env);
  // Bundled layout: dist/<bundle>.js next to dist/wasm/.
  dirs.push(path.join(__dirname, 'wasm'));
  try {
    dirs.push(path.join(path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm'));
  } catch {
    /* not installed: bundled layout only */
  }
  return dirs;
}

let wasmDir: string | undefined;

function grammarDir(): string {
  if (wasmDir) return wasmDir;
  for (const d of candidateDirs()) {
    if (fs.existsSync(path.join(d, 'tree-sitter-python.wasm'))) return (wasmDir = d);
  }
  throw new Error(`Partner Center Advisor: tree-sitter grammars not found (looked in ${candidateDirs().join(', ')})`);
}

function runtimeWasm(): string | undefined {
  const local = path.join(__dirname, 'wasm', 'web-tree-sitter.wasm');
  if (fs.existsSync(local)) return local;
  try {
    return path.join(path.dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
  } catch {
    return undefined;
  }
}

let initPromise: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();
const parsers = new Map<GrammarName, Parser>();

/**
 * V8 compiles WebAssembly twice: a quick baseline (Liftoff), then optimised code (TurboFan), in the background,
 * for the functions that run often. Which modules may be optimised is decided when each is compiled, by the
 * flags of that moment, so the runtime and the grammars are treated apart:
 *  - the runtime (web-tree-sitter.wasm, 210 KB: the parser's loop, its stacks and trees, where most of a parse's
 *    time goes) may be optimised. It is compiled whole at once, so that every function carries the counters that
 *    send it to the optimiser. Measured: parses 23 % faster on the benchmark's scan (1.62 s down to 1.25 s), a
 *    TypeScript keystroke in a 5,000-line file 3.4 ms instead of 4.2, memory the same;
 *  - the grammars are not (`--liftoff-only` before the first one loads). Their lexers are huge functions:
 *    optimising them took seconds of background compilation (PowerShell's most) and about 80 MB of resident
 *    memory in a server that had parsed a few languages, for parses hardly faster.
 * V8's flags belong to the process: the main thread decides; a worker thread only makes sure the grammars it
 * loads stay at the baseline (its runtime is the main thread's, from V8's module cache, when that is compiled).
 * `PC_ADVISOR_WASM_TIER_UP=1` leaves V8's defaults (everything may be optimised).
 */
function runtimeFlags(): { before: string[]; after: string[] } {
  if (process.env.PC_ADVISOR_WASM_TIER_UP === '1') return { before: [], after: [] };
  if (!isMainThread) return { before: ['--liftoff-only'], after: [] };
  return { before: ['--no-wasm-lazy-compilation'], after: ['--wasm-lazy-compilation', '--liftoff-only'] };
}

function setFlags(flags: readonly string[]): void {
  for (const f of flags) {
    try {
      v8.setFlagsFromString(f);
    } catch {
      /* an engine without the flag: its default */
    }
  }
}

export function initRuntime(): Promise<void> {
  if (!initPromise) {
    const flags = runtimeFlags();
    setFlags(flags.before);
    const wasm = runtimeWasm();
    initPromise = Parser.init(wasm ? { locateFile: () => wasm } : undefined).finally(() => setFlags(flags.after));
  }
  return initPromise;
}

export function loadLanguage(name: GrammarName): Promise<Language> {
  let p = languages.get(name);
  if (!p) {
    p = initRuntime().then(() => Language.load(path.join(grammarDir(), `tree-sitter-${name}.wasm`)));
    languages.set(name, p);
    p.catch(() => languages.delete(name));
  }
  return p;
}

/** One parser per grammar, reused (parsing is synchronous, so sharing is safe). */
export async function parserFor(name: GrammarName): Promise<Parser> {
  let parser = parsers.get(name);
  if (parser) return parser;
  const lang = await loadLanguage(name);
  parser = parsers.get(name);
  if (parser) return parser;
  parser = new Parser();
  parser.setLanguage(lang);
  parsers.set(name, parser);
  return parser;
}

/** The parser of a grammar already loaded (documents load theirs when opened, so edits stay synchronous). */
/**
 * Replaces a grammar's parser with a new one (the language stays loaded). Used when a parse failed inside
 * WebAssembly (a RuntimeError): the old parser's state cannot be trusted afterwards.
 */
export function renewParser(name: GrammarName): Parser | undefined {
  const old = parsers.get(name);
  const lang = old?.language;
  if (!old || !lang) return undefined;
  try {
    old.delete();
  } catch {
    /* already unusable */
  }
  const parser = new Parser();
  parser.setLanguage(lang);
  parsers.set(name, parser);
  return parser;
}

export function loadedParser(name: GrammarName): Parser | undefined {
  return parsers.get(name);
}

/** Error recovery can nest a broken file this deep; real code, even generated, stays far below. */
export const MAX_ERROR_TREE_DEPTH = 256;

/**
 * Whether a tree with syntax errors holds a node deeper than `limit`. The runtime's C stack is about 80 KB and
 * some tree-sitter functions (the one behind `Node.parent` among them) recurse along the path from the root: on
 * the deep, error-recovered trees of some broken files (a 37 K-character mutated file nested one chain 1,094
 * levels deep) they overflow it and WebAssembly traps ("memory access out of bounds"). The overflow has written
 * over the runtime's memory by then: even with the stack pointer put back, later parses in the process fail or
 * give wrong trees. So such a tree is not analysed at all.
 *
 * Error-free trees are not checked (deep ones, such as a 3,000-term concatenation, do not trigger it), and the walk
 * only goes into subtrees with enough nodes to reach the limit, so it visits a few hundred nodes of a 5,000-line
 * file. It runs on every keystroke that leaves an error (a half-typed word), so it moves a cursor and reads
 * integers only: a subtree's size is the difference between the pre-order indices of a node and its next sibling,
 * which costs no node objects (a third of the time of asking each child for its `descendantCount`).
 */
export function tooDeep(tree: Tree, limit = MAX_ERROR_TREE_DEPTH): boolean {
  const root = tree.rootNode;
  if (!root.hasError) return false;
  const total = root.descendantCount;
  if (total <= limit) return false;
  const cursor = tree.walk();
  try {
    // Subtrees still to look into: pre-order index of their root (the tree's root is 0), depth, size.
    const todo: number[][] = [[0, 0, total]];
    for (let frame = todo.pop(); frame; frame = todo.pop()) {
      const [index, depth, size] = frame;
      if (depth >= limit) return true;
      cursor.gotoDescendant(index);
      if (!cursor.gotoFirstChild()) continue;
      const end = index + size;
      let at = index + 1;
      for (;;) {
        const more = cursor.gotoNextSibling();
        const next = more ? cursor.currentDescendantIndex : end;
        if (depth + 1 + (next - at) > limit) todo.push([at, depth + 1, next - at]);
        if (!more) break;
        at = next;
      }
    }
    return false;
  } finally {
    cursor.delete();
  }
}
