import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { createLogger } from '../../src/logger.js';
import { openEmbedded } from '../../src/db/pglite.js';
import { makeTemplate, readTemplate } from '../../src/db/pgliteTemplate.js';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * A new data folder is loaded from the empty cluster made at install (issue 18: the first
 * start 6 s → under 4 s), and is still created, by initdb, when that template is missing or
 * damaged. These tests create real PGlite databases on disk: PGlite only.
 */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-modello-'));
  dirs.push(d);
  return d;
};

/** A logger whose lines the test reads. */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
  return { logger: createLogger('info', sink), lines };
}

/** The cluster's tar with its top PG_VERSION file saying `version` (same length: the tar stays whole). */
function withPgVersion(tar: Buffer, version: string): Buffer {
  for (let at = 0; at < tar.length; at += 512) {
    const name = tar.subarray(at, at + 100).toString('latin1').replace(/\0.*$/s, '');
    if (name === '/PG_VERSION' || name === 'PG_VERSION') {
      const copy = Buffer.from(tar);
      copy.write(version, at + 512, 'latin1');
      return copy;
    }
  }
  throw new Error('PG_VERSION non trovato nel modello');
}

async function tablesAndMigrations(dataDir: string, template: string, logger: ReturnType<typeof createLogger>) {
  const db = await openEmbedded({ dataDir, logger, template });
  try {
    const applied = await db.knex('knex_migrations').pluck('name');
    const marked = await db.knex.raw(`select to_regclass('public.segno_del_modello') as t`);
    return { applied, fromTemplate: marked.rows[0].t !== null };
  } finally {
    await db.close();
  }
}

describe.skipIf(process.env.TEST_DB_KIND === 'postgres')('modello del database integrato', () => {
  it('makes a template that a new data folder is loaded from, then migrated', { timeout: 60_000 }, async () => {
    const dir = tmp();
    const file = path.join(dir, 'modello.tar.gz');
    expect(await makeTemplate(file)).toBe(file);
    expect(fs.readdirSync(dir)).toEqual(['modello.tar.gz']); // written whole: nothing partial beside it
    expect(readTemplate(file)!.size).toBeGreaterThan(10_000_000); // the cluster's tar, unzipped

    // A template that carries a mark of its own proves the folder came from it, not from initdb.
    const marked = path.join(dir, 'segnato.tar.gz');
    const pglite = await PGlite.create('memory://');
    await pglite.exec('create table segno_del_modello (x int)');
    fs.writeFileSync(marked, Buffer.from(await (await pglite.dumpDataDir('gzip')).arrayBuffer()));
    await pglite.close();

    const { logger, lines } = capturedLogger();
    const result = await tablesAndMigrations(path.join(dir, 'data'), marked, logger);
    expect(result.fromTemplate).toBe(true);
    expect(result.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(lines.map((l) => l.msg)).toContain('database integrato creato');
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('creates the database by initdb when the template is missing, or damaged (with a warning, never a crash)', { timeout: 120_000 }, async () => {
    const dir = tmp();
    const missing = capturedLogger();
    const withoutTemplate = await tablesAndMigrations(path.join(dir, 'a'), path.join(dir, 'nessuno.tar.gz'), missing.logger);
    expect(withoutTemplate.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(missing.lines.filter((l) => l.level >= 40)).toEqual([]);

    // A template cut short (a full disk while it was copied): PGlite's own unzip would stop the process.
    const good = await makeTemplate(path.join(dir, 'buono.tar.gz'));
    const truncated = path.join(dir, 'tronco.tar.gz');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 1_000_000));
    const damaged = capturedLogger();
    const fromDamaged = await tablesAndMigrations(path.join(dir, 'b'), truncated, damaged.logger);
    expect(fromDamaged.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(damaged.lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['modello del database integrato illeggibile: si crea senza']);

    // A whole file that PGlite refuses (a cluster of another PostgreSQL version): what it wrote is removed, then initdb.
    const foreign = path.join(dir, 'altra-versione.tar.gz');
    fs.writeFileSync(foreign, zlib.gzipSync(withPgVersion(zlib.gunzipSync(fs.readFileSync(good)), '14')));
    const refused = capturedLogger();
    const fromForeign = await tablesAndMigrations(path.join(dir, 'c'), foreign, refused.logger);
    expect(fromForeign.applied).toEqual(MIGRATIONS.map((m) => m.name));
    expect(refused.lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['il modello del database integrato non si carica: si crea senza']);
  });
});
