import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { seedDemo, DEMO_USERS } from '../../seeds/demo.js';
import { createImportazioneService, type Proposta } from '../../src/services/importazioneService.js';

/**
 * Harvest v2 in the import: legacy fields read as text. What needs a person's
 * judgement (look-alikes, exclusion phrases, placeholders, codes read in an
 * oggetto) is proposed and applied only when the admin accepts it.
 */
let db: TestDatabase;
let scuola1: number;
const TODAY = new Date('2026-11-27T10:00:00Z');
const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;
const service = () => createImportazioneService(db.knex, { today: () => TODAY });

type Planted = Record<'lookalike' | 'esente' | 'segnaposto' | 'senzaCup' | 'nelTesto' | 'dueCodici' | 'cupNelCig' | 'vago', number>;
let planted: Planted;

/** Puts the spellings secretaries really type on documents of school 1 that carry no code. */
async function plant(): Promise<Planted> {
  const free = await db.knex('impegni').where({ scuola_id: scuola1 }).whereNull('cig_testo').whereNull('cup_testo').orderBy('id').pluck('id');
  const mandati = await db.knex('mandati').where({ scuola_id: scuola1 }).whereNull('cig_testo').orderBy('id').pluck('id');
  expect(free.length).toBeGreaterThanOrEqual(6);
  const [lookalike, segnaposto, senzaCup, nelTesto, dueCodici, cupNelCig] = free as number[];
  const [esente, vago] = mandati as number[];
  // Documents without any code: no motivo di esclusione either.
  await db.knex('impegni').whereIn('id', free.slice(0, 6)).update({ motivo_esclusione_cig: null });
  await db.knex('impegni').where({ id: lookalike }).update({ cig_testo: 'CIG n. 9O50626CD6' }); // letter O for zero
  await db.knex('impegni').where({ id: segnaposto }).update({ cup_testo: 'n.d.' });
  await db.knex('impegni').where({ id: senzaCup }).update({ cup_testo: 'CUP non previsto' });
  await db.knex('impegni').where({ id: nelTesto }).update({ note: 'Affidamento diretto, smart cig ZF73A9F1C2 del 12/03/2024' });
  await db.knex('impegni').where({ id: dueCodici }).update({ cig_testo: 'CIG B9A0C13F31 / CIG B2F1A08BCB' });
  await db.knex('impegni').where({ id: cupNelCig }).update({ cig_testo: 'C44D22002780006' });
  await db.knex('mandati').where({ id: esente }).update({ cig_testo: 'CIG esente - spese economali', cig_id: null, motivo_esclusione_cig: null });
  await db.knex('mandati').where({ id: vago }).update({ cig_testo: 'cig non dovuto', cig_id: null, motivo_esclusione_cig: null });
  return { lookalike: lookalike!, esente: esente!, segnaposto: segnaposto!, senzaCup: senzaCup!, nelTesto: nelTesto!, dueCodici: dueCodici!, cupNelCig: cupNelCig!, vago: vago! };
}

beforeEach(async () => {
  await db?.close();
  db = await createTestDatabase();
  await seedDemo(db.knex, { today: TODAY });
  scuola1 = (await db.knex('scuole').orderBy('id').first('id')).id;
  planted = await plant();
});
afterAll(() => db?.close());

const byValue = (proposte: Proposta[], valore: string) => proposte.find((p) => p.valore === valore);
const impegno = (id: number) => db.knex('impegni').where({ id }).first();
const mandato = (id: number) => db.knex('mandati').where({ id }).first();
const cigId = async (codice: string) => (await db.knex('cig').where({ scuola_id: scuola1, codice }).first('id'))?.id as number | undefined;

describe('anteprima', () => {
  it('proposes what needs a choice, with the documents, and writes nothing', async () => {
    const before = await db.knex('impegni').where({ scuola_id: scuola1 }).orderBy('id').select('*');
    const piano = await service().preview(scuola1);
    expect(await db.knex('impegni').where({ scuola_id: scuola1 }).orderBy('id').select('*')).toEqual(before);

    const lookalike = byValue(piano.proposte, 'CIG n. 9O50626CD6')!;
    expect(lookalike).toMatchObject({ tipo: 'correzione', codice: '9050626CD6', tipoCodice: 'cig', accettabile: true });
    expect(lookalike.spiegazione).toContain('lettera O al posto dello zero in posizione 2');
    expect(lookalike.dove).toEqual([expect.objectContaining({ tipo: 'impegno', id: planted.lookalike })]);

    expect(byValue(piano.proposte, 'CIG esente - spese economali')).toMatchObject({ tipo: 'esclusione', motivo: 'SPESE_ECONOMALI', accettabile: true });
    expect(byValue(piano.proposte, 'n.d.')).toMatchObject({ tipo: 'segnaposto', campo: 'cup', accettabile: true });
    expect(byValue(piano.proposte, 'CUP non previsto')).toMatchObject({ tipo: 'esclusione', tipoCodice: 'cup', accettabile: true });
    expect(byValue(piano.proposte, 'cig non dovuto')).toMatchObject({ tipo: 'da_decidere', accettabile: false });
    expect(byValue(piano.proposte, 'CIG B9A0C13F31 / CIG B2F1A08BCB')).toMatchObject({ tipo: 'da_decidere', accettabile: false });

    const suggestion = piano.proposte.find((p) => p.tipo === 'suggerimento' && p.codice === 'ZF73A9F1C2')!;
    expect(suggestion.dove).toEqual([expect.objectContaining({ tipo: 'impegno', id: planted.nelTesto })]);

    // Exclusions and placeholders are not wrong codes.
    expect(piano.nonValidi.map((n) => n.valore)).not.toEqual(expect.arrayContaining(['n.d.', 'CUP non previsto', 'CIG esente - spese economali', 'CIG n. 9O50626CD6']));
    // A CUP in the CIG field is a CUP.
    expect(piano.mappature.cup).toContainEqual({ campo: 'cig', raw: 'C44D22002780006', codice: 'C44D22002780006' });
    // The rules say what they did.
    expect(piano.regole.map((r) => r.nome)).toEqual(expect.arrayContaining(['caratteri-simili', 'esclusione-motivo', 'segnaposto', 'codice-intero']));
  });
});

describe('proposte dai documenti vicini', () => {
  it('proposes the impegno’s CIG for a commercial mandato that has none', async () => {
    const piano = await service().preview(scuola1);
    const fromImpegno = piano.proposte.filter((p) => p.tipo === 'suggerimento' && p.spiegazione.includes('dell’impegno'));
    expect(fromImpegno.length).toBeGreaterThan(0);
    for (const p of fromImpegno) {
      const m = await mandato(p.dove[0]!.id);
      expect(m.tipo_debito).toBe('COMMERCIALE');
      expect((m.cig_testo ?? '').trim()).toBe('');
      const imp = await impegno(m.impegno_id);
      expect(imp.cig_testo.replace(/\s/g, '').toUpperCase()).toContain(p.codice);
    }
    const esito = await service().run(scuola1, null, 'web', undefined, new Set(fromImpegno.map((p) => p.chiave)));
    expect(esito.ok).toBe(true);
    for (const p of fromImpegno) expect((await mandato(p.dove[0]!.id)).cig_id).toBe(await cigId(p.codice!));
  });

  it('proposes the code an invalid value is one keystroke from', async () => {
    const piano = await service().preview(scuola1);
    expect(byValue(piano.proposte, '9050626CD7')).toMatchObject({ tipo: 'correzione', codice: '9050626CD6', accettabile: true });
    expect(byValue(piano.proposte, 'W97AB30715')).toMatchObject({ codice: 'B97AB30715' });
    // No school code is near: it stays invalid.
    expect(piano.nonValidi.map((n) => n.valore)).toContain('B123456789');
  });
});

describe('correzione di un valore non valido', () => {
  it('checks the code typed, registers it and links every document and voce with that value', async () => {
    const { app } = buildTestApp(db);
    const admin = await loginAs(app, 'admin', password('admin'));
    const token = await csrfToken(admin, '/impostazioni/importazione');
    const wrong = await admin.post('/impostazioni/importazione/correzione').type('form').send({ _csrf: token, campo: 'cup', valore: 'C44D2400212006', codice: 'C44D2400212006' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Lunghezza errata: il CUP ha 15 caratteri');
    expect(wrong.text).toMatch(/class="form-control form-control-sm codice correzione-codice is-invalid"[^>]*value="C44D2400212006"/);
    expect(Number((await db.knex('cup').where({ scuola_id: scuola1 }).count({ n: '*' }).first())!.n)).toBe(0);

    const right = await admin.post('/impostazioni/importazione/correzione').type('form').send({ _csrf: token, campo: 'cup', valore: 'C44D2400212006', codice: ' c44d 2400 2120 006 ' });
    expect(right.status).toBe(303);
    const cup = await db.knex('cup').where({ scuola_id: scuola1, codice: 'C44D24002120006' }).first();
    expect(cup).toBeDefined();
    const carriers = [
      ...(await db.knex('impegni').where({ scuola_id: scuola1, cup_testo: 'C44D2400212006' }).select('cup_id')),
      ...(await db.knex('mandati').where({ scuola_id: scuola1, cup_testo: 'C44D2400212006' }).select('cup_id')),
      ...(await db.knex('voci_destinazione').where({ scuola_id: scuola1, cup_testo: 'C44D2400212006' }).select('cup_id')),
    ];
    expect(carriers.length).toBeGreaterThan(4);
    expect(carriers.every((c) => c.cup_id === cup.id)).toBe(true);
    expect((await admin.get('/impostazioni/importazione')).text).toContain('C44D2400212006 corretto in C44D24002120006');

    const gone = await admin.post('/impostazioni/importazione/correzione').type('form').send({ _csrf: token, campo: 'cig', valore: 'testo che non esiste', codice: '9050626CD6' });
    expect(gone.status).toBe(422);
    expect(gone.text).toContain('non compare più nei documenti');
    const segreteria = await loginAs(app, 'segreteria', password('segreteria'));
    const denied = await segreteria.post('/impostazioni/importazione/correzione').type('form').send({ _csrf: await csrfToken(segreteria, '/'), campo: 'cig', valore: 'B123456789', codice: 'B123456659' });
    expect(denied.status).toBe(403);
  });
});

describe('esecuzione', () => {
  it('applies no proposal unless accepted, and links a CUP written in the CIG field', async () => {
    const esito = await service().run(scuola1, null);
    expect(esito.ok).toBe(true);
    expect((await impegno(planted.lookalike)).cig_id).toBeNull();
    expect((await mandato(planted.esente)).motivo_esclusione_cig).toBeNull();
    expect((await impegno(planted.segnaposto)).cup_testo_nessun_codice).toBe(false);
    expect((await impegno(planted.nelTesto)).cig_id).toBeNull();
    const cup = await db.knex('cup').where({ scuola_id: scuola1, codice: 'C44D22002780006' }).first('id');
    expect((await impegno(planted.cupNelCig)).cup_id).toBe(cup.id);
    expect((await impegno(planted.cupNelCig)).cig_id).toBeNull();
    // Two codes in one field: both registered, the document chooses.
    expect(await cigId('B9A0C13F31')).toBeDefined();
    expect((await impegno(planted.dueCodici)).cig_id).toBeNull();
  });

  it('accepts every proposal at once, and is a no-op the second time', async () => {
    const esito = await service().run(scuola1, null, 'web', undefined, 'tutte');
    if (!esito.ok) throw new Error('import failed');
    expect((await impegno(planted.lookalike)).cig_id).toBe(await cigId('9050626CD6'));
    expect((await impegno(planted.lookalike)).cig_testo).toBe('CIG n. 9O50626CD6'); // the text stays as written
    expect((await mandato(planted.esente)).motivo_esclusione_cig).toBe('SPESE_ECONOMALI');
    expect((await impegno(planted.segnaposto)).cup_testo_nessun_codice).toBe(true);
    expect((await impegno(planted.senzaCup)).cup_testo_nessun_codice).toBe(true);
    expect((await impegno(planted.nelTesto)).cig_id).toBe(await cigId('ZF73A9F1C2'));
    // What only a person can decide is left alone.
    expect((await mandato(planted.vago)).motivo_esclusione_cig).toBeNull();
    expect((await impegno(planted.dueCodici)).cig_id).toBeNull();
    // The counts include the demo data's own phrases (an impegno and its mandato «CIG esente – spese economali», a «non previsto» CUP).
    const piano = await service().preview(scuola1);
    expect(piano.proposte.filter((p) => p.accettabile)).toEqual([]);
    expect(esito.conteggi.proposteAccettate).toBeGreaterThanOrEqual(5);
    expect(esito.conteggi.motiviImpostati).toBe(await db.knex('mandati').where({ scuola_id: scuola1 }).whereNotNull('cig_testo').where('cig_testo', 'ilike', '%esente%').count({ n: '*' }).first().then((r) => Number(r!.n)) + 1);
    expect(esito.conteggi.testiSenzaCodice).toBeGreaterThanOrEqual(3);

    const again = await service().run(scuola1, null, 'web', undefined, 'tutte');
    expect(again).toMatchObject({ ok: true, conteggi: { cigRegistrati: 0, cupRegistrati: 0, proposteAccettate: 0, motiviImpostati: 0, testiSenzaCodice: 0 } });
  });
});

describe('pagina', () => {
  it('accepts the proposals ticked one by one, and only those', async () => {
    const { app } = buildTestApp(db);
    const admin = await loginAs(app, 'admin', password('admin'));
    const page = await admin.get('/impostazioni/importazione');
    expect(page.text).toContain('Proposte da confermare');
    expect(page.text).toContain('Esegui accettando tutte le proposte');
    const piano = await service().preview(scuola1);
    const key = byValue(piano.proposte, 'CIG n. 9O50626CD6')!.chiave;
    expect(page.text).toContain(`value="${key}"`);

    const token = await csrfToken(admin, '/impostazioni/importazione');
    const run = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1', accetta: [key, 'not-a-key'] });
    expect(run.status).toBe(302);
    expect((await impegno(planted.lookalike)).cig_id).toBe(await cigId('9050626CD6'));
    expect((await mandato(planted.esente)).motivo_esclusione_cig).toBeNull();

    // The report says which were accepted, and its links come back to it.
    const report = await admin.get(run.headers.location!);
    expect(report.text).toMatch(/<td>accettata<\/td>[\s\S]*CIG n\. 9O50626CD6/);
    expect(report.text).toContain('non accettata');
    expect(report.text).toContain('Da decidere nei documenti');

    // Only proposals left: running with none ticked is refused with what to do.
    const onlyProposals = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1' });
    expect(onlyProposals.status).toBe(422);
    expect(onlyProposals.text).toContain('Restano solo proposte');
    const all = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1', tutte: '1' });
    expect(all.status).toBe(302);
    expect((await mandato(planted.esente)).motivo_esclusione_cig).toBe('SPESE_ECONOMALI');
    const after = await admin.get('/impostazioni/importazione');
    expect(after.text).toContain('Non c’è niente da importare');
  });
});
