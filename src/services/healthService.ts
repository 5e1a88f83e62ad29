import type { Knex } from 'knex';
import { pingDatabase, type DatabaseKind } from '../db/database.js';

/** What /health answers: whether the database answers, and which kind it is. */
export function createHealthService(knex: Knex, kind: DatabaseKind) {
  return {
    async check() {
      return { ok: await pingDatabase(knex), database: kind };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
