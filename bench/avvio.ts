/**
 * Issue 18: how long `npm start` takes to answer /health on the embedded database:
 *  - first start: a new data folder (the database created, migrated, the demo data loaded);
 *  - existing folder: the same folder again (nothing to create, migrate or load).
 * Each start is the README's command itself (`npm start`, in its own process group), timed
 * from the spawn to the first 200 of /health (polled every 10 ms), then stopped with SIGTERM
 * and waited for, so the next start finds the folder unlocked. Median of BENCH_STARTS (5).
 * BENCH_PRIMA=<another checkout> measures it too, in turns with this one.
 *
 *   npm run bench:avvio
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort } from './lib.js';
import { LOCK_FILE } from '../src/db/dataDirLock.js';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const versions = [...(process.env.BENCH_PRIMA ? [{ name: 'prima', dir: process.env.BENCH_PRIMA }] : []), { name: 'dopo', dir: process.cwd() }];

async function timedStart(dir: string, dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: dir,
    detached: true,
    stdio: 'ignore',
    env: { ...withoutServer, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return performance.now() - started;
      } catch {
        /* not up yet */
      }
      if (child.exitCode !== null) throw new Error(`npm start in ${dir} è uscito con ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error(`npm start in ${dir}: /health non risponde dopo 2 minuti`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    // The app's own process (npm's child) must have released the folder's lock too.
    for (let i = 0; i < 200 && fs.existsSync(path.join(dataDir, LOCK_FILE)); i++) await new Promise((r) => setTimeout(r, 25));
  }
}

// The embedded database: never a server's, even if the shell has one.
const { DATABASE_URL: _server, ...withoutServer } = process.env;
const times = new Map<string, { first: number[]; existing: number[] }>(versions.map((v) => [v.name, { first: [], existing: [] }]));
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-avvio-'));
try {
  for (let i = 0; i < STARTS; i++) {
    for (const version of versions) {
      const dataDir = path.join(root, `${version.name}-${i}`);
      const t = times.get(version.name)!;
      t.first.push(await timedStart(version.dir, dataDir));
      t.existing.push(await timedStart(version.dir, dataDir));
      console.log(`avvio ${i + 1}, ${version.name}: primo ${t.first.at(-1)!.toFixed(0)} ms, cartella esistente ${t.existing.at(-1)!.toFixed(0)} ms`);
    }
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`\n\`npm start\` fino alla prima risposta di /health, mediana di ${STARTS} avvii (database integrato):\n`);
console.log('| versione | primo avvio (cartella nuova) | cartella esistente |');
console.log('|---|---|---|');
for (const version of versions) {
  const t = times.get(version.name)!;
  console.log(`| ${version.name} | ${(median(t.first) / 1000).toFixed(2)} s (${(Math.min(...t.first) / 1000).toFixed(2)}–${(Math.max(...t.first) / 1000).toFixed(2)}) | ${(median(t.existing) / 1000).toFixed(2)} s (${(Math.min(...t.existing) / 1000).toFixed(2)}–${(Math.max(...t.existing) / 1000).toFixed(2)}) |`);
}
