import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCup, createVoce } from '../helpers/factories.js';

/** Without JavaScript the form cannot propose the voce's CUP before saving: the save does, once, and asks to confirm. */
const ctx = useSegreteria('/impegni/nuovo');
const anno = TEST_ESERCIZIO;
let voce: { id: number };
let cup: { id: number; codice: string };

beforeAll(async () => {
  cup = await createCup(ctx.knex, ctx.cast.scuola1.id);
  voce = await createVoce(ctx.knex, ctx.cast.scuola1.id, { aggregato: 'A', voce: 3, sottovoce: 14, descrizione: 'PNRR Laboratori' });
  await ctx.knex('voci_destinazione').where({ id: voce.id }).update({ cup_id: cup.id });
});

const valid = (overrides: Record<string, string> = {}) => ({
  _csrf: ctx.token, data: `${anno}-05-10`, voce_id: String(voce.id), conto_id: '', creditore_id: '',
  oggetto: 'Arredi per il laboratorio', importo: '900,00', cig_id: '', motivo_esclusione_cig: '', cup_id: '', note: '', ...overrides,
});
const post = (body: Record<string, string>, path = '/impegni') => ctx.agent.post(path).type('form').send(body);

describe('The voce’s CUP proposed without JavaScript', () => {
  it('a new impegno without CUP on a voce with one comes back with the CUP filled and a note asking to confirm; nothing saved', async () => {
    const res = await post(valid());
    expect(res.status).toBe(422);
    expect(res.text).toContain(`La voce A03/14 ha il CUP ${cup.codice}: è stato proposto nel campo CUP.`);
    expect(res.text).toMatch(new RegExp(`<option value="${cup.id}" selected`));
    expect(res.text).toContain('name="cup_dalla_voce" value="1"');
    expect(res.text).toContain('Arredi per il laboratorio');
    expect(await ctx.knex('impegni').where({ oggetto: 'Arredi per il laboratorio' }).first()).toBeUndefined();
    // Saved again as proposed: the impegno has the voce's CUP.
    const ok = await post(valid({ cup_id: String(cup.id), cup_dalla_voce: '1' }));
    expect(ok.status).toBe(302);
    expect(await ctx.knex('impegni').where({ oggetto: 'Arredi per il laboratorio' }).first()).toMatchObject({ cup_id: cup.id });
  });

  it('asks once: emptied on purpose after the proposal, the CUP stays empty', async () => {
    const ok = await post(valid({ oggetto: 'Spesa fuori progetto', cup_dalla_voce: '1' }));
    expect(ok.status).toBe(302);
    expect(await ctx.knex('impegni').where({ oggetto: 'Spesa fuori progetto' }).first()).toMatchObject({ cup_id: null });
  });

  it('does not ask again on the edit of an impegno that stays on its voce', async () => {
    await post(valid({ oggetto: 'Senza CUP per scelta', cup_dalla_voce: '1' }));
    const row = await ctx.knex('impegni').where({ oggetto: 'Senza CUP per scelta' }).first();
    const res = await post({ ...valid({ oggetto: 'Senza CUP per scelta, corretto' }), version: String(row.version) }, `/impegni/${row.id}`);
    expect(res.status).toBe(302);
  });
});
