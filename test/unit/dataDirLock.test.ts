import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/db/dataDirLock.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Starts the real server in another process on the folder and returns how it ended. */
function startServer(dataDir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'development', SEED_DEMO: 'never' },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('blocco della cartella dati del database integrato', () => {
  it('refuses a second process on the same folder with a clear message', () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    try {
      const result = startServer(dir);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`La cartella dati ${dir} è già in uso dal processo ${process.pid}`);
    } finally {
      release();
    }
    expect(fs.existsSync(path.join(dir, 'bilancio-scuola.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that no longer exists (kill -9)', () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'bilancio-scuola.lock'), dead.stdout);
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'bilancio-scuola.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
