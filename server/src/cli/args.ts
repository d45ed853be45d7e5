/**
 * Command-line parsing for `pc-advisor` (node:util parseArgs, strict). Every mistake becomes a UsageError
 * with a message that names the option; the caller prints it with the usage line and exits 2.
 */
import { parseArgs } from 'util';
import { isRuleId, RULE_IDS, type RuleId } from '../catalog/rules';
import type { RuleSetting } from '../engine/types';
import { hasTransport } from '../lsp/transport';

export class UsageError extends Error {}

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** Findings at or above this severity make `scan` exit 1; `none` never fails. */
export const FAIL_LEVELS = ['error', 'warning', 'information', 'hint', 'none'] as const;
export type FailOn = (typeof FAIL_LEVELS)[number];

const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ScanArgs {
  command: 'scan';
  paths: string[];
  format: Format;
  output?: string;
  failOn: FailOn;
  extraHosts: string[];
  retryHelpers: string[];
  exclude: string[];
  rules: Partial<Record<RuleId, RuleSetting>>;
  locale: string;
  /** Megabytes. */
  maxFileSize: number;
  verbose: boolean;
  /** undefined: colour when stdout is a terminal (and NO_COLOR is unset). */
  color?: boolean;
  /** Threads that analyse files; undefined: as many as the machine has cores (at most 8). */
  jobs?: number;
  /** The scan cache file (see scan/cache.ts). */
  cache?: string;
}

export type Command =
  | ScanArgs
  | { command: 'help'; topic?: 'scan' | 'lsp' }
  | { command: 'version' }
  /** The transport is read from the command line by vscode-languageserver. */
  | { command: 'lsp' };

export const USAGE = 'Usage: pc-advisor scan [paths...] [--format text|json|sarif] [--output FILE] [--fail-on error|warning|none] [options]\n       pc-advisor lsp --stdio | --node-ipc\n       pc-advisor --help | --version';

export const HELP = `pc-advisor: finds the calls that Microsoft Partner Center throttles (HTTP 429) and the customer
agreement calls that leave out the agreement type (HTTP 409).

${USAGE}

Commands:
  scan [paths...]          Scan files and folders (default: the current folder).
  lsp --stdio              Run the language server over stdio (--node-ipc for Node IPC).

Scan options:
  -f, --format FORMAT      text (default), json or sarif (SARIF 2.1.0, for code scanning).
  -o, --output FILE        Write the report to FILE instead of standard output.
                           The folder must exist; nothing else is written (but --cache).
      --fail-on LEVEL      Exit 1 when a finding at or above LEVEL exists:
                           error, warning (default), information, hint, or none (never).
      --rule ID=SEVERITY   Severity of a rule: error, warning, information, hint or off.
                           Repeatable. Rules: ${RULE_IDS.join(', ')}.
      --extra-host HOST    Another Partner Center host (a proxy, a mock). Repeatable.
      --retry-helper NAME  A retry helper of yours: calls wrapped in it are covered. Repeatable.
      --exclude GLOB       Skip paths matching GLOB (relative to the current folder; a pattern
                           without "/" matches a file or folder name anywhere). Repeatable.
      --locale LOCALE      Language of the messages: en (default) or fr.
      --max-file-size MB   Skip files larger than MB megabytes (default 4).
      --cache FILE         Keep what each file's analysis gave in FILE, and analyse again only
                           the files that changed since (for CI: keep FILE between runs).
                           Its folder must exist; a file that is not a cache is not replaced.
      --verbose            List the files that were skipped, and why (and what the cache did).
  -j, --jobs N             Analyse files in N threads (default: one per core, at most 8;
                           threads start only when there are enough files to pay for them).
                           --jobs 1 analyses everything in one thread.
      --no-color           No colours in text output (also NO_COLOR=1).
  -h, --help               Show this help.
  -v, --version            Show the version.

Folders are walked recursively; node_modules, .git, bin, obj, dist, build, out, target, vendor,
.venv, venv, __pycache__ and paths ignored by .gitignore files are skipped, and symbolic links
are not followed out of the scanned folder. A path given explicitly is scanned even there
(--exclude still applies to it).

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on;
2 usage error, or nothing could be scanned (every path missing or unreadable).
`;

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value '${value}' for ${option}: expected ${allowed.join(', ')}`);
}

function last(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** Parses `pc-advisor` arguments (without `node` and the script). */
export function parseCommandLine(argv: readonly string[]): Command {
  if (argv.length === 0) return { command: 'help' };
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (first === 'lsp') {
    if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: 'lsp' };
    if (!hasTransport(rest)) throw new UsageError('lsp: give the transport, --stdio or --node-ipc');
    return { command: 'lsp' };
  }
  if (first !== 'scan') {
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}' (options go after the command: pc-advisor scan ${first} …)`);
    throw new UsageError(`unknown command '${first}'`);
  }
  return parseScan(rest);
}

function parseScan(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseScanArgs>;
  try {
    parsed = parseScanArgs(argv);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const m = /'([^']+)'/.exec(err.message);
      throw new UsageError(`unknown option '${m ? m[1] : '?'}'`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const m = /--[\w-]+/.exec(err.message);
      throw new UsageError(m ? `option ${m[0]} needs a value` : err.message);
    }
    throw new UsageError(err.message);
  }
  const v = parsed.values;
  if (v.help) return { command: 'help', topic: 'scan' };
  if (v.version) return { command: 'version' };

  const format = oneOf('--format', last(v.format) ?? 'text', FORMATS);
  const failOn = oneOf('--fail-on', last(v['fail-on']) ?? 'warning', FAIL_LEVELS);

  const rules: Partial<Record<RuleId, RuleSetting>> = {};
  for (const r of v.rule ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(r);
    if (!m) throw new UsageError(`--rule expects ID=SEVERITY (got '${r}')`);
    const id = m[1].trim();
    if (!isRuleId(id)) throw new UsageError(`--rule: unknown rule '${id}' (rules: ${RULE_IDS.join(', ')})`);
    rules[id] = oneOf(`--rule ${id}`, m[2].trim().toLowerCase(), RULE_SETTINGS);
  }

  const localeArg = last(v.locale) ?? 'en';
  if (!/^(en|fr)([-_][A-Za-z0-9]+)*$/i.test(localeArg)) throw new UsageError(`invalid value '${localeArg}' for --locale: expected en or fr`);

  let maxFileSize = 4;
  const mfs = last(v['max-file-size']);
  if (mfs !== undefined) {
    const n = Number(mfs.trim());
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(mfs.trim()) || !Number.isFinite(n) || n <= 0) {
      throw new UsageError(`invalid value '${mfs}' for --max-file-size: expected a positive number of megabytes`);
    }
    maxFileSize = n;
  }

  let jobs: number | undefined;
  const j = last(v.jobs);
  if (j !== undefined) {
    if (!/^\d+$/.test(j.trim()) || Number(j) < 1 || Number(j) > 256) throw new UsageError(`invalid value '${j}' for --jobs: expected a whole number from 1 to 256`);
    jobs = Number(j);
  }

  const output = last(v.output);
  if (output !== undefined && output.trim() === '') throw new UsageError('--output needs a file name');
  const cache = last(v.cache);
  if (cache !== undefined && cache.trim() === '') throw new UsageError('--cache needs a file name');

  const nonEmpty = (option: string, list: string[] | undefined): string[] => {
    for (const x of list ?? []) if (!x.trim()) throw new UsageError(`${option} needs a value`);
    return (list ?? []).map((x) => x.trim());
  };

  return {
    command: 'scan',
    paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'],
    format,
    output,
    failOn,
    extraHosts: nonEmpty('--extra-host', v['extra-host']),
    retryHelpers: nonEmpty('--retry-helper', v['retry-helper']),
    exclude: nonEmpty('--exclude', v.exclude),
    rules,
    locale: localeArg,
    maxFileSize,
    verbose: !!v.verbose,
    color: v['no-color'] ? false : v.color ? true : undefined,
    jobs,
    cache,
  };
}

function parseScanArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string', short: 'f', multiple: true },
      output: { type: 'string', short: 'o', multiple: true },
      'fail-on': { type: 'string', multiple: true },
      'extra-host': { type: 'string', multiple: true },
      'retry-helper': { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      rule: { type: 'string', multiple: true },
      locale: { type: 'string', multiple: true },
      'max-file-size': { type: 'string', multiple: true },
      jobs: { type: 'string', short: 'j', multiple: true },
      cache: { type: 'string', multiple: true },
      verbose: { type: 'boolean' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
