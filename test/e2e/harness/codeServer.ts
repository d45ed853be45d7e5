/**
 * code-server (VS Code 1.139 server + web workbench) for the e2e tests: every session gets its own user data,
 * extensions folder, config and home, installs the built .vsix, and listens on 127.0.0.1 on a free port.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { buildStubLanguagePack, registerLanguagePack } from './languagePack';
import { RESULTS, ROOT } from './paths';
import { runToEnd, start, type Started } from './processes';
import { waitFor } from './wait';

export { RESULTS, ROOT };

/** The tools scripts/e2e/install.mjs put in .cache/e2e (the runner passes them; these are the defaults). */
export interface Tools {
  node24: string;
  codeServer: string;
  chromium: string;
  vsix: string;
}

export function tools(): Tools {
  const cache = path.join(ROOT, '.cache', 'e2e');
  const t: Tools = {
    node24: process.env.PC_E2E_NODE24 ?? path.join(cache, 'node24', 'node_modules', '.bin', 'node'),
    codeServer: process.env.PC_E2E_CODE_SERVER ?? path.join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.PC_E2E_CHROMIUM ?? '/usr/bin/chromium',
    vsix: process.env.PC_E2E_VSIX ?? '',
  };
  if (!t.vsix) {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    t.vsix = path.join(ROOT, `partner-center-advisor-${version}.vsix`);
  }
  const missing = Object.entries(t)
    .filter(([, p]) => !fs.existsSync(p))
    .map(([k, p]) => `${k}: ${p}`);
  if (missing.length) throw new Error(`e2e tools missing (run \`npm run test:e2e\`, which installs them):\n  ${missing.join('\n  ')}`);
  return t;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** User settings that keep the workbench quiet and predictable (no welcome page, tips or chat panel). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'git.enabled': false,
};

export interface SessionOptions {
  /** A name for the session's logs and screenshots. */
  name: string;
  /** `--locale` (display language). */
  locale?: string;
  /** The fixture workspace: the session opens a copy of it (the tests edit files). */
  workspace: string;
}

export class CodeServerSession {
  readonly dir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** The copy of the fixture workspace that the session opens. */
  readonly folder: string;
  url = '';
  private proc: Started | undefined;

  constructor(
    readonly tools: Tools,
    readonly options: SessionOptions,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `pc-advisor-e2e-${options.name}-`));
    this.userDataDir = path.join(this.dir, 'user-data');
    this.extensionsDir = path.join(this.dir, 'extensions');
    this.folder = path.join(this.dir, 'workspace');
    fs.cpSync(options.workspace, this.folder, { recursive: true });
    fs.mkdirSync(RESULTS, { recursive: true });
    this.logFile = path.join(RESULTS, `code-server-${options.name}.log`);
    fs.writeFileSync(this.logFile, '');
  }

  /** Environment of code-server and its children: a private home, so nothing is written to the user's. */
  env(): NodeJS.ProcessEnv {
    const home = path.join(this.dir, 'home');
    fs.mkdirSync(home, { recursive: true });
    return {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      PATH: `${path.dirname(this.tools.node24)}${path.delimiter}${process.env.PATH ?? ''}`,
    };
  }

  private baseArgs(): string[] {
    const config = path.join(this.dir, 'config.yaml');
    if (!fs.existsSync(config)) fs.writeFileSync(config, 'auth: none\n');
    return [
      this.tools.codeServer,
      '--config',
      config,
      '--user-data-dir',
      this.userDataDir,
      '--extensions-dir',
      this.extensionsDir,
    ];
  }

  /**
   * Writes the workspace's `.vscode/settings.json`, as a user editing it would: VS Code applies it live.
   * (code-server does not notice changes made on disk to the user settings file while it runs.)
   */
  writeWorkspaceSettings(settings: Record<string, unknown>): void {
    const file = path.join(this.folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
  }

  /** Writes the user settings (merged over the quiet defaults), read when the workbench starts. */
  writeUserSettings(extra: Record<string, unknown> = {}): void {
    const file = path.join(this.userDataDir, 'User', 'settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...USER_SETTINGS, ...extra }, null, 2));
  }

  /** Installs the .vsix, starts code-server and waits for /healthz. */
  async start(): Promise<void> {
    this.writeUserSettings();
    const packages = [this.tools.vsix];
    const locale = this.options.locale;
    if (locale && !locale.toLowerCase().startsWith('en')) packages.unshift(await buildStubLanguagePack(this.dir, locale));
    for (const vsix of packages) {
      const installed = await runToEnd(this.tools.node24, [...this.baseArgs(), '--install-extension', vsix, '--force'], { env: this.env() });
      fs.appendFileSync(this.logFile, installed);
      if (!/successfully installed/i.test(installed)) throw new Error(`Installing ${vsix} failed:\n${installed}`);
    }
    if (packages.length > 1 && locale) registerLanguagePack(this.userDataDir, this.extensionsDir, locale);
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const args = [
      ...this.baseArgs(),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--ignore-last-opened',
      ...(this.options.locale ? ['--locale', this.options.locale] : []),
      this.folder,
    ];
    this.proc = start(this.tools.node24, args, { env: this.env(), cwd: this.dir, logFile: this.logFile });
    const proc = this.proc;
    let exitedWith: number | string | undefined;
    void proc.exited.then((c) => (exitedWith = c));
    await waitFor(
      async () => {
        if (exitedWith !== undefined) throw new Error(`code-server exited (${exitedWith}); see ${this.logFile}`);
        const res = await fetch(`${this.url}/healthz`).catch(() => undefined);
        return res?.ok === true;
      },
      { timeout: 60_000, interval: 200, what: `code-server on ${this.url}/healthz (log: ${this.logFile})` },
    ).catch((e) => {
      if (exitedWith !== undefined) throw new Error(`code-server exited (${exitedWith}) before answering; see ${this.logFile}`);
      throw e;
    });
  }

  /** The workbench URL for the session's folder. */
  workbenchUrl(): string {
    return `${this.url}/?folder=${encodeURIComponent(this.folder)}`;
  }

  /** The extension host's log of our output channel, when VS Code wrote one (for failure messages). */
  outputChannelLog(): string {
    const found: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/Partner Center Advisor\.log$/.test(e.name)) found.push(fs.readFileSync(p, 'utf8'));
      }
    };
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs)) walk(logs);
    return found.join('\n');
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    this.proc = undefined;
    // Keep the output channel log with the test results.
    const out = this.outputChannelLog();
    if (out) fs.writeFileSync(path.join(RESULTS, `output-channel-${this.options.name}.log`), out);
    // PC_E2E_KEEP=1 keeps the session folder (user data, logs) for debugging.
    if (process.env.PC_E2E_KEEP) process.stderr.write(`kept ${this.dir}\n`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
