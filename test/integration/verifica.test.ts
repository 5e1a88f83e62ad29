import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createImpegno, createVoce } from '../helpers/factories.js';

/** POST …/verifica: what the save would warn about or ask, from the same rules, as the form is edited (JSON, CSRF, the school's records only). */
const ctx = useSegreteria('/impegni/nuovo');
const anno = TEST_ESERCIZIO;
let voce: { id: number };
let cupVoce: { id: number; codice: string };
let altroCup: { id: number; codice: string };

beforeAll(async () => {
  cupVoce = await createCup(ctx.knex, ctx.cast.scuola1.id);
  altroCup = await createCup(ctx.knex, ctx.cast.scuola1.id);
  voce = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 3, sottovoce: 15, descrizione: 'PNRR' });
  await ctx.knex('voci_destinazione').where({ id: voce.id }).update({ cup_id: cupVoce.id });
});

const verifica = (path: string, body: Record<string, string>, token = ctx.token) =>
  ctx.agent.post(path).set('Accept', 'application/json').set('x-csrf-token', token).type('form').send(body);

describe('verifica before saving', () => {
  it('impegno: asks about the voce’s other CUP, with the same words as the save’s question; nothing when answered', async () => {
    const res = await verifica('/impegni/verifica', { voce_id: String(voce.id), cup_id: String(altroCup.id), data: `${anno}-02-01` });
    expect(res.status).toBe(200);
    expect(res.body.avvisi).toEqual([]);
    expect(res.body.cupConflict.message).toBe(`La voce A03/15 ha già il CUP ${cupVoce.codice}: sostituirlo con ${altroCup.codice}? Scegli qui sotto, poi salva di nuovo.`);
    expect(res.body.cupConflict.replace).toContain('Sì: sostituisci');
    const answered = await verifica('/impegni/verifica', { voce_id: String(voce.id), cup_id: String(altroCup.id), conferma_cup: '0' });
    expect(answered.body.cupConflict).toBeNull();
    // The same CUP as the voce: nothing to ask.
    expect((await verifica('/impegni/verifica', { voce_id: String(voce.id), cup_id: String(cupVoce.id) })).body.cupConflict).toBeNull();
  });

  it('says when the date falls outside the esercizio', async () => {
    const res = await verifica('/impegni/verifica', { data: `${anno - 1}-12-31` });
    expect(res.body.avvisi).toEqual([`La data deve cadere nell’esercizio ${anno} (dal 01/01/${anno} al 31/12/${anno}).`]);
  });

  it('mandato: a CIG other than the impegno’s and no beneficiario, as the save warns', async () => {
    const cigImpegno = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const cigAltro = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const imp = await createImpegno(ctx.knex, ctx.cast.scuola1.id, { cig_id: cigImpegno.id });
    const res = await verifica('/mandati/verifica', { impegno_id: String(imp.id), cig_id: String(cigAltro.id), beneficiario_id: '', data: `${anno}-03-01` });
    expect(res.status).toBe(200);
    expect(res.body.avvisi).toEqual([
      'Mandato senza beneficiario: è una bozza, non potrà essere inviato al cassiere finché non scegli il beneficiario.',
      `Il CIG del mandato (${cigAltro.codice}) è diverso da quello dell’impegno (${cigImpegno.codice}): controlla che sia corretto.`,
    ]);
    const creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
    const ok = await verifica('/mandati/verifica', { impegno_id: String(imp.id), cig_id: String(cigImpegno.id), beneficiario_id: String(creditore.id) });
    expect(ok.body).toEqual({ avvisi: [], cupConflict: null });
  });

  it('mandato: dated before the impegno it pays (the impegno of 01/02)', async () => {
    const imp = await createImpegno(ctx.knex, ctx.cast.scuola1.id);
    const creditore = await createCreditore(ctx.knex, ctx.cast.scuola1.id);
    const body = { impegno_id: String(imp.id), beneficiario_id: String(creditore.id), motivo_esclusione_cig: 'SPESE_ECONOMALI' };
    const res = await verifica('/mandati/verifica', { ...body, data: `${anno}-01-15` });
    expect(res.body.avvisi).toEqual([`Il mandato è datato 15/01/${anno}, prima dell’impegno n. ${imp.numero}/${anno} che paga (del 01/02/${anno}): controlla la data.`]);
    expect((await verifica('/mandati/verifica', { ...body, data: `${anno}-02-01` })).body.avvisi).toEqual([]);
  });

  it('a check arriving after the save leaves the saved message to the page the save goes to', async () => {
    const saved = await ctx.agent.post('/impegni').type('form').send({
      _csrf: ctx.token, data: `${anno}-03-01`, voce_id: String(voce.id), cup_id: String(cupVoce.id), oggetto: 'Toner per la segreteria', importo: '120,00', motivo_esclusione_cig: 'SPESE_ECONOMALI',
    });
    expect(saved.status).toBe(302);
    // The form's script sent its check just before the page went away: it reaches the server now.
    expect((await verifica('/impegni/verifica', { data: `${anno}-03-01` })).status).toBe(200);
    const page = await ctx.agent.get(saved.headers.location!);
    expect(page.text).toMatch(/Impegno n\. \d+\/\d+ salvato\./);
    // Shown once.
    expect((await ctx.agent.get(saved.headers.location!)).text).not.toContain('salvato.');
  });

  it('never reads another school’s records, and needs the CSRF token', async () => {
    const voce2 = await createVoce(ctx.knex, ctx.cast.scuola2.id);
    const imp2 = await createImpegno(ctx.knex, ctx.cast.scuola2.id);
    const cup2 = await createCup(ctx.knex, ctx.cast.scuola2.id);
    await ctx.knex('voci_destinazione').where({ id: voce2.id }).update({ cup_id: cup2.id });
    expect((await verifica('/impegni/verifica', { voce_id: String(voce2.id), cup_id: String(altroCup.id) })).body.cupConflict).toBeNull();
    expect((await verifica(`/impegni/verifica?modifica=${imp2.id}`, {})).status).toBe(404);
    expect((await verifica('/impegni/verifica', {}, 'sbagliato')).status).toBe(403);
  });
});
