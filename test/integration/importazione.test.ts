import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDbKind, type TestDatabase } from '../helpers/testDatabase.js';
import { buildTestApp, csrfToken, loginAs } from '../helpers/testApp.js';
import { seedDemo, DEMO_USERS } from '../../seeds/demo.js';
import { createImportazioneService } from '../../src/services/importazioneService.js';
import { normalizeCig, validateCig } from '../../src/domain/cig.js';
import { normalizeCup, validateCup } from '../../src/domain/cup.js';

/**
 * The one-time import on the demo data: every kind of legacy value ends as the
 * report says. Each test starts from a freshly seeded database.
 */
let db: TestDatabase;
let scuola1: number;
let scuola2: number;
const TODAY = new Date('2026-11-27T10:00:00Z');
const password = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;

beforeEach(async () => {
  await db?.close();
  db = await createTestDatabase();
  await seedDemo(db.knex, { today: TODAY });
  const scuole = await db.knex('scuole').orderBy('id').pluck('id');
  [scuola1, scuola2] = scuole as [number, number];
});
afterAll(() => db?.close());

const service = () => createImportazioneService(db.knex, { today: () => TODAY });

type CodeRow = { id: number; codice: string; famiglia: string; da_completare: boolean; data_generazione: string | null };
type DocRow = { id: number; cig_id: number | null; cup_id: number | null; cig_testo: string | null; cup_testo: string | null; version: number };
type VoceRow = { id: number; cup_id: number | null; cup_testo: string | null; version: number };

async function snapshot(scuolaId?: number) {
  const where = (q: ReturnType<typeof db.knex>) => (scuolaId ? q.where({ scuola_id: scuolaId }) : q);
  return {
    cig: (await where(db.knex('cig')).orderBy('id').select('*')) as CodeRow[],
    cup: (await where(db.knex('cup')).orderBy('id').select('*')) as CodeRow[],
    impegni: (await where(db.knex('impegni')).orderBy('id').select('id', 'cig_id', 'cup_id', 'cig_testo', 'cup_testo', 'version')) as DocRow[],
    mandati: (await where(db.knex('mandati')).orderBy('id').select('id', 'cig_id', 'cup_id', 'cig_testo', 'cup_testo', 'version')) as DocRow[],
    voci: (await where(db.knex('voci_destinazione')).orderBy('id').select('id', 'cup_id', 'cup_testo', 'version')) as VoceRow[],
    importazioni: await where(db.knex('importazioni')).select('id'),
    audit: await where(db.knex('audit_log')).select('id'),
  };
}

describe('anteprima', () => {
  it('shows what a run would do and writes nothing', async () => {
    const before = await snapshot();
    const piano = await service().preview(scuola1);
    expect(await snapshot()).toEqual(before);

    const cig = piano.cig.daRegistrare.find((c) => c.codice === '9050626CD6')!;
    expect(cig.famiglia).toBe('ordinario');
    expect(cig.documenti).toBeGreaterThanOrEqual(6);
    expect(cig.grafie).toEqual(expect.arrayContaining(['9050626CD6', '9050 626 CD6', 'CIG 9050626CD6']));
    expect(piano.cig.daRegistrare.map((c) => c.famiglia)).toEqual(expect.arrayContaining(['ordinario', 'smart', 'pcp']));

    const cup = piano.cup.daRegistrare.find((c) => c.codice === 'C44D22002780006')!;
    expect(cup.dettaglio).toContain('PNRR Piano Scuola 4.0');
    expect(cup.annoDecisione).toBe(2022);
    expect(cup.voci).toBeGreaterThan(0);

    const wrongCheck = piano.nonValidi.find((n) => n.valore === 'B123456789')!;
    expect(wrongCheck.tipo).toBe('CIG');
    expect(wrongCheck.motivo).toContain('atteso 659');
    expect(wrongCheck.dove.map((d) => d.tipo)).toEqual(expect.arrayContaining(['impegno', 'mandato']));
    const shortCup = piano.nonValidi.find((n) => n.valore === 'C44D2400212006')!;
    expect(shortCup.motivo).toMatch(/Lunghezza errata/);
    expect(shortCup.dove.map((d) => d.tipo)).toContain('voce');
    for (const n of piano.nonValidi) {
      const check = n.tipo === 'CIG' ? validateCig(n.valore) : validateCup(n.valore, TODAY);
      expect(check.ok, n.valore).toBe(false);
    }
    expect(piano.collegamenti.cig).toBeGreaterThan(0);
  });
});

describe('esecuzione', () => {
  it('registers every valid code, links every document and voce, and leaves the rest as written', async () => {
    const before = await snapshot(scuola1);
    const esito = await service().run(scuola1, null);
    expect(esito.ok).toBe(true);
    const after = await snapshot(scuola1);

    // Legacy text is never altered.
    expect(after.impegni.map((d) => [d.cig_testo, d.cup_testo])).toEqual(before.impegni.map((d) => [d.cig_testo, d.cup_testo]));
    expect(after.voci.map((v) => v.cup_testo)).toEqual(before.voci.map((v) => v.cup_testo));

    const cigById = new Map(after.cig.map((c) => [c.id, c]));
    const cupById = new Map(after.cup.map((c) => [c.id, c]));
    for (const c of after.cig) {
      expect(c.da_completare).toBe(true);
      expect(c.data_generazione).toBeNull();
      expect(validateCig(c.codice)).toMatchObject({ ok: true, famiglia: c.famiglia });
    }
    for (const doc of [...after.impegni, ...after.mandati]) {
      const text = (doc.cig_testo ?? '').trim();
      if (text && validateCig(text).ok) expect(cigById.get(doc.cig_id ?? 0)?.codice, text).toBe(normalizeCig(text));
      else expect(doc.cig_id, text).toBeNull();
      const cupText = (doc.cup_testo ?? '').trim();
      if (cupText && validateCup(cupText, TODAY).ok) expect(cupById.get(doc.cup_id ?? 0)?.codice, cupText).toBe(normalizeCup(cupText));
      else expect(doc.cup_id, cupText).toBeNull();
    }
    for (const v of after.voci) {
      const text = (v.cup_testo ?? '').trim();
      if (text && validateCup(text, TODAY).ok) expect(cupById.get(v.cup_id ?? 0)?.codice).toBe(normalizeCup(text));
      else expect(v.cup_id).toBeNull();
    }
    const voce = await db.knex('voci_destinazione').where({ scuola_id: scuola1 }).where('cup_testo', 'C44D22002780006').first();
    const cup = await db.knex('cup').where({ id: voce.cup_id }).first();
    expect(cup.descrizione).toContain('PNRR Piano Scuola 4.0');

    if (!esito.ok) throw new Error('unreachable');
    expect(esito.conteggi.cigRegistrati).toBe(after.cig.length);
    expect(esito.conteggi.cupRegistrati).toBe(after.cup.length);
    expect(esito.conteggi.impegniCollegatiCig).toBe(after.impegni.filter((d) => d.cig_id).length);
    expect(esito.conteggi.vociCollegateCup).toBe(after.voci.filter((v) => v.cup_id).length);
    // One audit row per registered code.
    expect(after.audit.length).toBe(after.cig.length + after.cup.length);
  });

  it('is a no-op the second time, and says so', async () => {
    await service().run(scuola1, null);
    const before = await snapshot(scuola1);
    const again = await service().run(scuola1, null);
    expect(again).toMatchObject({
      ok: true,
      conteggi: { cigRegistrati: 0, cupRegistrati: 0, impegniCollegatiCig: 0, mandatiCollegatiCig: 0, impegniCollegatiCup: 0, mandatiCollegatiCup: 0, vociCollegateCup: 0 },
    });
    const after = await snapshot(scuola1);
    expect({ ...after, importazioni: [] }).toEqual({ ...before, importazioni: [] });
    expect(after.importazioni.length).toBe(2);
  });

  it('refuses a second run started while one is in progress', async () => {
    const s = service();
    const results = await Promise.all([s.run(scuola1, null), s.run(scuola1, null)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, motivo: 'in_corso' }]);
    expect(Number((await db.knex('importazioni').count('* as n'))[0]!.n)).toBe(1);
  });

  it.runIf(testDbKind === 'postgresql')('refuses a run while another app instance holds the school’s import lock', async () => {
    // Another instance mid-run: its transaction holds the advisory lock of school 1.
    const other = await db.knex.transaction();
    try {
      const { tryImportLock } = await import('../../src/repositories/importazioneRepository.js');
      expect(await tryImportLock(other, scuola1)).toBe(true);
      expect(await service().run(scuola1, null)).toEqual({ ok: false, motivo: 'in_corso' });
      expect(Number((await db.knex('cig').count('* as n'))[0]!.n)).toBe(0);
      // The lock is per school: school 2 is not held up.
      expect((await service().run(scuola2, null)).ok).toBe(true);
    } finally {
      await other.rollback();
    }
    expect((await service().run(scuola1, null)).ok).toBe(true);
  });

  it('leaves the database exactly as before when it fails after the first insert', async () => {
    const before = await snapshot();
    // A failure injected in the database itself: the first update of a mandato raises.
    await db.knex.raw(`create function guasto() returns trigger language plpgsql as $$ begin raise exception 'guasto simulato'; end $$`);
    await db.knex.raw(`create trigger guasto before update on mandati for each row execute function guasto()`);
    await expect(service().run(scuola1, null)).rejects.toThrow(/guasto simulato/);
    expect(await snapshot()).toEqual(before);
    await db.knex.raw('drop trigger guasto on mandati');
    expect((await service().run(scuola1, null)).ok).toBe(true);
  });

  it("never reads or writes another school's data", async () => {
    await db.knex('voci_destinazione').where({ scuola_id: scuola2 }).update({ cup_testo: 'C44D22002780006' });
    const before2 = await snapshot(scuola2);
    const esito = await service().run(scuola1, null);
    expect(esito.ok).toBe(true);
    expect(await snapshot(scuola2)).toEqual(before2);
    // School 2's own import registers its CUP in its own register.
    await service().run(scuola2, null);
    const cup2 = await db.knex('cup').where({ scuola_id: scuola2 }).pluck('codice');
    expect(cup2).toEqual(['C44D22002780006']);
    expect(await db.knex('cup').where({ codice: 'C44D22002780006' }).orderBy('scuola_id').pluck('scuola_id')).toEqual([scuola1, scuola2]);
  });
});

describe('pagina Impostazioni → Importazione CIG/CUP', () => {
  it('is for admins only', async () => {
    const { app } = buildTestApp(db);
    const agent = await loginAs(app, 'segreteria', password('segreteria'));
    expect((await agent.get('/impostazioni/importazione')).status).toBe(403);
    const token = await csrfToken(agent, '/');
    const res = await agent.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1' });
    expect(res.status).toBe(403);
    expect(Number((await db.knex('cig').count('* as n'))[0]!.n)).toBe(0);
  });

  it('shows the banner until the import runs, then the anteprima, the run and its report', async () => {
    const { app } = buildTestApp(db);
    const admin = await loginAs(app, 'admin', password('admin'));
    const secretary = await loginAs(app, 'segreteria', password('segreteria'));
    expect((await admin.get('/')).text).toContain('Importazione CIG/CUP non ancora eseguita');
    expect((await admin.get('/')).text).toContain('href="/impostazioni/importazione"');
    expect((await secretary.get('/')).text).toContain('Finché l’amministratore non la esegue');

    const page = await admin.get('/impostazioni/importazione');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mai eseguita');
    expect(page.text).toContain('9050626CD6');
    expect(page.text).toContain('atteso 659');

    const token = await csrfToken(admin, '/impostazioni/importazione');
    const missing = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Spunta la conferma');
    expect(Number((await db.knex('cig').count('* as n'))[0]!.n)).toBe(0);

    const run = await admin.post('/impostazioni/importazione').type('form').send({ _csrf: token, conferma: '1' });
    expect(run.status).toBe(302);
    const report = await admin.get(run.headers.location!);
    expect(report.status).toBe(200);
    expect(report.text).toContain('Importazione eseguita');
    expect(report.text).toContain('CIG registrati');
    expect(report.text).toMatch(/href="\/impegni\/\d+\/modifica\?ritorno=%2Fimpostazioni%2Fimportazione%2F\d+"/);

    const csv = await admin.get(`${run.headers.location}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain('9050626CD6;registrato');
    expect(csv.text).toContain('B123456789;non valido');

    expect((await admin.get('/')).text).not.toContain('Importazione CIG/CUP non ancora eseguita');
    // The registered CIGs wait for their data di generazione: badge and filter in Gestione CIG.
    const daCompletare = await secretary.get('/cig?da_completare=1&per=100');
    expect(daCompletare.text).toContain('1–36 di 36 risultati');
    expect(daCompletare.text.match(/badge badge-avviso">da completare</g)).toHaveLength(36);
    await db.knex('cig').where({ codice: '9050626CD6' }).update({ data_generazione: '2024-01-15', da_completare: false });
    expect((await secretary.get('/cig?da_completare=1&per=100')).text).toContain('1–35 di 35 risultati');
    expect((await secretary.get('/')).text).not.toContain('Finché l’amministratore non la esegue');
    const status = await admin.get('/impostazioni/importazione');
    expect(status.text).toContain('Apri il report n.');
    expect(status.text).not.toContain('Mai eseguita');
  });

  it("answers 404 for another school's report", async () => {
    const esito = await service().run(scuola2, null);
    if (!esito.ok) throw new Error('import failed');
    const { app } = buildTestApp(db);
    const admin = await loginAs(app, 'admin', password('admin'));
    expect((await admin.get(`/impostazioni/importazione/${esito.id}`)).status).toBe(404);
    expect((await admin.get(`/impostazioni/importazione/${esito.id}/report.csv`)).status).toBe(404);
    expect((await admin.get('/impostazioni/importazione/abc')).status).toBe(404);
  });
});
