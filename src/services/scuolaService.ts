import type { Knex } from 'knex';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { findScuola, updateScuola, type ScuolaRow, type ScuolaValues } from '../repositories/scuolaRepository.js';
import { SCUOLA_FIELDS, scuolaSchema, type ScuolaForm } from '../validation/scuolaSchemas.js';
import { audited } from './audited.js';
import { parseForm, type Actor, type Result } from './results.js';

/** The stored values, field by field (the form's, or a row's for the history). */
const pick = (r: ScuolaValues | ScuolaForm): ScuolaValues => Object.fromEntries(SCUOLA_FIELDS.map((f) => [f, r[f]])) as ScuolaValues;
const scuolaSnapshot = (r: ScuolaValues): Snapshot => pick(r);

const scuole = audited<ScuolaRow>({ entita: 'scuola', find: findScuola, snapshot: scuolaSnapshot });
const UPDATE_FIELDS = [...SCUOLA_FIELDS, 'version'];

/** Impostazioni → Scuola e cassiere: one record per school, its own row of `scuole`. */
export function createScuolaService(knex: Knex) {
  return {
    async page(scuolaId: number) {
      const scuola = await findScuola(knex, scuolaId, scuolaId);
      return scuola && { scuola, history: await historyOf(knex, scuolaId, 'scuola', scuolaId) };
    },

    async update(actor: Actor, body: unknown): Promise<Result<ScuolaRow>> {
      const form = parseForm(scuolaSchema, body, UPDATE_FIELDS);
      if (!form.ok) return scuole.refused(knex, actor, actor.scuolaId, form.invalid);
      const values = pick(form.data);
      return knex.transaction((trx) =>
        scuole.update(trx, actor, actor.scuolaId, form.data.version, form.submitted, (before) => updateScuola(trx, actor.scuolaId, before.version, actor.id, values)),
      );
    },
  };
}

export type ScuolaService = ReturnType<typeof createScuolaService>;
