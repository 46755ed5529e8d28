// Driving code-server's web workbench the way a user does (keyboard, command palette, clicks),
// for the scenarios in test/vscode/scenarios. Runs in Node (the runner), not in the extension host.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';

export interface ScenarioContext {
  readonly page: Page;
  /** The workspace folder (a temp copy of test/vscode/fixtures). */
  readonly workspace: string;
  /** test-results/screenshots */
  readonly screenshotsDir: string;
  /** The repository root. */
  readonly root: string;
  readonly log: (message: string) => void;
  /** --update-screenshots: also refresh the committed README screenshots in media/screenshots. */
  readonly updateMedia: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<void>;
}

const QUICK_INPUT = '.quick-input-widget input.input';

/** Resolves when the workbench has laid out and the extension host answers the palette. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * F1, type the command's title, Enter: exactly what a user does. Right after the workbench loads
 * the palette may not list the extension's commands yet (the extension host is still scanning),
 * so the palette is closed and reopened until the command shows up.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator(`${QUICK_INPUT}:visible`);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      // A quick pick that is still closing (e.g. Ctrl+P's, after Enter opened a file) would take
      // the F1 and then vanish under fill(), whose text would land in the editor: wait it out.
      await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
      await page.keyboard.press('F1');
      // A key press can be lost while focus moves (a webview taking focus): type only into a
      // palette that is visible and has the focus.
      const focused = page.locator(`${QUICK_INPUT}:visible:focus`);
      await focused.waitFor({ timeout: 5_000 });
      await focused.fill(`>${title}`);
      // The list is filtered asynchronously: wait for the command's row before pressing Enter.
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 3_000 });
      // Enter on the palette's own input: a page-level key press would go to the editor (a new
      // line in the plan) if focus moved in between.
      await focused.press('Enter', { timeout: 3_000 });
      return;
    } catch (err) {
      lastError = err;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  throw new Error(`the command palette did not run "${title}" within ${timeoutMs / 1000} s`, { cause: lastError });
}

/** Picks an item in an open quick pick by typing a filter and pressing Enter on the match. */
export async function pickQuickItem(page: Page, filter: string, expectText: string = filter): Promise<void> {
  const input = page.locator(`${QUICK_INPUT}:visible`);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(filter);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: expectText }).first().waitFor({ timeout: 15_000 });
  await input.press('Enter', { timeout: 5_000 });
}

/** The DOM of the (single) visible webview: VS Code nests it in two iframes. */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

/**
 * Saves a screenshot under test-results/screenshots and, when `media` is given and the runner was
 * started with --update-screenshots, a copy in media/screenshots for the README (1280×800, PNG).
 * Ordinary test runs never touch committed files.
 */
export async function screenshot(ctx: ScenarioContext, name: string, media?: string): Promise<string> {
  mkdirSync(ctx.screenshotsDir, { recursive: true });
  const file = join(ctx.screenshotsDir, `${name}.png`);
  await ctx.page.screenshot({ path: file });
  if (media && ctx.updateMedia) {
    const dir = join(ctx.root, 'media', 'screenshots');
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, `${media}.png`));
  }
  return file;
}

/**
 * "Preferences: Color Theme" from the palette, clicking that exact row: typing its title also
 * lists "Browse Color Themes in Marketplace", which may sort first (and needs the network).
 */
export async function openColorThemePicker(page: Page): Promise<void> {
  const input = page.locator('.quick-input-widget input.input:visible');
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 5_000 }).catch(() => undefined);
    if (!(await input.isVisible())) continue;
    await input.fill('>Preferences: Color Theme');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    const labels = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
    const i = labels.findIndex((l) => /^Preferences: Color Theme\b/.test(l));
    if (i < 0) continue;
    await rows.nth(i).click();
    // The theme picker itself: its rows are themes.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor({ timeout: 5_000 });
    return;
  }
  throw new Error('could not open "Preferences: Color Theme" from the palette');
}

/**
 * Closes every editor, a sample's untitled copy included: VS Code asks whether to save a dirty
 * one (a scratch copy is not kept), and a dialog left up would block the next scenario.
 */
export async function closeAll(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const dialog = page.locator('.monaco-dialog-box');
  for (let i = 0; i < 5; i++) {
    if (!(await dialog.waitFor({ timeout: 1_500 }).then(() => true, () => false))) break;
    await dialog.locator('.monaco-button', { hasText: /^Don't Save$/ }).click();
    await page.waitForTimeout(300);
  }
  await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
}
