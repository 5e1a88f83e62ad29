import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentIdentity,
  DataDirLockedError,
  isStale,
  lockDataDir,
  LOCK_FILE,
  parseLock,
  STALE_AFTER_MS,
  type LockHolder,
  type ProcessIdentity,
} from '../../src/db/dataDirLock.js';
import { CREATING_MARKER, DataDirUnusableError, openDatabase } from '../../src/db/database.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const serverEnv = (dataDir: string) => ({
  ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', NODE_ENV: 'development', SEED_DEMO: 'never',
});

/** Starts the real server in another process on the folder and returns how it ended. */
function startServer(dataDir: string, wrapper: string[] = []) {
  const args = [...wrapper, process.execPath, '--import', 'tsx', 'src/server.ts'];
  return spawnSync(args[0]!, args.slice(1), { env: serverEnv(dataDir), encoding: 'utf8', timeout: 30_000 });
}

const self: ProcessIdentity = { host: 'scuola-1', bootId: 'boot-a', pidNs: 'pid:[4026531836]', pid: 100 };
const holder = (over: Partial<LockHolder> = {}): LockHolder => ({
  host: 'scuola-1', bootId: 'boot-a', pidNs: 'pid:[4026531836]', pid: 200, since: '2026-01-01T08:00:00.000Z', token: 't', ...over,
});
const dead = { isAlive: () => false };
const alive = { isAlive: () => true };

describe('regole di scadenza del blocco', () => {
  it('same host, boot and PID namespace, dead PID: stale at once (kill -9 recovery stays fast)', () => {
    expect(isStale(holder(), 0, self, dead)).toBe(true);
  });

  it('same namespace, live PID: held while the heartbeat is fresh, stale once it is older than the window', () => {
    expect(isStale(holder(), 1_000, self, alive)).toBe(false);
    expect(isStale(holder(), STALE_AFTER_MS + 1, self, alive)).toBe(true);
  });

  it('same namespace, our own PID: a predecessor’s lock (a restarted container keeps its PID)', () => {
    expect(isStale(holder({ pid: self.pid }), 0, self, alive)).toBe(true);
  });

  it('another PID namespace (a container) on the same host: its invisible PID proves nothing, only age counts', () => {
    const other = holder({ pidNs: 'pid:[4026532175]' });
    expect(isStale(other, 1_000, self, dead)).toBe(false);
    expect(isStale(other, STALE_AFTER_MS - 1, self, dead)).toBe(false);
    expect(isStale(other, STALE_AFTER_MS + 1, self, dead)).toBe(true);
  });

  it('another host on a shared volume, or another boot, or identities unknown: only age counts', () => {
    for (const other of [holder({ host: 'scuola-2' }), holder({ bootId: 'boot-b' })]) {
      expect(isStale(other, 1_000, self, dead)).toBe(false);
      expect(isStale(other, STALE_AFTER_MS + 1, self, dead)).toBe(true);
    }
    const noProc = { ...self, bootId: null, pidNs: null };
    expect(isStale(holder({ bootId: null, pidNs: null }), 1_000, noProc, dead)).toBe(false);
    expect(isStale(holder({ bootId: null, pidNs: null }), STALE_AFTER_MS + 1, noProc, dead)).toBe(true);
  });

  it('a half-written file: held while young, stale once old', () => {
    const unknown = parseLock('');
    expect(unknown).toMatchObject({ host: null, pid: null, token: null });
    expect(isStale(unknown, 1_000, self, dead)).toBe(false);
    expect(isStale(unknown, STALE_AFTER_MS + 1, self, dead)).toBe(true);
  });

  it('a bare PID (the format before heartbeats): never taken from a live process, else by age', () => {
    const legacy = parseLock('4242\n');
    expect(legacy).toMatchObject({ pid: 4242, host: null });
    expect(isStale(legacy, 10 * STALE_AFTER_MS, self, alive)).toBe(false);
    expect(isStale(legacy, 1_000, self, dead)).toBe(false);
    expect(isStale(legacy, STALE_AFTER_MS + 1, self, dead)).toBe(true);
  });
});

describe('blocco della cartella dati del database integrato', () => {
  const lockPath = (dir: string) => path.join(dir, LOCK_FILE);
  const writeForeignLock = (dir: string, over: Record<string, unknown> = {}, ageMs = 0) => {
    const content = { host: 'altro-host', bootId: 'b', pidNs: 'pid:[1]', pid: 77, since: '2026-03-02T07:30:00.000Z', token: 'x', ...over };
    fs.writeFileSync(lockPath(dir), JSON.stringify(content));
    const t = new Date(Date.now() - ageMs);
    fs.utimesSync(lockPath(dir), t, t);
  };

  it('records host, boot, PID namespace and PID, and removes its own lock on release', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    const written = parseLock(fs.readFileSync(lockPath(dir), 'utf8'));
    const me = currentIdentity();
    expect(written).toMatchObject({ host: os.hostname(), bootId: me.bootId, pidNs: me.pidNs, pid: process.pid });
    expect(me.bootId).toMatch(/^[0-9a-f-]{36}$/); // readable here: the fast path is exercised
    release();
    expect(fs.existsSync(lockPath(dir))).toBe(false);
  });

  it('refuses a lock of another host with a fresh heartbeat: which folder, holder, since when, what to do', () => {
    const dir = tempDir();
    writeForeignLock(dir, {}, 5_000);
    let error: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirLockedError);
    const message = (error as Error).message;
    expect(message).toContain(`La cartella dati ${dir} è già in uso`);
    expect(message).toContain('computer «altro-host», processo 77, dal 2026-03-02 07:30:00 UTC');
    expect(message).toMatch(/ultimo segnale di vita [45] s fa/);
    expect(message).toContain('ferma l’altra istanza');
    expect(message).toContain('DATA_DIR');
    expect(message).toContain('DATABASE_URL');
    expect(JSON.parse(fs.readFileSync(lockPath(dir), 'utf8')).token).toBe('x'); // untouched
  });

  it('takes over the lock of another host only once its heartbeat is older than the window', () => {
    const dir = tempDir();
    writeForeignLock(dir, {}, STALE_AFTER_MS - 2_000);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    // The same file seen 3 s later (an injected clock): no heartbeat for more than 30 s.
    const release = lockDataDir(dir, { now: () => Date.now() + 3_000 });
    expect(parseLock(fs.readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('takes over at once a lock left by a dead process of this same namespace (kill -9)', () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const me = currentIdentity();
    writeForeignLock(dir, { host: me.host, bootId: me.bootId, pidNs: me.pidNs, pid: Number(gone.stdout) });
    const release = lockDataDir(dir);
    expect(parseLock(fs.readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    release();
  });

  it('refuses a second lock from this same process', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow('già in uso da questo stesso processo');
    release();
  });

  it('keeps its heartbeat fresh, and says so when another process replaced its lock', async () => {
    const dir = tempDir();
    const lost: string[] = [];
    const release = lockDataDir(dir, { heartbeatMs: 20, onLost: (m) => lost.push(m) });
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPath(dir), old, old);
    await expect.poll(() => fs.statSync(lockPath(dir)).mtimeMs, { timeout: 5_000 }).toBeGreaterThan(Date.now() - 10_000);
    writeForeignLock(dir);
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBe(1);
    expect(lost[0]).toContain('non è più di questo processo');
    release();
    expect(JSON.parse(fs.readFileSync(lockPath(dir), 'utf8')).token).toBe('x'); // not ours: left alone
  });

  it('refuses a second server process on the same folder with a clear message', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    try {
      const result = startServer(dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`La cartella dati ${dir} è già in uso`);
      expect(result.stderr).toContain(`computer «${os.hostname()}», processo ${process.pid}, dal `);
    } finally {
      release();
    }
    expect(fs.existsSync(lockPath(dir))).toBe(false);
  });

  const hasUnshare = !spawnSync('unshare', ['--version']).error;
  it.skipIf(!hasUnshare)('refuses a server started in another PID namespace, where the holder’s PID is invisible (needs unshare)', async () => {
    const dir = tempDir();
    // The first holder: a process of its own, in this namespace, keeping the lock with its heartbeat.
    const holderProcess = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('./src/db/dataDirLock.ts').then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('bloccata'); setInterval(() => {}, 1000); })`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holderProcess);
    await new Promise<void>((resolve, reject) => {
      holderProcess.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('bloccata') && resolve());
      holderProcess.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });

    // As root a new PID namespace is enough; otherwise a user namespace maps us to root in it.
    const wrapper = ['unshare', ...(process.getuid?.() === 0 ? [] : ['--map-root-user']), '--pid', '--fork', '--mount-proc', '--kill-child'];
    const probe = spawnSync(wrapper[0]!, [...wrapper.slice(1), process.execPath, '-e',
      `try { process.kill(${holderProcess.pid}, 0); console.log('visible') } catch (e) { console.log(e.code === 'EPERM' ? 'visible' : 'invisible') }`], { encoding: 'utf8' });
    expect(probe.stdout.trim(), probe.stderr).toBe('invisible'); // the holder's PID really cannot be seen from there

    const result = startServer(dir, wrapper);
    expect(result.status, result.stderr).not.toBe(0);
    expect(result.status).not.toBeNull(); // refused, not killed by the timeout after starting
    expect(result.stderr).toContain(`La cartella dati ${dir} è già in uso da un’altra istanza di Bilancio Scuola`);
    expect(result.stderr).toContain(`computer «${os.hostname()}», processo ${holderProcess.pid}, dal `);
    expect(parseLock(fs.readFileSync(lockPath(dir), 'utf8')).pid).toBe(holderProcess.pid);
  });
});

describe('cartella dati non valida', () => {
  // Refused before PGlite opens anything: no database needed.
  const refusal = (dir: string) =>
    openDatabase({ dataDir: dir }).then(
      () => { throw new Error('opened'); },
      (err: unknown) => err as Error,
    );

  it('refuses a non-empty folder without PG_VERSION, says what to do, and touches nothing', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'base'));
    fs.writeFileSync(path.join(dir, 'postgresql.auto.conf'), '');
    const err = await refusal(dir);
    expect(err).toBeInstanceOf(DataDirUnusableError);
    expect(err.message).toContain(`La cartella dati ${dir} non è vuota ma non contiene un database integrato (manca il file PG_VERSION)`);
    expect(err.message).toContain('Se è il resto di un primo avvio interrotto, non contiene dati');
    expect(err.message).toContain(`mv "${dir}" "${dir}.incompleta"`);
    expect(err.message).toContain('Non è stato cancellato nulla');
    expect(fs.readdirSync(dir).sort()).toEqual(['base', 'postgresql.auto.conf']); // and the lock released
  });

  it('refuses a folder whose creation in place was cut short (the marker is still there)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, CREATING_MARKER), '');
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    const err = await refusal(dir);
    expect(err.message).toContain(`La cartella dati ${dir} contiene un database incompleto`);
    expect(err.message).toContain('non contiene dati');
    expect(fs.readdirSync(dir).sort()).toEqual([CREATING_MARKER, 'PG_VERSION']);
  });

  it('prints the refusal at start, without a stack trace, and exits with 1', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'appunti.txt'), 'non un database');
    const result = startServer(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Avvio non riuscito: La cartella dati ${dir} non è vuota`);
    expect(result.stderr).not.toContain('    at ');
    expect(fs.readFileSync(path.join(dir, 'appunti.txt'), 'utf8')).toBe('non un database');
  });
});
