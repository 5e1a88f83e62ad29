import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumPath, clickTo, closeWithoutErrors, openLoggedIn, screenshot, useBrowserApp } from '../helpers/browser.js';
import { TEST_TODAY } from '../helpers/testApp.js';
import { DEMO_USERS, seedDemo } from '../../seeds/demo.js';

/**
 * Issue 14's journey on the demo school, with the mouse, as an admin would make
 * it: the import accepting its proposals, the register completed from an ANAC
 * open-data CSV, the invalid values corrected once each on the import page, the
 * last code completed in Da completare, and the Flussi of both years with zero errors.
 */
const admin = DEMO_USERS.find((u) => u.username === 'admin')!;

/** What a secretary who checked the paperwork would type for each value the import cannot read. */
const CORREZIONI: Record<string, string> = {
  B123456789: 'B123456659',
  V123456789: 'B97AB30715',
  C44024D01730006: 'C44D24001730006',
  C44D2400212006: 'C44D24002120006',
};

/** An ANAC open-data file shaped as the monthly CSVs are: `;`, many columns, the school's codes and others. */
function anacCsv(codici: string[]): string {
  const header = 'cig;numero_gara;oggetto_gara;importo_complessivo_gara;n_lotti_componenti;oggetto_lotto;importo_lotto;stato;settore;data_pubblicazione;data_scadenza_offerta;cod_tipo_scelta_contraente;tipo_scelta_contraente;cf_amministrazione_appaltante;denominazione_amministrazione_appaltante;cod_cpv';
  const rows = [...codici, '9999999999', 'ZZ00000000'].map((cig, i) =>
    [cig, 9_100_000 + i, `Gara n. ${i + 1}`, '15000.00', '1', `Lotto unico della gara n. ${i + 1}`, `${1200 + i}.50`, 'ATTIVO', 'ORDINARIO', `2025-0${(i % 9) + 1}-10`, `2025-0${(i % 9) + 1}-28`, '23', 'AFFIDAMENTO DIRETTO', '97812345011', 'ISTITUTO COMPRENSIVO DEMO', '30192000-1'].join(';'),
  );
  return [header, ...rows].join('\n') + '\n';
}

describe.skipIf(!chromiumPath)('Dall’importazione ai flussi pronti, nel browser', () => {
  const ctx = useBrowserApp(async (db) => {
    await seedDemo(db.knex, { today: TEST_TODAY });
    return { scuolaId: (await db.knex('scuole').orderBy('id').first('id')).id as number };
  });

  /** The Flussi page of an esercizio: the year chosen in the header (the page has no selector of its own). */
  async function flussiDi(page: Page, esercizio: number) {
    await page.goto(`${ctx.baseUrl}/flussi`);
    await page.selectOption('#esercizio-in-uso', String(esercizio));
    await page.click('button.esercizio-apply');
    await page.waitForSelector(`[data-flussi="esercizio"] strong:text-is("${esercizio}")`);
  }

  /** The blocking errors the Flussi page states for an esercizio. */
  async function erroriFlussi(page: Page, esercizio: number): Promise<number> {
    await flussiDi(page, esercizio);
    const text = (await page.textContent('main'))!.replace(/\s+/g, ' ');
    if (text.includes('Nessun problema: gli elenchi corrispondono')) return 0;
    const m = /(\d+) error[ei] \(bloccano l’esportazione\)/.exec(text);
    if (!m) throw new Error(`Numero di errori non trovato nei Flussi ${esercizio}`);
    return Number(m[1]);
  }

  it('import, open data, corrections, Da completare: the Flussi have no errors', { timeout: 180_000 }, async () => {
    const page = await openLoggedIn(ctx, admin, { ignore: (t) => t.includes('422') });

    // 1. The import, accepting every proposal at once.
    await clickTo(page, '[data-banner="importazione"] a', '/impostazioni/importazione');
    expect(await page.textContent('main')).toContain('Proposte da confermare');
    await page.click('label[for="conferma"]');
    await page.click('button:has-text("Esegui accettando tutte le proposte")');
    await page.waitForURL(/\/impostazioni\/importazione\/\d+$/);
    expect(await page.textContent('[data-importazione="prossimi-passi"]')).toContain('Da completare');
    await screenshot(page, 'percorso-1-report');
    const before = await erroriFlussi(page, 2026);
    expect(before).toBeGreaterThan(10);

    // 2. The open data: the file is read, the proposals shown and applied.
    const codici = await ctx.db.knex('cig').where({ scuola_id: ctx.data.scuolaId }).orderBy('codice').pluck('codice');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anac-')), 'cig_2025_09.csv');
    fs.writeFileSync(file, anacCsv(codici));
    await page.goto(`${ctx.baseUrl}/impostazioni/dati-aperti`);
    await page.setInputFiles('#file', file);
    await page.click('button:has-text("Leggi il file e mostra le proposte")');
    await page.waitForSelector('button:has-text("Applica le proposte selezionate")');
    expect(await page.textContent('main')).toContain(`${codici.length} CIG della scuola trovati`);
    expect(await page.textContent('main')).toContain('data_pubblicazione');
    await screenshot(page, 'percorso-2-dati-aperti');
    await clickTo(page, 'button:has-text("Applica le proposte selezionate")', '/impostazioni/dati-aperti');
    expect(await page.textContent('main')).toContain(`su ${codici.length} CIG`);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });

    // 3. The values nobody could read: the right code typed once each, for all their documents.
    await page.goto(`${ctx.baseUrl}/impostazioni/importazione`);
    const rimasti = await page.locator('form[data-correzione]').evaluateAll((forms) => forms.map((f) => f.getAttribute('data-correzione')!));
    expect(rimasti.sort()).toEqual(Object.keys(CORREZIONI).sort());
    for (const valore of rimasti) {
      const form = page.locator(`form[data-correzione="${valore}"]`);
      await form.locator('input[name="codice"]').fill(CORREZIONI[valore]!);
      await form.locator('button').click();
      await page.waitForSelector(`text=${valore} corretto in ${CORREZIONI[valore]}`);
    }
    expect(await page.textContent('main')).toContain('Non c’è niente da importare');
    await screenshot(page, 'percorso-3-correzioni');

    // 4. Da completare: the one code the open data did not cover (a corrected one), then back to the Flussi.
    await flussiDi(page, 2025);
    await clickTo(page, '[data-flussi="completa-tutti"] a, a:has-text("CIG B123456659")', /\/(da-completare|cig\/\d+\/modifica)/);
    const dateField = page.locator('input[name$="_data_generazione"], #data_generazione').first();
    await dateField.fill('2025-03-12'); // the form's date input takes ISO; Da completare takes it too
    await page.click('button:has-text("Salva")');
    await page.waitForURL(/\/flussi/);

    // 5. The Flussi of both years: zero errors, the export allowed.
    expect(await erroriFlussi(page, 2025)).toBe(0);
    expect(await erroriFlussi(page, 2026)).toBe(0);
    await screenshot(page, 'percorso-4-flussi-pronti');
    expect(await page.locator(`main a[href="/flussi/2026/cig.csv"]`).count()).toBe(1);
    await closeWithoutErrors(page);
  });
});
