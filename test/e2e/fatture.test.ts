import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCreditore, createImpegno, createTwoSchools } from '../helpers/factories.js';
import { chromiumPath, clickTo, closeWithoutErrors, openLoggedIn, screenshot, useBrowserApp } from '../helpers/browser.js';

/**
 * Issue 15's journey in the browser: the secretary uploads the month's
 * invoice, sees its CIG is not in the register, registers it from the
 * invoice's link (and comes back), ties the supplier to its creditore and the
 * invoice to the impegno, then pays it with a mandato that knows the invoice.
 */
const SCHOOL_CF = '97812345011';
const CIG = '9050626CD6';
const INVOICE = readFileSync('test/fixtures/fatturapa/semplice.xml', 'utf8').replace('<Numero>FPA 12/25</Numero>', '<Numero>FPA 77/26</Numero>');

describe.skipIf(!chromiumPath)('fattura: carica, controlla i codici, collega, paga', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const s = cast.scuola1.id;
    await db.knex('scuole').where({ id: s }).update({ codice_fiscale: SCHOOL_CF });
    const creditore = await createCreditore(db.knex, s, { denominazione: 'Cartoleria Rossi & Figli S.r.l.' });
    await db.knex('creditori').where({ id: creditore.id }).update({ partita_iva: '01234567897' });
    const impegno = await createImpegno(db.knex, s, { importo_cents: 100_000, oggetto: 'Materiale di cancelleria per la segreteria' });
    await db.knex('impegni').where({ id: impegno.id }).update({ creditore_id: creditore.id });
    return { ...cast, creditore, impegno };
  });

  it('goes from the uploaded file to a paid invoice', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/fatture/carica', timeout: 10_000 });
    await page.setInputFiles('input[type=file]', { name: 'IT01234567897_FPA77.xml', mimeType: 'text/xml', buffer: Buffer.from(INVOICE) });
    await page.click('main button[type=submit]');
    await expect.poll(() => page.textContent('main'), { timeout: 15_000 }).toContain('registrata');
    await screenshot(page, 'fatture-caricate');

    // The per-file result links the invoice's page.
    await clickTo(page, 'main a:has-text("FPA 77/26")', /\/fatture\/\d+$/);
    const invoiceUrl = page.url();
    expect(await page.textContent('#codici')).toContain(CIG);
    await screenshot(page, 'fattura-codici');

    // The supplier was matched at upload to the creditore with the same P.IVA.
    expect(await page.textContent('#creditore')).toContain('Creditore: Cartoleria Rossi');

    // One click registers the CIG, pre-filled; Salva comes back to the invoice.
    await clickTo(page, `#codici a:has-text("Registra il CIG ${CIG}")`, /\/cig\/nuovo\?/);
    expect(await page.inputValue('#codice')).toBe(CIG);
    expect(await page.inputValue('#oggetto')).toContain('Risme carta A4');
    expect(await page.inputValue('#fornitore_id')).toBe(String(ctx.data.creditore.id));
    await page.fill('#data_generazione', '2025-02-10');
    await page.click('main form button:has-text("Salva")');
    await page.waitForURL((url) => url.href.startsWith(invoiceUrl));
    expect(await page.textContent('main')).toContain(`CIG ${CIG} inserito.`);
    expect(await page.textContent('#codici')).toMatch(/nel registro|registrato/i);

    // The impegno was written before the CIG was in the register: the CIG is chosen on it now.
    const cigId = Number(new URL(page.url()).searchParams.get('cig_id'));
    await page.goto(`${ctx.baseUrl}/impegni/${ctx.data.impegno.id}/modifica`);
    await page.selectOption('#cig_id', String(cigId));
    await page.click('#documento-salva');
    await page.waitForURL(`${ctx.baseUrl}/impegni/${ctx.data.impegno.id}`);

    // Then the invoice is tied to that impegno, proposed first as it shares the CIG.
    await page.goto(invoiceUrl);
    expect(await page.textContent('#collegamento')).toContain('stesso CIG della fattura');
    await page.check(`#impegno_id_${ctx.data.impegno.id}`);
    await clickTo(page, '#collegamento button:has-text("Collega all’impegno scelto")', invoiceUrl);
    expect(await page.textContent('#collegamento')).toContain('Collegata all’impegno');
    await screenshot(page, 'fattura-collegata');

    const row = await ctx.db.knex('fatture').where({ scuola_id: ctx.data.scuola1.id, numero: 'FPA 77/26' }).first();
    expect(row).toMatchObject({ creditore_id: ctx.data.creditore.id, impegno_id: ctx.data.impegno.id, stato: 'collegata' });

    // Paga: a new mandato pre-filled from the invoice, which it lists among those it pays.
    await clickTo(page, '#pagamenti a:has-text("Paga")', /\/mandati\/nuovo\?fattura=\d+/);
    expect(await page.inputValue('#importo')).toBe('366,00');
    expect(await page.inputValue(`#fe_${row.id}`)).toBe('366,00');
    expect(await page.inputValue('#causale')).toContain('FPA 77/26');
    await screenshot(page, 'fattura-paga');
    await page.click('#documento-salva');
    await page.waitForURL(/\/mandati\/\d+$/);
    expect(await page.textContent('main')).toContain('FPA 77/26');

    await page.goto(invoiceUrl);
    expect(await page.textContent('[data-testid=residuo-fattura]')).toContain('0,00');
    const paid = await ctx.db.knex('fatture').where({ id: row.id }).first();
    expect(paid.stato).toBe('pagata');
    expect(Number(paid.pagato_cents)).toBe(36_600);
    await screenshot(page, 'fattura-pagata');
    await closeWithoutErrors(page);
  }, 90_000);
});
