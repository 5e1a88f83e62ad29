import { describe, expect, it } from 'vitest';
import { expectFieldRefused } from '../helpers/forms.js';
import { useSegreteria } from '../helpers/testDatabase.js';

/** The creditore's address in the OPI beneficiario's parts, through the forms (Gestisci → Creditori). */
const ctx = useSegreteria('/creditori/nuovo');

const count = async (where: Record<string, unknown> = {}) => Number((await ctx.knex('creditori').where(where).count({ n: '*' }).first())?.n);

const valid = (o: Record<string, string> = {}) => ({
  _csrf: ctx.token, denominazione: 'Cartoleria Azzurra S.r.l.', codice_fiscale: '', partita_iva: '06363391001',
  indirizzo: 'Via Roma 1', cap: '00100', localita: 'Roma', provincia: 'rm', stato: 'it', iban: 'it60 x054 2811 1010 0000 0123 456', ...o,
});

describe('Creditori: indirizzo in parti', () => {
  it('shows the address fields in rows with their autocomplete, in the form and in the + modal of a document', async () => {
    const form = (await ctx.agent.get('/creditori/nuovo')).text;
    expect(form).toContain('Indirizzo (via e numero civico)');
    for (const [name, autocomplete] of [['cap', 'postal-code'], ['localita', 'address-level2'], ['provincia', 'address-level1'], ['stato', 'country']]) {
      expect(form).toMatch(new RegExp(`id="${name}" name="${name}"[^>]*autocomplete="${autocomplete}"`));
    }
    expect(form).toMatch(/id="stato" name="stato"\s+value="IT"/);
    const impegno = (await ctx.agent.get('/impegni/nuovo')).text;
    expect(impegno).toMatch(/id="modal-creditore-cap" name="cap"/);
    expect(impegno).toMatch(/id="modal-creditore-stato" name="stato"\s+value="IT"/);
  });

  it('creates and edits a creditore with its address parts; the page shows one line; the history records the change', async () => {
    const res = await ctx.agent.post('/creditori').type('form').send(valid());
    expect(res.status).toBe(302);
    const row = await ctx.knex('creditori').where({ scuola_id: ctx.cast.scuola1.id, partita_iva: '06363391001' }).first();
    expect(row).toMatchObject({ indirizzo: 'Via Roma 1', cap: '00100', localita: 'Roma', provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456', version: 1 });
    expect(res.headers.location).toBe(`/creditori/${row.id}`);
    expect((await ctx.agent.get(`/creditori/${row.id}`)).text).toContain('Via Roma 1, 00100 Roma (RM)');

    const edit = await ctx.agent.get(`/creditori/${row.id}/modifica`);
    expect(edit.text).toMatch(/name="cap"\s+value="00100"/);
    expect(edit.text).toMatch(/name="provincia"\s+value="RM"/);
    const ok = await ctx.agent.post(`/creditori/${row.id}`).type('form').send({ ...valid(), indirizzo: 'Via Nazionale 10', cap: '09010', localita: 'Villamassargia', provincia: 'SU', version: '1' });
    expect(ok.status).toBe(302);
    expect(await ctx.knex('creditori').where({ id: row.id }).first()).toMatchObject({ cap: '09010', localita: 'Villamassargia', provincia: 'SU', version: 2 });
    const page = (await ctx.agent.get(`/creditori/${row.id}`)).text;
    expect(page).toContain('Via Nazionale 10, 09010 Villamassargia (SU)');
    expect(page).toMatch(/<td>CAP<\/td><td>00100<\/td><td>09010<\/td>/);
    expect(page).toMatch(/<td>Località<\/td><td>Roma<\/td><td>Villamassargia<\/td>/);
    expect(page).toMatch(/<td>Provincia<\/td><td>RM<\/td><td>SU<\/td>/);
    const audit = await ctx.knex('audit_log').where({ entita: 'creditore', entita_id: row.id }).orderBy('id');
    expect(audit).toHaveLength(2);

    // A refused edit stores nothing.
    const bad = await ctx.agent.post(`/creditori/${row.id}`).type('form').send({ ...valid(), cap: '0901', version: '2' });
    expectFieldRefused(bad, 'cap', /Il CAP è fatto di 5 cifre/);
    expect(await ctx.knex('creditori').where({ id: row.id }).first()).toMatchObject({ cap: '09010', version: 2 });
  });

  it('takes a foreign address (stato in upper case, a 5-digit CAP, no provincia) and an empty one', async () => {
    const res = await ctx.agent.post('/creditori').type('form')
      .send(valid({ partita_iva: '', codice_fiscale: 'VRDLGU70B12F205W', denominazione: 'Verdi Luigi', indirizzo: 'Hauptstraße 5', cap: '10115', localita: 'Berlin', provincia: '', stato: 'de', iban: 'DE89370400440532013000' }));
    expect(res.status).toBe(302);
    const row = await ctx.knex('creditori').where({ scuola_id: ctx.cast.scuola1.id, codice_fiscale: 'VRDLGU70B12F205W' }).first();
    expect(row).toMatchObject({ cap: '10115', localita: 'Berlin', provincia: null, stato: 'DE', iban: 'DE89370400440532013000' });
    expect((await ctx.agent.get(`/creditori/${row.id}`)).text).toContain('Hauptstraße 5, 10115 Berlin, DE');

    const json = await ctx.agent.post('/creditori').set('Accept', 'application/json').set('x-csrf-token', ctx.token)
      .send({ denominazione: 'Bianchi Laura', codice_fiscale: 'BNCLRA80A41H501D' });
    expect(json.status).toBe(201);
    expect(await ctx.knex('creditori').where({ codice_fiscale: 'BNCLRA80A41H501D' }).first()).toMatchObject({ indirizzo: null, cap: null, localita: null, provincia: null, stato: 'IT' });
  });

  const refusals: [string, Record<string, string>, string, RegExp][] = [
    ['a CAP of 4 digits', { cap: '0010' }, 'cap', /Il CAP è fatto di 5 cifre, per esempio 00186/],
    ['a provincia that is not one', { provincia: 'XX' }, 'provincia', /«XX» non è la sigla di una provincia italiana/],
    ['EE as provincia', { provincia: 'EE' }, 'provincia', /EE non è una provincia/],
    ['a località without CAP', { cap: '' }, 'cap', /Con la località serve anche il CAP/],
    ['a CAP without località', { localita: '' }, 'localita', /Con il CAP serve anche la località/],
    ['a stato that is not two letters', { stato: 'ITA' }, 'stato', /sigla di due lettere del paese/],
    ['a foreign CAP of another form', { stato: 'GB', provincia: '', cap: 'SW1A 1AA', localita: 'London' }, 'cap', /scrivilo nella località/],
    ['an IBAN with a wrong check', { iban: 'IT61X0542811101000000123456' }, 'iban', /le cifre di controllo non corrispondono/],
    ['an Italian IBAN of 26 characters', { iban: 'IT60X054281110100000012345' }, 'iban', /IBAN italiano deve avere 27 caratteri, qui ce ne sono 26/],
  ];
  for (const [name, overrides, field, message] of refusals) {
    it(`refuses ${name} with 422, the Italian message and nothing stored`, async () => {
      const before = await count();
      const res = await ctx.agent.post('/creditori').type('form').send(valid({ partita_iva: '', codice_fiscale: 'RSSMRA80A01H501U', denominazione: 'Prova rifiuto', ...overrides }));
      expectFieldRefused(res, field, message);
      expect(await count()).toBe(before);
      // The form comes back with what was written.
      if (overrides[field]) expect(res.text).toContain(`value="${overrides[field]}"`);
      const json = await ctx.agent.post('/creditori').set('Accept', 'application/json').set('x-csrf-token', ctx.token)
        .send({ ...valid({ partita_iva: '', codice_fiscale: 'RSSMRA80A01H501U', denominazione: 'Prova rifiuto', ...overrides }), _csrf: undefined });
      expect(json.status).toBe(422);
      expect(json.body.errors[field]).toMatch(message);
      expect(await count()).toBe(before);
    });
  }
});

describe('Creditori: elenco', () => {
  it('shows the località with its provincia and sorts by it', async () => {
    const list = await ctx.agent.get('/creditori?ordina=localita&verso=desc');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Località');
    expect(list.text).toContain('Villamassargia (SU)');
  });
});
