import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { readForm } from '../helpers/forms.js';
import { createCig, createCreditore, createCup, createImpegno, createMandato } from '../helpers/factories.js';
import { createFattura } from '../helpers/fatture.js';
import { partitaIvaCheckDigit } from '../../src/domain/anagrafica.js';
import type { CodiceValues } from '../../src/repositories/fattureRepository.js';

const ctx = useSegreteria('/');
const scuola = () => ctx.cast.scuola1.id;

let n = 0;
/** A valid Italian partita IVA, different at each call (one supplier per test). */
function nuovaPartitaIva(): string {
  const first10 = String(3_000_000_000 + ++n * 7919).slice(0, 10).padStart(10, '0');
  return `${first10}${partitaIvaCheckDigit(first10)}`;
}
/** A valid ordinario CIG from a progressive: KKK = hex3((N × 211) mod 4091). */
const cigValido = (p: number) => `${p}${((p * 211) % 4091).toString(16).toUpperCase().padStart(3, '0')}`;

const SEMPLICE = readFileSync('test/fixtures/fatturapa/semplice.xml', 'utf8');

/**
 * An invoice of a supplier of its own (P.IVA) whose stored file is the
 * fixture semplice.xml with that P.IVA, so the page can read its lines and supplier.
 */
async function fattura(
  opts: { scuolaId?: number; piva?: string; overrides?: Parameters<typeof createFattura>[2]; codici?: CodiceValues[]; xml?: (s: string) => string } = {},
) {
  const piva = opts.piva ?? nuovaPartitaIva();
  const scuolaId = opts.scuolaId ?? scuola();
  const f = await createFattura(ctx.knex, scuolaId, {
    fornitore_chiave: `IT${piva}`, fornitore_partita_iva: piva, fornitore_codice_fiscale: piva, fornitore_denominazione: 'Cartoleria Rossi & Figli S.r.l.',
    ...opts.overrides,
  }, opts.codici ?? []);
  let xml = SEMPLICE.replaceAll('01234567897', piva).replace('</p:FatturaElettronica>', `<!-- ${f.id} --></p:FatturaElettronica>`);
  if (opts.xml) xml = opts.xml(xml);
  const bytes = Buffer.from(xml);
  await ctx.knex('fatture_file').where({ id: f.file_id }).update({ contenuto: bytes, sha256: createHash('sha256').update(bytes).digest('hex'), dimensione: bytes.length });
  return { ...f, piva };
}

const codice = (c: Partial<CodiceValues> & Pick<CodiceValues, 'tipo' | 'esito'>): CodiceValues => ({
  campo: c.tipo, scritto: c.codice ?? 'X', codice: null, motivo: null, righe: [], ...c,
});

async function impegno(o: { cig_id?: number | null; cup_id?: number | null; creditore_id?: number | null; motivo?: string | null; esercizio?: number; importo_cents?: number } = {}) {
  const i = await createImpegno(ctx.knex, scuola(), { cig_id: o.cig_id ?? null, cup_id: o.cup_id ?? null, importo_cents: o.importo_cents ?? 100_000 });
  const patch: Record<string, unknown> = { creditore_id: o.creditore_id ?? null, motivo_esclusione_cig: o.motivo ?? null };
  if (o.esercizio && o.esercizio !== i.esercizio) {
    const [v] = await ctx.knex('voci_destinazione').insert({ scuola_id: scuola(), esercizio: o.esercizio, aggregato: 'A', voce: 3, sottovoce: 900 - (++n % 800), descrizione: 'Voce' }).returning('id');
    Object.assign(patch, { esercizio: o.esercizio, data: `${o.esercizio}-02-01`, voce_id: Number(v.id) });
  }
  await ctx.knex('impegni').where({ id: i.id }).update(patch);
  return (await ctx.knex('impegni').where({ id: i.id }).first()) as { id: number; numero: number; esercizio: number };
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"');
const hrefOf = (html: string, text: string | RegExp) => {
  for (const m of html.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)) if (typeof text === 'string' ? m[2]!.includes(text) : text.test(m[2]!)) return decode(m[1]!);
  throw new Error(`link ${text} not found`);
};
const row = (id: number) => ctx.knex('fatture').where({ id }).first();
const audits = (id: number, azione?: string) => ctx.knex('audit_log').where({ entita: 'fattura', entita_id: id, ...(azione ? { azione } : {}) });
const collega = (id: number, body: Record<string, string>, agent: request.Agent = ctx.agent) =>
  agent.post(`/fatture/${id}/collega`).type('form').send({ _csrf: ctx.token, version: '1', ...body });

describe('Codici CIG e CUP on the invoice page', () => {
  it('links a registered code to its record, offers a one-click registration for the others, explains the invalid ones', async () => {
    const registrato = await createCig(ctx.knex, scuola());
    const libero = cigValido(7_000_001);
    const proposta = cigValido(7_000_002);
    const f = await fattura({
      overrides: { senza_cig: false },
      codici: [
        codice({ tipo: 'cig', esito: 'valido', codice: registrato.codice, scritto: registrato.codice }),
        codice({ tipo: 'cig', esito: 'valido', codice: libero, scritto: `cig: ${libero.toLowerCase()}` }),
        codice({ tipo: 'cig', esito: 'correzione', codice: proposta, scritto: proposta.replace('0', 'O'), motivo: `Codice non valido come scritto; correzione proposta: ${proposta}` }),
        codice({ tipo: 'cup', campo: 'cig', esito: 'altro_campo', codice: 'C44D22002780006', scritto: 'C44D22002780006', motivo: 'È un CUP scritto nel campo del CIG' }),
        codice({ tipo: 'cig', esito: 'non_valido', scritto: '12345', motivo: 'Il CIG ha 10 caratteri: qui ce ne sono 5' }),
      ],
    });
    const res = await ctx.agent.get(`/fatture/${f.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Codici CIG e CUP');
    expect(hrefOf(res.text, `CIG ${registrato.codice} nel registro`)).toBe(`/cig/${registrato.id}`);
    const registra = new URL(hrefOf(res.text, `Registra il CIG ${libero}`), 'http://x');
    expect(registra.pathname).toBe('/cig/nuovo');
    expect(registra.searchParams.get('codice')).toBe(libero);
    expect(registra.searchParams.get('oggetto')).toBe('Risme carta A4 80 g/m², confezione da 500 fogli; Toner per stampante laser, nero');
    expect(registra.searchParams.get('ritorno')).toBe(`/fatture/${f.id}`);
    expect(res.text).toContain(`Registra il CIG ${proposta}`);
    expect(res.text).toContain('Il fornitore ha scritto il codice in modo sbagliato');
    expect(res.text).toContain('CUP scritto nel campo del CIG');
    expect(hrefOf(res.text, 'Registra il CUP C44D22002780006')).toMatch(/^\/cup\/nuovo\?/);
    expect(res.text).toContain('Il CIG ha 10 caratteri: qui ce ne sono 5');
    expect(res.text).not.toContain('Senza CIG.');
  });

  it('pre-fills /cig/nuovo from the invoice (whitelisted fields only) and comes back to it, where the code is now registered', async () => {
    const creditore = await createCreditore(ctx.knex, scuola());
    const libero = cigValido(7_000_003);
    const f = await fattura({ overrides: { creditore_id: creditore.id }, codici: [codice({ tipo: 'cig', esito: 'valido', codice: libero, scritto: libero })] });
    const link = hrefOf((await ctx.agent.get(`/fatture/${f.id}`)).text, `Registra il CIG ${libero}`);
    expect(new URL(link, 'http://x').searchParams.get('fornitore_id')).toBe(String(creditore.id));
    const form = await ctx.agent.get(`${link}&stato=annullato&version=7&scuola_id=99`);
    expect(form.status).toBe(200);
    const fields = readForm(form.text, { action: '/cig' }).fields;
    expect(fields).toMatchObject({ codice: libero, oggetto: 'Risme carta A4 80 g/m², confezione da 500 fogli; Toner per stampante laser, nero', fornitore_id: String(creditore.id), stato: 'attivo', ritorno: `/fatture/${f.id}` });
    expect(fields.note).toContain(`Dalla fattura n. ${f.numero}`);
    expect(fields).not.toHaveProperty('version');
    expect(await ctx.knex('cig').where({ scuola_id: scuola(), codice: libero }).first()).toBeUndefined();

    const saved = await ctx.agent.post('/cig').type('form').send({ ...fields, data_generazione: '10/01/2026' });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toMatch(new RegExp(`^/fatture/${f.id}\\?cig_id=\\d+$`));
    const cig = await ctx.knex('cig').where({ scuola_id: scuola(), codice: libero }).first();
    expect(cig).toMatchObject({ fornitore_id: creditore.id, stato: 'attivo' });
    const page = await ctx.agent.get(saved.headers.location!);
    expect(hrefOf(page.text, `CIG ${libero} nel registro`)).toBe(`/cig/${cig.id}`);
  });

  it('pre-fills /cup/nuovo with codice and descrizione, and trims control characters out of the query', async () => {
    const f = await fattura({ codici: [codice({ tipo: 'cup', esito: 'valido', codice: 'C44D22002780006', scritto: 'C44D22002780006' })] });
    const link = hrefOf((await ctx.agent.get(`/fatture/${f.id}`)).text, 'Registra il CUP C44D22002780006');
    const fields = readForm((await ctx.agent.get(link)).text, { action: '/cup' }).fields;
    expect(fields).toMatchObject({ codice: 'C44D22002780006', descrizione: 'Risme carta A4 80 g/m², confezione da 500 fogli; Toner per stampante laser, nero', ritorno: `/fatture/${f.id}` });
    const dirty = readForm((await ctx.agent.get('/cup/nuovo?descrizione=%20Arredi%01%20scolastici%20&fonte_finanziamento=PNRR&ritorno=https://evil.example')).text, { action: '/cup' }).fields;
    expect(dirty.descrizione).toBe('Arredi scolastici');
    expect(dirty.fonte_finanziamento).toBe('');
    expect(dirty).not.toHaveProperty('ritorno');
    const saved = await ctx.agent.post('/cup').type('form').send({ ...fields });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toMatch(new RegExp(`^/fatture/${f.id}\\?cup_id=\\d+$`));
    expect((await ctx.agent.get(`/fatture/${f.id}`)).text).toContain('CUP C44D22002780006 nel registro');
  });

  it('flags an invoice without CIG, and the flag goes away once tied to an impegno excluded from the CIG', async () => {
    const f = await fattura({ overrides: { senza_cig: true } });
    expect((await ctx.agent.get(`/fatture/${f.id}`)).text).toContain('Senza CIG.');
    const i = await impegno({ motivo: 'SPESE_ECONOMALI' });
    const res = await collega(f.id, { impegno_id: String(i.id) });
    expect(res.status).toBe(302);
    const page = (await ctx.agent.get(`/fatture/${f.id}`)).text;
    expect(page).not.toContain('Senza CIG.');
    expect(page).toContain('motivo di esclusione «Spese economali');
    expect((await row(f.id)).senza_cig).toBe(true);
  });
});

describe('Fornitore tra i creditori', () => {
  it('links to the creditore found by partita IVA, and every invoice of that supplier with it', async () => {
    const piva = nuovaPartitaIva();
    const [c] = await ctx.knex('creditori').insert({ scuola_id: scuola(), denominazione: 'Rossi Cartoleria', partita_iva: piva }).returning('id');
    const f1 = await fattura({ piva });
    const f2 = await fattura({ piva });
    const other = await fattura({ piva, scuolaId: ctx.cast.scuola2.id });
    expect((await ctx.agent.get(`/fatture/${f1.id}`)).text).toContain('Collega al creditore Rossi Cartoleria');
    const res = await ctx.agent.post(`/fatture/${f1.id}/creditore`).type('form').send({ _csrf: ctx.token });
    expect(res.status).toBe(302);
    expect((await row(f1.id)).creditore_id).toBe(Number(c.id));
    expect((await row(f2.id)).creditore_id).toBe(Number(c.id));
    expect((await row(other.id)).creditore_id).toBeNull();
    expect(await audits(f2.id, 'modifica')).toHaveLength(1);
    expect(await ctx.knex('creditori').where({ scuola_id: scuola(), partita_iva: piva })).toHaveLength(1);
  });

  it('creates the creditore from CedentePrestatore (validated ids, address, first valid IBAN), audited', async () => {
    const f = await fattura({
      xml: (s) => s.replace('<IBAN>IT98Q0306903200100000012345</IBAN>', '<IBAN>IT00X0000000000000000000000</IBAN></DettaglioPagamento><DettaglioPagamento><ModalitaPagamento>MP05</ModalitaPagamento><ImportoPagamento>1.00</ImportoPagamento><IBAN>IT60X0542811101000000123456</IBAN>'),
    });
    const page = (await ctx.agent.get(`/fatture/${f.id}`)).text;
    expect(page).toContain('Crea il creditore');
    expect(page).toContain('Via Tiburtina 1020, 00156 Roma (RM)');
    const res = await ctx.agent.post(`/fatture/${f.id}/creditore`).type('form').send({ _csrf: ctx.token });
    expect(res.status).toBe(302);
    const c = await ctx.knex('creditori').where({ scuola_id: scuola(), partita_iva: f.piva }).first();
    expect(c).toMatchObject({
      denominazione: 'Cartoleria Rossi & Figli S.r.l.', codice_fiscale: f.piva, iban: 'IT60X0542811101000000123456',
      indirizzo: 'Via Tiburtina 1020', cap: '00156', localita: 'Roma', provincia: 'RM', stato: 'IT',
    });
    expect((await row(f.id)).creditore_id).toBe(c.id);
    expect(await ctx.knex('audit_log').where({ entita: 'creditore', entita_id: c.id, azione: 'crea' })).toHaveLength(1);
    const again = await ctx.agent.post(`/fatture/${f.id}/creditore`).type('form').send({ _csrf: ctx.token });
    expect(again.status).toBe(302);
    expect(await ctx.knex('creditori').where({ scuola_id: scuola(), partita_iva: f.piva })).toHaveLength(1);
  });

  it('refuses with 422 a supplier without valid Italian ids or an unreadable file, nothing written', async () => {
    const estero = await fattura({
      overrides: { fornitore_partita_iva: null, fornitore_codice_fiscale: null, fornitore_chiave: `DE${++n}` },
      xml: (s) => s.replace(/<IdPaese>IT<\/IdPaese>\s*<IdCodice>\d+<\/IdCodice>\s*<\/IdFiscaleIVA>\s*<CodiceFiscale>\d+<\/CodiceFiscale>/, '<IdPaese>DE</IdPaese><IdCodice>123456789</IdCodice></IdFiscaleIVA>'),
    });
    expect((await ctx.agent.get(`/fatture/${estero.id}`)).text).toContain('inserisci il creditore a mano');
    const before = await ctx.knex('creditori').count({ n: '*' }).first();
    const res = await ctx.agent.post(`/fatture/${estero.id}/creditore`).type('form').send({ _csrf: ctx.token });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Inseriscilo a mano in Gestisci → Creditori');
    const illeggibile = await createFattura(ctx.knex, scuola(), { fornitore_chiave: `IT${nuovaPartitaIva()}` });
    const res2 = await ctx.agent.post(`/fatture/${illeggibile.id}/creditore`).type('form').send({ _csrf: ctx.token });
    expect(res2.status).toBe(422);
    expect(res2.text).toContain('Non si riesce a leggere il fornitore');
    const bad = await ctx.agent.post(`/fatture/${estero.id}/creditore`).type('form').send({ _csrf: ctx.token, denominazione: 'x' });
    expect(bad.status).toBe(422);
    expect(await ctx.knex('creditori').count({ n: '*' }).first()).toEqual(before);
  });
});

describe('Collega all’impegno', () => {
  it('proposes the creditore’s impegni of this esercizio and the previous, same CIG first (those with residuo before those paid in full), with residuo', async () => {
    const creditore = await createCreditore(ctx.knex, scuola());
    const cig = await createCig(ctx.knex, scuola());
    const f = await fattura({ overrides: { creditore_id: creditore.id, senza_cig: false }, codici: [codice({ tipo: 'cig', esito: 'valido', codice: cig.codice })] });
    const altro = await impegno({ creditore_id: creditore.id, importo_cents: 50_000 });
    const stesso = await impegno({ creditore_id: creditore.id, cig_id: cig.id, esercizio: TEST_ESERCIZIO - 1, importo_cents: 80_000 });
    await createMandato(ctx.knex, scuola(), stesso, { importo_cents: 30_000 });
    const vecchio = await impegno({ creditore_id: creditore.id, esercizio: TEST_ESERCIZIO - 2 });
    const pagato = await impegno({ creditore_id: creditore.id, cig_id: cig.id, importo_cents: 20_000 });
    await createMandato(ctx.knex, scuola(), pagato, { importo_cents: 20_000 });
    const page = (await ctx.agent.get(`/fatture/${f.id}`)).text;
    const form = readForm(page, { action: `/fatture/${f.id}/collega` });
    expect(form.options.impegno_id).toBeUndefined();
    const radios = [...page.matchAll(/name="impegno_id" id="impegno_id_(\d+)"/g)].map((m) => Number(m[1]));
    expect(radios).toEqual([stesso.id, pagato.id, altro.id]);
    expect(radios).not.toContain(vecchio.id);
    expect(form.fields.impegno_id).toBe(String(stesso.id));
    expect(page).toMatch(/residuo 500,00\s*€/);
    expect(page).toContain('stesso CIG della fattura');
    const res = await ctx.agent.post(form.action).type('form').send(form.fields);
    expect(res.status).toBe(302);
    expect(await row(f.id)).toMatchObject({ impegno_id: stesso.id, motivo_collegamento: null, version: 2, stato: 'collegata' });
    const [a] = await audits(f.id, 'collega');
    expect(a.dopo).toMatchObject({ impegno_id: stesso.id, impegno: `n. ${stesso.numero}/${stesso.esercizio}` });
    expect(a.prima).toMatchObject({ impegno_id: null });
  });

  it('(a) refuses an impegno with another CIG or none, naming both codes and the law; conferma with a stated motivo overrides', async () => {
    const cigF = await createCig(ctx.knex, scuola());
    const cigI = await createCig(ctx.knex, scuola());
    const f = await fattura({ overrides: { senza_cig: false }, codici: [codice({ tipo: 'cig', esito: 'valido', codice: cigF.codice })] });
    const senza = await impegno({});
    const res0 = await collega(f.id, { impegno_id: String(senza.id) });
    expect(res0.status).toBe(422);
    expect(res0.text).toContain(`La fattura riporta il CIG ${cigF.codice}, l’impegno n. ${senza.numero}/${senza.esercizio} non ha nessun CIG`);
    const i = await impegno({ cig_id: cigI.id });
    const res = await collega(f.id, { impegno_id: String(i.id) });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`La fattura riporta il CIG ${cigF.codice}, l’impegno n. ${i.numero}/${i.esercizio} ha il CIG ${cigI.codice}`);
    expect(res.text).toContain('art. 25 DL 66/2014; art. 3 L. 136/2010');
    expect(res.text).toContain('Collega comunque');
    expect((await row(f.id)).impegno_id).toBeNull();
    const corto = await collega(f.id, { impegno_id: String(i.id), conferma: '1', motivo: 'ok' });
    expect(corto.status).toBe(422);
    expect(corto.text).toContain('Scrivi il motivo per cui colleghi comunque');
    expect((await row(f.id)).impegno_id).toBeNull();
    expect(await audits(f.id)).toHaveLength(0);
    const forzato = await collega(f.id, { impegno_id: String(i.id), conferma: '1', motivo: 'Contratto ponte, CIG indicato per errore dal fornitore' });
    expect(forzato.status).toBe(302);
    expect(await row(f.id)).toMatchObject({ impegno_id: i.id, motivo_collegamento: 'Contratto ponte, CIG indicato per errore dal fornitore' });
    const [a] = await audits(f.id, 'collega');
    expect(a.dopo.motivo_collegamento).toBe('Contratto ponte, CIG indicato per errore dal fornitore');
    expect(a.dopo.rifiuti_confermati[0]).toContain(cigI.codice);
    expect((await ctx.agent.get(`/fatture/${f.id}`)).text).toContain('Collegata nonostante i controlli');
  });

  it('(b) refuses an impegno whose CUP the invoice lacks; (c) refuses a CIG impegno for an invoice without CIG', async () => {
    const cig = await createCig(ctx.knex, scuola());
    const cup = await createCup(ctx.knex, scuola());
    const f = await fattura({ overrides: { senza_cig: false }, codici: [codice({ tipo: 'cig', esito: 'valido', codice: cig.codice })] });
    const i = await impegno({ cig_id: cig.id, cup_id: cup.id });
    const res = await collega(f.id, { impegno_id: String(i.id) });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`ha il CUP ${cup.codice}, la fattura non riporta nessun CUP valido`);
    const senza = await fattura({ overrides: { senza_cig: true } });
    const res2 = await collega(senza.id, { impegno_id: String(i.id) });
    expect(res2.status).toBe(422);
    expect(res2.text).toContain(`La fattura non riporta nessun CIG valido, l’impegno n. ${i.numero}/${i.esercizio} ha il CIG ${cig.codice}`);
    expect((await row(f.id)).impegno_id).toBeNull();
    expect((await row(senza.id)).impegno_id).toBeNull();
  });

  it('warns (without refusing) when the impegno is of another creditore; picks an impegno by numero and esercizio', async () => {
    const cig = await createCig(ctx.knex, scuola());
    const mio = await createCreditore(ctx.knex, scuola(), { denominazione: 'Fornitore della fattura' });
    const altro = await createCreditore(ctx.knex, scuola(), { denominazione: 'Altro fornitore' });
    const f = await fattura({ overrides: { creditore_id: mio.id, senza_cig: false }, codici: [codice({ tipo: 'cig', esito: 'valido', codice: cig.codice })] });
    const i = await impegno({ cig_id: cig.id, creditore_id: altro.id });
    const res = await collega(f.id, { impegno_numero: String(i.numero), impegno_esercizio: String(i.esercizio) });
    expect(res.status).toBe(302);
    const page = (await ctx.agent.get(`/fatture/${f.id}`)).text;
    expect(page).toContain('Il creditore dell’impegno (Altro fornitore) non è il fornitore della fattura');
    expect((await row(f.id)).impegno_id).toBe(i.id);
    const missing = await collega((await fattura()).id, { impegno_numero: '999999', impegno_esercizio: String(TEST_ESERCIZIO) });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain(`Non c’è l’impegno n. 999999/${TEST_ESERCIZIO} tra gli impegni della scuola`);
    const vuoto = await collega(f.id, { version: '2' });
    expect(vuoto.status).toBe(422);
  });

  it('refuses a stale version with the “modificata da un altro utente” page, nothing written', async () => {
    const f = await fattura();
    const i = await impegno({});
    await ctx.knex('fatture').where({ id: f.id }).update({ version: 2 });
    const res = await collega(f.id, { impegno_id: String(i.id), version: '1' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('modificata da un altro utente');
    expect(await row(f.id)).toMatchObject({ impegno_id: null, version: 2 });
  });

  it('keeps schools apart: another school’s invoice is 404, another school’s impegno is refused', async () => {
    const f = await fattura();
    const agent2 = await loginAs(ctx.app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    const token2 = /name="_csrf" value="([^"]+)"/.exec((await agent2.get('/')).text)![1]!;
    const i = await impegno({});
    for (const path of ['collega', 'scollega', 'creditore']) {
      const res = await agent2.post(`/fatture/${f.id}/${path}`).type('form').send({ _csrf: token2, version: '1', impegno_id: String(i.id) });
      expect(res.status, path).toBe(404);
    }
    expect((await agent2.get(`/fatture/${f.id}`)).status).toBe(404);
    const i2 = await createImpegno(ctx.knex, ctx.cast.scuola2.id);
    const res = await collega(f.id, { impegno_id: String(i2.id) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Non c’è l’impegno scelto tra gli impegni della scuola');
    expect(await row(f.id)).toMatchObject({ impegno_id: null, version: 1 });
  });

  it('refuses a POST without the CSRF token', async () => {
    const f = await fattura();
    const i = await impegno({});
    const res = await ctx.agent.post(`/fatture/${f.id}/collega`).type('form').send({ version: '1', impegno_id: String(i.id) });
    expect(res.status).toBe(403);
    expect((await row(f.id)).impegno_id).toBeNull();
  });
});

describe('Scollega', () => {
  it('removes the tie (audited); refused once the invoice has payments', async () => {
    const i = await impegno({});
    const f = await fattura({ overrides: { impegno_id: i.id } });
    const page = (await ctx.agent.get(`/fatture/${f.id}`)).text;
    const form = readForm(page, { action: `/fatture/${f.id}/scollega` });
    const res = await ctx.agent.post(form.action).type('form').send(form.fields);
    expect(res.status).toBe(302);
    expect(await row(f.id)).toMatchObject({ impegno_id: null, version: 2 });
    const [a] = await audits(f.id, 'scollega');
    expect(a.prima.impegno_id).toBe(i.id);

    const pagata = await fattura({ overrides: { impegno_id: i.id } });
    await ctx.knex('fatture').where({ id: pagata.id }).update({ pagato_cents: 1000 });
    expect((await ctx.agent.get(`/fatture/${pagata.id}`)).text).toContain('non si può scollegare');
    const refused = await ctx.agent.post(`/fatture/${pagata.id}/scollega`).type('form').send({ _csrf: ctx.token, version: '1' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('La fattura ha già dei pagamenti');
    expect((await row(pagata.id)).impegno_id).toBe(i.id);
    const moved = await collega(pagata.id, { impegno_id: String((await impegno({})).id) });
    expect(moved.status).toBe(422);
    expect((await row(pagata.id)).impegno_id).toBe(i.id);
  });
});
