import { beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { useTestDatabase } from '../helpers/testDatabase.js';
import { todayIso } from '../../src/domain/dates.js';
import { buildTestApp, csrfToken, loginAs, TEST_ESERCIZIO, TEST_TODAY } from '../helpers/testApp.js';
import { readForm } from '../helpers/forms.js';
import { seedDemo } from '../../seeds/demo.js';
import { cigCheckOrdinario } from '../../src/domain/cig.js';

/**
 * Every form, fed hundreds of malformed values: one field at a time is broken
 * in an otherwise valid submission, as a form post and as JSON. Never a 5xx,
 * never a row stored, always the broken field's message. At the end the valid
 * base is posted once and stored, proving the refusals came from the broken field.
 */
const UNIVERSAL: unknown[] = ['a\u0000b', '\u0007', '\u001B[31mrosso', '\u007F', 'x\u000By', 'x'.repeat(100_000)];
const STRUCTURED: string[] = [
  '<script>alert(1)</script>', "' OR 1=1 --", '1;DROP TABLE cig', '١٢٣', '１２３', '😀', 'NaN', '-1', '1e309', '0x10',
  '99999999999999999999', '31/02/2025', '%00', '../../etc/passwd', '${7*7}', '{{7*7}}', '<img src=x onerror=alert(1)>',
  'null', 'undefined', '[]', '{}', 'true', 'Ω', '\u202E', 'RSSMRA85T10A562X', 'IT60X0542811101000000123457',
];
const DUPLICATED = ['1', '2'];
// Lone surrogates can only travel in JSON: a form post carries UTF-8, where they become U+FFFD.
const JSON_ONLY: unknown[] = [{ a: 1 }, true, [[1]], '\uD800', '\uDFFF x'];

type Form = { name: string; path: string; table: string; text: string[]; structured: string[]; base: (agent: request.Agent) => Promise<Record<string, unknown>> };

const E = TEST_ESERCIZIO;
const today = todayIso(TEST_TODAY);
const cig = (n: number) => `${n}${cigCheckOrdinario(n)}`;

const FORMS: Form[] = [
  {
    name: 'CIG', path: '/cig', table: 'cig', text: ['oggetto', 'note'],
    structured: ['codice', 'data_generazione', 'data_scadenza_offerte', 'importo', 'fornitore_id', 'scelta_contraente', 'stato'],
    base: async () => ({ codice: cig(7654321), oggetto: 'Fornitura di prova', data_generazione: '15/03/2025', stato: 'attivo' }),
  },
  {
    name: 'CUP', path: '/cup', table: 'cup', text: ['descrizione', 'note'],
    structured: ['codice', 'importo_finanziato', 'fonte_finanziamento', 'stato'],
    base: async () => ({ codice: 'C44D25000000017', descrizione: 'Progetto di prova', stato: 'attivo' }),
  },
  {
    name: 'creditore', path: '/creditori', table: 'creditori', text: ['denominazione', 'indirizzo', 'localita'],
    structured: ['codice_fiscale', 'partita_iva', 'iban', 'cap', 'provincia', 'stato'],
    base: async () => ({ denominazione: 'Ditta di prova S.r.l.', partita_iva: '06363391001' }),
  },
  {
    name: 'voce del Piano', path: '/impostazioni/piano-destinazioni', table: 'voci_destinazione', text: ['descrizione'],
    structured: ['esercizio', 'aggregato', 'voce', 'sottovoce', 'cup_id'],
    base: async () => ({ esercizio: String(E), aggregato: 'P', voce: '9', sottovoce: '9', descrizione: 'Scheda di prova' }),
  },
  {
    name: 'impegno', path: '/impegni', table: 'impegni', text: ['oggetto', 'note'],
    structured: ['data', 'voce_id', 'conto_id', 'creditore_id', 'importo', 'cig_id', 'motivo_esclusione_cig', 'cup_id'],
    base: async (agent) => {
      const form = readForm((await agent.get('/impegni/nuovo')).text, { action: '/impegni' });
      const { _csrf: _omit, ...fields } = form.fields;
      return { ...fields, data: today, voce_id: form.options.voce_id!.find((v) => v !== '')!, oggetto: 'Impegno di prova', importo: '100,00' };
    },
  },
  {
    name: 'mandato', path: '/mandati', table: 'mandati', text: ['causale', 'note'],
    structured: ['impegno_id', 'data', 'beneficiario_id', 'importo', 'modalita_pagamento', 'tipo_debito', 'cig_id', 'motivo_esclusione_cig', 'cup_id'],
    base: async (agent) => {
      const form = readForm((await agent.get('/mandati/nuovo')).text, { action: '/mandati' });
      const { _csrf: _omit, ...fields } = form.fields;
      return { ...fields, impegno_id: form.options.impegno_id!.find((v) => v !== '')!, data: today, causale: 'Pagamento di prova', importo: '1,00', modalita_pagamento: 'CASSA', tipo_debito: 'NON_COMMERCIALE' };
    },
  },
];

const ctx = useTestDatabase();
let agent: request.Agent;
let token: string;
beforeAll(async () => {
  await seedDemo(ctx.knex, { today: TEST_TODAY });
  agent = await loginAs(buildTestApp(ctx.db).app, 'segreteria', 'demo-segreteria');
  token = await csrfToken(agent, '/');
});

const count = async (table: string) => Number((await ctx.knex(table).count('* as n'))[0]!.n);

/** The bad submissions for one field: [label, body, as JSON?]. */
function cases(base: Record<string, unknown>, field: string, structured: boolean): [string, Record<string, unknown>, boolean][] {
  const out: [string, Record<string, unknown>, boolean][] = [];
  const values = structured ? [...UNIVERSAL, ...STRUCTURED] : UNIVERSAL;
  for (const v of [...values, DUPLICATED]) {
    out.push([`${field}=${JSON.stringify(v).slice(0, 30)} (modulo)`, { ...base, [field]: v }, false]);
    out.push([`${field}=${JSON.stringify(v).slice(0, 30)} (JSON)`, { ...base, [field]: v }, true]);
  }
  for (const v of JSON_ONLY) out.push([`${field}=${JSON.stringify(v)} (JSON)`, { ...base, [field]: v }, true]);
  return out;
}

describe('fuzz di ogni modulo', () => {
  for (const form of FORMS) {
    // Hundreds of requests per form: a longer budget than one page's, for a loaded CI machine.
    it(`${form.name}: at least 200 malformed submissions, never a 5xx, never a row, always the field's message`, { timeout: 120_000 }, async () => {
      const base = await form.base(agent);
      const before = await count(form.table);
      const all = [...form.text.map((f) => cases(base, f, false)), ...form.structured.map((f) => cases(base, f, true))].flat();
      expect(all.length).toBeGreaterThanOrEqual(200);
      for (const [label, body, asJson] of all) {
        const field = label.slice(0, label.indexOf('='));
        const res = asJson
          ? await agent.post(form.path).set('x-csrf-token', token).send(body)
          : await agent.post(form.path).type('form').send({ ...body, _csrf: token });
        expect(res.status, label).toBe(422);
        expect(res.text, label).toContain(`href="#${field}"`);
      }
      expect(await count(form.table), 'nothing stored').toBe(before);
      // The base itself is valid: the refusals came from the broken field.
      const ok = await agent.post(form.path).type('form').send({ ...base, _csrf: token });
      expect(ok.status, ok.text.match(/<li><a href="#[^"]+">[^<]+/g)?.join(' | ')).toBe(302);
      expect(await count(form.table)).toBe(before + 1);
    });
  }
});

describe('caratteri di controllo fuori dai moduli', () => {
  it('search boxes drop them, the login refuses them: never a 5xx', async () => {
    for (const url of ['/cig?oggetto=a%00b', '/cig?codice=%00', '/cup?descrizione=%07x', '/impegni?q=%00', '/mandati?q=a%00', '/creditori?q=%00']) {
      expect((await agent.get(url)).status, url).toBe(200);
    }
    const { app } = buildTestApp(ctx.db);
    const anon = (await import('supertest')).default.agent(app);
    const loginToken = await csrfToken(anon);
    const res = await anon.post('/login').type('form').send({ _csrf: loginToken, username: 'segreteria\u0000', password: 'x' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('caratteri non ammessi');
  });
});
