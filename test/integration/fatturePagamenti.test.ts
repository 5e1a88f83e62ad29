import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { csrfToken, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { readForm } from '../helpers/forms.js';
import { createCig, createCreditore, createImpegno } from '../helpers/factories.js';
import { createFattura } from '../helpers/fatture.js';
import { stornaNotaCollegata } from '../../src/services/fatturePagamenti.js';
import { mandatoForm } from '../helpers/mandati.js';

/**
 * Issue 15, paying invoices: Paga from the invoice, the invoices a mandato pays
 * (electronic and analog) and their rules, the invoices' totals under
 * concurrent saves, credit notes.
 */
const ctx = useSegreteria('/mandati/nuovo');
const anno = TEST_ESERCIZIO;
const scuola = () => ctx.cast.scuola1.id;
let cig: { id: number; codice: string };
let creditore: { id: number; denominazione: string };

beforeAll(async () => {
  cig = await createCig(ctx.knex, scuola());
  creditore = await createCreditore(ctx.knex, scuola(), { denominazione: 'Cartoleria Rossi & Figli S.r.l.' });
});

const count = async (table: string, where: Record<string, unknown> = {}) => Number((await ctx.knex(table).where(where).count({ n: '*' }).first())?.n);
const stored = (id: number) => ctx.knex('fatture').where({ id }).first('pagato_cents', 'stornato_cents', 'importo_dovuto_cents', 'stato', 'rettifica_di_id', 'version');

/** An impegno of 1.000,00 € with the CIG, and an invoice of 122,00 € tied to it (overrides for the invoice). */
async function fatturaSuImpegno(overrides: Parameters<typeof createFattura>[2] = {}) {
  const impegno = await createImpegno(ctx.knex, scuola(), { importo_cents: 100_000, cig_id: cig.id });
  const fattura = await createFattura(ctx.knex, scuola(), { impegno_id: impegno.id, creditore_id: creditore.id, ...overrides });
  return { impegno, fattura };
}

const mandato = (impegnoId: number, fields: Record<string, string> = {}) =>
  mandatoForm({ token: ctx.token, data: `${anno}-11-20`, impegnoId, beneficiarioId: creditore.id, cigId: cig.id }, fields);

const post = (body: Record<string, string>, path = '/mandati') => ctx.agent.post(path).type('form').send(body);
const text = (html: string) => html.replace(/\u00a0/g, ' ');

describe('Paga, dalla pagina della fattura', () => {
  it('opens the new mandato with impegno, beneficiario, causale, CIG, commercial debt, what is left to pay and the invoice among those it pays', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    const page = await ctx.agent.get(`/fatture/${fattura.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/mandati/nuovo?fattura=${fattura.id}"`);
    expect(text(page.text)).toMatch(/data-testid="residuo-fattura">122,00 €/);

    const res = await ctx.agent.get(`/mandati/nuovo?fattura=${fattura.id}`);
    expect(res.status).toBe(200);
    const form = readForm(res.text, { id: 'documento-form' });
    expect(form.fields).toMatchObject({
      impegno_id: String(impegno.id), beneficiario_id: String(creditore.id), importo: '122,00', tipo_debito: 'COMMERCIALE',
      modalita_pagamento: 'SEPA CREDIT TRANSFER', cig_id: String(cig.id), [`fe_${fattura.id}`]: '122,00',
      causale: `Pagamento fattura n. ${fattura.numero} del 02/11/2026 – ${creditore.denominazione}`,
    });
    expect(res.text).toContain('IBAN in fattura IT60X0542811101000000123456');

    const saved = await post(form.fields);
    expect(saved.status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 12_200, stato: 'pagata' });
    const show = await ctx.agent.get(saved.headers.location!);
    expect(show.text).toContain(`href="/fatture/${fattura.id}"`);
    // Paid in full: no Paga any more; the invoice page lists the mandato.
    const after = await ctx.agent.get(`/fatture/${fattura.id}`);
    expect(after.text).not.toContain(`/mandati/nuovo?fattura=${fattura.id}`);
    expect(after.text).toMatch(/Mandato n\. \d+\/2026/);
    expect(await count('audit_log', { entita: 'fattura', entita_id: fattura.id, azione: 'modifica' })).toBe(1);
  });

  it('with split payment pays the taxable part only and says the IVA goes to the Erario', async () => {
    const { fattura } = await fatturaSuImpegno({ split_payment: true, totale_cents: 12_200, imposta_cents: 2_200 });
    const res = await ctx.agent.get(`/mandati/nuovo?fattura=${fattura.id}`);
    const form = readForm(res.text, { id: 'documento-form' });
    expect(form.fields.importo).toBe('100,00');
    expect(form.fields[`fe_${fattura.id}`]).toBe('100,00');
    expect(text(res.text)).toContain('l’IVA di 22,00 € la versa la scuola all’Erario');
    expect((await post(form.fields)).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 10_000, stato: 'pagata' });
  });

  it('takes the CIG from the invoice when the impegno has none', async () => {
    const impegno = await createImpegno(ctx.knex, scuola(), { importo_cents: 100_000, cig_id: null });
    const fattura = await createFattura(ctx.knex, scuola(), { impegno_id: impegno.id, creditore_id: creditore.id, cig: cig.codice, senza_cig: false });
    const form = readForm((await ctx.agent.get(`/mandati/nuovo?fattura=${fattura.id}`)).text, { id: 'documento-form' });
    expect(form.fields).toMatchObject({ cig_id: String(cig.id), impegno_id: String(impegno.id) });
  });

  it('answers 404 for an invoice of another school, and for one not tied to an impegno', async () => {
    const altrui = await createFattura(ctx.knex, ctx.cast.scuola2.id);
    expect((await ctx.agent.get(`/mandati/nuovo?fattura=${altrui.id}`)).status).toBe(404);
    const libera = await createFattura(ctx.knex, scuola(), { creditore_id: creditore.id });
    expect((await ctx.agent.get(`/mandati/nuovo?fattura=${libera.id}`)).status).toBe(404);
    expect((await ctx.agent.get(`/fatture/${libera.id}`)).text).toContain('collega prima la fattura a un impegno');
  });
});

describe('Le fatture pagate da un mandato', () => {
  it('stores electronic and analog invoices with their amounts; the invoice is pagata in parte', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    const res = await post(mandato(impegno.id, {
      importo: '100,00', [`fe_${fattura.id}`]: '60,00',
      fa_0_tipo: 'DOC_EQUIVALENTE', fa_0_numero: 'R-15', fa_0_data: '03/11/2026', fa_0_importo: '40,00', fa_0_cf: '01234567897',
      fa_1_tipo: 'FATT_ANALOGICA', fa_1_numero: '', fa_1_data: '', fa_1_importo: '', fa_1_cf: '',
    }));
    expect(res.status).toBe(302);
    const m = await ctx.knex('mandati').where({ impegno_id: impegno.id }).first('id');
    const righe = await ctx.knex('mandati_fatture').where({ mandato_id: m.id }).orderBy('id');
    expect(righe).toMatchObject([
      { fattura_id: fattura.id, importo_cents: 6000, analogica_numero: null },
      { fattura_id: null, importo_cents: 4000, analogica_numero: 'R-15', analogica_data: '2026-11-03', analogica_codice_fiscale: '01234567897', analogica_tipo: 'DOC_EQUIVALENTE' },
    ]);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 6000, stato: 'pagata_in_parte' });
    const show = await ctx.agent.get(`/mandati/${m.id}`);
    expect(show.text).toContain(`href="/fatture/${fattura.id}"`);
    expect(show.text).toContain('Documento equivalente');
    expect(show.text).toContain('R-15 del 03/11/2026');
    const page = await ctx.agent.get(`/fatture/${fattura.id}`);
    expect(text(page.text)).toMatch(/data-testid="pagato">60,00 €/);
    expect(text(page.text)).toMatch(/data-testid="residuo-fattura">62,00 €/);
    // Its edit form shows what it pays.
    const edit = readForm((await ctx.agent.get(`/mandati/${m.id}/modifica`)).text, { id: 'documento-form' });
    expect(edit.fields).toMatchObject({ [`fe_${fattura.id}`]: '60,00', fa_0_numero: 'R-15', fa_0_data: '03/11/2026', fa_0_importo: '40,00', fa_0_tipo: 'DOC_EQUIVALENTE' });
  });

  it('refuses, with a message that says what to do and nothing stored', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    const nota = await createFattura(ctx.knex, scuola(), { impegno_id: impegno.id, tipo_documento: 'TD04', totale_cents: 1000 });
    const altrui = await createFattura(ctx.knex, ctx.cast.scuola2.id);
    const before = await count('mandati');
    const cases: [Record<string, string>, string, string][] = [
      [{}, 'fatture', 'paga almeno una fattura'],
      [{ importo: '130,00', [`fe_${fattura.id}`]: '130,00' }, `fe_${fattura.id}`, 'ha da pagare al massimo 122,00'],
      [{ importo: '100,00', [`fe_${fattura.id}`]: '60,00' }, 'fatture', 'devono fare l’importo del mandato (100,00'],
      [{ importo: '10,00', [`fe_${altrui.id}`]: '10,00' }, 'fatture', 'non è tra le fatture della scuola'],
      [{ importo: '10,00', [`fe_${nota.id}`]: '10,00' }, `fe_${nota.id}`, 'è una nota di credito: non si paga'],
      [{ importo: '10,00', fa_0_tipo: 'FATT_ANALOGICA', fa_0_numero: '7', fa_0_data: '03/11/2026', fa_0_importo: '10,00', fa_0_cf: 'RSSMRA80A01H501X' }, 'fa_0_cf', 'codice fiscale o partita IVA'],
      [{ importo: '10,00', fa_0_tipo: 'FATT_ANALOGICA', fa_0_numero: '7', fa_0_data: '31/02/2026', fa_0_importo: '10,00', fa_0_cf: '01234567897' }, 'fa_0_data', 'non è valida, scrivila come gg/mm/aaaa'],
      [{ importo: '10,00', tipo_debito: 'NON_COMMERCIALE', cig_id: '', [`fe_${fattura.id}`]: '10,00' }, 'fatture', 'solo per un debito commerciale'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await post(mandato(impegno.id, fields));
      expect(res.status, message).toBe(422);
      expect(text(res.text), message).toContain(message);
      expect(res.text, message).toContain(`href="#${field}"`);
      // The rows come back as sent.
      for (const [k, v] of Object.entries(fields)) if (/^f[ea]_/.test(k) && k !== `fe_${altrui.id}`) expect(readForm(res.text, { id: 'documento-form' }).fields[k], k).toBe(v);
    }
    expect(await count('mandati')).toBe(before);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 0, stato: 'collegata' });
    expect(await stored(altrui.id)).toMatchObject({ pagato_cents: 0 });
  });

  it('refuses an invoice tied to another impegno', async () => {
    const { fattura } = await fatturaSuImpegno();
    const altro = await createImpegno(ctx.knex, scuola(), { importo_cents: 100_000, cig_id: cig.id });
    const res = await post(mandato(altro.id, { [`fe_${fattura.id}`]: '122,00' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('non è collegata all’impegno del mandato');
  });

  it('an edit gives back what the mandato paid before: the invoice goes back to pagata in parte, then collegata', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    expect((await post(mandato(impegno.id, { [`fe_${fattura.id}`]: '122,00' }))).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 12_200, stato: 'pagata' });
    const m = await ctx.knex('mandati').where({ impegno_id: impegno.id }).first('id');

    const edit = readForm((await ctx.agent.get(`/mandati/${m.id}/modifica`)).text, { id: 'documento-form' });
    expect(edit.fields[`fe_${fattura.id}`]).toBe('122,00');
    expect((await post({ ...edit.fields, importo: '50,00', [`fe_${fattura.id}`]: '50,00' }, edit.action)).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 5000, stato: 'pagata_in_parte' });
    // The mandato's history says which invoices it paid, before and after.
    const audit = await ctx.knex('audit_log').where({ entita: 'mandato', entita_id: m.id, azione: 'modifica' }).orderBy('id', 'desc').first();
    expect(text(audit.prima.fatture)).toBe(`fattura n. ${fattura.numero}: 122,00 €`);
    expect(text(audit.dopo.fatture)).toBe(`fattura n. ${fattura.numero}: 50,00 €`);

    // The same invoice can be paid up to 122,00 again by this mandato (its own payment counts as available).
    const again = readForm((await ctx.agent.get(`/mandati/${m.id}/modifica`)).text, { id: 'documento-form' });
    expect((await post({ ...again.fields, importo: '122,00', [`fe_${fattura.id}`]: '122,00' }, again.action)).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 12_200, stato: 'pagata' });

    const last = readForm((await ctx.agent.get(`/mandati/${m.id}/modifica`)).text, { id: 'documento-form' });
    const res = await post({ ...last.fields, tipo_debito: 'NON_COMMERCIALE', [`fe_${fattura.id}`]: '' }, last.action);
    expect(res.status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 0, stato: 'collegata' });
    expect(await count('mandati_fatture', { mandato_id: m.id })).toBe(0);
  });

  it('of two mandati saved at once for what is left of the same invoice, exactly one is saved', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    const body = mandato(impegno.id, { [`fe_${fattura.id}`]: '122,00' });
    const [a, b] = await Promise.all([post(body), post(body)]);
    expect([a.status, b.status].sort()).toEqual([302, 422]);
    expect(text((a.status === 422 ? a : b).text)).toContain('è già pagata per intero');
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 12_200, stato: 'pagata' });
    expect(await count('mandati', { impegno_id: impegno.id })).toBe(1);
  });

  it('a credit note and a mandato at once never take more than the invoice is due', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    const nota = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 2_200 });
    const [m, s] = await Promise.all([
      post(mandato(impegno.id, { [`fe_${fattura.id}`]: '122,00' })),
      ctx.agent.post(`/fatture/${nota.id}/storna`).type('form').send({ _csrf: ctx.token, fattura_id: String(fattura.id) }),
    ]);
    expect(s.status).toBe(303);
    const f = await stored(fattura.id);
    expect(f.pagato_cents + f.stornato_cents).toBeLessThanOrEqual(12_200);
    // One of the two won: either paid in full, or 22,00 credited and the mandato refused.
    if (m.status === 302) expect(f).toMatchObject({ pagato_cents: 12_200, stornato_cents: 0 });
    else expect(f).toMatchObject({ pagato_cents: 0, stornato_cents: 2_200 });
  });
});

describe('Note di credito', () => {
  it('Storna dalla fattura: the note reduces what is left to pay, once, and Paga proposes the rest', async () => {
    const { fattura } = await fatturaSuImpegno();
    const nota = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 2_200 });
    const page = await ctx.agent.get(`/fatture/${nota.id}`);
    const form = readForm(page.text, { action: `/fatture/${nota.id}/storna` });
    expect(form.options.fattura_id).toContain(String(fattura.id));
    expect(page.text).not.toContain('/mandati/nuovo?fattura=');

    const res = await ctx.agent.post(`/fatture/${nota.id}/storna`).type('form').send({ ...form.fields, fattura_id: String(fattura.id) });
    expect(res.status).toBe(303);
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 2_200, pagato_cents: 0, stato: 'collegata' });
    expect(await stored(nota.id)).toMatchObject({ rettifica_di_id: fattura.id });
    const flash = await ctx.agent.get(res.headers.location!);
    expect(text(flash.text)).toContain('22,00 € in meno da pagare');
    expect(flash.text).toContain(`href="/fatture/${fattura.id}"`);

    const paga = readForm((await ctx.agent.get(`/mandati/nuovo?fattura=${fattura.id}`)).text, { id: 'documento-form' });
    expect(paga.fields.importo).toBe('100,00');
    expect((await post(paga.fields)).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 10_000, stornato_cents: 2_200, stato: 'pagata' });

    const twice = await ctx.agent.post(`/fatture/${nota.id}/storna`).type('form').send({ ...form.fields, fattura_id: String(fattura.id) });
    expect(twice.status).toBe(303);
    expect((await ctx.agent.get(twice.headers.location!)).text).toContain('è già stata stornata');
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 2_200 });
  });

  it('never credits beyond what is left, nor from another supplier’s invoice, and refuses without the CSRF token', async () => {
    const { fattura } = await fatturaSuImpegno({ totale_cents: 1_000 });
    const grande = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 5_000 });
    const altroFornitore = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 100, fornitore_chiave: 'IT09876543210' });
    expect((await ctx.agent.post(`/fatture/${grande.id}/storna`).type('form').send({ fattura_id: String(fattura.id) })).status).toBe(403);
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 0 });

    const r = await ctx.agent.post(`/fatture/${altroFornitore.id}/storna`).type('form').send({ _csrf: ctx.token, fattura_id: String(fattura.id) });
    expect((await ctx.agent.get(r.headers.location!)).text).toContain('è di un altro fornitore');
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 0 });

    await ctx.agent.post(`/fatture/${grande.id}/storna`).type('form').send({ _csrf: ctx.token, fattura_id: String(fattura.id) });
    // Credited in full: nothing left to pay.
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 1_000, pagato_cents: 0, stato: 'pagata' });
    expect((await ctx.agent.get(`/fatture/${fattura.id}`)).text).not.toContain(`/mandati/nuovo?fattura=${fattura.id}`);
  });

  it('from the upload: applied when DatiFattureCollegate names exactly one invoice of the supplier', async () => {
    const { fattura } = await fatturaSuImpegno();
    const nota = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 1_000 });
    const actor = { id: ctx.cast.segreteria.id, scuolaId: scuola() };
    const none = await ctx.knex.transaction((trx) => stornaNotaCollegata(trx, actor, nota.id, [{ idDocumento: 'NON-ESISTE', data: null }]));
    expect(none).toBeNull();
    const esito = await ctx.knex.transaction((trx) => stornaNotaCollegata(trx, actor, nota.id, [{ idDocumento: fattura.numero, data: fattura.data }]));
    expect(esito).toMatchObject({ ok: true });
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 1_000 });
  });
});

describe('Isolamento', () => {
  it('another school neither pays nor credits this school’s invoices', async () => {
    const { fattura } = await fatturaSuImpegno();
    const nota = await createFattura(ctx.knex, scuola(), { tipo_documento: 'TD04', totale_cents: 1_000 });
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const token2 = await csrfToken(agent2, '/');
    expect((await agent2.get(`/mandati/nuovo?fattura=${fattura.id}`)).status).toBe(404);
    expect((await agent2.get(`/fatture/${fattura.id}`)).status).toBe(404);
    expect((await agent2.post(`/fatture/${nota.id}/storna`).type('form').send({ _csrf: token2, fattura_id: String(fattura.id) })).status).toBe(404);
    expect(await stored(fattura.id)).toMatchObject({ stornato_cents: 0, pagato_cents: 0 });
    expect((await request(ctx.app).get(`/fatture/${fattura.id}`)).status).toBe(302);
  });
});

describe('Elimina mandato', () => {
  it('deletes only the last mandato of the esercizio, after confirmation, and gives back what it paid', async () => {
    const { impegno, fattura } = await fatturaSuImpegno();
    expect((await post(mandato(impegno.id, { importo: '22,00', [`fe_${fattura.id}`]: '22,00' }))).status).toBe(302);
    expect((await post(mandato(impegno.id, { importo: '100,00', [`fe_${fattura.id}`]: '100,00' }))).status).toBe(302);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 12_200, stato: 'pagata' });
    const [primo, ultimo] = await ctx.knex('mandati').where({ impegno_id: impegno.id }).orderBy('numero').select('id', 'numero', 'version');

    const notLast = await ctx.agent.post(`/mandati/${primo.id}/elimina`).type('form').send({ _csrf: ctx.token, version: String(primo.version), conferma: '1' });
    expect(notLast.status).toBe(303);
    expect((await ctx.agent.get(notLast.headers.location!)).text).toContain('Si può eliminare solo l’ultimo mandato');
    const unconfirmed = await ctx.agent.post(`/mandati/${ultimo.id}/elimina`).type('form').send({ _csrf: ctx.token, version: String(ultimo.version) });
    expect((await ctx.agent.get(unconfirmed.headers.location!)).text).toContain('Confermo l’eliminazione');
    expect((await ctx.agent.post(`/mandati/${ultimo.id}/elimina`).type('form').send({ version: String(ultimo.version), conferma: '1' })).status).toBe(403);
    expect(await count('mandati', { impegno_id: impegno.id })).toBe(2);

    const page = readForm((await ctx.agent.get(`/mandati/${ultimo.id}`)).text, { action: `/mandati/${ultimo.id}/elimina` });
    const res = await ctx.agent.post(`/mandati/${ultimo.id}/elimina`).type('form').send({ ...page.fields, conferma: '1' });
    expect(res.status).toBe(303);
    expect(await count('mandati', { id: ultimo.id })).toBe(0);
    expect(await count('mandati_fatture', { mandato_id: ultimo.id })).toBe(0);
    expect(await stored(fattura.id)).toMatchObject({ pagato_cents: 2_200, stato: 'pagata_in_parte' });
    expect(await count('audit_log', { entita: 'mandato', entita_id: ultimo.id, azione: 'elimina' })).toBe(1);
    // The number is given back: the next mandato takes it.
    expect((await post(mandato(impegno.id, { importo: '10,00', [`fe_${fattura.id}`]: '10,00' }))).status).toBe(302);
    expect(await ctx.knex('mandati').where({ impegno_id: impegno.id }).max({ n: 'numero' }).first()).toEqual({ n: ultimo.numero });
  });
});
