import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { serverDatabase } from '../../src/db/database.js';
import { cloneTemplate } from '../helpers/serverDatabase.js';
import { testDbKind } from '../helpers/testDatabase.js';
import { createCig, createScuola } from '../helpers/factories.js';

/** `npm run dati-aperti` for hosted operators, on a PostgreSQL database of its own. */
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-dati-aperti-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describe.runIf(testDbKind === 'postgresql')('npm run dati-aperti', () => {
  it('previews, then fills only the empty fields of every school, audited with no user and the source', { timeout: 180_000 }, async () => {
    const clone = await cloneTemplate('cli');
    const db = serverDatabase(clone.url, undefined, clone.drop);
    try {
      const scuola = await createScuola(db.knex);
      const imported = await createCig(db.knex, scuola.id, { oggetto: 'CIG importato dai documenti precedenti', data_generazione: null, da_completare: true, importo_cents: null });
      const complete = await createCig(db.knex, scuola.id, { oggetto: 'Scritto a mano', data_generazione: '2023-01-10', importo_cents: 500 });
      await db.knex('audit_log').insert({ scuola_id: scuola.id, utente_id: null, entita: 'cig', entita_id: imported.id, azione: 'crea', dopo: JSON.stringify({ origine: 'importazione' }) });
      const file = path.join(folder, 'anac.csv');
      fs.writeFileSync(file, [
        'cig;oggetto_lotto;importo_lotto;data_pubblicazione;data_scadenza_offerta',
        `${imported.codice};Fornitura di toner;990.00;2024-05-02;2024-05-20`,
        `${complete.codice};Altro oggetto;1000.00;2024-06-01;`,
        '',
      ].join('\n'));
      const run = (...args: string[]) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/datiAperti.ts', ...args], {
          env: { ...process.env, DATABASE_URL: clone.url, NODE_ENV: 'development' }, encoding: 'utf8', timeout: 60_000,
        });
        return { status: r.status, out: r.stdout, err: r.stderr };
      };
      expect(run().status).toBe(2);
      const preview = run('--file', file, '--tutte', '--anteprima');
      expect(preview.status, preview.err).toBe(0);
      expect(preview.out).toContain('anac.csv: 2 righe lette, 2 codici delle scuole trovati, 4 valori da completare.');
      expect(preview.err).toMatch(/MB\/s/);
      expect((await db.knex('cig').where({ id: imported.id }).first()).data_generazione).toBeNull();

      const applied = run('--file', file, '--scuola', scuola.codice_meccanografico);
      expect(applied.status, applied.err).toBe(0);
      expect(applied.out).toContain('4 valori aggiornati su 1 CIG e 0 CUP, 0 saltati');
      expect(await db.knex('cig').where({ id: imported.id }).first()).toMatchObject({
        oggetto: 'Fornitura di toner', data_generazione: '2024-05-02', data_scadenza_offerte: '2024-05-20', importo_cents: 99000, da_completare: false,
      });
      // A CIG already complete keeps its values: the command only fills empty fields.
      expect(await db.knex('cig').where({ id: complete.id }).first()).toMatchObject({ oggetto: 'Scritto a mano', data_generazione: '2023-01-10', importo_cents: 500 });
      const audit = await db.knex('audit_log').where({ entita: 'cig', entita_id: imported.id, azione: 'modifica' }).first();
      expect(audit.utente_id).toBeNull();
      expect(audit.dopo.fonte).toContain('dati aperti ANAC: anac.csv');
    } finally {
      await db.close();
    }
  });
});
