import { describe, expect, it } from 'vitest';
import { chromiumPath, axeViolations, clickTo, loginInBrowser, screenshot, useBrowserApp } from '../helpers/browser.js';
import { DEMO_USERS } from '../../seeds/demo.js';
import { demoCompleta } from '../helpers/demoCompleta.js';

const user = (username: string) => DEMO_USERS.find((u) => u.username === username)!;

/**
 * axe-core (WCAG 2.1 AA) on every page of the demo school after the import,
 * plus the states that matter: an error summary, an empty list, an open modal.
 * Zero violations of impact serious or critical.
 */
describe.skipIf(!chromiumPath)('accessibilità (axe-core, WCAG 2.1 AA)', () => {
  const ctx = useBrowserApp((db) => demoCompleta(db.knex));

  const PAGES = [
    '/', '/guida', '/cig', '/cig/nuovo', '/cig/1', '/cig/1/modifica', '/cig/1/elimina', '/cup', '/cup/nuovo', '/cup/1',
    '/impegni', '/impegni/nuovo', '/impegni/1', '/impegni/1/modifica', '/mandati', '/mandati/nuovo', '/mandati/1',
    '/creditori', '/creditori/nuovo', '/creditori/1', '/impostazioni/piano-destinazioni', '/impostazioni/piano-destinazioni/nuova',
    '/impostazioni/scuola', '/impostazioni/conti', '/impostazioni/conti?senza_siope=1', '/impostazioni/conti/1/modifica', '/impostazioni/importazione', '/impostazioni/importazione/1', '/flussi', '/pagina-che-non-esiste',
    '/fatture', '/fatture?stato=sconosciuto', '/fatture/carica', '/fatture/1', '/fatture/2',
    '/flussi/cassiere', '/flussi/cassiere?numero_da=1&numero_a=5',
    // The impegni/mandati search panel open: results with totals, nothing found, a refused criterion (422).
    '/impegni?dal=2026-01-01&importo_min=100,00&ordina=importo&verso=desc', '/impegni?q=nessuntestocosi', '/impegni?importo_min=dieci&cig=AB-1',
    '/mandati?importo_max=1.000.000,00&per=50', '/impostazioni/piano-destinazioni?esercizio=2025',
  ];
  /** What each page answers: 200, but the unknown address and the refused searches. */
  const STATUS: Record<string, number> = { '/pagina-che-non-esiste': 404, '/fatture?stato=sconosciuto': 422, '/impegni?importo_min=dieci&cig=AB-1': 422 };

  it('finds no serious or critical violation on any page', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    expect(await axeViolations(page), '/login').toEqual([]);
    await loginInBrowser(page, ctx.baseUrl, user('admin'));
    for (const url of [...PAGES, `/flussi/cassiere/distinte/${ctx.data.distinta}`, `/mandati/${ctx.data.mandatoInviato}`, `/mandati/${ctx.data.mandatoInviato}/modifica`]) {
      const res = await page.goto(`${ctx.baseUrl}${url}`);
      // Each page is the page itself (the unknown address excepted), not a 404 checked by mistake.
      expect(res?.status(), url).toBe(STATUS[url] ?? 200);
      expect(await axeViolations(page), url).toEqual([]);
    }
    await context.close();
    // One axe run per page of the app (about a second each on a busy 2-core machine): more than the default 30 s.
  }, 180_000);

  it('finds none on Impostazioni → Scuola e cassiere refused (error summary, the fields\' messages)', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('admin'), '/impostazioni/scuola');
    await page.fill('#codice_abi', '3069');
    await page.click('form.registro-form button[type="submit"]');
    await page.waitForSelector('[data-error-summary]');
    expect(await page.textContent('main')).toContain('Il codice ABI ha 5 cifre');
    expect(await axeViolations(page), '/impostazioni/scuola con errori').toEqual([]);
    await context.close();
  });

  it('finds none on Impostazioni → Piano dei conti refused (a conto\'s codice SIOPE)', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('admin'), '/impostazioni/conti/1/modifica');
    await page.fill('#codice_siope', '23A');
    await page.click('form.registro-form button[type="submit"]');
    await page.waitForSelector('[data-error-summary]');
    expect(await page.textContent('main')).toContain('Il codice SIOPE è fatto di sole cifre');
    expect(await axeViolations(page), '/impostazioni/conti/1/modifica con errori').toEqual([]);
    await context.close();
  });

  it('finds none on an error summary, an empty list and an open modal', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('segreteria'));

    await page.goto(`${ctx.baseUrl}/cig/nuovo`);
    await page.fill('#codice', 'B123456789');
    await page.click('button:has-text("Salva")');
    await page.waitForSelector('[data-error-summary]');
    expect(await axeViolations(page), 'riepilogo errori').toEqual([]);

    await page.goto(`${ctx.baseUrl}/impegni/nuovo`);
    await page.click('[data-picker="cig_id"] button.picker-nuovo');
    await page.waitForSelector('#modal-cig.show');
    // Measured once the fade-in is over: mid-animation every text is "low contrast".
    await page.waitForFunction(() => {
      const modal = document.getElementById('modal-cig');
      return modal !== null && getComputedStyle(modal).opacity === '1' && getComputedStyle(modal.querySelector('.modal-dialog')!).transform === 'none';
    });
    expect(await axeViolations(page), 'modale CIG aperto').toEqual([]);
    await screenshot(page, 'accessibilita-modale');
    await context.close();

    // School 2 has no CIG at all: the empty state.
    const other = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page2 = await other.newPage();
    await loginInBrowser(page2, ctx.baseUrl, user('segreteria2'), '/cig');
    expect(await page2.textContent('main')).toContain('Nessun CIG');
    expect(await axeViolations(page2), 'elenco vuoto').toEqual([]);
    await other.close();
  });

  it('finds none on the document forms\' states: the register\'s form after the + without JavaScript, the note of a proposed CUP, the conflict page with its choices', async () => {
    // axe needs JavaScript in the page: the states without it are reached by posting what the page without JavaScript posts.
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('segreteria'), '/impegni/1/modifica');
    // The + without JavaScript: the impegno kept as a draft, the CIG form says so.
    await page.evaluate(() => {
      const form = document.getElementById('documento-form') as HTMLFormElement;
      const field = Object.assign(document.createElement('input'), { type: 'hidden', name: 'nuovo_registro', value: 'cig' });
      form.append(field);
      form.action = '/impegni/bozza?modifica=1';
      form.submit();
    });
    await page.waitForURL(/\/cig\/nuovo\?ritorno=/);
    expect(await page.textContent('main')).toContain('I dati del documento sono conservati');
    expect(await axeViolations(page), 'nuovo CIG dal + senza JavaScript').toEqual([]);

    // Two forms of the same impegno: the second save meets the first and gets the page of choices.
    await page.goto(`${ctx.baseUrl}/impegni/1/modifica`);
    const other = await context.newPage();
    await other.goto(`${ctx.baseUrl}/impegni/1/modifica`);
    await other.fill('#note', 'Salvato da un altro utente');
    await clickTo(other, '#documento-salva', /\/impegni\/1$/);
    await page.fill('#note', 'Le mie note');
    await page.click('#documento-salva');
    await page.waitForSelector('#conflitto-form');
    expect(await page.isChecked('#conflitto-note-mia')).toBe(true);
    expect(await axeViolations(page), 'conflitto con le scelte campo per campo').toEqual([]);
    await screenshot(page, 'accessibilita-conflitto-unisci');

    // A voce with a CUP fills the CUP, with a visible note next to it.
    await page.goto(`${ctx.baseUrl}/impegni/nuovo`);
    const voce = await page.$eval('#voce_id', (s) => Array.from((s as HTMLSelectElement).options).find((o) => o.getAttribute('data-propone-cup_id'))?.value ?? '');
    expect(voce, 'una voce con il CUP nei dati dimostrativi').not.toBe('');
    await page.selectOption('#voce_id', voce);
    await page.waitForSelector('#cup_id-proposta');
    expect(await axeViolations(page), 'CUP proposto dalla voce').toEqual([]);
    await context.close();
    // Three pages and three axe runs on a busy 2-core machine: more than the default 30 s.
  }, 120_000);

  it('finds none on the session-expiry warning (fake clock: eight hours idle)', async () => {
    const context = await ctx.browser.newContext({ bypassCSP: true, locale: 'it-IT' });
    const page = await context.newPage();
    await page.clock.install();
    await loginInBrowser(page, ctx.baseUrl, user('segreteria'), '/impegni/nuovo');
    await page.clock.fastForward('07:57:10');
    await page.waitForSelector('[data-sessione][role="alert"]', { state: 'visible' });
    expect(await axeViolations(page), 'avviso di scadenza della sessione').toEqual([]);
    await context.close();
  });

  // axe does not check focus visibility: every control reached by Tab must draw an outline or a
  // shadow that it does not have without the focus (checkboxes: on the box drawn by their label).
  // Checked to fail when the focus styles are removed from one page (218 controls on 8 pages).
  it('shows where the focus is on every control reached by Tab', async () => {
    const context = await ctx.browser.newContext({ locale: 'it-IT' });
    const page = await context.newPage();
    await loginInBrowser(page, ctx.baseUrl, user('admin'));
    const invisible: string[] = [];
    let checked = 0;
    for (const url of ['/', '/cig', '/cig/nuovo', '/cig/1', '/impegni/nuovo', '/mandati/nuovo', '/flussi', '/impostazioni/importazione']) {
      await page.goto(`${ctx.baseUrl}${url}`);
      const seen = new Set<string>();
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el || el === document.body) return null;
          const path = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : ''}:${el.textContent?.trim().slice(0, 30) ?? ''}`;
          // A visible indicator: an outline or a box-shadow on the element, or, for the checkboxes
          // and radios Bootstrap Italia draws on their label, on the label's drawn box.
          const drawn = (style: CSSStyleDeclaration) =>
            (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
          const input = el as HTMLInputElement;
          const label = (input.type === 'checkbox' || input.type === 'radio') && input.id ? document.querySelector(`label[for="${input.id}"]`) : null;
          const look = () => {
            const s = getComputedStyle(el);
            const l = label ? getComputedStyle(label, '::before') : undefined;
            return { drawn: drawn(s) || (l ? drawn(l) : false), key: [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, l?.boxShadow, l?.outlineStyle].join('|') };
          };
          const focused = look();
          // The indicator must come with the focus: compared with the same control without it.
          el.blur();
          const blurred = look();
          el.focus();
          return { path, visible: focused.drawn && focused.key !== blurred.key };
        });
        if (!focus) continue;
        if (seen.has(focus.path)) break; // back at the start of the page
        seen.add(focus.path);
        checked++;
        if (!focus.visible) invisible.push(`${url}: ${focus.path}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(invisible, invisible.join('\n')).toEqual([]);
    await context.close();
  });
});
