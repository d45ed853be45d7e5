/**
 * Driving the VS Code workbench in Chromium the way a user does: clicks in the Explorer, the mouse over a
 * squiggle, keyboard shortcuts. Selectors are the workbench's own CSS classes (stable across 1.8x–1.13x).
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { CodeServerSession } from './codeServer';
import { RESULTS } from './paths';
import { waitFor } from './wait';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Text as the workbench renders it: non-breaking spaces (used by the editor's view lines) made plain. */
export const plain = (s: string) => s.replace(/\u00a0/g, ' ');

export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly session: CodeServerSession,
  ) {}

  static async open(session: CodeServerSession, chromiumPath: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, env: session.env() });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
      await page.goto(session.workbenchUrl());
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      return new Workbench(browser, page, session);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The Explorer row of a file or folder name (top level or expanded). */
  explorerRow(label: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label=${JSON.stringify(label)}]`);
  }

  /** Opens a file by clicking through the Explorer: `['src', 'billing.ts']`. */
  async openFile(segments: string[]): Promise<void> {
    for (const [i, name] of segments.entries()) {
      const row = this.explorerRow(name);
      await row.waitFor({ timeout: 30_000 });
      const last = i === segments.length - 1;
      if (!last && (await row.getAttribute('aria-expanded')) === 'true') continue;
      await row.click();
    }
    const file = segments[segments.length - 1];
    await this.page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout: 30_000 });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: 30_000 });
  }

  /** The active editor's text, line by line, as rendered. */
  async editorLines(): Promise<string[]> {
    const lines = this.page.locator('.editor-instance .monaco-editor .view-lines .view-line');
    const texts = await lines.evaluateAll((els) =>
      els
        .map((el) => ({ top: parseFloat(/top:\s*([\d.]+)px/.exec(el.getAttribute('style') ?? '')?.[1] ?? '0'), text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return texts.map(plain);
  }

  squiggles(kind: 'warning' | 'error' | 'info' = 'warning'): Locator {
    return this.page.locator(`.editor-instance .monaco-editor .squiggly-${kind}`);
  }

  /** Waits until at least `n` squiggles of the kind are shown. */
  async waitForSquiggles(n: number, kind: 'warning' | 'error' | 'info' = 'warning', timeout = 90_000): Promise<number> {
    return waitFor(async () => {
      const c = await this.squiggles(kind).count();
      return c >= n ? c : undefined;
    }, { timeout, what: `${n} .squiggly-${kind} decoration(s) in the editor` });
  }

  /** Moves the mouse over a squiggle and waits for the hover; returns the hover's locator. */
  async hoverSquiggle(squiggle: Locator, expectText: RegExp): Promise<Locator> {
    const hover = this.page.locator('.monaco-hover-content').filter({ hasText: expectText });
    return waitFor(async () => {
      const box = await squiggle.boundingBox();
      if (!box) return undefined;
      // Move away and back: a hover only opens on a mouse move.
      await this.page.mouse.move(box.x + box.width / 2, box.y - 40);
      await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await hover.first().waitFor({ timeout: 3_000 });
      return hover.first();
    }, { timeout: 30_000, interval: 200, what: `a hover matching ${expectText}` });
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows. */
  async problems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.focusEditor();
      await this.page.keyboard.press('Control+Shift+M');
    }
    await panel.waitFor({ timeout: 15_000 });
    return panel.locator('.monaco-list-row');
  }

  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
  }

  /**
   * Runs a command from the command palette (F1), picking the entry by its label (clicking the row, not
   * pressing Enter, so a slow filter cannot run another command).
   */
  async runCommand(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.dismiss();
    await waitFor(async () => {
      if (!(await input.isVisible())) {
        await this.focusEditor();
        await this.page.keyboard.press('F1');
        await input.waitFor({ timeout: 3_000 });
      }
      await input.fill(`>${label}`);
      const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
      await row.waitFor({ timeout: 3_000 });
      await row.click();
      return true;
    }, { timeout: 30_000, interval: 300, what: `the command "${label}" in the command palette` });
  }

  /** Closes menus, pickers and hovers (Escape), as a user does before the next action. */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const open = this.page.locator('.quick-input-widget:visible, .action-widget:visible, .monaco-hover:visible');
      if ((await open.count()) === 0) return;
      await this.page.keyboard.press('Escape');
    }
  }

  /** The `href` of every link in the visible hover. */
  async hoverLinks(): Promise<string[]> {
    const hrefs = await this.page.locator('.monaco-hover-content a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return hrefs.filter(Boolean);
  }
}
