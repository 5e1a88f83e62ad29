import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CREATING_MARKER, DataDirUnusableError, openDatabase } from '../../src/db/database.js';
import { LOCK_FILE } from '../../src/db/dataDirLock.js';

/**
 * A first start on a new data folder creates the database in a sibling folder
 * and renames it into place: killed half-way, it leaves no half database
 * behind (before, a kill while initdb's files were being written left a
 * folder that failed every later start with "PGlite failed to initialize
 * properly"). These tests open real PGlite databases on disk: PGlite only.
 */
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  children.splice(0).forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
/** A parent folder of our own, so the data folder's siblings are only ours. */
const newParent = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-init-'));
  dirs.push(d);
  return d;
};
const stagingIn = (parent: string) => fs.readdirSync(parent).filter((n) => n.startsWith('.data.nuovo-'));

function startServer(dataDir: string) {
  const child = spawn(process.execPath, ['src/start.mjs'], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', SEED_DEMO: 'never', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe.skipIf(process.env.TEST_DB_KIND === 'postgres')('creazione del database integrato', () => {
  it('kill -9 during the first start leaves no half database; the next start creates it', { timeout: 120_000 }, async () => {
    const parent = newParent();
    const dataDir = path.join(parent, 'data');
    const first = startServer(dataDir);
    // Wait for the moment initdb's files are being written (PG_VERSION comes near the end), then kill.
    await expect
      .poll(() => stagingIn(parent).some((n) => fs.existsSync(path.join(parent, n, 'PG_VERSION'))), { timeout: 60_000, interval: 5 })
      .toBe(true);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(fs.readdirSync(dataDir)).toEqual([LOCK_FILE]); // nothing but the dead process's lock
    expect(stagingIn(parent)).toHaveLength(1);

    const second = startServer(dataDir);
    await expect.poll(() => second.output(), { timeout: 60_000 }).toMatch(/Bilancio Scuola pronto|Avvio non riuscito/);
    expect(second.output()).toContain('Bilancio Scuola pronto');
    expect(second.output()).toContain('rimossa la cartella di una creazione del database interrotta');
    expect(stagingIn(parent)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses a DATA_DIR that is a file, or passes through one, with a message that says what to do', async () => {
    const parent = newParent();
    const file = path.join(parent, 'appunti.txt');
    fs.writeFileSync(file, 'non una cartella');
    for (const dataDir of [file, path.join(file, 'data')]) {
      const opening = openDatabase({ dataDir });
      await expect(opening).rejects.toBeInstanceOf(DataDirUnusableError);
      await expect(opening).rejects.toThrow(`La cartella dati ${dataDir} non si può usare: quel percorso è un file, o passa per un file. Indica con DATA_DIR una cartella`);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('non una cartella');
    expect(fs.readdirSync(parent)).toEqual(['appunti.txt']);
  });

  it('creates and migrates a new database in a folder holding only a lock file, leaving nothing beside it', { timeout: 60_000 }, async () => {
    const parent = newParent();
    const dataDir = path.join(parent, 'data');
    fs.mkdirSync(dataDir);
    // A dead holder's lock, in the format before heartbeats (a bare PID), older than the window.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dataDir, LOCK_FILE), gone.stdout);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(dataDir, LOCK_FILE), old, old);
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.knex.raw('select count(*)::int as n from knex_migrations');
      expect(rows[0].n).toBeGreaterThan(0);
      expect(fs.readdirSync(parent)).toEqual(['data']);
      expect(fs.existsSync(path.join(dataDir, CREATING_MARKER))).toBe(false);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('refuses, without changing it, a database folder that does not open (a first start of an older version cut short)', { timeout: 60_000 }, async () => {
    const parent = newParent();
    const dataDir = path.join(parent, 'data');
    await (await openDatabase({ dataDir })).close();
    // What a kill during the old first start left: PG_VERSION there, the last files of initdb missing.
    fs.rmSync(path.join(dataDir, 'postgresql.conf'));
    const files = fs.readdirSync(dataDir).sort();
    const err = await openDatabase({ dataDir }).then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(DataDirUnusableError);
    expect(err!.message).toContain(`Il database integrato nella cartella dati ${dataDir} non si apre (PGlite failed to initialize properly)`);
    expect(err!.message).toContain('Non è stato cancellato nulla');
    expect(err!.message).toContain(`mv "${dataDir}" "${dataDir}.danneggiata"`);
    expect(err!.message).toContain('Se era il resto di un primo avvio interrotto, non conteneva dati');
    expect(fs.readdirSync(dataDir).sort()).toEqual(files);
  });

  const canMount = process.getuid?.() === 0 && !spawnSync('unshare', ['--version']).error;
  it.skipIf(!canMount)('creates the database in place, marked until complete, when the data folder is a mount point (needs root and unshare)', { timeout: 60_000 }, () => {
    const parent = newParent();
    const dataDir = path.join(parent, 'data');
    fs.mkdirSync(dataDir);
    // A tmpfs mounted on the data folder in a mount namespace of its own, as a container volume would be.
    const script = `
      import { openDatabase } from './src/db/database.ts';
      import fs from 'node:fs';
      const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} });
      const { rows } = await db.knex.raw('select count(*)::int as n from knex_migrations');
      await db.close();
      console.log(JSON.stringify({ migrations: rows[0].n, entries: fs.readdirSync(${JSON.stringify(dataDir)}).sort(), siblings: fs.readdirSync(${JSON.stringify(parent)}),
        mountPoint: fs.statSync(${JSON.stringify(dataDir)}).dev !== fs.statSync(${JSON.stringify(parent)}).dev }));`;
    const result = spawnSync(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', `mount -t tmpfs none "$1" && exec "$2" --import tsx --input-type=module -e "$3"`, 'sh', dataDir, process.execPath, script],
      { encoding: 'utf8', timeout: 50_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').pop()!);
    expect(seen.mountPoint).toBe(true);
    expect(seen.migrations).toBeGreaterThan(0);
    expect(seen.entries).toContain('PG_VERSION');
    expect(seen.entries).not.toContain(CREATING_MARKER);
    expect(seen.siblings).toEqual(['data']);
  });
});
