import { describe, expect, it } from 'vitest';
import { testDbKind, useTestDatabase } from '../helpers/testDatabase.js';
import { PREPARED_PER_CONNECTION } from '../../src/db/database.js';

const ctx = useTestDatabase();

// Prepared statements are a property of the server's connections (PGlite runs in-process, one session).
describe.runIf(testDbKind === 'postgresql')('statement preparati sul server', () => {
  const preparedLike = async (trx: typeof ctx.knex, fragment: string) => {
    const { rows } = await trx.raw('select statement from pg_prepared_statements');
    return (rows as { statement: string }[]).filter((r) => r.statement.includes(fragment));
  };

  it('prepares a statement with parameters once per connection and reuses it', async () => {
    await ctx.knex.transaction(async (trx) => {
      for (const scuolaId of [1, 2, 3]) await trx('cig').where({ scuola_id: scuolaId }).count('* as n');
      const prepared = await preparedLike(trx, 'from "cig"');
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.statement).toContain('"scuola_id" = $1');
    });
  });

  it('leaves statements without parameters unprepared', async () => {
    await ctx.knex.transaction(async (trx) => {
      await trx.raw('select count(*) from cup');
      expect(await preparedLike(trx, 'from cup')).toHaveLength(0);
    });
  });

  it('keeps at most PREPARED_PER_CONNECTION statements per connection; the others still run', async () => {
    await ctx.knex.transaction(async (trx) => {
      for (let i = 0; i < PREPARED_PER_CONNECTION + 20; i++) {
        const [row] = await trx.select(trx.raw(`?::int + ${i} as n`, [1]));
        expect(row.n).toBe(1 + i);
      }
      const { rows } = await trx.raw('select count(*)::int as n from pg_prepared_statements');
      expect(rows[0].n).toBe(PREPARED_PER_CONNECTION);
    });
  });
});
