import type { Knex } from 'knex';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { findConto, listConti, updateConto, type ContoRow, type ContoValues } from '../repositories/contiRepository.js';
import { CONTO_FIELDS, contoSchema } from '../validation/contiSchemas.js';
import { audited } from './audited.js';
import { parseForm, type Actor, type Result } from './results.js';

/** What the history of a conto shows: its code (for the record) and its SIOPE classification. */
const contoSnapshot = (r: ContoRow): Snapshot => ({ codice_siope: r.codice_siope, natura_spesa: r.natura_spesa });

const conti = audited<ContoRow>({ entita: 'conto', find: findConto, snapshot: contoSnapshot });
const UPDATE_FIELDS = [...CONTO_FIELDS, 'version'];

/** Impostazioni → Piano dei conti: each conto's SIOPE classification (codice gestionale, natura della spesa). */
export function createContiService(knex: Knex) {
  return {
    list: (scuolaId: number, options: { senzaSiope: boolean }) => listConti(knex, scuolaId, options),
    find: (scuolaId: number, id: number) => findConto(knex, scuolaId, id),
    history: (scuolaId: number, id: number) => historyOf(knex, scuolaId, 'conto', id),

    async update(actor: Actor, id: number, body: unknown): Promise<Result<ContoRow>> {
      const form = parseForm(contoSchema, body, UPDATE_FIELDS);
      if (!form.ok) return conti.refused(knex, actor, id, form.invalid);
      const values: ContoValues = { codice_siope: form.data.codice_siope, natura_spesa: form.data.natura_spesa };
      return knex.transaction((trx) =>
        conti.update(trx, actor, id, form.data.version, form.submitted, (before) => updateConto(trx, actor.scuolaId, id, before.version, actor.id, values)),
      );
    },
  };
}

export type ContiService = ReturnType<typeof createContiService>;
