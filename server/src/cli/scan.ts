/**
 * `pc-advisor scan`: walk the paths, analyse each supported file once, write one report (to stdout or to
 * --output only) and compute the exit code. Messages about unreadable paths go to stderr as they happen.
 */
import * as fs from 'fs';
import * as path from 'path';
import { docUrl, GUIDANCE_DOC } from '../catalog/operations';
import { langOf } from '../catalog/text';
import { Engine } from '../engine/engine';
import { analyzeFile } from '../scan/batch';
import { compileExcludes } from '../scan/exclude';
import { describeFsError, walk } from '../scan/walk';
import { UsageError, type FailOn, type ScanArgs } from './args';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { displayPath, severityRank, sortReport, toReportFinding, type ScanReport } from './report';

export interface CliIO {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (colours in text output). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export interface ToolInfo {
  version: string;
  informationUri?: string;
}

const MB = 1024 * 1024;

/** Checks --output before scanning: its folder must exist, and it must not be a folder itself. */
function checkOutput(file: string): void {
  const dir = path.dirname(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw new UsageError(`--output ${file}: folder ${dir} does not exist (${describeFsError(e)}); create it first`);
  }
  if (!st.isDirectory()) throw new UsageError(`--output ${file}: ${dir} is not a folder`);
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`--output ${file}: is a folder, expected a file name`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    /* does not exist yet: fine */
  }
}

function failed(report: ScanReport, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn);
  return report.findings.some((f) => severityRank(f.severity) <= threshold);
}

/** Runs a scan; returns the exit code (0, 1 findings at or above --fail-on, 2 nothing could be scanned). */
export async function runScan(args: ScanArgs, io: CliIO, tool: ToolInfo): Promise<number> {
  const output = args.output !== undefined ? path.resolve(io.cwd, args.output) : undefined;
  if (output) checkOutput(output);

  const engine = new Engine({
    extraHosts: args.extraHosts,
    retryHelpers: args.retryHelpers,
    rules: args.rules,
    locale: args.locale,
    maxFileSize: Math.floor(args.maxFileSize * MB),
  });
  const root = io.cwd;
  const report: ScanReport = { root, findings: [], skipped: [], errors: [], filesScanned: 0 };
  const exclude = args.exclude.length > 0
    ? compileExcludes(args.exclude, (p, err) => {
        throw new UsageError(`--exclude '${p}': ${err}`);
      })
    : undefined;

  const paths = args.paths.map((p) => path.resolve(root, p));
  for (const entry of walk(paths, { exclude, excludeBase: root })) {
    if (entry.kind === 'error') {
      const shown = displayPath(root, path.resolve(root, entry.path));
      report.errors.push({ file: shown, path: entry.path, message: entry.message });
      io.stderr(`pc-advisor: cannot read ${shown}: ${entry.message}\n`);
      continue;
    }
    if (entry.kind === 'skipped') {
      report.skipped.push({ file: displayPath(root, entry.path), path: entry.path, message: entry.reason });
      continue;
    }
    const a = await analyzeFile(engine, entry.path);
    const file = displayPath(root, a.path);
    if (a.error) {
      report.errors.push({ file, path: a.path, message: a.error });
      io.stderr(`pc-advisor: cannot read ${file}: ${a.error}\n`);
      continue;
    }
    report.filesScanned++;
    if (a.result.skipped) report.skipped.push({ file, path: a.path, message: a.result.skipped });
    for (const f of a.result.findings) report.findings.push(toReportFinding(root, a.path, f));
  }
  sortReport(report);

  const color = !output && args.format === 'text' && (args.color ?? (io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb'));
  let text: string;
  switch (args.format) {
    case 'json':
      text = formatJson(report);
      break;
    case 'sarif':
      text = formatSarif(report, {
        version: tool.version,
        informationUri: tool.informationUri ?? docUrl(GUIDANCE_DOC),
        locale: args.locale,
        lang: langOf(args.locale),
      });
      break;
    default:
      text = formatText(report, { color, verbose: args.verbose });
  }

  if (output) {
    try {
      fs.writeFileSync(output, text);
    } catch (e) {
      io.stderr(`pc-advisor: cannot write ${args.output}: ${describeFsError(e)}\n`);
      return 2;
    }
    const n = report.findings.length;
    io.stderr(`pc-advisor: ${n} finding${n === 1 ? '' : 's'} in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'} scanned; report written to ${args.output}\n`);
  } else {
    io.stdout(text);
  }

  if (report.filesScanned === 0 && report.errors.length > 0) return 2;
  return failed(report, args.failOn) ? 1 : 0;
}
