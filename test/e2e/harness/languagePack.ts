/**
 * A stub French language pack for the e2e tests. VS Code runs in a display language only when a language
 * pack for it is installed (otherwise `--locale fr` falls back to English and `vscode.env.language` is
 * `en`). Microsoft's French pack comes from the marketplace, out of reach here; this stub declares `fr`
 * with no translations of VS Code's own UI, which is enough for VS Code to run in French as far as
 * extensions are concerned: `vscode.env.language === 'fr'`, `package.nls.fr.json` and
 * `l10n/bundle.l10n.fr.json` are used. The workbench's own menus stay in English.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './paths';
import { runToEnd } from './processes';

const PUBLISHER = 'pc-advisor-tests';
const VERSION = '0.0.1';
const packName = (languageId: string) => `e2e-language-pack-${languageId}`;

export async function buildStubLanguagePack(dir: string, languageId = 'fr'): Promise<string> {
  const src = path.join(dir, `language-pack-${languageId}`);
  fs.mkdirSync(path.join(src, 'translations'), { recursive: true });
  const manifest = {
    name: packName(languageId),
    displayName: `e2e stub language pack (${languageId})`,
    description: 'Declares a display language for the end-to-end tests; translates nothing.',
    publisher: PUBLISHER,
    version: VERSION,
    license: 'MIT',
    engines: { vscode: '^1.138.0' },
    categories: ['Language Packs'],
    contributes: {
      localizations: [
        {
          languageId,
          languageName: languageId,
          localizedLanguageName: languageId,
          translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
        },
      ],
    },
  };
  fs.writeFileSync(path.join(src, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(src, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  fs.writeFileSync(path.join(src, 'README.md'), '# e2e stub language pack\n');
  fs.writeFileSync(path.join(src, 'LICENSE'), 'MIT\n');
  const out = path.join(dir, `language-pack-${languageId}.vsix`);
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  await runToEnd(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: src });
  return out;
}

/**
 * Registers the installed stub pack in `<user-data>/languagepacks.json`, as VS Code's language pack service
 * does after an install from the UI (`--install-extension` on the command line does not): the server reads
 * this file to resolve `--locale`. Same shape as VS Code's cache: hash, extensions, translations, label.
 */
export function registerLanguagePack(userDataDir: string, extensionsDir: string, languageId = 'fr'): void {
  const id = `${PUBLISHER}.${packName(languageId)}`;
  const folder = path.join(extensionsDir, `${id}-${VERSION}`);
  const translations = path.join(folder, 'translations', 'main.i18n.json');
  if (!fs.existsSync(translations)) throw new Error(`the stub language pack is not installed in ${folder}`);
  const hash = crypto.createHash('md5').update(id).update(VERSION).digest('hex');
  const packs = {
    [languageId]: { hash, extensions: [{ extensionIdentifier: { id }, version: VERSION }], translations: { vscode: translations }, label: languageId },
  };
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
