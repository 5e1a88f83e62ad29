import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { useTestDatabase } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { readForm } from '../helpers/forms.js';
import { createCig, createCup, createScuola, createUtente, createVoce } from '../helpers/factories.js';
import { createFlussiService } from '../../src/services/flussiService.js';

/**
 * Flussi: each rule of the verifica with data that triggers it and data that
 * doesn't, the lists exactly equal to the period's codes, the exports.
 * Every test builds its own school, so tests never see each other's rows.
 */
const ctx = useTestDatabase();

const E = 2026;
let numero = 0;

type Doc = Partial<{ esercizio: number; data: string; cig_id: number | null; cup_id: number | null; motivo_esclusione_cig: string | null; cig_testo: string | null; cup_testo: string | null; importo_cents: number }>;

async function school() {
  const scuola = await createScuola(ctx.knex);
  const user = await createUtente(ctx.knex, scuola.id);
  const voce = await createVoce(ctx.knex, scuola.id, { esercizio: E });
  return { scuola, user, voce, id: scuola.id };
}

async function impegno(s: { id: number; voce: { id: number } }, doc: Doc = {}) {
  const esercizio = doc.esercizio ?? E;
  const voceId = esercizio === E ? s.voce.id : (await createVoce(ctx.knex, s.id, { esercizio })).id;
  const [row] = await ctx.knex('impegni')
    .insert({
      scuola_id: s.id, esercizio, numero: ++numero, data: doc.data ?? `${esercizio}-03-10`, voce_id: voceId, oggetto: 'Fornitura',
      importo_cents: doc.importo_cents ?? 123456, cig_id: doc.cig_id ?? null, cup_id: doc.cup_id ?? null,
      motivo_esclusione_cig: doc.motivo_esclusione_cig ?? null, cig_testo: doc.cig_testo ?? null, cup_testo: doc.cup_testo ?? null,
    })
    .returning('*');
  return row as { id: number; numero: number; esercizio: number };
}

async function mandato(s: { id: number }, imp: { id: number; esercizio: number }, doc: Doc & { tipo_debito?: string } = {}) {
  const [row] = await ctx.knex('mandati')
    .insert({
      scuola_id: s.id, esercizio: imp.esercizio, numero: ++numero, data: doc.data ?? `${imp.esercizio}-04-10`, impegno_id: imp.id, causale: 'Pagamento',
      importo_cents: 100, modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: doc.tipo_debito ?? 'COMMERCIALE',
      cig_id: doc.cig_id ?? null, cup_id: doc.cup_id ?? null, motivo_esclusione_cig: doc.motivo_esclusione_cig ?? null,
      cig_testo: doc.cig_testo ?? null, cup_testo: doc.cup_testo ?? null,
    })
    .returning('*');
  return row as { id: number };
}

const service = () => createFlussiService(ctx.knex);
const periodo = (scuolaId: number, mese: number | null = null) => ({ scuolaId, esercizio: E, mese });
const rulesOf = async (scuolaId: number) => (await service().verifica(periodo(scuolaId))).problemi.map((p) => `${p.regola}:${p.tipo}:${p.id}`);

describe('Elenco CIG e Elenco CUP', () => {
  it('contain exactly the codes of the period’s impegni (and, for CUP, of their voci)', async () => {
    const s = await school();
    const other = await school();
    const used = await createCig(ctx.knex, s.id, { data_scadenza_offerte: '2026-01-31' });
    const onlyOtherYear = await createCig(ctx.knex, s.id);
    const onlyMandato = await createCig(ctx.knex, s.id);
    const december = await createCig(ctx.knex, s.id);
    const otherSchool = await createCig(ctx.knex, other.id);
    const cupImpegno = await createCup(ctx.knex, s.id);
    const cupVoce = await createCup(ctx.knex, s.id);
    await ctx.knex('voci_destinazione').where({ id: s.voce.id }).update({ cup_id: cupVoce.id });

    const i1 = await impegno(s, { cig_id: used.id, cup_id: cupImpegno.id, importo_cents: 100050 });
    await impegno(s, { cig_id: used.id, importo_cents: 50 });
    await impegno(s, { esercizio: E - 1, cig_id: onlyOtherYear.id });
    await mandato(s, i1, { cig_id: onlyMandato.id });
    await impegno(s, { cig_id: december.id, data: `${E}-12-15` });
    await impegno(other, { cig_id: otherSchool.id });

    const year = await service().elenchi(periodo(s.id));
    expect(year.cig.map((c) => c.codice)).toEqual([used.codice, december.codice].sort());
    const usedRow = year.cig.find((c) => c.codice === used.codice)!;
    expect(usedRow.impegni.map((i) => i.id)).toHaveLength(2);
    expect(Number(usedRow.impegnato_cents)).toBe(100100);
    expect(year.cup.map((c) => c.codice).sort()).toEqual([cupImpegno.codice, cupVoce.codice].sort());

    // Up to November: the December impegno and its CIG are out.
    const toNovember = await service().elenchi(periodo(s.id, 11));
    expect(toNovember.cig.map((c) => c.codice)).toEqual([used.codice]);
  });
});

describe('verifica', () => {
  it('flags a CIG without data di generazione (error) and without scadenza offerte (warning)', async () => {
    const s = await school();
    const incomplete = await createCig(ctx.knex, s.id, { data_generazione: null, da_completare: true, data_scadenza_offerte: null });
    const complete = await createCig(ctx.knex, s.id, { data_scadenza_offerte: '2026-02-01' });
    await impegno(s, { cig_id: incomplete.id });
    await impegno(s, { cig_id: complete.id });
    const v = await service().verifica(periodo(s.id));
    const rules = v.problemi.map((p) => `${p.regola}:${p.id}:${p.severita}`);
    expect(rules).toContain(`cig_senza_data_generazione:${incomplete.id}:errore`);
    expect(rules).toContain(`cig_senza_scadenza_offerte:${incomplete.id}:avviso`);
    expect(rules.filter((r) => r.includes(`:${complete.id}:`))).toEqual([]);
    expect(v.errori).toBe(1);
  });

  it('flags legacy text not linked to the register, on impegni and mandati', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id, { data_scadenza_offerte: '2026-01-01' });
    const unlinked = await impegno(s, { cig_testo: 'B123456789' });
    const linked = await impegno(s, { cig_testo: cig.codice, cig_id: cig.id });
    const withMotivo = await impegno(s, { cig_testo: '  ', motivo_esclusione_cig: 'SPESE_ECONOMALI' });
    const m = await mandato(s, linked, { cig_id: cig.id, cup_testo: 'c44d22002780006' });
    const rules = await rulesOf(s.id);
    expect(rules).toContain(`testo_non_collegato:impegno:${unlinked.id}`);
    expect(rules).toContain(`testo_non_collegato:mandato:${m.id}`);
    expect(rules).not.toContain(`testo_non_collegato:impegno:${linked.id}`);
    expect(rules).not.toContain(`testo_non_collegato:impegno:${withMotivo.id}`);
  });

  it('no longer flags a legacy text marked «nessun codice»', async () => {
    const s = await school();
    const placeholder = await impegno(s, { cig_testo: 'n.d.', motivo_esclusione_cig: null });
    const noCup = await impegno(s, { cup_testo: 'CUP non previsto' });
    expect(await rulesOf(s.id)).toEqual(expect.arrayContaining([`testo_non_collegato:impegno:${placeholder.id}`, `testo_non_collegato:impegno:${noCup.id}`]));
    await ctx.knex('impegni').where({ id: placeholder.id }).update({ cig_testo_nessun_codice: true });
    await ctx.knex('impegni').where({ id: noCup.id }).update({ cup_testo_nessun_codice: true });
    const rules = await rulesOf(s.id);
    expect(rules).not.toContain(`testo_non_collegato:impegno:${placeholder.id}`);
    expect(rules).not.toContain(`testo_non_collegato:impegno:${noCup.id}`);
  });

  it('says up front when the text not linked is a CIG that also lacks its date', async () => {
    const s = await school();
    const incomplete = await createCig(ctx.knex, s.id, { data_generazione: null, da_completare: true });
    const complete = await createCig(ctx.knex, s.id);
    const a = await impegno(s, { cig_testo: `cig: ${incomplete.codice.toLowerCase()}` });
    const b = await impegno(s, { cig_testo: complete.codice });
    const { problemi } = await service().verifica(periodo(s.id));
    const detail = (id: number) => problemi.find((p) => p.regola === 'testo_non_collegato' && p.id === id)?.dettaglio;
    expect(detail(a.id)).toContain(`è il CIG ${incomplete.codice}, che non ha ancora la data di generazione`);
    expect(detail(b.id)).not.toContain('data di generazione');
  });

  it('catches a CIG without date used only by a mandato of the period', async () => {
    const s = await school();
    const onlyMandato = await createCig(ctx.knex, s.id, { data_generazione: null, da_completare: true });
    const imp = await impegno(s, { motivo_esclusione_cig: 'SPESE_ECONOMALI' });
    await mandato(s, imp, { cig_id: onlyMandato.id });
    expect(await rulesOf(s.id)).toContain(`cig_senza_data_generazione:cig:${onlyMandato.id}`);
  });

  it('flags an annullato code used in the period, not one used only in another year', async () => {
    const s = await school();
    const annullato = await createCig(ctx.knex, s.id, { stato: 'annullato' });
    const annullatoOld = await createCig(ctx.knex, s.id, { stato: 'annullato' });
    const cupAnnullato = await createCup(ctx.knex, s.id, { stato: 'annullato' });
    await impegno(s, { cig_id: annullato.id, cup_id: cupAnnullato.id });
    await impegno(s, { esercizio: E - 1, cig_id: annullatoOld.id });
    const rules = await rulesOf(s.id);
    expect(rules).toContain(`codice_annullato:cig:${annullato.id}`);
    expect(rules).toContain(`codice_annullato:cup:${cupAnnullato.id}`);
    expect(rules).not.toContain(`codice_annullato:cig:${annullatoOld.id}`);
  });

  it('flags a commercial mandato with neither CIG nor motivo, not a non-commercial one or one with a motivo', async () => {
    const s = await school();
    const imp = await impegno(s, { motivo_esclusione_cig: 'CONTRATTI_LAVORO' });
    const bad = await mandato(s, imp);
    const nonCommerciale = await mandato(s, imp, { tipo_debito: 'NON_COMMERCIALE' });
    const withMotivo = await mandato(s, imp, { motivo_esclusione_cig: 'CONTRATTI_LAVORO' });
    const rules = await rulesOf(s.id);
    expect(rules).toContain(`mandato_senza_cig_ne_motivo:mandato:${bad.id}`);
    expect(rules).not.toContain(`mandato_senza_cig_ne_motivo:mandato:${nonCommerciale.id}`);
    expect(rules).not.toContain(`mandato_senza_cig_ne_motivo:mandato:${withMotivo.id}`);
  });

  it('flags a registered code that fails validation', async () => {
    const s = await school();
    const broken = await createCig(ctx.knex, s.id, { codice: 'B123456789', famiglia: 'pcp' });
    const fine = await createCig(ctx.knex, s.id);
    await impegno(s, { cig_id: broken.id });
    await impegno(s, { cig_id: fine.id });
    const v = await service().verifica(periodo(s.id));
    const invalid = v.problemi.filter((p) => p.regola === 'codice_non_valido');
    expect(invalid.map((p) => p.id)).toEqual([broken.id]);
    expect(invalid[0]!.dettaglio).toContain('atteso 659');
  });

  it('warns on a mandato whose CIG or CUP differs from its impegno, and on an impegno whose CUP differs from its voce', async () => {
    const s = await school();
    const [a, b] = [await createCig(ctx.knex, s.id), await createCig(ctx.knex, s.id)];
    const [cupA, cupB] = [await createCup(ctx.knex, s.id), await createCup(ctx.knex, s.id)];
    await ctx.knex('voci_destinazione').where({ id: s.voce.id }).update({ cup_id: cupA.id });
    const same = await impegno(s, { cig_id: a.id, cup_id: cupA.id });
    const differentCup = await impegno(s, { cig_id: a.id, cup_id: cupB.id });
    const ok = await mandato(s, same, { cig_id: a.id, cup_id: cupA.id });
    const different = await mandato(s, same, { cig_id: b.id, cup_id: cupA.id });
    const rules = await rulesOf(s.id);
    expect(rules).toContain(`mandato_diverso_da_impegno:mandato:${different.id}`);
    expect(rules).not.toContain(`mandato_diverso_da_impegno:mandato:${ok.id}`);
    expect(rules).toContain(`impegno_cup_diverso_da_voce:impegno:${differentCup.id}`);
    expect(rules).not.toContain(`impegno_cup_diverso_da_voce:impegno:${same.id}`);
  });

  it('warns on a registered code used by no document', async () => {
    const s = await school();
    const unused = await createCig(ctx.knex, s.id);
    const used = await createCig(ctx.knex, s.id);
    const unusedCup = await createCup(ctx.knex, s.id);
    const cupOnVoce = await createCup(ctx.knex, s.id);
    await ctx.knex('voci_destinazione').where({ id: s.voce.id }).update({ cup_id: cupOnVoce.id });
    await impegno(s, { cig_id: used.id });
    const rules = await rulesOf(s.id);
    expect(rules).toContain(`codice_non_usato:cig:${unused.id}`);
    expect(rules).toContain(`codice_non_usato:cup:${unusedCup.id}`);
    expect(rules).not.toContain(`codice_non_usato:cig:${used.id}`);
    expect(rules).not.toContain(`codice_non_usato:cup:${cupOnVoce.id}`);
  });
});

describe('esportazione', () => {
  it('is refused (409, with the errors listed) while there are errors', async () => {
    const s = await school();
    await impegno(s, { cig_testo: 'B123456789' });
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    for (const file of ['cig.csv', 'cup.csv', 'elenchi.xml']) {
      const res = await agent.get(`/flussi/${E}/${file}`);
      expect(res.status, file).toBe(409);
      expect(res.text).toContain('Esportazione bloccata');
      expect(res.text).toContain('non collegato al registro');
    }
    expect(await ctx.knex('flussi_esportazioni').where({ scuola_id: s.id }).count('* as n')).toEqual([{ n: 0 }]);
  });

  it('is allowed with warnings: CSV for Excel in Italian, well-formed XML, each export recorded', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id, { oggetto: 'Monitor "interattivi"; lotto <1> & più', data_generazione: '2026-01-05', data_scadenza_offerte: null });
    const cup = await createCup(ctx.knex, s.id);
    await impegno(s, { cig_id: cig.id, cup_id: cup.id, importo_cents: 123456 });
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);

    const page = await agent.get(`/flussi`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('CIG senza data di scadenza presentazione offerte');
    expect(page.text).toContain('non quello ministeriale');

    const csv = await agent.get(`/flussi/${E}/cig.csv`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain(`elenco-cig-${s.scuola.codice_meccanografico}-${E}.csv`);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = text.slice(1).split('\r\n');
    expect(header).toBe('codice_cig;famiglia;oggetto;data_generazione;data_scadenza_offerte;importo;stato;impegni;importo_impegnato');
    expect(row).toBe(`${cig.codice};CIG ordinario;"Monitor ""interattivi""; lotto <1> & più";05/01/2026;;1000,00;attivo;${numero}/${E};1234,56`);

    const xml = await agent.get(`/flussi/${E}/elenchi.xml?mese=6`);
    expect(xml.status).toBe(200);
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(XMLValidator.validate(xml.text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml.text);
    expect(doc.ElenchiCigCup['@formato']).toBe('bilancio-scuola-elenchi');
    expect(doc.ElenchiCigCup['@ufficialeMIM']).toBe('false');
    expect(doc.ElenchiCigCup.Periodo['@meseFine']).toBe('6');
    expect(doc.ElenchiCigCup.ElencoCIG.CIG['@codice']).toBe(cig.codice);
    expect(doc.ElenchiCigCup.ElencoCIG.CIG.Oggetto).toBe('Monitor "interattivi"; lotto <1> & più');
    expect(doc.ElenchiCigCup.ElencoCUP.CUP['@codice']).toBe(cup.codice);
    expect(doc.ElenchiCigCup.ElencoCUP.CUP.Impegni.Impegno['@importo']).toBe('1234.56');

    const history = await ctx.knex('flussi_esportazioni').where({ scuola_id: s.id }).orderBy('id');
    expect(history.map((h) => h.formato)).toEqual(['cig.csv', 'xml']);
    expect(history[1].hash_contenuto).toBe(createHash('sha256').update(xml.text).digest('hex'));
    expect(history[1].codici).toEqual([cig.codice, cup.codice]);
    expect(history[1].mese).toBe(6);
    expect((await agent.get(`/flussi`)).text).toContain('Elenchi CIG e CUP (XML)');
  });

  it('flags a code changed after it was sent', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id, { data_scadenza_offerte: '2026-01-10' });
    await impegno(s, { cig_id: cig.id });
    const user = { id: s.user.id, scuolaId: s.id, scuolaCodice: s.scuola.codice_meccanografico, scuolaDenominazione: s.scuola.denominazione };
    expect((await service().export(user, periodo(s.id), 'cig.csv')).ok).toBe(true);
    expect(await rulesOf(s.id)).not.toContain(`modificato_dopo_invio:cig:${cig.id}`);
    await ctx.knex('cig').where({ id: cig.id }).update({ oggetto: 'Oggetto corretto', updated_at: ctx.knex.raw(`now() + interval '1 second'`) });
    const v = await service().verifica(periodo(s.id));
    const flagged = v.problemi.find((p) => p.regola === 'modificato_dopo_invio');
    expect(flagged).toMatchObject({ tipo: 'cig', id: cig.id, severita: 'avviso' });
    expect(flagged!.dettaglio).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    // …and on the code's own page.
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    expect((await agent.get(`/cig/${cig.id}`)).text).toContain(`Modificato dopo l’invio del ${flagged!.dettaglio}`);
  });

  it('flags a CIG and a CUP whose code itself was corrected after they were sent', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id, { codice: '1234567CE7', data_scadenza_offerte: '2026-01-10' });
    const cup = await createCup(ctx.knex, s.id, { codice: 'H11J21000000001' });
    await impegno(s, { cig_id: cig.id, cup_id: cup.id });
    const user = { id: s.user.id, scuolaId: s.id, scuolaCodice: s.scuola.codice_meccanografico, scuolaDenominazione: s.scuola.denominazione };
    expect((await service().export(user, periodo(s.id), 'xml')).ok).toBe(true);

    // The secretary corrects both codes through their forms: neither new code was ever sent.
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    for (const [path, codice] of [[`/cig/${cig.id}`, '7654321183'], [`/cup/${cup.id}`, 'H11J21000000002']] as const) {
      const form = readForm((await agent.get(`${path}/modifica`)).text, { action: path });
      const res = await agent.post(path).type('form').send({ ...form.fields, codice });
      expect(res.status, `${path}: ${res.text.slice(0, 200)}`).toBe(302);
    }
    const flagged = (await service().verifica(periodo(s.id))).problemi.filter((p) => p.regola === 'modificato_dopo_invio');
    expect(flagged.map((p) => `${p.tipo}:${p.id}:${p.codice}`).sort()).toEqual([`cig:${cig.id}:7654321183`, `cup:${cup.id}:H11J21000000002`]);
    expect((await agent.get(`/cig/${cig.id}`)).text).toContain('Modificato dopo l’invio del');
    expect((await agent.get(`/cup/${cup.id}`)).text).toContain('Modificato dopo l’invio del');
  });

  it('a missing date fixed from its error link comes back to the Flussi page, which says what changed', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id, { data_generazione: null, da_completare: true, data_scadenza_offerte: '2026-01-10' });
    await impegno(s, { cig_id: cig.id });
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    const flussiUrl = `/flussi`;
    const first = await agent.get(flussiUrl);
    const href = `/cig/${cig.id}/modifica?ritorno=${encodeURIComponent(flussiUrl)}`;
    expect(first.text).toContain(`href="${href.replace(/&/g, '&amp;')}"`);
    expect(first.text).not.toContain('data-flussi="cambiamento"');

    const edit = await agent.get(href);
    expect(edit.text).toContain('Salva e torna ai flussi');
    expect(edit.text).toContain(`<a class="btn btn-outline-secondary" href="${flussiUrl}">Torna indietro senza salvare</a>`);
    const form = readForm(edit.text, { action: `/cig/${cig.id}` });
    expect(form.fields.ritorno).toBe(flussiUrl);
    const saved = await agent.post(`/cig/${cig.id}`).type('form').send({ ...form.fields, data_generazione: '15/01/2026' });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe(flussiUrl);
    const again = await agent.get(flussiUrl);
    expect(again.text).toContain('1 errore in meno: nessun errore, i flussi si possono esportare.');
    expect((await agent.get(flussiUrl)).text).not.toContain('data-flussi="cambiamento"');

    // A return address elsewhere is never followed: the save lands on the record.
    const other = readForm((await agent.get(`/cig/${cig.id}/modifica`)).text, { action: `/cig/${cig.id}` });
    const away = await agent.post(`/cig/${cig.id}`).type('form').send({ ...other.fields, oggetto: 'Corretto', ritorno: '//evil.example/flussi' });
    expect(away.headers.location).toBe(`/cig/${cig.id}`);
  });

  it('answers 404 to a malformed export address', async () => {
    const s = await school();
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    expect((await agent.get(`/flussi/${E}/altro.csv`)).status).toBe(404);
    expect((await agent.get('/flussi/abcd/cig.csv')).status).toBe(404);
    expect((await agent.get(`/flussi/${E}/cig.csv?mese=13`)).status).toBe(404);
    expect((await agent.get('/flussi?mese=99')).status).toBe(422);
  });
  it('follows the esercizio chosen in the header, with no year box of its own', async () => {
    const s = await school();
    const cig = await createCig(ctx.knex, s.id);
    await impegno(s, { esercizio: E - 1, cig_id: cig.id });
    const { app } = buildTestApp(ctx.db);
    const agent = await loginAs(app, s.user.username, s.user.password);
    const first = await agent.get('/flussi');
    expect(first.text).toContain(`Verifica · esercizio ${E} (intero)`);
    expect(first.text).not.toMatch(/<input[^>]+name="esercizio"/);
    expect(first.text).toContain('Nessun CIG negli impegni del periodo.');
    // An old address naming another year does not make a second year on screen: the header's wins.
    expect((await agent.get(`/flussi?esercizio=${E - 1}`)).text).toContain(`Verifica · esercizio ${E} (intero)`);

    const token = await csrfToken(agent, '/flussi');
    const chosen = await agent.post('/esercizio').type('form').send({ _csrf: token, esercizio: String(E - 1), ritorno: '/flussi' });
    expect(chosen.headers.location).toBe('/flussi');
    const page = await agent.get('/flussi?mese=12');
    expect(page.text).toContain(`Verifica · esercizio ${E - 1}, da gennaio a dicembre`);
    expect(page.text).toContain(cig.codice);
    expect(page.text).toContain(`href="/flussi/${E - 1}/elenchi.xml?mese=12"`);
  });
});
