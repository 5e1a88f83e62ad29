import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Express } from 'express';
import { createTestDatabase, type TestDatabase } from './testDatabase.js';
import { buildTestApp } from './testApp.js';

/**
 * Debian's Chromium (apt-get install chromium). Without it the browser tests skip,
 * saying so, on a developer's machine; under CI (CI set) a missing browser fails the
 * run instead, so a green CI always includes the browser suite.
 */
export const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => Boolean(p && fs.existsSync(p)),
);

if (!chromiumPath && process.env.CI) {
  throw new Error('CI è impostata ma Chromium non c’è: i test nel browser non possono essere saltati. Installa `chromium` (apt-get) o imposta CHROMIUM_PATH.');
}
if (!chromiumPath) {
  console.warn('Test nel browser saltati: Chromium non trovato. Installalo con `apt-get update && apt-get install -y chromium` (lo fa .ci/run).');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function listen(app: Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const screenshotsDir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots');

/** A full-page screenshot kept as an artefact of the run (never committed). */
export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });
}

/**
 * One browser suite: a test database prepared by `prepare`, the real app on a
 * loopback port, and Chromium; all closed after the suite. Call inside describe.
 */
export function useBrowserApp<T>(prepare: (db: TestDatabase) => Promise<T>) {
  const ctx = {} as { db: TestDatabase; browser: Browser; baseUrl: string; data: T };
  let server: Server | undefined;
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.data = await prepare(ctx.db);
    ({ server, baseUrl: ctx.baseUrl } = await listen(buildTestApp(ctx.db).app));
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    server?.close();
    await ctx.db?.close();
  });
  return ctx;
}

/** Logs in through the login form (fields filled, Enter pressed) and waits for `landing`. */
export async function loginInBrowser(page: Page, baseUrl: string, user: { username: string; password: string }, landing = '/') {
  await page.goto(`${baseUrl}/login?ritorno=${encodeURIComponent(landing)}`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${baseUrl}${landing}`);
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core on the current page against WCAG 2.1 A/AA: the violations of impact
 * serious or critical, one line each. The page's context must be created with
 * `bypassCSP: true` (the app's CSP rightly refuses injected scripts).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]; passes: unknown[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<Result> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    if (result.passes.length === 0) return ['axe non ha eseguito alcun controllo'];
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** Collects the page's uncaught errors and console errors (`ignore` filters expected ones). */
export function watchPageErrors(page: Page, ignore: (text: string) => boolean = () => false): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignore(m.text())) errors.push(m.text());
  });
  return errors;
}

/** Whether the focused element matches `selector`. */
export function isFocused(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector);
}

/** A short description of the focused element, for failure messages. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e) return '(nessuno)';
    return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} «${(e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60)}»`;
  });
}

/**
 * Keyboard only: presses Tab (Shift+Tab with `back`) until the focused element
 * matches `selector`, as a person tabbing through the page would, and fails if
 * it is not reached within `max` presses. Returns how many presses it took.
 */
export async function tabTo(page: Page, selector: string, { max = 40, back = false }: { max?: number; back?: boolean } = {}): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await isFocused(page, selector)) return presses;
  }
  throw new Error(`${selector} non raggiunto con ${max} ${back ? 'Maiusc+Tab' : 'Tab'}; fuoco su ${await describeFocus(page)}`);
}

/**
 * Keyboard only: tabs to the menu button `menu`, opens it with Enter, moves
 * down with the arrow key through the items linking to `hrefs` (failing if
 * focus lands elsewhere), opens the last one and waits for its page.
 */
export async function chooseFromMenu(page: Page, baseUrl: string, menu: string, hrefs: string[]) {
  await tabTo(page, menu);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`a.dropdown-item[href="${hrefs[0]}"]`, { state: 'visible' });
  for (const href of hrefs) {
    await page.keyboard.press('ArrowDown');
    if (!(await isFocused(page, `a.dropdown-item[href="${href}"]`))) throw new Error(`Nel menu ${menu} la freccia porta a ${await describeFocus(page)}, non a ${href}`);
  }
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}${hrefs.at(-1)}`);
}

/** Keyboard only: opens /login (the journey's first page), types the credentials and presses Enter; waits for `landing`. */
export async function loginWithKeyboard(page: Page, baseUrl: string, user: { username: string; password: string }, landing = '/') {
  await page.goto(`${baseUrl}/login?ritorno=${encodeURIComponent(landing)}`);
  await tabTo(page, '#username', { max: 5 });
  await page.keyboard.type(user.username);
  await page.keyboard.press('Tab');
  if (!(await isFocused(page, '#password'))) throw new Error(`Dopo il nome utente il Tab porta a ${await describeFocus(page)}`);
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${baseUrl}${landing}`);
}

/** Runs `trigger` (a click or a key press on a download link) and returns the downloaded file's name and text. */
export async function downloadText(page: Page, trigger: () => Promise<unknown>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

type User = { username: string; password: string };

/** The errors each page opened by openLoggedIn has logged so far. */
const pageErrors = new WeakMap<Page, string[]>();

/**
 * A 1280×900 page of the suite's browser, logged in as `user` and waiting at
 * `landing`: through the login form with the mouse, or with the keyboard only
 * (`keyboard`, Italian locale). Its errors are collected, but those `ignore`
 * expects; end the test with closeWithoutErrors.
 */
export async function openLoggedIn(
  ctx: { browser: Browser; baseUrl: string },
  user: User,
  { landing = '/', keyboard = false, ignore, timeout }: { landing?: string; keyboard?: boolean; ignore?: (text: string) => boolean; timeout?: number } = {},
) {
  const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 }, ...(keyboard ? { locale: 'it-IT' } : {}) });
  const errors = watchPageErrors(page, ignore);
  if (timeout) page.setDefaultTimeout(timeout);
  pageErrors.set(page, errors);
  await (keyboard ? loginWithKeyboard : loginInBrowser)(page, ctx.baseUrl, user, landing);
  return page;
}

/** Fails if the page (opened by openLoggedIn) logged an error during the test, listed in the message; then closes it. */
export async function closeWithoutErrors(page: Page) {
  const errors = pageErrors.get(page);
  if (!errors) throw new Error('closeWithoutErrors: pagina non aperta con openLoggedIn');
  expect(errors, errors.join('\n')).toEqual([]);
  await page.close();
}

/** `url` as page.waitForURL takes it: a path is resolved against the page's current address. */
const target = (page: Page, url: string | RegExp) => (typeof url === 'string' ? new URL(url, page.url()).href : url);

/** With the mouse: clicks `selector` and waits for the page at `url` (a path, or a RegExp). */
export async function clickTo(page: Page, selector: string, url: string | RegExp) {
  const expected = target(page, url);
  await page.click(selector);
  await page.waitForURL(expected);
}

/** Keyboard only: tabs to `selector` (see tabTo), presses Enter and waits for the page at `url` (a path, or a RegExp). */
export async function enterTo(page: Page, selector: string, url: string | RegExp, tab?: { max?: number; back?: boolean }) {
  const expected = target(page, url);
  await tabTo(page, selector, tab);
  await page.keyboard.press('Enter');
  await page.waitForURL(expected);
}

/** Keyboard only: presses Tab once and fails unless the focus lands on `selector`. */
export async function tabOnce(page: Page, selector: string) {
  await page.keyboard.press('Tab');
  if (!(await isFocused(page, selector))) throw new Error(`Il Tab porta a ${await describeFocus(page)}, non a ${selector}`);
}

/** Fills the fields (selector → value): a select gets the option of that value, any other field the text. */
export async function fillFields(page: Page, fields: Record<string, string>) {
  for (const [selector, value] of Object.entries(fields)) {
    if (await page.$eval(selector, (e) => e.tagName === 'SELECT')) await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
}

/** Each field (selector → value) holds that value: what was typed is still there. */
export async function expectValues(page: Page, fields: Record<string, string>) {
  for (const [selector, value] of Object.entries(fields)) expect(await page.inputValue(selector), selector).toBe(value);
}

/** The text of the option chosen in the select `#id`. */
export const selectedText = (page: Page, id: string) => page.$eval(`#${id}`, (s) => (s as HTMLSelectElement).selectedOptions[0]?.text ?? '');

/**
 * With the mouse, in a register's list: opens the search panel, types `value`
 * in the criterion `field` (a filled field is the criterion), searches and waits for the results.
 */
export async function searchRegister(page: Page, field: string, value: string) {
  await page.click('details.ricerca-panel > summary');
  await page.fill(`#${field}`, value);
  await page.click('form.ricerca-form button[type=submit]');
  await page.waitForURL(new RegExp(`${field}=${encodeURIComponent(value)}`));
}

/** The registers a document's picker can add to from its + modal. */
type Register = 'cig' | 'cup';

/** The + modal of the `register` picker is open, with the focus on its code field. */
export async function expectModalOpen(page: Page, register: Register) {
  await page.waitForSelector(`#modal-${register}.show`);
  await expect.poll(() => isFocused(page, `#modal-${register}-codice`)).toBe(true);
}

/** With the mouse: the + beside the `register` picker opens its modal (see expectModalOpen). */
export async function openPickerModal(page: Page, register: Register) {
  await page.click(`[data-picker="${register}_id"] button.picker-nuovo`);
  await expectModalOpen(page, register);
}

/** With the mouse: fills the open modal's fields (name → value, see fillFields) and clicks its submit button. */
export async function submitModal(page: Page, register: Register, fields: Record<string, string>) {
  await fillFields(page, Object.fromEntries(Object.entries(fields).map(([name, value]) => [`#modal-${register}-${name}`, value])));
  await page.click(`#modal-${register} button[type=submit]`);
}

/** The modal closed and the picker chose a record whose text contains `text`; the focus is back on the picker's select. */
export async function expectChosenFromModal(page: Page, register: Register, text: string) {
  await page.waitForSelector(`#modal-${register}`, { state: 'hidden' });
  expect(await selectedText(page, `${register}_id`)).toContain(text);
  await expect.poll(() => isFocused(page, `#${register}_id`)).toBe(true);
}

/** With the mouse: registers a record from the `register` picker's + modal (fields: name → value) and checks it is chosen (see expectChosenFromModal). */
export async function registerFromModal(page: Page, register: Register, fields: Record<string, string>, chosen: string) {
  await openPickerModal(page, register);
  await submitModal(page, register, fields);
  await expectChosenFromModal(page, register, chosen);
}

/**
 * Keyboard only, in the open modal of `register`: field after field (name →
 * text, in the order of the form, the first one focused), Tab moves to it, as
 * checked, and the text is typed (`null`: passed by); Enter then submits.
 */
export async function typeInModal(page: Page, register: Register, fields: Record<string, string | null>) {
  for (const [i, [name, text]] of Object.entries(fields).entries()) {
    const selector = `#modal-${register}-${name}`;
    if (i > 0) await tabOnce(page, selector);
    else if (!(await isFocused(page, selector))) throw new Error(`Nel modale il fuoco è su ${await describeFocus(page)}, non su ${selector}`);
    if (text !== null) await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter');
}
