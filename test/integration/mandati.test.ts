import { beforeAll, describe, expect, it } from 'vitest';
import { expectFieldRefused } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';
import { loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createVoce } from '../helpers/factories.js';
import { mandatoForm } from '../helpers/mandati.js';
import { expectItalianDatesAndAmounts, mainText } from '../helpers/italiano.js';

const ctx = useSegreteria('/mandati/nuovo');
const anno = TEST_ESERCIZIO;
let cig: { id: number; codice: string };
let cup: { id: number; codice: string };
let creditore: { id: number; denominazione: string };
let numeroImpegno = 500;

beforeAll(async () => {
  cig = await createCig(ctx.knex, ctx.cast.scuola1.id);
  cup = await createCup(ctx.knex, ctx.cast.scuola1.id);
  creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
});

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await ctx.knex(table).where(where).count({ n: '*' }).first())?.n);

/** An impegno of 100,00 € (by default) on a fresh voce. */
async function impegno(overrides: Record<string, unknown> = {}) {
  const voce = await createVoce(ctx.knex, ctx.cast.scuola1.id);
  const [row] = await ctx.knex('impegni')
    .insert({
      scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: ++numeroImpegno, data: `${anno}-02-01`, voce_id: voce.id, oggetto: 'Fornitura di prova',
      importo_cents: 10000, creditore_id: creditore.id, cig_id: cig.id, ...overrides,
    })
    .returning('*');
  return { ...(row as { id: number; numero: number }), voceId: voce.id };
}

/** A commercial mandato pays at least one invoice: here an analog one of its whole importo (test/integration/fatturePagamenti.test.ts for the rules). */
const fatturaAnalogica = (overrides: Record<string, string>): Record<string, string> =>
  (overrides.tipo_debito ?? 'COMMERCIALE') === 'COMMERCIALE'
    ? { fa_0_tipo: 'FATT_ANALOGICA', fa_0_numero: '12', fa_0_data: `10/03/${anno}`, fa_0_importo: overrides.importo ?? '40,00', fa_0_cf: '01234567897' }
    : {};

const valid = (impegnoId: number, overrides: Record<string, string> = {}): Record<string, string> => ({
  ...fatturaAnalogica(overrides),
  ...mandatoForm(
    { token: ctx.token, data: `${anno}-03-15`, impegnoId, beneficiarioId: creditore.id, cigId: cig.id },
    { causale: 'Saldo fattura n. 12', importo: '40,00', ...overrides },
  ),
});

const post = (body: Record<string, string>, path = '/mandati') => ctx.agent.post(path).type('form').send(body);

describe('Nuovo mandato', () => {
  it('opens on an impegno with its creditore, CIG, CUP and residual as defaults', async () => {
    const imp = await impegno({ cup_id: cup.id });
    const res = await ctx.agent.get(`/mandati/nuovo?impegno_id=${imp.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(new RegExp(`<option value="${imp.id}" selected`));
    expect(res.text).toMatch(new RegExp(`<option value="${creditore.id}" selected`));
    expect(res.text).toMatch(new RegExp(`<option value="${cig.id}" selected`));
    expect(res.text).toMatch(new RegExp(`<option value="${cup.id}" selected`));
    expect(res.text).toContain('value="100,00"');
  });

  it('stores a mandato with the next number and the audit row; the impegno shows it and its residual', async () => {
    const imp = await impegno();
    // The next number is the counter's, whatever the other tests saved before.
    const counter = await ctx.knex('contatori_numerazione').where({ scuola_id: ctx.cast.scuola1.id, tipo: 'mandato', esercizio: anno }).first();
    const numero = (counter?.ultimo ?? 0) + 1;
    const res = await post(valid(imp.id));
    expect(res.status).toBe(302);
    const row = await ctx.knex('mandati').where({ impegno_id: imp.id }).first();
    expect(row).toMatchObject({ esercizio: anno, numero, importo_cents: 4000, tipo_debito: 'COMMERCIALE', cig_id: cig.id, version: 1 });
    expect(await count('audit_log', { entita: 'mandato', entita_id: row.id, azione: 'crea' })).toBe(1);
    const page = await ctx.agent.get(`/impegni/${imp.id}`);
    expect(page.text).toContain(`Mandato n. ${numero}/${anno}`);
    expect(page.text).toMatch(/data-testid="residuo">60,00/);
  });

  it('refuses an importo above the residual, saying how much is left', async () => {
    const imp = await impegno();
    expect((await post(valid(imp.id, { importo: '70,00' }))).status).toBe(302);
    const res = await post(valid(imp.id, { importo: '30,01' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('supera il residuo');
    expect(res.text).toContain('30,00');
    expect(await count('mandati', { impegno_id: imp.id })).toBe(1);
  });

  it('of two concurrent mandati that together overspend, refuses one', async () => {
    const imp = await impegno();
    const [a, b] = await Promise.all([post(valid(imp.id, { importo: '60,00' })), post(valid(imp.id, { importo: '60,00' }))]);
    expect([a.status, b.status].sort()).toEqual([302, 422]);
    const paid = await ctx.knex('mandati').where({ impegno_id: imp.id }).sum({ s: 'importo_cents' }).first();
    expect(Number(paid?.s)).toBe(6000);
  });

  it('requires a CIG or a motivo for a commercial debt (tracciabilità), not for a non-commercial one', async () => {
    const imp = await impegno({ cig_id: null });
    const before = await count('mandati');
    const res = await post(valid(imp.id, { cig_id: '', motivo_esclusione_cig: '' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('Debito commerciale: scegli il CIG oppure il motivo di esclusione');
    expect(res.text).toContain('href="#cig_id"');
    expect(await count('mandati')).toBe(before);
    expect((await post(valid(imp.id, { cig_id: '', motivo_esclusione_cig: 'SPESE_ECONOMALI', importo: '1' }))).status).toBe(302);
    expect((await post(valid(imp.id, { cig_id: '', tipo_debito: 'NON_COMMERCIALE', importo: '1' }))).status).toBe(302);
    const both = await post(valid(imp.id, { motivo_esclusione_cig: 'SPESE_ECONOMALI', importo: '1' }));
    expect(both.status).toBe(422);
    expect(both.text).toContain('non entrambi');
  });

  it('stores an IVA mandato (split payment, to the Erario): no CIG, no motivo, no invoice; the form offers it and the page names it', async () => {
    const form = await ctx.agent.get('/mandati/nuovo');
    expect(form.text).toMatch(/<option value="IVA"[^>]*>IVA \(scissione dei pagamenti, versata all’Erario\)<\/option>/);
    const imp = await impegno({ cig_id: null });
    const res = await post(valid(imp.id, { cig_id: '', motivo_esclusione_cig: '', tipo_debito: 'IVA', importo: '22,00', causale: 'IVA in scissione dei pagamenti, fattura n. 12' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('mandati').where({ impegno_id: imp.id }).first();
    expect(row).toMatchObject({ tipo_debito: 'IVA', cig_id: null, motivo_esclusione_cig: null, importo_cents: 2200 });
    expect(await count('mandati_fatture', { mandato_id: row.id })).toBe(0);
    expect((await ctx.agent.get(res.headers.location!)).text).toContain('IVA (scissione dei pagamenti, versata all’Erario)');
    // An IVA mandato pays no invoice rows (they belong to the commercial mandato of the taxable amount).
    const before = await count('mandati');
    const withInvoice = await post({
      ...valid(imp.id, { cig_id: '', tipo_debito: 'IVA', importo: '22,00' }),
      fa_0_tipo: 'FATT_ANALOGICA', fa_0_numero: '12', fa_0_data: `10/03/${anno}`, fa_0_importo: '22,00', fa_0_cf: '01234567897',
    });
    expectFieldRefused(withInvoice, 'fatture', /solo per un debito commerciale/);
    expect(await count('mandati')).toBe(before);
  });

  it('warns (without refusing) when the CIG differs from the impegno’s', async () => {
    const imp = await impegno();
    const other = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const res = await post(valid(imp.id, { cig_id: String(other.id) }));
    expect(res.status).toBe(302);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain(`Il CIG del mandato (${other.codice}) è diverso da quello dell’impegno (${cig.codice})`);
  });

  it('writes its CUP on the impegno’s voce, asking before replacing another one', async () => {
    const imp = await impegno();
    const res = await post(valid(imp.id, { cup_id: String(cup.id), importo: '1' }));
    expect(res.status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: imp.voceId }).first()).toMatchObject({ cup_id: cup.id });
    const altro = await createCup(ctx.knex, ctx.cast.scuola1.id);
    const ask = await post(valid(imp.id, { cup_id: String(altro.id), importo: '1' }));
    expect(ask.status).toBe(422);
    expect(ask.text).toContain(`ha già il CUP ${cup.codice}: sostituirlo con ${altro.codice}?`);
    expect((await post(valid(imp.id, { cup_id: String(altro.id), importo: '1', conferma_cup: '1' }))).status).toBe(302);
    expect(await ctx.knex('voci_destinazione').where({ id: imp.voceId }).first()).toMatchObject({ cup_id: altro.id });
    expect(await count('audit_log', { entita: 'voce', entita_id: imp.voceId })).toBe(2);
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['missing data', { data: '' }, 'data', /Inserisci la data/],
    ['data of another esercizio', { data: `${anno + 1}-01-02` }, 'data', /nell’esercizio/],
    ['missing impegno', { impegno_id: '' }, 'impegno_id', /Scegli l’impegno/],
    ['unknown impegno', { impegno_id: '999999' }, 'impegno_id', /Scegli l’impegno/],
    ['unknown beneficiario', { beneficiario_id: '999999' }, 'beneficiario_id', /Scegli il beneficiario/],
    ['missing causale', { causale: '' }, 'causale', /Inserisci la causale/],
    ['bad importo', { importo: '1,2,3' }, 'importo', /per esempio 1\.234,56/],
    ['zero importo', { importo: '0,00' }, 'importo', /maggiore di zero/],
    ['missing modalità', { modalita_pagamento: '' }, 'modalita_pagamento', /Scegli la modalità di pagamento/],
    ['unknown modalità', { modalita_pagamento: 'BITCOIN' }, 'modalita_pagamento', /dall’elenco/],
    ['unknown tipo debito', { tipo_debito: 'ALTRO' }, 'tipo_debito', /commerciale o non commerciale/],
    ['unknown CIG', { cig_id: '999999' }, 'cig_id', /Scegli il CIG/],
    ['unknown CUP', { cup_id: '999999' }, 'cup_id', /Scegli il CUP/],
    ['bad conferma_cup', { conferma_cup: 'forse' }, 'conferma_cup', /sostituire il CUP/],
  ];
  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422, the field's message and nothing stored`, async () => {
      const imp = await impegno();
      const before = await count('mandati');
      const audits = await count('audit_log');
      const res = await post(valid(imp.id, overrides));
      expectFieldRefused(res, field, message);
      expect(await count('mandati')).toBe(before);
      expect(await count('audit_log')).toBe(audits);
    });
  }

  it('refuses another school’s impegno, beneficiario, CIG or CUP (422) and the database refuses them too', async () => {
    const imp = await impegno();
    const voce2 = await createVoce(ctx.knex, ctx.cast.scuola2.id);
    const [imp2] = await ctx.knex('impegni').insert({ scuola_id: ctx.cast.scuola2.id, esercizio: anno, numero: 1, data: `${anno}-02-01`, voce_id: voce2.id, oggetto: 'Altra scuola', importo_cents: 10000 }).returning('id');
    const cred2 = await createCreditore(ctx.knex, ctx.cast.scuola2.id);
    const cig2 = await createCig(ctx.knex, ctx.cast.scuola2.id);
    const cup2 = await createCup(ctx.knex, ctx.cast.scuola2.id);
    const before = await count('mandati');
    for (const [field, id] of [['impegno_id', imp2.id], ['beneficiario_id', cred2.id], ['cig_id', cig2.id], ['cup_id', cup2.id]] as const) {
      const res = await post(valid(imp.id, { [field]: String(id) }));
      expect(res.status, field).toBe(422);
      expect(res.text).toContain(`href="#${field}"`);
    }
    expect(await count('mandati')).toBe(before);
    await expect(
      ctx.knex('mandati').insert({
        scuola_id: ctx.cast.scuola1.id, esercizio: anno, numero: 999999, data: `${anno}-03-01`, impegno_id: imp2.id, causale: 'x', importo_cents: 1,
        modalita_pagamento: 'CASSA', tipo_debito: 'NON_COMMERCIALE',
      }),
    ).rejects.toMatchObject({ code: '23503' });
  });
});

describe('Modifica mandato', () => {
  it('keeps the residual rule on edit (its own importo excluded) and answers 409 to a stale version', async () => {
    const imp = await impegno();
    await post(valid(imp.id, { importo: '40,00', causale: 'Da modificare' }));
    const row = await ctx.knex('mandati').where({ causale: 'Da modificare' }).first();
    expect((await post({ ...valid(imp.id, { importo: '100,00', causale: 'Modificato' }), version: '1' }, `/mandati/${row.id}`)).status).toBe(302);
    expect(await ctx.knex('mandati').where({ id: row.id }).first()).toMatchObject({ importo_cents: 10000, version: 2 });
    const tooMuch = await post({ ...valid(imp.id, { importo: '100,01' }), version: '2' }, `/mandati/${row.id}`);
    expect(tooMuch.status).toBe(422);
    const stale = await post({ ...valid(imp.id, { causale: 'Vecchia' }), version: '1' }, `/mandati/${row.id}`);
    expect(stale.status).toBe(409);
    expect(await ctx.knex('mandati').where({ id: row.id }).first()).toMatchObject({ causale: 'Modificato' });
    const page = await ctx.agent.get(`/mandati/${row.id}`);
    expect(page.text).toContain('Storia delle modifiche');
    expect(page.text).toContain('Modificato');
  });

  it('lists the mandati of the esercizio with search and totals; 404 for another school', async () => {
    const imp = await impegno();
    expect((await post(valid(imp.id, { causale: 'Modificato per la ricerca' }))).status).toBe(302);
    const list = await ctx.agent.get('/mandati?q=Modificato');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Totale pagato');
    expect(list.text).toContain('Modificato');
    const row = await ctx.knex('mandati').where({ scuola_id: ctx.cast.scuola1.id }).first();
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await agent2.get(`/mandati/${row.id}`)).status).toBe(404);
    expect((await agent2.get(`/mandati/${row.id}/modifica`)).status).toBe(404);
  });
});

describe('La pagina del mandato', () => {
  it('saves a mandato without beneficiario as a draft and warns, once, that the cassiere cannot receive it yet', async () => {
    const imp = await impegno();
    const res = await post(valid(imp.id, { beneficiario_id: '' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('mandati').where({ impegno_id: imp.id }).first();
    expect(row).toMatchObject({ beneficiario_id: null });
    const warning = 'Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.';
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text.split(warning)).toHaveLength(2);
    // Coming back later, the page still says it.
    expect((await ctx.agent.get(res.headers.location!)).text).toContain(warning);
    // With a beneficiario, no warning.
    const complete = await post({ ...valid(imp.id), version: String(row.version) }, `/mandati/${row.id}`);
    expect(complete.status).toBe(302);
    expect((await ctx.agent.get(complete.headers.location!)).text).not.toContain('Mandato senza beneficiario');
  });

  it('shows next to the CIG its oggetto and next to the CUP its descrizione; a long oggetto shortened, in full on opening', async () => {
    const oggetto = `Fornitura di monitor interattivi ${'con installazione e formazione '.repeat(4)}per le aule`;
    const lungo = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto });
    const progetto = await createCup(ctx.knex, ctx.cast.scuola1.id, { descrizione: 'Laboratori per le competenze digitali' });
    const imp = await impegno({ cig_id: lungo.id, cup_id: progetto.id });
    const res = await post(valid(imp.id, { cig_id: String(lungo.id), cup_id: String(progetto.id), importo: '1' }));
    expect(res.status).toBe(302);
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain(lungo.codice);
    expect(page.text).toMatch(/<summary><span class="breve">Fornitura di monitor interattivi con installazione[^<]*…/);
    expect(page.text).toContain(`${oggetto}</span>`);
    expect(mainText(page.text)).toContain(`${progetto.codice} Laboratori per le competenze digitali`);
  });

  it('shows the impegno’s residuo after this mandato (every mandato not annulled paid), in Italian dates and amounts', async () => {
    const imp = await impegno({ importo_cents: 123456 });
    const primo = await post(valid(imp.id, { importo: '100,00' }));
    expect(primo.status).toBe(302);
    const first = await ctx.agent.get(primo.headers.location!);
    expect(first.text).toMatch(/data-testid="residuo-impegno">Residuo dopo questo mandato: 1\.134,56\u00a0€</);
    expectItalianDatesAndAmounts(first.text);
    expect(mainText(first.text)).toContain(`15/03/${anno}`);
    const secondo = await post(valid(imp.id, { importo: '34,56' }));
    expect(secondo.status).toBe(302);
    expect((await ctx.agent.get(primo.headers.location!)).text).toMatch(/Residuo dopo questo mandato: 1\.100,00\u00a0€/);
    // An annulled mandato pays nothing: the residuo is back, and its own page says why.
    const secondoId = Number(secondo.headers.location!.split('/').pop());
    await ctx.knex('mandati').where({ id: secondoId }).update({ annullato_at: new Date(), annullato_motivo: 'IBAN errato' });
    expect((await ctx.agent.get(primo.headers.location!)).text).toMatch(/Residuo dopo questo mandato: 1\.134,56\u00a0€/);
    const annullato = await ctx.agent.get(secondo.headers.location!);
    expect(annullato.text).toMatch(/Residuo dell’impegno: 1\.134,56\u00a0€ \(questo mandato annullato non paga nulla\)/);
    expectItalianDatesAndAmounts(annullato.text);
  });
});
