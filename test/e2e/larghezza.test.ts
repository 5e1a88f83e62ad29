import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumPath, loginInBrowser, screenshot, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS } from '../../seeds/demo.js';
import { demoCompleta } from '../helpers/demoCompleta.js';

const user = (username: string) => DEMO_USERS.find((u) => u.username === username)!;

const PHONE = { width: 390, height: 844 };

/**
 * The elements sticking out on the right of the viewport, outermost first (a
 * child of one already listed is left out), each as tag#id.classes «text» and
 * its right edge: what the failure message names.
 */
function overflowing(page: Page): Promise<{ scrollWidth: number; elements: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: Element[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 0.5) continue;
      // Inside a box that fits and scrolls or clips on its own (a table's scroller): not the page's
      // overflow. An absolutely positioned element is clipped only by its containing block and above.
      let clipped = false;
      const style = getComputedStyle(el);
      const from = style.position === 'absolute' ? (el as HTMLElement).offsetParent : style.position === 'fixed' ? null : el.parentElement;
      for (let p = from; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible' && p.getBoundingClientRect().right <= width + 0.5) { clipped = true; break; }
      }
      if (clipped || style.visibility === 'hidden') continue;
      if (found.some((f) => f.contains(el))) continue;
      found.push(el);
    }
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.classList.length ? `.${Array.from(el.classList).join('.')}` : ''} «${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}» right=${Math.round(el.getBoundingClientRect().right)}`;
    return { scrollWidth: document.documentElement.scrollWidth, elements: found.slice(0, 8).map(describe) };
  });
}

/** Fails unless the page at `url` fits 390 px: the document no wider than the viewport. */
async function expectFits(page: Page, url: string) {
  const { scrollWidth, elements } = await overflowing(page);
  expect(scrollWidth, `${url}: largo ${scrollWidth}px su ${PHONE.width}px; sporgono: ${elements.join(' | ') || '(nessun elemento trovato)'}`).toBeLessThanOrEqual(PHONE.width);
}

/**
 * At 390×844 (a phone) no page of the demo school scrolls sideways: every kind
 * of page (lists, records, forms, settings, flussi, cassiere, a distinta,
 * fatture, the guide, login), as the segreteria and as the admin.
 */
describe.skipIf(!chromiumPath)('a 390 px nessuna pagina scorre di lato', () => {
  const ctx = useBrowserApp((db) => demoCompleta(db.knex));

  const COMUNI = [
    '/', '/guida', '/cig', '/cig/nuovo', '/cig/1', '/cig/1/modifica', '/cig/1/elimina', '/cup', '/cup/nuovo', '/cup/1', '/cup/1/modifica',
    '/impegni', '/impegni/nuovo', '/impegni/1', '/impegni/1/modifica', '/mandati', '/mandati/nuovo', '/mandati/1', '/mandati/1/modifica',
    '/creditori', '/creditori/nuovo', '/creditori/1', '/da-completare', '/impostazioni/piano-destinazioni', '/impostazioni/piano-destinazioni/nuova',
    '/flussi', '/flussi?mese=4', '/flussi/cassiere', '/flussi/cassiere?numero_da=1&numero_a=5',
    '/fatture', '/fatture/carica', '/fatture/1', '/fatture/2', '/pagina-che-non-esiste',
  ];
  const SOLO_ADMIN = ['/impostazioni/scuola', '/impostazioni/conti', '/impostazioni/conti/1/modifica', '/impostazioni/importazione', '/impostazioni/importazione/1', '/impostazioni/dati-aperti'];

  it('login: the form fits', async () => {
    const page = await ctx.browser.newPage({ viewport: PHONE });
    await page.goto(`${ctx.baseUrl}/login`);
    await expectFits(page, '/login');
    await screenshot(page, 'larghezza-390-login');
    await page.close();
  });

  for (const username of ['segreteria', 'admin']) {
    it(`every page fits as ${username}`, async () => {
      const page = await ctx.browser.newPage({ viewport: PHONE, locale: 'it-IT' });
      await loginInBrowser(page, ctx.baseUrl, user(username));
      const pages = [...COMUNI, ...(username === 'admin' ? SOLO_ADMIN : []), `/flussi/cassiere/distinte/${ctx.data.distinta}`, `/mandati/${ctx.data.mandatoInviato}`];
      const wide: string[] = [];
      for (const url of pages) {
        const res = await page.goto(`${ctx.baseUrl}${url}`);
        expect(res?.status(), url).toBeLessThan(url === '/pagina-che-non-esiste' ? 500 : 400);
        const { scrollWidth, elements } = await overflowing(page);
        if (scrollWidth > PHONE.width) wide.push(`${url}: largo ${scrollWidth}px; sporgono: ${elements.join(' | ') || '(nessun elemento trovato)'}`);
      }
      expect(wide, wide.join('\n')).toEqual([]);
      if (username === 'segreteria') {
        for (const [url, name] of [['/', 'riepilogo'], ['/impegni', 'impegni'], ['/cig', 'cig'], ['/impegni/1', 'impegno'], ['/flussi', 'flussi']]) {
          await page.goto(`${ctx.baseUrl}${url}`);
          await screenshot(page, `larghezza-390-${name}`);
        }
      }
      await page.close();
    }, 120_000);
  }
  // The Note of an impegno comes right after the «CIG e CUP» fieldset: Bootstrap Italia's floating
  // label rose over the fieldset's border. Its box must now clear the fieldset and the text area.
  for (const viewport of [{ width: 1366, height: 768 }, PHONE]) {
    it(`the Note label of a document sits on neither the fieldset nor its text area at ${viewport.width} px`, async () => {
      const page = await ctx.browser.newPage({ viewport });
      await loginInBrowser(page, ctx.baseUrl, user('segreteria'), '/impegni/nuovo');
      const boxes = await page.evaluate(() => {
        const box = (e: Element | null) => {
          const r = e!.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
        };
        const note = document.getElementById('note')!;
        return { label: box(document.querySelector('label[for="note"]')), textarea: box(note), fieldset: box(note.closest('form')!.querySelector('fieldset')) };
      });
      const overlaps = (a: typeof boxes.label, b: typeof boxes.label) => a.top < b.bottom && b.top < a.bottom && a.left < b.right && b.left < a.right;
      expect(overlaps(boxes.label, boxes.fieldset), `etichetta ${JSON.stringify(boxes.label)} sul fieldset ${JSON.stringify(boxes.fieldset)}`).toBe(false);
      expect(overlaps(boxes.label, boxes.textarea), `etichetta ${JSON.stringify(boxes.label)} sull’area di testo ${JSON.stringify(boxes.textarea)}`).toBe(false);
      expect(boxes.label.bottom).toBeLessThanOrEqual(boxes.textarea.top);
      await page.close();
    });
  }
});
