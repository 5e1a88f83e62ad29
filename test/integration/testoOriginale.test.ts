import { describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { loginAs } from '../helpers/testApp.js';
import { createCig, createImpegno, createMandato } from '../helpers/factories.js';

/**
 * A document's legacy CIG/CUP text, decided on its edit page in one click:
 * the code read in it (a look-alike correction says what it changes), the
 * motivo an exclusion phrase names, «nessun codice» for a placeholder.
 */
const ctx = useSegreteria();

async function legacyImpegno(texts: { cig_testo?: string; cup_testo?: string }, scuolaId = ctx.cast.scuola1.id) {
  const imp = await createImpegno(ctx.knex, scuolaId, { cig_id: null });
  await ctx.knex('impegni').where({ id: imp.id }).update({ motivo_esclusione_cig: null, ...texts });
  return imp;
}
const row = (id: number) => ctx.knex('impegni').where({ id }).first();
const click = (path: string, fields: Record<string, string>, agent = ctx.agent, token = ctx.token) =>
  agent.post(path).type('form').send({ _csrf: token, ...fields });

describe('pagina di modifica', () => {
  it('shows why the text is not linked and the one-click choices', async () => {
    const imp = await legacyImpegno({ cig_testo: 'CIG n. 9O50626CD6', cup_testo: 'n.d.' });
    const page = await ctx.agent.get(`/impegni/${imp.id}/modifica`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Collega al CIG 9050626CD6');
    expect(page.text).toContain('lettera O al posto dello zero in posizione 2');
    expect(page.text).toContain('Segna «nessun codice»');
    expect(page.text).toMatch(new RegExp(`<form method="post" action="/impegni/${imp.id}/testo-originale" id="testo-cig-0" hidden>`));

    const wrong = await legacyImpegno({ cig_testo: 'B123456789' });
    const wrongPage = await ctx.agent.get(`/impegni/${wrong.id}/modifica`);
    expect(wrongPage.text).toContain('atteso 659');
    expect(wrongPage.text).toContain('Scegli il CIG giusto dall’elenco');
    expect(wrongPage.text).not.toContain('Collega al CIG');
  });
});

describe('un clic', () => {
  it('links the corrected code, registering it as the import would, and comes back to the Flussi', async () => {
    const imp = await legacyImpegno({ cig_testo: 'CIG n. 9O50626CD6' });
    const before = await row(imp.id);
    const res = await click(`/impegni/${imp.id}/testo-originale`, { campo: 'cig', azione: 'collega', codice: '9050626CD6', version: String(before.version), ritorno: '/flussi?esercizio=2026' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/impegni/${imp.id}/modifica?ritorno=%2Fflussi%3Fesercizio%3D2026`);
    const after = await row(imp.id);
    const cig = await ctx.knex('cig').where({ scuola_id: ctx.cast.scuola1.id, codice: '9050626CD6' }).first();
    expect(after.cig_id).toBe(cig.id);
    expect(after.cig_testo).toBe('CIG n. 9O50626CD6');
    expect(cig.da_completare).toBe(true);
    const audit = await ctx.knex('audit_log').where({ entita: 'impegno', entita_id: imp.id }).orderBy('id', 'desc').first();
    expect(audit.dopo.cig).toBe('9050626CD6');
    const page = await ctx.agent.get(res.headers.location!);
    expect(page.text).toContain('Testo originale collegato: 9050626CD6');
    expect(page.text).toContain('Salva e torna ai flussi');
  });

  it('links an existing code of the register, and sets the motivo an exclusion phrase names', async () => {
    const existing = await createCig(ctx.knex, ctx.cast.scuola1.id);
    const imp = await legacyImpegno({ cig_testo: `cig: ${existing.codice.toLowerCase()} del 12/03/2024` });
    expect((await click(`/impegni/${imp.id}/testo-originale`, { campo: 'cig', azione: 'collega', codice: existing.codice, version: '1' })).status).toBe(303);
    expect((await row(imp.id)).cig_id).toBe(existing.id);

    const m = await createMandato(ctx.knex, ctx.cast.scuola1.id, imp, { cig_id: null });
    await ctx.knex('mandati').where({ id: m.id }).update({ cig_testo: 'CIG esente – spese economali', motivo_esclusione_cig: null });
    const res = await click(`/mandati/${m.id}/testo-originale`, { campo: 'cig', azione: 'motivo', motivo: 'SPESE_ECONOMALI', version: '1' });
    expect(res.status).toBe(303);
    const mandato = await ctx.knex('mandati').where({ id: m.id }).first();
    expect(mandato.motivo_esclusione_cig).toBe('SPESE_ECONOMALI');
    expect(mandato.cig_testo).toBe('CIG esente – spese economali');
  });

  it('marks a placeholder «nessun codice», and the text no longer blocks the Flussi', async () => {
    const imp = await legacyImpegno({ cup_testo: 'non previsto' });
    const flussi = async () => (await ctx.agent.get(`/flussi?esercizio=${imp.esercizio}`)).text;
    expect(await flussi()).toContain(`«non previsto»`);
    const res = await click(`/impegni/${imp.id}/testo-originale`, { campo: 'cup', azione: 'nessun_codice', version: '1' });
    expect(res.status).toBe(303);
    expect((await row(imp.id)).cup_testo_nessun_codice).toBe(true);
    expect(await flussi()).not.toContain(`«non previsto»`);
    expect((await ctx.agent.get(`/impegni/${imp.id}/modifica`)).text).toContain('segnato «nessun codice»');
  });

  it('refuses a choice the text does not offer, a stale version, and another school’s document, storing nothing', async () => {
    const imp = await legacyImpegno({ cig_testo: 'B123456789' });
    const cigs = async () => Number((await ctx.knex('cig').where({ scuola_id: ctx.cast.scuola1.id, codice: 'B123456659' }).count({ n: '*' }).first())?.n);
    // B123456659 is what the check digits would make of it, but the scanner does not propose it: a person must choose.
    const forged = await click(`/impegni/${imp.id}/testo-originale`, { campo: 'cig', azione: 'collega', codice: 'B123456659', version: '1' });
    expect(forged.status).toBe(303);
    expect((await ctx.agent.get(forged.headers.location!)).text).toContain('Questa scelta non vale più');
    expect(await cigs()).toBe(0);
    expect((await row(imp.id)).version).toBe(1);

    const placeholder = await legacyImpegno({ cup_testo: 'n.d.' });
    const stale = await click(`/impegni/${placeholder.id}/testo-originale`, { campo: 'cup', azione: 'nessun_codice', version: '7' });
    expect((await ctx.agent.get(stale.headers.location!)).text).toContain('modificato da un altro utente');
    expect((await row(placeholder.id)).cup_testo_nessun_codice).toBe(false);

    const garbage = await click(`/impegni/${placeholder.id}/testo-originale`, { campo: 'iban', azione: 'boh', version: 'x' });
    expect(garbage.status).toBe(303);
    expect((await row(placeholder.id)).version).toBe(1);

    const other = await legacyImpegno({ cup_testo: 'n.d.' }, ctx.cast.scuola2.id);
    expect((await click(`/impegni/${other.id}/testo-originale`, { campo: 'cup', azione: 'nessun_codice', version: '1' })).status).toBe(404);
    expect((await row(other.id)).cup_testo_nessun_codice).toBe(false);
  });

  it('needs the CSRF token', async () => {
    const imp = await legacyImpegno({ cup_testo: 'n.d.' });
    const fresh = await loginAs(ctx.app, ctx.cast.segreteria.username, ctx.cast.segreteria.password);
    const res = await fresh.post(`/impegni/${imp.id}/testo-originale`).type('form').send({ campo: 'cup', azione: 'nessun_codice', version: '1' });
    expect(res.status).toBe(403);
    expect((await row(imp.id)).cup_testo_nessun_codice).toBe(false);
  });
});
