import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { knexForServer } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';

describe('i messaggi di knex', () => {
  it('go to the app’s JSON log, not to the console', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    // Port 1: nothing listens, so knex fails to acquire a connection and says so.
    const knex = knexForServer('postgres://root@127.0.0.1:1/nessuno', 1, createLogger('info', sink));
    try {
      await expect(knex.raw('select 1')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await knex.destroy();
    }
    const entries = lines.map((l) => JSON.parse(l) as { level: number; origine?: string; msg: string });
    expect(entries.some((e) => e.origine === 'knex' && e.level === 40 && /ECONNREFUSED/.test(e.msg))).toBe(true);
  });
});
