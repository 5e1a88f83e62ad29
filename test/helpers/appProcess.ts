import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { testDbKind } from './testDatabase.js';
import { cloneTemplate } from './serverDatabase.js';
import { freePort } from '../../bench/lib.js';

/**
 * The app as its own process, as an operator starts it (`npm start`: src/start.mjs), for the tests that
 * kill it, restart it or run two of them on one database; and the form login a browser does.
 */

/** A database of its own that a separate app process can open: a data folder, or a server database. */
export async function freshStore(cleanups: (() => Promise<void>)[]): Promise<{ env: Record<string, string>; options: { dataDir: string; databaseUrl?: string } }> {
  if (testDbKind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-guasti-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return { env: { DATA_DIR: dir, DATABASE_URL: '' }, options: { dataDir: dir } };
  }
  const clone = await cloneTemplate('guasti');
  cleanups.push(clone.drop);
  return { env: { DATABASE_URL: clone.url }, options: { databaseUrl: clone.url, dataDir: '' } };
}

/** Polls `ready` every 20 ms until it holds: the tests wait for conditions, never for fixed times. */
export async function until(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Non è successo entro ${timeoutMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startApp(env: Record<string, string>, extra: Record<string, string> = {}) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['src/start.mjs'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, ...extra, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  await until('l’app risponde su /health', async () => {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    return fetch(`${base}/health`).then((r) => r.ok, () => false);
  });
  const killed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    base,
    child,
    /** Resolves once the app's log holds `text`. */
    logged: (text: string) => until(`il log dell’app contiene «${text}»`, () => log.includes(text)),
    kill9: async () => {
      child.kill('SIGKILL');
      await killed;
    },
  };
}

/** Logs in through the form; returns a cookie header and a CSRF token. */
export async function login(base: string, username: string, password: string) {
  const page = await fetch(`${base}/login`);
  let cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: token }),
  });
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const home = await fetch(`${base}/`, { headers: { cookie } });
  return { cookie, token: /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]! };
}

export const post = (base: string, url: string, s: { cookie: string; token: string }, body: Record<string, string>) =>
  fetch(`${base}${url}`, {
    method: 'POST', redirect: 'manual', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...body, _csrf: s.token }),
  });
