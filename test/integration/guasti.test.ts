import fs from 'node:fs';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, migrateLatest } from '../../src/db/database.js';
import { testDbKind } from '../helpers/testDatabase.js';
import { freshStore, login, post, startApp, until } from '../helpers/appProcess.js';
import { createScuola, createUtente } from '../helpers/factories.js';
import { insertLegacyDocuments } from '../../bench/generate.js';
import { processTree } from '../../bench/lib.js';
import { cigCheckOrdinario } from '../../src/domain/cig.js';

/**
 * kill -9 of the app in the middle of an import and in the middle of saves,
 * on the app's own process and database (never the shared server itself):
 * after a restart nothing is half written, numbering has no gaps, the import
 * runs again from a clean state.
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('kill -9 dell’app', () => {
  it('during the import: nothing half done, and the next run starts clean', { timeout: 240_000 }, async () => {
    const store = await freshStore(cleanups);
    let db = await openDatabase(store.options);
    await migrateLatest(db.knex);
    const scuola = await createScuola(db.knex);
    const admin = await createUtente(db.knex, scuola.id, { ruolo: 'admin', username: 'admin-guasti', password: 'password-guasti' });
    // Enough documents that linking them takes far longer than the kill that follows the log line.
    await insertLegacyDocuments(db.knex, scuola.id, { esercizi: [2024, 2025, 2026], perEsercizio: testDbKind === 'pglite' ? 1_000 : 5_000, distinctCig: 600 });
    await db.close();

    const app = await startApp(store.env, { SEED_DEMO: 'never', LOG_LEVEL: 'info' });
    const s = await login(app.base, admin.username, admin.password);
    const running = post(app.base, '/impostazioni/importazione', s, { conferma: '1' }).catch(() => null);
    // Killed inside the import's transaction: the codes are written, the documents not yet linked.
    await app.logged('collegamento dei documenti in corso');
    await app.kill9();
    expect(await running).toBeNull(); // the answer never came: killed mid-way

    db = await openDatabase(store.options);
    const state = async () =>
      (
        await db.knex.raw(`select (select count(*) from cig)::int as cig, (select count(*) from cup)::int as cup, (select count(*) from importazioni)::int as runs,
                                  (select count(*) from impegni where cig_id is not null or cup_id is not null)::int as impegni_collegati,
                                  (select count(*) from mandati where cig_id is not null)::int as mandati_collegati, (select count(*) from audit_log)::int as audit`)
      ).rows[0];
    expect(await state()).toEqual({ cig: 0, cup: 0, runs: 0, impegni_collegati: 0, mandati_collegati: 0, audit: 0 });
    await db.close();

    const again = await startApp(store.env, { SEED_DEMO: 'never' });
    const s2 = await login(again.base, admin.username, admin.password);
    // On the server the killed app's transaction lives until the server notices the client is gone
    // (client_connection_check_interval): meanwhile the import is rightly "in corso".
    let res = await post(again.base, '/impostazioni/importazione', s2, { conferma: '1' });
    for (let i = 0; res.status === 409 && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      res = await post(again.base, '/impostazioni/importazione', s2, { conferma: '1' });
    }
    expect(res.status).toBe(302);
    await again.kill9();
    db = await openDatabase(store.options);
    const after = await state();
    expect(after.runs).toBe(1);
    expect(after.cig).toBeGreaterThan(0);
    expect(after.impegni_collegati).toBeGreaterThan(0);
    await db.close();
  });

  it('during saves: every saved impegno is whole and the numbering has no gaps', { timeout: 120_000 }, async () => {
    const store = await freshStore(cleanups);
    const app = await startApp(store.env, { SEED_DEMO: 'auto', NODE_ENV: 'development' });
    const s = await login(app.base, 'segreteria', 'demo-segreteria');
    const form = await (await fetch(`${app.base}/impegni/nuovo`, { headers: { cookie: s.cookie } })).text();
    const voce = /<select[^>]*name="voce_id"[\s\S]*?<option value="(\d+)"/.exec(form)![1]!;
    const year = new Date().getFullYear();
    const today = new Date().toISOString().slice(0, 10);
    let answered = 0;
    const saves = Array.from({ length: 60 }, (_, i) =>
      post(app.base, '/impegni', s, { data: today, voce_id: voce, oggetto: `Impegno sotto guasto ${i}`, importo: '10,00' }).then(
        (r) => (answered++, r.status),
        () => 0,
      ),
    );
    // Killed while the saves are landing: some have been answered, the rest are in flight.
    await until('le prime risposte ai salvataggi', () => answered >= 5);
    await app.kill9();
    const statuses = await Promise.all(saves);
    expect(statuses.filter((x) => x === 0).length, 'some saves were cut off').toBeGreaterThan(0);

    const db = await openDatabase(store.options);
    const numeri: number[] = await db.knex('impegni').where({ esercizio: year }).orderBy('numero').pluck('numero');
    expect(numeri).toEqual(numeri.map((_, i) => i + 1));
    const counter = await db.knex('contatori_numerazione').where({ tipo: 'impegno', esercizio: year }).first('ultimo');
    expect(counter.ultimo).toBe(numeri.length);
    const saved = await db.knex('impegni').where('oggetto', 'like', 'Impegno sotto guasto %').select('id', 'oggetto', 'importo_cents');
    for (const row of saved) {
      expect(row.importo_cents).toBe(1000);
      const audit = await db.knex('audit_log').where({ entita: 'impegno', entita_id: row.id, azione: 'crea' }).first('id');
      expect(audit, `audit of impegno ${row.id}`).toBeDefined();
    }
    // Every save the client saw succeed is there.
    expect(saved.length).toBeGreaterThanOrEqual(statuses.filter((x) => x === 302).length);
    await db.close();
  });
});

/** The pids of the workers of WORKERS=n: the primary's descendants. */
const childrenOf = (pid: number) => processTree(pid).slice(1);

describe('più processi (WORKERS)', () => {
  if (testDbKind === 'pglite') {
    it('are refused on the embedded database, with a message that says what to do', async () => {
      const store = await freshStore(cleanups);
      const child = spawn(process.execPath, ['src/start.mjs'], { env: { ...process.env, ...store.env, WORKERS: '2', PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain('Con il database integrato l’app usa un solo processo');
    });
    return;
  }

  it('serve together, and a killed worker is replaced without the app going down', { timeout: 60_000 }, async () => {
    const store = await freshStore(cleanups);
    const app = await startApp(store.env, { SEED_DEMO: 'auto', NODE_ENV: 'development', WORKERS: '2' });
    // Whatever happens below, no process of this app outlives the test.
    cleanups.push(async () => {
      if (app.child.exitCode !== null || app.child.signalCode !== null) return;
      for (const pid of [...childrenOf(app.child.pid!), app.child.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    });
    await expect.poll(() => childrenOf(app.child.pid!).length, { timeout: 20_000 }).toBe(2);
    const s = await login(app.base, 'segreteria', 'demo-segreteria');
    const [first] = childrenOf(app.child.pid!);
    process.kill(first!, 'SIGKILL');
    // The other worker answers the same session meanwhile. One kept-alive connection: if it
    // was the killed worker's it is reset once (0), and a request the master hands to the dying
    // worker before it learns of the death gets no answer (0 after 3 s); once an answer comes,
    // the connection is the live worker's and every request on it must be answered.
    const oneConnection = new http.Agent({ keepAlive: true, maxSockets: 1 });
    cleanups.push(async () => oneConnection.destroy());
    const page = () =>
      new Promise<number>((resolve) => {
        const req = http.get(`${app.base}/cig`, { headers: { cookie: s.cookie }, agent: oneConnection, timeout: 3_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(0));
      });
    await expect.poll(page, { timeout: 20_000, interval: 50 }).toBe(200);
    for (let i = 0; i < 10; i++) expect(await page()).toBe(200);
    // Then a new worker takes the place of the killed one.
    await expect.poll(() => childrenOf(app.child.pid!).filter((p) => p !== first).length, { timeout: 20_000 }).toBe(2);
    const saved = await post(app.base, '/cig', s, {
      codice: '7654321' + cigCheckOrdinario(7654321), oggetto: 'Dopo il riavvio di un processo', data_generazione: '2026-01-15',
      importo: '100,00', scelta_contraente: 'AFFIDAMENTO_DIRETTO', stato: 'attivo',
    });
    expect(saved.status).toBe(302);
    const db = await openDatabase(store.options);
    expect(await db.knex('cig').where({ codice: '7654321' + cigCheckOrdinario(7654321) }).first('oggetto')).toEqual({ oggetto: 'Dopo il riavvio di un processo' });
    await db.close();
    const workers = childrenOf(app.child.pid!);
    app.child.kill('SIGTERM');
    await new Promise((resolve) => app.child.once('exit', resolve));
    // The workers stop with it (not left behind as orphans).
    await expect.poll(() => workers.filter((pid) => fs.existsSync(`/proc/${pid}`)), { timeout: 10_000 }).toEqual([]);
  });
});

