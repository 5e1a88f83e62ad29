import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createVoce } from '../helpers/factories.js';

/** The 409 page after a concurrent edit: «tieni le mie modifiche» field by field, saved without retyping. */
const ctx = useSegreteria('/impegni/nuovo');
const anno = TEST_ESERCIZIO;
let voce: { id: number };
let creditore: { id: number };

beforeAll(async () => {
  voce = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 2, sottovoce: 1, descrizione: 'Funzionamento amministrativo' });
  creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
});

const valid = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token, data: `${anno}-03-15`, voce_id: String(voce.id), conto_id: '', creditore_id: String(creditore.id),
  oggetto: 'Carta per fotocopie', importo: '100,00', cig_id: '', motivo_esclusione_cig: '', cup_id: '', note: '', ...overrides,
});
const post = (path: string, body: Record<string, string>) => ctx.agent.post(path).type('form').send(body);

/** The form of the conflict page as the browser would send it with the radios left as they are (mine), then `choose` applied. */
function formOf(html: string, choose: Record<string, 'mia' | 'altra'> = {}) {
  const form = html.slice(html.indexOf('id="conflitto-form"'), html.indexOf('</form>', html.indexOf('id="conflitto-form"')));
  const body: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) body[m[1]!] = unescape(m[2]!);
  for (const m of form.matchAll(/<input class="form-check-input" type="radio" name="([^"]+)" id="conflitto-[^"]+-(mia|altra)" value="([^"]*)"/g)) {
    if ((choose[m[1]!] ?? 'mia') === m[2]) body[m[1]!] = unescape(m[3]!);
  }
  return body;
}

describe('Modificato da un altro utente: unisci campo per campo', () => {
  it('shows only the fields that differ, mine chosen by default, and saves my choice on top of the other’s version', async () => {
    await post('/impegni', valid({ oggetto: 'Da contendere' }));
    const row = await ctx.knex('impegni').where({ scuola_id: ctx.cast.scuola1.id, oggetto: 'Da contendere' }).first();
    // Someone else saves importo and note meanwhile.
    expect((await post(`/impegni/${row.id}`, { ...valid({ oggetto: 'Da contendere', importo: '150,00', note: 'Nota dell’altra persona' }), version: '1' })).status).toBe(302);
    // I save from the stale form: a new oggetto, the old importo, no note.
    const stale = await post(`/impegni/${row.id}`, { ...valid({ oggetto: 'Il mio oggetto' }), version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('scegli quale versione tenere');
    for (const campo of ['oggetto', 'importo', 'note']) expect(stale.text).toContain(`data-conflitto-campo="${campo}"`);
    expect(stale.text).not.toContain('data-conflitto-campo="voce_id"');
    expect(stale.text).toMatch(/id="conflitto-oggetto-mia" value="Il mio oggetto" checked/);
    expect(stale.text).toContain('Nota dell’altra persona');
    // Keep my oggetto, take their importo and note: no retyping.
    const body = formOf(stale.text, { importo: 'altra', note: 'altra' });
    expect(body.version).toBe('2');
    const saved = await post(`/impegni/${row.id}`, body);
    expect(saved.status).toBe(302);
    expect(await ctx.knex('impegni').where({ id: row.id }).first()).toMatchObject({
      oggetto: 'Il mio oggetto', importo_cents: 15000, note: 'Nota dell’altra persona', version: 3, voce_id: voce.id, creditore_id: creditore.id,
    });
  });

  it('answers 409 again when the record moved once more before the merge was saved', async () => {
    await post('/impegni', valid({ oggetto: 'Conteso due volte' }));
    const row = await ctx.knex('impegni').where({ scuola_id: ctx.cast.scuola1.id, oggetto: 'Conteso due volte' }).first();
    await post(`/impegni/${row.id}`, { ...valid({ oggetto: 'Conteso due volte', note: 'prima' }), version: '1' });
    const stale = await post(`/impegni/${row.id}`, { ...valid({ oggetto: 'Mio' }), version: '1' });
    expect(stale.status).toBe(409);
    await post(`/impegni/${row.id}`, { ...valid({ oggetto: 'Conteso due volte', note: 'seconda' }), version: '2' });
    const again = await post(`/impegni/${row.id}`, formOf(stale.text));
    expect(again.status).toBe(409);
    expect(await ctx.knex('impegni').where({ id: row.id }).first()).toMatchObject({ oggetto: 'Conteso due volte', note: 'seconda', version: 3 });
  });

  it('does the same for a mandato, naming the ids by their labels', async () => {
    await post('/impegni', valid({ oggetto: 'Impegno del mandato conteso', importo: '500,00' }));
    const imp = await ctx.knex('impegni').where({ scuola_id: ctx.cast.scuola1.id, oggetto: 'Impegno del mandato conteso' }).first();
    const altro = await createCreditore(ctx.knex, ctx.cast.scuola1.id, { denominazione: 'Cartoleria Il Quaderno' });
    const mandato = (o: Record<string, string> = {}) => ({
      _csrf: ctx.token, impegno_id: String(imp.id), data: `${anno}-04-01`, importo: '50,00', beneficiario_id: String(creditore.id), causale: 'Saldo fattura',
      modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'NON_COMMERCIALE', cig_id: '', motivo_esclusione_cig: '', cup_id: '', note: '', ...o,
    });
    expect((await post('/mandati', mandato({ causale: 'Mandato conteso' }))).status).toBe(302);
    const row = await ctx.knex('mandati').where({ scuola_id: ctx.cast.scuola1.id, causale: 'Mandato conteso' }).first();
    await post(`/mandati/${row.id}`, { ...mandato({ causale: 'Mandato conteso', beneficiario_id: String(altro.id) }), version: '1' });
    const stale = await post(`/mandati/${row.id}`, { ...mandato({ causale: 'La mia causale' }), version: '1' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Cartoleria Il Quaderno');
    const saved = await post(`/mandati/${row.id}`, formOf(stale.text, { beneficiario_id: 'altra' }));
    expect(saved.status).toBe(302);
    expect(await ctx.knex('mandati').where({ id: row.id }).first()).toMatchObject({ causale: 'La mia causale', beneficiario_id: altro.id, version: 3 });
  });

  it('does the same for a CIG of the register', async () => {
    const cig = await createCig(ctx.knex, ctx.cast.scuola1.id, { oggetto: 'Originale' });
    const body = (o: Record<string, string>) => ({
      _csrf: ctx.token, codice: cig.codice, oggetto: 'Originale', data_generazione: '2023-03-15', data_scadenza_offerte: '', importo: '1.234,56',
      fornitore_id: '', scelta_contraente: 'AFFIDAMENTO_DIRETTO', stato: 'attivo', note: '', ...o,
    });
    expect((await post(`/cig/${cig.id}`, body({ oggetto: 'Salvato da Anna', version: '1' }))).status).toBe(302);
    const stale = await post(`/cig/${cig.id}`, body({ note: 'Nota di Bruno', version: '1' }));
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('data-conflitto-campo="oggetto"');
    expect(stale.text).toContain('data-conflitto-campo="note"');
    const saved = await post(`/cig/${cig.id}`, formOf(stale.text, { oggetto: 'altra' }));
    expect(saved.status).toBe(302);
    expect(await ctx.knex('cig').where({ id: cig.id }).first()).toMatchObject({ oggetto: 'Salvato da Anna', note: 'Nota di Bruno', version: 3 });
  });
});
