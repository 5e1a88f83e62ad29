import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { testDbKind } from '../helpers/testDatabase.js';

/** `npm run import` for hosted operators, on an embedded database folder of its own. */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bilancio-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'development' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

// The command is the same whatever the database; one run of it is enough.
describe.runIf(testDbKind === 'pglite')('npm run import', () => {
  // Seven commands, each a Node process that starts tsx: a loaded machine needs more than 30 s.
  it('previews, imports one school, then finds nothing new', { timeout: 180_000 }, () => {
    expect(run('src/cli/seed.ts').status).toBe(0);

    const usage = run('src/cli/import.ts');
    expect(usage.status).toBe(2);
    expect(usage.out).toContain('Uso: npm run import');

    const preview = run('src/cli/import.ts', '--tutte', '--anteprima');
    expect(preview.status).toBe(0);
    expect(preview.out).toMatch(/\[1\/2\] RMIC8ZZ00Q Istituto Comprensivo Demo: anteprima — 36 CIG e 6 CUP da registrare/);
    expect(preview.out).toMatch(/\[2\/2\] /);

    const first = run('src/cli/import.ts', '--scuola', 'rmic8zz00q');
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/\[1\/1\] RMIC8ZZ00Q .*: 36 CIG e 6 CUP registrati, \d+ collegamenti, 0 proposte accettate, 4 valori non validi/);

    // Proposals only with the flag that accepts them.
    const accepted = run('src/cli/import.ts', '--scuola', 'RMIC8ZZ00Q', '--accetta-proposte');
    expect(accepted.status).toBe(0);
    expect(accepted.out).toMatch(/: 0 CIG e 0 CUP registrati, [1-9]\d* collegamenti, [1-9]\d* proposte accettate, 4 valori non validi/);

    const second = run('src/cli/import.ts', '--scuola', 'RMIC8ZZ00Q', '--accetta-proposte');
    expect(second.out).toMatch(/: 0 CIG e 0 CUP registrati, 0 collegamenti, 0 proposte accettate/);

    const unknown = run('src/cli/import.ts', '--scuola', 'XXXX000000');
    expect(unknown.status).toBe(2);
    expect(unknown.out).toContain('Nessuna scuola con codice meccanografico XXXX000000');
  });
});
