import type { Knex } from 'knex';

/** A query runner: the knex instance or a transaction. Repositories take one of these. */
export type Db = Knex | Knex.Transaction;
