import { describe, expect, it } from 'vitest';
import { createCig, createImpegno, createMandato, createTwoSchools } from '../helpers/factories.js';
import { createFattura } from '../helpers/fatture.js';
import { chromiumPath, clickTo, closeWithoutErrors, downloadText, openLoggedIn, screenshot, useBrowserApp } from '../helpers/browser.js';
import { opiFlussoViolations } from '../../src/formats/xsd.js';

/**
 * Issue 16's journey in the browser: the secretary sends the month's mandato
 * to the bank (Crea distinta), downloads the file, then edits the mandato
 * already sent and finds it again, as a VARIAZIONE, in the next distinta.
 */
describe.skipIf(!chromiumPath)('mandati al cassiere: distinta, download, variazione', () => {
  const ctx = useBrowserApp(async (db) => {
    const cast = await createTwoSchools(db.knex);
    const s = cast.scuola1.id;
    await db.knex('scuole').where({ id: s }).update({
      codice_fiscale: '97812345011', descrizione_ente: 'Istituto Comprensivo di prova', codice_ipa: 'istsc_rmic81200x', codice_univoco_ufficio: 'UF7K2M',
      codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
      codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente art. 16 Tab. B DPR 642/1972', spese_soggetto: 'A CARICO ENTE',
    });
    const [creditore] = await db.knex('creditori').insert({
      scuola_id: s, denominazione: 'Cartoleria Rossi & Figli S.r.l.', partita_iva: '01234567897', indirizzo: 'Via del Corso 112', cap: '00186', localita: 'Roma',
      provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456',
    }).returning('id');
    const [conto] = await db.knex('piano_conti').insert({ scuola_id: s, tipo: 2, conto: 1, sottoconto: 1, descrizione: 'Carta e cancelleria', codice_siope: '2301', natura_spesa: 'CORRENTE' }).returning('id');
    const cig = await createCig(db.knex, s);
    const impegno = await createImpegno(db.knex, s, { importo_cents: 100_000, cig_id: cig.id, oggetto: 'Cancelleria per la segreteria' });
    await db.knex('impegni').where({ id: impegno.id }).update({ conto_id: conto.id, creditore_id: creditore.id });
    const fattura = await createFattura(db.knex, s, { impegno_id: impegno.id, creditore_id: creditore.id, identificativo_sdi: '4412345678', cig: cig.codice });
    await db.knex('fatture').where({ id: fattura.id }).update({ pagato_cents: 12_200 });
    const mandato = await createMandato(db.knex, s, impegno, { importo_cents: 12_200, cig_id: cig.id });
    await db.knex('mandati').where({ id: mandato.id }).update({ beneficiario_id: creditore.id, causale: 'Saldo fattura cancelleria' });
    await db.knex('mandati_fatture').insert({ scuola_id: s, mandato_id: mandato.id, fattura_id: fattura.id, importo_cents: 12_200 });
    return { ...cast, mandato, cig };
  });

  it('creates the distinta, downloads it, and an edit of the sent mandato goes as a variation in the next one', async () => {
    const page = await openLoggedIn(ctx, ctx.data.segreteria, { landing: '/flussi/cassiere', timeout: 15_000 });
    const mandatoHref = `/mandati/${ctx.data.mandato.id}`;
    expect(await page.textContent('[data-cassiere="pronti"]')).toContain('Inserimento');
    await screenshot(page, 'cassiere-pronti');
    await clickTo(page, '[data-cassiere="crea"] button', /\/flussi\/cassiere\/distinte\/\d+$/);
    expect(await page.textContent('main')).toContain('Distinta n. 1 creata con 1 mandato');
    await screenshot(page, 'cassiere-distinta');

    const first = await downloadText(page, () => page.click('[data-distinta="dati"] a[download]'));
    expect(first.name).toMatch(/^OPI_UF7K2M_\d{4}_\d+\.xml$/);
    expect(await opiFlussoViolations(Buffer.from(first.text))).toEqual([]);
    expect(first.text).toContain(`<codice_cig_siope>${ctx.data.cig.codice}</codice_cig_siope>`);
    expect(first.text).toContain('<tipo_operazione>INSERIMENTO</tipo_operazione>');

    // The mandato says it was sent; Modifica still works and becomes a variation.
    await clickTo(page, `[data-distinta="mandati"] a[href="${mandatoHref}"]`, mandatoHref);
    expect(await page.textContent('[data-mandato="cassiere"]')).toContain('Trasmesso al cassiere');
    await clickTo(page, 'main a:has-text("Modifica")', `${mandatoHref}/modifica`);
    expect(await page.textContent('[data-mandato="trasmesso"]')).toContain('variazione');
    await page.fill('#causale', 'Saldo fattura cancelleria, IBAN confermato');
    await clickTo(page, '#documento-salva', mandatoHref);
    expect(await page.textContent('[data-mandato="cassiere"]')).toContain('la variazione partirà con la prossima distinta');

    await page.goto(`${ctx.baseUrl}/flussi/cassiere`);
    expect(await page.textContent('[data-cassiere="pronti"]')).toContain('Variazione');
    await clickTo(page, '[data-cassiere="crea"] button', /\/flussi\/cassiere\/distinte\/\d+$/);
    const second = await downloadText(page, () => page.click('[data-distinta="dati"] a[download]'));
    expect(second.name).not.toBe(first.name);
    expect(await opiFlussoViolations(Buffer.from(second.text))).toEqual([]);
    expect(second.text).toContain('<tipo_operazione>VARIAZIONE</tipo_operazione>');
    expect(second.text).toContain('IBAN confermato');
    await page.goto(`${ctx.baseUrl}${mandatoHref}`);
    const storia = await page.textContent('[data-mandato="cassiere"]');
    expect(storia).toContain('Inserimento');
    expect(storia).toContain('Variazione');
    await screenshot(page, 'cassiere-mandato-inviato');
    await closeWithoutErrors(page);
  });
});
