import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSegreteria } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, downloadBytes, loginAs, TEST_ESERCIZIO } from '../helpers/testApp.js';
import { createCig, createCreditore, createCup, createImpegno, createUtente } from '../helpers/factories.js';
import { createFattura } from '../helpers/fatture.js';
import { mandatoForm } from '../helpers/mandati.js';
import { esitoXml } from '../helpers/opiEsito.js';
import { opiFlussoViolations } from '../../src/formats/xsd.js';
import { createDistinteService } from '../../src/services/distinteService.js';

/**
 * Issue 16: Flussi → Mandati al cassiere on the real app and database. The
 * pre-flight check and its links, Crea distinta (a schema-valid file stored
 * with its hash), the life cycle of a sent mandato (frozen copy, VARIAZIONE,
 * ANNULLO, never deleted), the concurrency rule, the bank's answers.
 */
const ctx = useSegreteria('/flussi/cassiere');
const anno = TEST_ESERCIZIO;
const PAGE = '/flussi/cassiere';
const scuola = () => ctx.cast.scuola1.id;

const IDENTITA = {
  codice_fiscale: '97812345011', descrizione_ente: 'Istituto Comprensivo di prova', codice_ipa: 'istsc_rmic81200x', codice_univoco_ufficio: 'UF7K2M',
  codice_istat: '000712345', codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678',
  codice_tramite_bt: 'A2A-87654321', bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente ai sensi dell’art. 16 Tabella B DPR 642/1972',
  spese_soggetto: 'A CARICO ENTE',
};

let cig: { id: number; codice: string };
let creditore: { id: number };
let conto: number;

/** A conto with its SIOPE code, an impegno of 1.000,00 € on it with the CIG, and a 122,00 € invoice with SdI id tied to it. */
async function impegnoConFattura(overrides: Parameters<typeof createFattura>[2] = {}) {
  const impegno = await createImpegno(ctx.knex, scuola(), { importo_cents: 100_000, cig_id: cig.id });
  await ctx.knex('impegni').where({ id: impegno.id }).update({ conto_id: conto });
  const fattura = await createFattura(ctx.knex, scuola(), {
    impegno_id: impegno.id, creditore_id: creditore.id, identificativo_sdi: '4412345678', cig: cig.codice, ...overrides,
  });
  return { impegno, fattura };
}

/** A commercial mandato through the real form, paying the invoice in full. */
async function nuovoMandato(impegnoId: number, fatturaId: number, fields: Record<string, string> = {}) {
  const token = await csrfToken(ctx.agent, '/mandati/nuovo');
  const res = await ctx.agent.post('/mandati').type('form').send({
    ...mandatoForm({ token, data: `${anno}-11-20`, impegnoId, beneficiarioId: creditore.id, cigId: cig.id }),
    [`fe_${fatturaId}`]: '122,00',
    ...fields,
  });
  expect(res.status, res.text.slice(0, 3000)).toBe(302);
  return Number(/\/mandati\/(\d+)/.exec(res.headers.location as string)![1]);
}

/** The page's Crea distinta form values (filters and signature) as the browser would post them. */
async function creaDistinta(query = '') {
  const page = await ctx.agent.get(`${PAGE}${query}`);
  const firma = /name="firma" value="([0-9a-f]{32})"/.exec(page.text)?.[1];
  if (!firma) return { status: 0, page };
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  const fields = Object.fromEntries(['data_da', 'data_a', 'numero_da', 'numero_a'].map((k) => [k, new RegExp(`type="hidden" name="${k}" value="([^"]*)"`).exec(page.text)?.[1] ?? '']));
  const res = await ctx.agent.post('/flussi/cassiere/distinte').type('form').send({ _csrf: token, firma, ...fields });
  return { status: res.status, res, page, id: res.status === 303 ? Number(/distinte\/(\d+)/.exec(res.headers.location as string)![1]) : null };
}

const distinta = (id: number) => ctx.knex('opi_flussi').where({ id }).first();
const xmlOf = async (id: number) => (await distinta(id)).contenuto.toString('utf8') as string;

beforeAll(async () => {
  await ctx.knex('scuole').where({ id: scuola() }).update(IDENTITA);
  cig = await createCig(ctx.knex, scuola());
  const [c0] = await ctx.knex('creditori').insert({
    scuola_id: scuola(), denominazione: 'Cartoleria Rossi & Figli S.r.l.', partita_iva: '01234567897', codice_fiscale: '01234567897',
    indirizzo: 'Via Roma 1', cap: '00184', localita: 'Roma', provincia: 'RM', stato: 'IT', iban: 'IT60X0542811101000000123456',
  }).returning('id');
  creditore = { id: Number(c0.id) };
  const [c] = await ctx.knex('piano_conti').insert({ scuola_id: scuola(), tipo: 2, conto: 1, sottoconto: 1, descrizione: 'Carta, cancelleria e stampati', codice_siope: '2301', natura_spesa: 'CORRENTE' }).returning('id');
  conto = c.id;
});

describe('Mandati al cassiere: the pre-flight check', () => {
  it('lists every mandato that cannot go, each reason with the link that fixes it, and keeps them out of the distinta', async () => {
    const ok = await impegnoConFattura();
    const pronto = await nuovoMandato(ok.impegno.id, ok.fattura.id);
    // No SdI identifier yet, and the invoice's CIG is another.
    const altroCig = await createCig(ctx.knex, scuola());
    const senzaSdi = await impegnoConFattura({ identificativo_sdi: null, cig: altroCig.codice });
    const mSenzaSdi = await nuovoMandato(senzaSdi.impegno.id, senzaSdi.fattura.id);
    // No conto on the impegno; a beneficiary without IBAN on a bank transfer.
    const senzaConto = await impegnoConFattura();
    await ctx.knex('impegni').where({ id: senzaConto.impegno.id }).update({ conto_id: null });
    const mSenzaConto = await nuovoMandato(senzaConto.impegno.id, senzaConto.fattura.id);
    const senzaIban = await createCreditore(ctx.knex, scuola(), { denominazione: 'Mario Bianchi' });
    await ctx.knex('creditori').where({ id: senzaIban.id }).update({ codice_fiscale: 'BNCMRA80A01H501U' });
    const nc = await createImpegno(ctx.knex, scuola(), { importo_cents: 50_000 });
    await ctx.knex('impegni').where({ id: nc.id }).update({ conto_id: conto });
    const token = await csrfToken(ctx.agent, '/mandati/nuovo');
    const res = await ctx.agent.post('/mandati').type('form').send(mandatoForm(
      { token, data: `${anno}-11-21`, impegnoId: nc.id, beneficiarioId: senzaIban.id, cigId: cig.id },
      { tipo_debito: 'NON_COMMERCIALE', cig_id: '', importo: '100,00' },
    ));
    expect(res.status).toBe(302);
    const mSenzaIban = Number(/\/mandati\/(\d+)/.exec(res.headers.location as string)![1]);

    const page = await ctx.agent.get(PAGE);
    expect(page.status).toBe(200);
    const [pronti, bloccati] = page.text.split('id="bloccati"');
    expect(pronti).toContain(`/mandati/${pronto}"`);
    expect(bloccati).toContain(`/mandati/${mSenzaSdi}"`);
    expect(bloccati).toContain('non ha l’identificativo SdI');
    expect(bloccati).toContain(`riporta il CIG ${altroCig.codice}, diverso da quello del mandato`);
    expect(bloccati).toContain(`href="/fatture/${senzaSdi.fattura.id}"`);
    expect(bloccati).toContain('L’impegno non ha il conto del piano dei conti');
    expect(bloccati).toContain(`href="/impegni/${senzaConto.impegno.id}/modifica?ritorno=`);
    expect(bloccati).toContain('il beneficiario non ha l’IBAN');
    expect(bloccati).toContain(`href="/creditori/${senzaIban.id}/modifica?ritorno=`);
    expect(pronti).not.toContain(`/mandati/${mSenzaConto}"`);
    expect(pronti).not.toContain(`/mandati/${mSenzaIban}"`);

    // Fixed: the IBAN recorded, the mandato goes too.
    await ctx.knex('creditori').where({ id: senzaIban.id }).update({ iban: 'IT60X0542811101000000123456' });
    expect((await ctx.agent.get(PAGE)).text.split('id="bloccati"')[0]).toContain(`/mandati/${mSenzaIban}"`);
  });

  it('without the school identity nothing can be created, and the page says what is missing and where', async () => {
    await ctx.knex('scuole').where({ id: scuola() }).update({ codice_tramite_bt: null });
    const page = await ctx.agent.get(PAGE);
    expect(page.text).toContain('Mancano i dati della scuola per il cassiere');
    expect(page.text).toContain('codice tramite BT');
    expect(page.text).not.toContain('name="firma"');
    await ctx.knex('scuole').where({ id: scuola() }).update({ codice_tramite_bt: IDENTITA.codice_tramite_bt });
  });

  it('refuses bad filters with Italian messages, never a 500', async () => {
    const res = await ctx.agent.get(`${PAGE}?data_da=31/02/2026&numero_a=abc`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('non esiste nel calendario');
    expect(res.text).toContain('Numero al: scrivi un numero di mandato');
  });
});

describe('Crea distinta and the life cycle of a sent mandato', () => {
  let mandatoId: number;
  let impegnoId: number;
  let fatturaId: number;
  let primaDistinta: number;

  it('creates one schema-valid file with the register’s codes, stored with its SHA-256, number and author, downloadable as stored', async () => {
    const cup = await createCup(ctx.knex, scuola());
    const f = await impegnoConFattura();
    impegnoId = f.impegno.id;
    fatturaId = f.fattura.id;
    mandatoId = await nuovoMandato(impegnoId, fatturaId, { cup_id: String(cup.id), causale: 'Saldo fattura cancelleria & toner <A4>' });
    const before = Number((await ctx.knex('opi_flussi').where({ scuola_id: scuola() }).count({ n: '*' }).first())!.n);
    const r = await creaDistinta();
    expect(r.status).toBe(303);
    primaDistinta = r.id!;
    const d = await distinta(primaDistinta);
    expect(d.numero).toBe(before + 1);
    expect(d.created_by).toBe(ctx.cast.segreteria.id);
    expect(d.sha256).toBe(createHash('sha256').update(d.contenuto).digest('hex'));
    expect(await opiFlussoViolations(d.contenuto)).toEqual([]);
    const xml = d.contenuto.toString('utf8');
    const numero = (await ctx.knex('mandati').where({ id: mandatoId }).first()).numero;
    const mio = xml.match(/<mandato>[\s\S]*?<\/mandato>/g)!.find((b: string) => b.includes(`<numero_mandato>${numero}</numero_mandato>`))!;
    expect(mio).toContain('<tipo_operazione>INSERIMENTO</tipo_operazione>');
    expect(mio).toContain(`<codice_cig_siope>${cig.codice}</codice_cig_siope>`);
    expect(mio).toContain(`<codice_cup>${cup.codice}</codice_cup>`);
    expect(mio).toContain('<identificativo_lotto_sdi_siope>4412345678</identificativo_lotto_sdi_siope>');
    expect(mio).toContain('<codice_cgu>2301</codice_cgu>');
    expect(mio).toContain('IT60X0542811101000000123456');
    expect(mio).toContain('Saldo fattura cancelleria &amp; toner &lt;A4&gt;');
    expect(xml).toContain('<codice_ABI_BT>03069</codice_ABI_BT>');

    const file = await downloadBytes(ctx.agent.get(`/flussi/cassiere/distinte/${primaDistinta}/file`));
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toContain(d.nome_file);
    expect(createHash('sha256').update(file.body).digest('hex')).toBe(d.sha256);

    const show = await ctx.agent.get(`/flussi/cassiere/distinte/${primaDistinta}`);
    expect(show.text).toContain(d.sha256);
    expect(show.text).toContain('In attesa');
    const m = await ctx.agent.get(`/mandati/${mandatoId}`);
    expect(m.text).toContain('Trasmesso al cassiere');
    expect(m.text).toContain(`>n. ${d.numero} del `);
    // Sent: nothing left to send for it.
    expect((await ctx.agent.get(PAGE)).text).not.toContain(`/mandati/${mandatoId}"`);
  });

  it('a sent mandato is never deleted; an edit goes to the next distinta as VARIAZIONE, with the copy of what was sent kept', async () => {
    const m = await ctx.knex('mandati').where({ id: mandatoId }).first();
    const token = await csrfToken(ctx.agent, `/mandati/${mandatoId}`);
    const del = await ctx.agent.post(`/mandati/${mandatoId}/elimina`).type('form').send({ _csrf: token, version: String(m.version), conferma: '1' });
    expect(del.status).toBe(303);
    expect((await ctx.agent.get(`/mandati/${mandatoId}`)).text).toContain('è stato trasmesso al cassiere: non si può eliminare');
    expect(await ctx.knex('mandati').where({ id: mandatoId }).first()).toBeTruthy();

    // A new IBAN for the creditore, then the mandato's causale edited.
    await ctx.knex('creditori').where({ id: creditore.id }).update({ iban: 'IT02L1234512345123456789012' });
    const edit = await ctx.agent.post(`/mandati/${mandatoId}`).type('form').send({
      ...mandatoForm({ token, data: `${anno}-11-20`, impegnoId, beneficiarioId: creditore.id, cigId: cig.id }, { causale: 'Saldo fattura cancelleria, corretto' }),
      [`fe_${fatturaId}`]: '122,00', version: String(m.version),
    });
    expect(edit.status).toBe(302);
    const page = await ctx.agent.get(PAGE);
    const pronti = page.text.split('id="bloccati"')[0]!;
    expect(pronti).toMatch(new RegExp(`/mandati/${mandatoId}"[\\s\\S]*?Variazione`));
    const r = await creaDistinta();
    expect(r.status).toBe(303);
    const xml = await xmlOf(r.id!);
    expect(await opiFlussoViolations(Buffer.from(xml))).toEqual([]);
    expect(xml).toContain('<tipo_operazione>VARIAZIONE</tipo_operazione>');
    expect(xml).toContain('IT02L1234512345123456789012');
    // The first distinta is unchanged: it still says what was sent then.
    expect(await xmlOf(primaDistinta)).toContain('IT60X0542811101000000123456');
    const show = await ctx.agent.get(`/mandati/${mandatoId}`);
    expect(show.text).toContain('Inserimento');
    expect(show.text).toContain('Variazione');
    expect(show.text).toContain('IBAN IT60X0542811101000000123456');
    expect(show.text).toContain('IBAN IT02L1234512345123456789012');
  });

  it('Annulla gives back what the mandato paid, is sent as ANNULLO, and then the mandato is closed', async () => {
    const m = await ctx.knex('mandati').where({ id: mandatoId }).first();
    const token = await csrfToken(ctx.agent, `/mandati/${mandatoId}`);
    const vuoto = await ctx.agent.post(`/mandati/${mandatoId}/annulla`).type('form').send({ _csrf: token, version: String(m.version), motivo: '  ' });
    expect(vuoto.status).toBe(303);
    expect((await ctx.agent.get(`/mandati/${mandatoId}`)).text).toContain('Scrivi perché annulli il mandato');
    const res = await ctx.agent.post(`/mandati/${mandatoId}/annulla`).type('form').send({ _csrf: token, version: String(m.version), motivo: 'Fattura contestata' });
    expect(res.status).toBe(303);
    const after = await ctx.knex('mandati').where({ id: mandatoId }).first();
    expect(after.annullato_motivo).toBe('Fattura contestata');
    expect((await ctx.knex('fatture').where({ id: fatturaId }).first()).pagato_cents).toBe(0);
    const impegnoPage = await ctx.agent.get(`/impegni/${impegnoId}`);
    expect(impegnoPage.text).toContain('1.000,00');
    const r = await creaDistinta();
    expect(r.status).toBe(303);
    const xml = await xmlOf(r.id!);
    expect(xml).toContain('<tipo_operazione>ANNULLO</tipo_operazione>');
    expect(await opiFlussoViolations(Buffer.from(xml))).toEqual([]);
    // Closed: no edit, nothing more to send.
    expect((await ctx.agent.get(PAGE)).text).not.toContain(`/mandati/${mandatoId}"`);
    const edit = await ctx.agent.post(`/mandati/${mandatoId}`).type('form').send({
      ...mandatoForm({ token, data: `${anno}-11-20`, impegnoId, beneficiarioId: creditore.id, cigId: cig.id }), version: String(after.version),
    });
    expect(edit.status).toBe(422);
    expect(edit.text).toContain('Il mandato è annullato');
    const audit = await ctx.knex('audit_log').where({ entita: 'mandato', entita_id: mandatoId, azione: 'annulla' }).first();
    expect(audit.utente_id).toBe(ctx.cast.segreteria.id);
  });
});

describe('Concurrency and stale pages', () => {
  it('two secretaries creating a distinta at once: each mandato goes in one distinta only, the other is told', async () => {
    const f = await impegnoConFattura();
    const id = await nuovoMandato(f.impegno.id, f.fattura.id);
    const page = await ctx.agent.get(PAGE);
    const firma = /name="firma" value="([0-9a-f]{32})"/.exec(page.text)![1]!;
    const service = createDistinteService(ctx.knex, () => new Date('2026-11-27T10:00:00Z'));
    const admin = { id: ctx.cast.admin.id, scuolaId: scuola() };
    const segreteria = { id: ctx.cast.segreteria.id, scuolaId: scuola() };
    const body = { firma, data_da: '', data_a: '', numero_da: '', numero_a: '' };
    const [a, b] = await Promise.all([service.crea(admin, anno, body), service.crea(segreteria, anno, body)]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const refused = (a.ok ? b : a) as { ok: false; kind: string };
    expect(['changed', 'empty']).toContain(refused.kind);
    const rows = await ctx.knex('opi_flussi_mandati').where({ scuola_id: scuola(), mandato_id: id });
    expect(rows).toHaveLength(1);
    const numeri = (await ctx.knex('opi_flussi').where({ scuola_id: scuola() }).orderBy('numero').select('numero')).map((r) => r.numero);
    expect(numeri).toEqual(numeri.map((_, i) => i + 1));
  });

  it('a list that changed after the page was shown is not sent: the page is shown again, nothing stored', async () => {
    const f = await impegnoConFattura();
    await nuovoMandato(f.impegno.id, f.fattura.id);
    const page = await ctx.agent.get(PAGE);
    const firma = /name="firma" value="([0-9a-f]{32})"/.exec(page.text)![1]!;
    const g = await impegnoConFattura();
    await nuovoMandato(g.impegno.id, g.fattura.id);
    const before = Number((await ctx.knex('opi_flussi').count({ n: '*' }).first())!.n);
    const token = await csrfToken(ctx.agent, PAGE);
    const res = await ctx.agent.post('/flussi/cassiere/distinte').type('form').send({ _csrf: token, firma, data_da: '', data_a: '', numero_da: '', numero_a: '' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('L’elenco dei mandati pronti è cambiato');
    expect(Number((await ctx.knex('opi_flussi').count({ n: '*' }).first())!.n)).toBe(before);
  });

  it('the filters choose what goes: a date range sends only its mandati', async () => {
    const f = await impegnoConFattura();
    const dentro = await nuovoMandato(f.impegno.id, f.fattura.id, { data: `${anno}-10-05` });
    const r = await creaDistinta(`?data_da=01/10/${anno}&data_a=31/10/${anno}`);
    expect(r.status).toBe(303);
    const righe = await ctx.knex('opi_flussi_mandati').where({ flusso_id: r.id! }).select('mandato_id');
    expect(righe.map((x) => x.mandato_id)).toEqual([dentro]);
  });
});

describe('The bank’s answer (esito applicativo)', () => {
  it('marks each mandato accepted or refused with the bank’s reason; a refused one is ready again; the same file twice changes nothing', async () => {
    const a = await impegnoConFattura();
    const ma = await nuovoMandato(a.impegno.id, a.fattura.id);
    const b = await impegnoConFattura();
    const mb = await nuovoMandato(b.impegno.id, b.fattura.id);
    const r = await creaDistinta();
    expect(r.status).toBe(303);
    const d = await distinta(r.id!);
    const numeri = await ctx.knex('mandati').whereIn('id', [ma, mb]).orderBy('id').select('numero');
    const xml = esitoXml({
      identificativoFlusso: d.identificativo, esercizio: anno, codiceAbi: '03069', codiceEnte: 'UF7K2M',
      esiti: [{ numero: numeri[0].numero, accettato: true }, { numero: numeri[1].numero, accettato: false, codice: '250', descrizione: 'IBAN beneficiario non valido' }],
    });
    const token = await csrfToken(ctx.agent, PAGE);
    const up = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', token).attach('file', Buffer.from(xml), 'esito.xml');
    expect(up.status).toBe(303);
    const show = await ctx.agent.get(`/flussi/cassiere/distinte/${r.id}`);
    expect(show.text).toContain('1 mandato accettato e 1 rifiutato');
    expect(show.text).toContain('250 – IBAN beneficiario non valido');
    expect((await ctx.agent.get(`/mandati/${mb}`)).text).toContain('Rifiutato dal cassiere');
    expect((await ctx.agent.get(`/mandati/${ma}`)).text).toContain('Accettato dal cassiere');
    const pronti = (await ctx.agent.get(PAGE)).text.split('id="bloccati"')[0]!;
    expect(pronti).toMatch(new RegExp(`/mandati/${mb}"[\\s\\S]*?Inserimento`));
    expect(pronti).not.toContain(`/mandati/${ma}"`);
    const again = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', token).attach('file', Buffer.from(xml), 'esito.xml');
    expect(again.status).toBe(303);
    expect((await ctx.agent.get(`/flussi/cassiere/distinte/${r.id}`)).text).toContain('già caricato');
    expect(Number((await ctx.knex('opi_esiti').where({ flusso_id: r.id! }).count({ n: '*' }).first())!.n)).toBe(1);
  });

  it('refuses an answer to an unknown flow, a DOCTYPE and a non-OPI file, storing nothing', async () => {
    const token = await csrfToken(ctx.agent, PAGE);
    const before = Number((await ctx.knex('opi_esiti').count({ n: '*' }).first())!.n);
    const unknown = esitoXml({ identificativoFlusso: 'NONESISTE', esercizio: anno, codiceAbi: '03069', codiceEnte: 'UF7K2M', esiti: [{ numero: 1, accettato: true }] });
    const r1 = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', token).attach('file', Buffer.from(unknown), 'esito.xml');
    expect(r1.status).toBe(422);
    expect(r1.text).toContain('che non è tra le distinte di questa scuola');
    const dtd = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><messaggi_esito_applicativo>&e;</messaggi_esito_applicativo>';
    const r2 = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', token).attach('file', Buffer.from(dtd), 'esito.xml');
    expect(r2.status).toBe(422);
    expect(r2.text).not.toContain('root:');
    const r3 = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', token).attach('file', Buffer.from('%PDF-1.4 non è un esito'), 'esito.pdf');
    expect(r3.status).toBe(422);
    const r4 = await ctx.agent.post('/flussi/cassiere/esiti').field('_csrf', 'sbagliato').attach('file', Buffer.from(unknown), 'esito.xml');
    expect(r4.status).toBe(403);
    expect(Number((await ctx.knex('opi_esiti').count({ n: '*' }).first())!.n)).toBe(before);
  });
});

describe('A file that fails the official schema', () => {
  it('stops the request with the validator’s messages and stores nothing (a legacy causale made of control characters)', async () => {
    const f = await impegnoConFattura();
    const id = await nuovoMandato(f.impegno.id, f.fattura.id);
    await ctx.knex('mandati').where({ id }).update({ causale: '\u0007\u0007' });
    const before = Number((await ctx.knex('opi_flussi').count({ n: '*' }).first())!.n);
    const r = await creaDistinta();
    expect(r.status).toBe(500);
    expect(r.res!.text).toContain('Il file prodotto non rispetta lo schema OPI 1.7.1');
    expect(r.res!.text).toMatch(/riga \d+:/);
    expect(Number((await ctx.knex('opi_flussi').count({ n: '*' }).first())!.n)).toBe(before);
    expect(await ctx.knex('opi_flussi_mandati').where({ mandato_id: id })).toEqual([]);
    await ctx.knex('mandati').where({ id }).update({ causale: 'Causale corretta' });
    expect((await creaDistinta()).status).toBe(303);
  });
});

describe('One school never sees another’s distinte', () => {
  it('school 2 gets 404 on school 1’s distinta and its file, and its page lists none of them', async () => {
    const d = await ctx.knex('opi_flussi').where({ scuola_id: scuola() }).first();
    const app = buildTestApp(ctx.db).app;
    const other = await loginAs(app, ctx.cast.segreteria2.username, ctx.cast.segreteria2.password);
    expect((await other.get(`/flussi/cassiere/distinte/${d.id}`)).status).toBe(404);
    expect((await other.get(`/flussi/cassiere/distinte/${d.id}/file`)).status).toBe(404);
    const page = await other.get(PAGE);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Nessuna distinta creata');
    const admin2 = await createUtente(ctx.knex, ctx.cast.scuola2.id, { ruolo: 'admin' });
    expect(admin2.id).toBeGreaterThan(0);
  });
});
