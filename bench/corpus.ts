/**
 * The benchmark's corpus: a deterministic (seeded) monorepo of realistic code in C#, PowerShell, Python,
 * TypeScript, JavaScript, Java, Go and REST Client `.http` files, ~5 KB per file on average. A configurable
 * share of the files calls Partner Center (default 2 %); some more are look-alikes (Stripe's
 * /v1/customers/{id}/subscriptions, other /v1/ APIs, commerce words); the rest is ordinary code, with a
 * README and a config file per project.
 *
 * Every planted Partner Center call is recorded with the rule the engine should report (the manifest, written
 * beside the corpus, never inside it: grep would search it). The corpus folder holds an empty `.git` folder,
 * as a checked-out repository does: the enclosing repository's .gitignore (which ignores bench/.corpus/) then
 * does not apply to the tools that scan it.
 *
 *   npx tsx bench/corpus.ts [--out DIR] [--files N] [--share 0.02] [--lookalike 0.1] [--seed N]
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ANCHOR_PATTERN } from '../server/src/engine/prefilter';
import type { LanguageKey } from '../server/src/engine/types';
import { CSharpGen } from './gen/csharp';
import { GoGen } from './gen/go';
import { HttpGen } from './gen/http';
import { JavaGen } from './gen/java';
import { PowerShellGen } from './gen/powershell';
import { PythonGen } from './gen/python';
import { Rng } from './gen/random';
import { Ctx, FileKind, GATE_WORDS, kebab, LanguageGen, NOUNS, PlantedCall } from './gen/types';
import { TypeScriptGen } from './gen/typescript';

export interface CorpusOptions {
  /** Where to write the corpus (created; replaced when its stamp differs). */
  dir: string;
  /** Number of files, non-source files included. */
  files: number;
  /** Share of the files that call Partner Center. */
  share: number;
  /** Share of the files that look like Partner Center code and are not. */
  lookalike: number;
  seed: number;
}

export const DEFAULT_CORPUS = { files: 10_000, share: 0.02, lookalike: 0.1, seed: 20210201 } as const;

export interface CorpusManifest {
  /** Changes whenever the generator's code or the options change. */
  stamp: string;
  options: Omit<CorpusOptions, 'dir'>;
  files: number;
  bytes: number;
  byLanguage: Partial<Record<LanguageKey | 'other', { files: number; bytes: number }>>;
  partnerFiles: number;
  lookalikeFiles: number;
  /** Planted calls by file (corpus-relative, '/'-separated). */
  calls: Record<string, PlantedCall[]>;
  /** Kind of each source file (corpus-relative path). */
  kinds: Record<string, FileKind>;
}

export const GENERATORS: Record<LanguageKey, LanguageGen> = {
  typescript: new TypeScriptGen(true),
  javascript: new TypeScriptGen(false),
  csharp: new CSharpGen(),
  python: new PythonGen(),
  java: new JavaGen(),
  go: new GoGen(),
  powershell: new PowerShellGen(),
  http: new HttpGen(),
};

export const LANGUAGES = Object.keys(GENERATORS) as LanguageKey[];

/** How common each language is in the monorepo. */
const LANGUAGE_WEIGHTS: Record<LanguageKey, number> = {
  typescript: 22,
  javascript: 14,
  csharp: 16,
  python: 14,
  java: 12,
  go: 10,
  powershell: 7,
  http: 5,
};

const GROUP: Record<LanguageKey, string> = {
  typescript: 'web',
  javascript: 'node',
  csharp: 'dotnet',
  python: 'python',
  java: 'jvm',
  go: 'go',
  powershell: 'ops',
  http: 'api-tests',
};

/** Source files per project, about. */
const FILES_PER_PROJECT = 60;

/** Hash of the generator's own sources: a changed template gives a new corpus. */
function generatorHash(): string {
  const h = crypto.createHash('sha256');
  for (const f of [__filename, ...fs.readdirSync(path.join(__dirname, 'gen')).sort().map((x) => path.join(__dirname, 'gen', x))]) {
    h.update(fs.readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

function stampOf(o: Omit<CorpusOptions, 'dir'>): string {
  return `${generatorHash()}:${o.files}:${o.share}:${o.lookalike}:${o.seed}`;
}

export function manifestPath(dir: string): string {
  return `${path.resolve(dir)}.manifest.json`;
}

/**
 * Assembles one source file: header, members until the target size, footer. `partnerCalls` members that call
 * Partner Center are placed at random among the others.
 */
function assemble(gen: LanguageGen, ctx: Ctx, test: boolean, target: { bytes?: number; lines?: number }, partnerCalls: number): string {
  const parts = [gen.header(ctx, test)];
  let size = parts[0].length;
  let lines = 0;
  const count = (s: string) => {
    let n = 0;
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
    return n;
  };
  lines += count(parts[0]);
  const full = () => (target.bytes !== undefined ? size >= target.bytes : lines >= (target.lines ?? 0));
  // Positions (member indexes) of the Partner Center members: spread over the expected number of members.
  const expected = Math.max(partnerCalls, Math.round((target.bytes ?? (target.lines ?? 0) * 40) / 600));
  const at = new Set<number>();
  while (at.size < partnerCalls) at.add(ctx.int(0, Math.max(partnerCalls, expected) - 1));
  let placed = 0;
  for (let i = 0; !full() || placed < partnerCalls; i++) {
    let member: string;
    if (at.has(i)) {
      member = gen.partner(ctx);
      placed++;
    } else if (ctx.kind === 'lookalike' && ctx.chance(0.4)) member = gen.lookalike(ctx);
    else member = gen.plain(ctx, test);
    parts.push(member);
    size += member.length;
    lines += count(member);
  }
  parts.push(gen.footer(ctx, test));
  return parts.join('');
}

/** Non-source files of a project: a README and a config file. */
function projectFiles(rng: Rng, language: LanguageKey, project: string): [string, string][] {
  const readme = `# ${project}\n\nOwned by the ${rng.pick(NOUNS)} team. Build with the usual tooling; see the runbook for releases.\n\n## Configuration\n\n| name | default |\n|---|---|\n| PAGE_SIZE | ${rng.int(10, 200)} |\n| TIMEOUT_SECONDS | ${rng.int(5, 60)} |\n`;
  const config: Record<LanguageKey, [string, string]> = {
    typescript: ['package.json', JSON.stringify({ name: `@contoso/${project}`, version: `1.${rng.int(0, 20)}.0`, private: true, scripts: { build: 'tsc -p .', test: 'mocha' } }, null, 2) + '\n'],
    javascript: ['package.json', JSON.stringify({ name: `@contoso/${project}`, version: `2.${rng.int(0, 20)}.0`, type: 'module', scripts: { start: 'node src/index.js' } }, null, 2) + '\n'],
    csharp: [`${project}.csproj`, `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <Nullable>enable</Nullable>\n  </PropertyGroup>\n</Project>\n`],
    python: ['pyproject.toml', `[project]\nname = "${project}"\nversion = "0.${rng.int(1, 30)}.0"\ndependencies = ["requests>=2.31", "tenacity>=8"]\n`],
    java: ['pom.xml', `<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.contoso</groupId>\n  <artifactId>${project}</artifactId>\n  <version>1.0.${rng.int(0, 99)}</version>\n</project>\n`],
    go: ['go.mod', `module github.com/contoso/${project}\n\ngo 1.22\n`],
    powershell: ['settings.yml', `pageSize: ${rng.int(10, 200)}\noutput: ./out\n`],
    http: ['http-client.env.json', JSON.stringify({ dev: { host: 'http://localhost:8080' } }, null, 2) + '\n'],
  };
  return [['README.md', readme], config[language]];
}

/** Writes the corpus (replacing `dir`) and its manifest. Deterministic: the same options give the same bytes. */
export function generateCorpus(opts: CorpusOptions): CorpusManifest {
  const { dir, ...options } = opts;
  if (!(options.files >= 1) || !(options.share >= 0 && options.share <= 1) || !(options.lookalike >= 0 && options.share + options.lookalike <= 1)) {
    throw new Error(`invalid corpus options: ${JSON.stringify(options)}`);
  }
  const root = path.resolve(dir);
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  const rng = new Rng(options.seed);

  // Projects: one language each, about FILES_PER_PROJECT source files.
  const totalWeight = Object.values(LANGUAGE_WEIGHTS).reduce((a, b) => a + b, 0);
  const projects: { language: LanguageKey; dir: string }[] = [];
  const projectsOf = new Map<LanguageKey, number[]>();
  for (const language of LANGUAGES) {
    const expected = (options.files * LANGUAGE_WEIGHTS[language]) / totalWeight;
    const n = Math.max(1, Math.round(expected / FILES_PER_PROJECT));
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const name = `${rng.pick(NOUNS)}-${rng.pick(['api', 'service', 'worker', 'sync', 'portal', 'tools', 'core'])}`;
      ids.push(projects.length);
      projects.push({ language, dir: `${GROUP[language]}/${name}-${i + 1}` });
    }
    projectsOf.set(language, ids);
  }
  const nonSource = Math.min(projects.length * 2, Math.floor(options.files / 4));
  const sourceCount = options.files - nonSource;

  // Which source files call Partner Center, which look like it: a seeded shuffle of the indexes.
  const order = Array.from({ length: sourceCount }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const kinds = new Map<number, FileKind>();
  const nPartner = Math.round(options.files * options.share);
  const nLook = Math.round(options.files * options.lookalike);
  order.forEach((idx, k) => kinds.set(idx, k < nPartner ? 'partner' : k < nPartner + nLook ? 'lookalike' : 'plain'));

  const manifest: CorpusManifest = {
    stamp: stampOf(options),
    options,
    files: 0,
    bytes: 0,
    byLanguage: {},
    partnerFiles: 0,
    lookalikeFiles: 0,
    calls: {},
    kinds: {},
  };
  const used = new Set<string>();
  const write = (rel: string, text: string, language: LanguageKey | 'other') => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    manifest.files++;
    manifest.bytes += bytes;
    const b = (manifest.byLanguage[language] ??= { files: 0, bytes: 0 });
    b.files++;
    b.bytes += bytes;
  };

  const weights = Object.fromEntries(LANGUAGES.map((l) => [l, LANGUAGE_WEIGHTS[l]])) as Record<LanguageKey, number>;
  for (let i = 0; i < sourceCount; i++) {
    const fileRng = rng.fork(i + 1);
    const language = fileRng.weighted(weights);
    const gen = GENERATORS[language];
    const kind = kinds.get(i)!;
    const project = projects[fileRng.pick(projectsOf.get(language)!)];
    const ctx = new Ctx(fileRng, language, fileRng.pick(NOUNS), kind);
    const test = kind === 'plain' && language !== 'http' && fileRng.chance(0.2);
    let rel = `${project.dir}/${gen.fileName(ctx, test)}`;
    const base = rel;
    for (let k = 2; used.has(rel.toLowerCase()); k++) {
      // `name.ext` -> `name-2.ext` (extensions may hold digits: .ps1, .psm1).
      const dot = base.lastIndexOf('.');
      rel = dot > base.lastIndexOf('/') ? `${base.slice(0, dot)}-${k}${base.slice(dot)}` : `${base}-${k}`;
    }
    used.add(rel.toLowerCase());
    const bytes = Math.min(40_000, 1_200 + fileRng.exp(3_800));
    const partnerCalls = kind === 'partner' ? fileRng.int(1, 4) : 0;
    const { text, calls } = ctx.finish(assemble(gen, ctx, test, { bytes }, partnerCalls));
    if (kind === 'plain' && GATE_WORDS.test(text)) throw new Error(`generator bug: plain file ${rel} holds a Partner Center word`);
    write(rel, text, language);
    manifest.kinds[rel] = kind;
    if (kind === 'partner') {
      manifest.partnerFiles++;
      manifest.calls[rel] = calls;
    } else if (kind === 'lookalike') manifest.lookalikeFiles++;
  }
  let written = 0;
  for (const p of projects) {
    for (const [name, text] of projectFiles(rng.fork(0x5eed + written), p.language, p.dir.split('/')[1])) {
      if (written >= nonSource) break;
      write(`${p.dir}/${name}`, text, 'other');
      written++;
    }
  }
  fs.writeFileSync(manifestPath(root), JSON.stringify(manifest));
  return manifest;
}

/** The corpus at `dir` when its manifest says it was made by this generator with these options; else a new one. */
export function ensureCorpus(opts: CorpusOptions): { manifest: CorpusManifest; reused: boolean } {
  const { dir, ...options } = opts;
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath(dir), 'utf8')) as CorpusManifest;
    if (m.stamp === stampOf(options) && fs.existsSync(path.join(dir, '.git'))) return { manifest: m, reused: true };
  } catch {
    /* no manifest, or not readable: generate */
  }
  return { manifest: generateCorpus(opts), reused: false };
}

export interface BigFile {
  language: LanguageKey;
  fileName: string;
  text: string;
  lines: number;
  calls: PlantedCall[];
  /** Where a character typed lands inside a Partner Center URL string. */
  urlOffset: number;
  /** Where a character typed lands in unrelated code (an identifier on a line without catalog words). */
  codeOffset: number;
}

/**
 * A long file (about `lines` lines) of one language for the keystroke and open measures: ordinary members
 * with a Partner Center member about every 250 lines, the one nearest the middle a REST call with a URL.
 */
export function bigFile(language: LanguageKey, lines: number, seed: number): BigFile {
  const gen = GENERATORS[language];
  const rng = new Rng(seed ^ (LANGUAGES.indexOf(language) * 7919));
  const ctx = new Ctx(rng, language, 'invoice', 'partner');
  const text0 = assemble(gen, ctx, false, { lines }, Math.round(lines / 250));
  const { text, calls } = ctx.finish(text0);
  const middle = text.length >> 1;
  // The URL string nearest the middle.
  let urlOffset = -1;
  for (let i = text.indexOf('/customers/'); i >= 0; i = text.indexOf('/customers/', i + 1)) {
    if (urlOffset < 0 || Math.abs(i - middle) < Math.abs(urlOffset - middle)) urlOffset = i;
  }
  if (urlOffset < 0) throw new Error(`bigFile(${language}): no URL string (change the seed)`);
  urlOffset += '/customers/'.length;
  // Unrelated code: from the middle on, the first line without catalog words, quotes or comments.
  let codeOffset = -1;
  const anchorWord = new RegExp(ANCHOR_PATTERN.source, 'i');
  for (let start = text.indexOf('\n', middle) + 1; start > 0 && start < text.length; start = text.indexOf('\n', start) + 1) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (anchorWord.test(line) || /["'`#]|\/\/|customer/i.test(line)) continue;
    const m = /[A-Za-z_]{4,}/.exec(line);
    if (m) {
      codeOffset = start + m.index + 2;
      break;
    }
  }
  if (codeOffset < 0) throw new Error(`bigFile(${language}): no unrelated code line`);
  const ext: Record<LanguageKey, string> = { typescript: 'ts', javascript: 'js', csharp: 'cs', python: 'py', java: 'java', go: 'go', powershell: 'ps1', http: 'http' };
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return { language, fileName: `/bench/${kebab('big', language)}.${ext[language]}`, text, lines: n, calls, urlOffset, codeOffset };
}

function parseArgs(argv: string[]): CorpusOptions {
  const o: CorpusOptions = { dir: path.join(__dirname, '.corpus', 'corpus'), ...DEFAULT_CORPUS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--out') o.dir = path.resolve(v());
    else if (a === '--files') o.files = Number(v());
    else if (a === '--share') o.share = Number(v());
    else if (a === '--lookalike') o.lookalike = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

if (require.main === module) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const t0 = performance.now();
    const m = generateCorpus(opts);
    const planted = Object.values(m.calls).reduce((s, c) => s + c.length, 0);
    process.stdout.write(`${m.files} files, ${(m.bytes / 1e6).toFixed(1)} MB, ${m.partnerFiles} calling Partner Center (${planted} calls), ${m.lookalikeFiles} look-alikes, in ${opts.dir} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  } catch (e) {
    process.stderr.write(`corpus: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
