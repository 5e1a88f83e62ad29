import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumPath, closeWithoutErrors, openLoggedIn, screenshot, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS } from '../../seeds/demo.js';
import { demoCompleta } from '../helpers/demoCompleta.js';

const user = (username: string) => DEMO_USERS.find((u) => u.username === username)!;
const SCUOLA = 'Istituto Comprensivo Demo';

/** What a printed page shows and hides, read with the print stylesheet applied (emulated print media). */
const printed = (page: Page) =>
  page.evaluate(() => {
    const shown = (el: Element) => {
      const r = (el as HTMLElement).getBoundingClientRect();
      return getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden' && r.width > 0 && r.height > 0;
    };
    const visible = (selector: string) => Array.from(document.querySelectorAll(selector)).filter(shown).map((e) => `${selector}: ${(e.textContent ?? '').trim().slice(0, 40)}`);
    const intestazione = document.querySelector('[data-stampa-intestazione]');
    const main = document.querySelector('main')!;
    return {
      // What must not reach the paper.
      leftOver: [
        ...visible('.it-header-wrapper'), ...visible('nav[aria-label="Menu principale"]'), ...visible('.skiplink'),
        ...visible('button'), ...visible('.btn'), ...visible('[data-flash]'), ...visible('.pagination-wrapper'),
        ...visible('details.registro-panel'), ...visible('.it-footer'), ...visible('main:has([data-stampa]) form[method="post"]'), ...visible('main form[method="get"]'),
      ],
      intestazione: intestazione && shown(intestazione) ? (intestazione.textContent ?? '').replace(/\s+/g, ' ').trim() : null,
      mainShown: shown(main),
      // No colour left: the body's and the headings' text is black on no background.
      colours: Array.from(document.querySelectorAll('main h1, main td, main dd, .badge'))
        .filter((e) => { const s = getComputedStyle(e); return s.color !== 'rgb(0, 0, 0)' || (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent'); })
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${getComputedStyle(e).color} su ${getComputedStyle(e).backgroundColor}`),
      rowsBreak: Array.from(document.querySelectorAll('main tr')).map((r) => getComputedStyle(r).breakInside).filter((b) => b !== 'avoid').length,
      rows: document.querySelectorAll('main tr').length,
      // The URL printed after a link: only those leaving the app.
      linkUrls: Array.from(main.querySelectorAll('a[href]')).filter(shown).map((a) => ({ href: a.getAttribute('href')!, after: getComputedStyle(a, '::after').content })),
    };
  });

async function savePdf(page: Page, name: string): Promise<Buffer> {
  const dir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const pdf = await page.pdf({ path: path.join(dir, `${name}.pdf`), preferCSSPageSize: true, printBackground: true });
  return pdf;
}

describe.skipIf(!chromiumPath)('la stampa (foglio di stile per la carta, pulsante Stampa)', () => {
  const ctx = useBrowserApp((db) => demoCompleta(db.knex));

  it('prints a record with the school and the day on top, no header, menu, buttons or banners, and only outside links’ URLs', async () => {
    const page = await openLoggedIn(ctx, user('segreteria'), { landing: '/cig/1' });
    // A flash banner: the header's change of esercizio comes back to the page saying «Esercizio in uso».
    await page.selectOption('#esercizio-in-uso', '2026');
    await page.click('.esercizio-apply');
    await page.waitForSelector('[data-flash]');
    const onScreen = await printed(page);
    expect(onScreen.intestazione, 'l’intestazione di stampa non si vede sullo schermo').toBeNull();

    await page.emulateMedia({ media: 'print' });
    const paper = await printed(page);
    expect(paper.leftOver, paper.leftOver.join('\n')).toEqual([]);
    expect(paper.mainShown).toBe(true);
    expect(paper.intestazione).toContain(SCUOLA);
    expect(paper.intestazione).toContain('stampato il 27/11/2026');
    expect(paper.colours, paper.colours.join('\n')).toEqual([]);
    // ANAC's page prints its address; the app's own links (the documents with this CIG) do not.
    const anac = paper.linkUrls.find((l) => l.href.startsWith('https://'));
    expect(anac?.after).toContain('https://dati.anticorruzione.it/');
    const internal = paper.linkUrls.filter((l) => l.href.startsWith('/'));
    expect(internal.length).toBeGreaterThan(0);
    for (const l of internal) expect(['none', 'normal'], l.href).toContain(l.after);
    expect(paper.rowsBreak).toBe(0);

    const pdf = await savePdf(page, 'stampa-cig');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, 'stampa-cig');
    await closeWithoutErrors(page);
  });

  it('prints a list whole rows at a time, without the search, the columns, the exports and the pages', async () => {
    const page = await openLoggedIn(ctx, user('segreteria'), { landing: '/cig' });
    for (const url of ['/cig', '/mandati', '/flussi/cassiere', '/impegni']) {
      await page.goto(`${ctx.baseUrl}${url}`);
      // 36 impegni in 2026: two pages.
      if (url === '/impegni') expect(await page.isVisible('.pagination-wrapper'), url).toBe(true);
      expect(await page.locator('main form[method="get"]').count(), url).toBeGreaterThan(0);
      await page.emulateMedia({ media: 'print' });
      const paper = await printed(page);
      expect(paper.leftOver, `${url}\n${paper.leftOver.join('\n')}`).toEqual([]);
      expect(paper.intestazione, url).toContain(SCUOLA);
      expect(paper.rows, url).toBeGreaterThan(1);
      expect(paper.rowsBreak, url).toBe(0);
      for (const l of paper.linkUrls) expect(['none', 'normal'], `${url}: ${l.href}`).toContain(l.after);
      await page.emulateMedia({ media: 'screen' });
    }
    await page.emulateMedia({ media: 'print' });
    const pdf = await savePdf(page, 'stampa-impegni');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await screenshot(page, 'stampa-impegni');
    await closeWithoutErrors(page);
  });

  it('shows Stampa on every kind of record with JavaScript, and it opens the browser’s printing', async () => {
    const records = ['/cig/1', '/cup/1', '/impegni/1', '/mandati/1', '/creditori/1', '/fatture/1', `/flussi/cassiere/distinte/${ctx.data.distinta}`];
    const page = await openLoggedIn(ctx, user('admin'), { landing: '/' });
    for (const url of records) {
      await page.goto(`${ctx.baseUrl}${url}`);
      const button = page.locator('button[data-stampa]');
      expect(await button.count(), url).toBe(1);
      expect(await button.isVisible(), url).toBe(true);
      expect((await button.textContent())?.trim(), url).toBe('Stampa');
      // On paper: the record alone, its actions' forms (annulla, collega, storna…) left off.
      await page.emulateMedia({ media: 'print' });
      const paper = await printed(page);
      expect(paper.leftOver, `${url}\n${paper.leftOver.join('\n')}`).toEqual([]);
      expect(paper.intestazione, url).toContain(SCUOLA);
      expect(paper.colours, `${url}\n${paper.colours.join('\n')}`).toEqual([]);
      await page.emulateMedia({ media: 'screen' });
    }
    // The click calls window.print (replaced here: headless Chromium has no print dialog to wait for).
    await page.evaluate(() => {
      (window as unknown as { stampato: number }).stampato = 0;
      window.print = () => {
        (window as unknown as { stampato: number }).stampato++;
      };
    });
    await page.focus('button[data-stampa]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => (window as unknown as { stampato: number }).stampato)).toBe(1);
    // Lists have no Stampa button (the browser's menu prints them).
    await page.goto(`${ctx.baseUrl}/impegni`);
    expect(await page.locator('button[data-stampa]').count()).toBe(0);
    await closeWithoutErrors(page);
  });

  it('keeps Stampa hidden without JavaScript (a button that would do nothing)', async () => {
    const context = await ctx.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${ctx.baseUrl}/login?ritorno=%2Fimpegni%2F1`);
    await page.fill('#username', 'segreteria');
    await page.fill('#password', user('segreteria').password);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${ctx.baseUrl}/impegni/1`);
    expect(await page.locator('button[data-stampa]').count()).toBe(1);
    expect(await page.isVisible('button[data-stampa]')).toBe(false);
    await context.close();
  });
});
