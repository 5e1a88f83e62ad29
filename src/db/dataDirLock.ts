import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/**
 * Two processes on one PGlite data folder silently lose each other's writes,
 * so the folder holds a lock file, created atomically ('wx').
 *
 * A PID alone cannot tell whether its holder is alive: another container (PID
 * namespace) or another host on a shared volume has PIDs this process cannot
 * see. So the holder records who it is (host, boot, PID namespace, PID) and
 * keeps the file fresh: every few seconds it touches its mtime (heartbeat).
 * A lock is stale, and taken over:
 *  - at once, when its holder was in this very PID namespace (same host, same
 *    boot, same namespace) and its PID is dead: kill -9 recovery stays fast;
 *  - otherwise only when its heartbeat is older than STALE_AFTER_MS.
 */
export class DataDirLockedError extends Error {}

export const LOCK_FILE = 'bilancio-scuola.lock';
/** Held for the instant a stale lock is replaced, so two takers cannot both win. */
const TAKEOVER_DIR = `${LOCK_FILE}.presa`;
/** Entries of a data folder that belong to the lock, not to the database. */
export const LOCK_ENTRIES: readonly string[] = [LOCK_FILE, TAKEOVER_DIR];

export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 30_000;

/** Who a process is, as far as telling "same PID namespace" goes. */
export type ProcessIdentity = { host: string; bootId: string | null; pidNs: string | null; pid: number };

/** What a lock file says about its holder; fields it lacks (an older format, a half-written file) are null. */
export type LockHolder = {
  host: string | null;
  bootId: string | null;
  pidNs: string | null;
  pid: number | null;
  since: string | null;
  token: string | null;
};

function readTrimmed(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function readLinkOrNull(file: string): string | null {
  try {
    return fs.readlinkSync(file);
  } catch {
    return null;
  }
}

export function currentIdentity(): ProcessIdentity {
  return {
    host: os.hostname(),
    bootId: readTrimmed('/proc/sys/kernel/random/boot_id'),
    pidNs: readLinkOrNull('/proc/self/ns/pid'),
    pid: process.pid,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads a lock file's content: JSON now, a bare PID before; anything else is an unknown holder. */
export function parseLock(text: string): LockHolder {
  const holder: LockHolder = { host: null, bootId: null, pidNs: null, pid: null, since: null, token: null };
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { ...holder, pid: Number(trimmed) };
  try {
    const data = JSON.parse(trimmed) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return {
      host: str(data.host),
      bootId: str(data.bootId),
      pidNs: str(data.pidNs),
      pid: Number.isSafeInteger(data.pid) ? (data.pid as number) : null,
      since: str(data.since),
      token: str(data.token),
    };
  } catch {
    return holder;
  }
}

/** True when the holder's PIDs are this process's PIDs: same host, same boot, same PID namespace. */
function samePidNamespace(holder: LockHolder, self: ProcessIdentity): boolean {
  return (
    holder.host === self.host &&
    holder.bootId !== null && holder.bootId === self.bootId &&
    holder.pidNs !== null && holder.pidNs === self.pidNs
  );
}

/**
 * The staleness rules, on their own so they can be tested without files or
 * processes. heartbeatAgeMs is how long ago the file was last touched.
 */
export function isStale(
  holder: LockHolder,
  heartbeatAgeMs: number,
  self: ProcessIdentity,
  options: { isAlive: (pid: number) => boolean; staleAfterMs?: number },
): boolean {
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const tooOld = heartbeatAgeMs > staleAfterMs;
  if (holder.pid !== null && samePidNamespace(holder, self)) {
    // Our own PID in our own namespace is this process, which did not take this lock: a dead predecessor's.
    return holder.pid === self.pid || !options.isAlive(holder.pid) || tooOld;
  }
  // A bare PID (the format before heartbeats): never taken from a process we can see alive.
  if (holder.host === null && holder.pid !== null && holder.pid !== self.pid && options.isAlive(holder.pid)) return false;
  return tooOld;
}

export type LockOptions = {
  /** Current time in ms (tests move it). */
  now?: () => number;
  identity?: ProcessIdentity;
  isAlive?: (pid: number) => boolean;
  staleAfterMs?: number;
  heartbeatMs?: number;
  /** Called once if another process replaced our lock (e.g. after this one stalled past the staleness window). */
  onLost?: (message: string) => void;
};

/** Locks this process holds: lock path → token. */
const held = new Map<string, string>();

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function lockedMessage(dataDir: string, holder: LockHolder, heartbeatMs: number, now: number, staleAfterMs: number): string {
  const who = [
    holder.host ? `computer «${holder.host}»` : null,
    holder.pid !== null ? `processo ${holder.pid}` : null,
  ].filter(Boolean);
  const since = holder.since && !Number.isNaN(Date.parse(holder.since)) ? `, dal ${formatTime(Date.parse(holder.since))}` : '';
  const age = Math.max(0, Math.round((now - heartbeatMs) / 1000));
  return (
    `La cartella dati ${dataDir} è già in uso da un’altra istanza di Bilancio Scuola ` +
    `(${who.length ? who.join(', ') : 'istanza sconosciuta'}${since}; ultimo segnale di vita ${age} s fa). ` +
    'Un solo processo alla volta può usare il database integrato: ferma l’altra istanza ' +
    'oppure avvia questa con un altro DATA_DIR (o con DATABASE_URL verso un server PostgreSQL). ' +
    `Se l’altra istanza è stata fermata di colpo su un altro computer o contenitore, il blocco scade da solo ` +
    `dopo ${Math.round(staleAfterMs / 1000)} s senza segnali di vita.`
  );
}

function sleepSync(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs fn while holding the takeover directory; false if another process holds it right now. */
function whileTakingOver(dataDir: string, now: number, staleAfterMs: number, fn: () => void): boolean {
  const guard = path.join(dataDir, TAKEOVER_DIR);
  try {
    fs.mkdirSync(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Left by a process that died in the middle of a takeover (it lasts a millisecond).
    try {
      if (now - fs.statSync(guard).mtimeMs > staleAfterMs) fs.rmdirSync(guard);
    } catch {
      // gone meanwhile
    }
    return false;
  }
  try {
    fn();
  } finally {
    fs.rmdirSync(guard);
  }
  return true;
}

/**
 * Locks the data folder (creating it if needed) or throws DataDirLockedError.
 * Returns the release function; the heartbeat's timer never keeps the process alive.
 */
export function lockDataDir(dataDir: string, options: LockOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const self = options.identity ?? currentIdentity();
  const alive = options.isAlive ?? isAlive;
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  const token = randomUUID();
  const content = JSON.stringify({
    app: 'bilancio-scuola',
    host: self.host,
    bootId: self.bootId,
    pidNs: self.pidNs,
    pid: self.pid,
    since: new Date(now()).toISOString(),
    token,
  });

  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      try {
        fs.writeSync(fd, content);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return holdLock(lockPath, token, now, options);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Someone holds it: alive, or stale?
    const current = readHolder(lockPath);
    if (!current) continue; // released meanwhile
    const { holder, mtimeMs } = current;
    if (holder.token !== null && held.get(lockPath) === holder.token) {
      throw new DataDirLockedError(`La cartella dati ${dataDir} è già in uso da questo stesso processo.`);
    }
    if (!isStale(holder, now() - mtimeMs, self, { isAlive: alive, staleAfterMs })) {
      throw new DataDirLockedError(lockedMessage(dataDir, holder, mtimeMs, now(), staleAfterMs));
    }
    const tookOver = whileTakingOver(dataDir, now(), staleAfterMs, () => {
      // Judge again under the guard: another taker may have replaced it with a fresh lock.
      const again = readHolder(lockPath);
      if (again && again.holder.token === holder.token && again.mtimeMs === mtimeMs) fs.rmSync(lockPath, { force: true });
    });
    if (!tookOver) sleepSync(20);
  }
  throw new DataDirLockedError(`Impossibile acquisire il blocco della cartella dati ${dataDir}: riprova tra qualche secondo.`);
}

function readHolder(lockPath: string): { holder: LockHolder; mtimeMs: number } | null {
  try {
    const mtimeMs = fs.statSync(lockPath).mtimeMs;
    return { holder: parseLock(fs.readFileSync(lockPath, 'utf8')), mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The token in the lock file; null when the file is gone; undefined when it could not be read just now. */
function tokenAt(lockPath: string): string | null | undefined {
  try {
    return parseLock(fs.readFileSync(lockPath, 'utf8')).token;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
}

function holdLock(lockPath: string, token: string, now: () => number, options: LockOptions): () => void {
  held.set(lockPath, token);
  const heartbeat = setInterval(() => {
    const current = tokenAt(lockPath);
    if (current === undefined) return; // a transient read error (a network volume): next beat
    if (current === token) {
      const t = new Date(now());
      try {
        fs.utimesSync(lockPath, t, t);
      } catch {
        // next beat
      }
      return;
    }
    clearInterval(heartbeat);
    const message =
      `Il blocco della cartella dati ${path.dirname(lockPath)} non è più di questo processo ` +
      '(un’altra istanza lo ha preso, forse perché questa è rimasta ferma troppo a lungo): ' +
      'due istanze sulla stessa cartella perdono dati, fermane una.';
    (options.onLost ?? ((m: string) => console.error(m)))(message);
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  let released = false;
  return () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    if (held.get(lockPath) === token) held.delete(lockPath);
    // Only our own lock: if another process took it over, it is theirs now.
    if (tokenAt(lockPath) === token) fs.rmSync(lockPath, { force: true });
  };
}
