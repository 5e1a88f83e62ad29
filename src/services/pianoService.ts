import type { Knex } from 'knex';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import { historyOf } from '../repositories/auditRepository.js';
import { cupOptions } from '../repositories/pickerRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { cifrePerVoce, findVoce, insertVoce, listVoci, updateVoce, type VoceRow, type VoceValues } from '../repositories/pianoRepository.js';
import { VOCE_FIELDS, voceCreateSchema, voceUpdateSchema } from '../validation/pianoSchemas.js';
import { formatVoceCodice, type VoceCodice } from '../domain/piano.js';
import { checkReferences, voceSnapshot } from './documenti.js';
import { invalid, parseForm, saved, type Actor, type CreateResult, type Invalid, type Result, type Values } from './results.js';
import { audited } from './audited.js';

const CREATE_FIELDS = [...VOCE_FIELDS, 'esercizio'];
const UPDATE_FIELDS = [...VOCE_FIELDS, 'version'];
const voci = audited<VoceRow>({ entita: 'voce', find: findVoce, snapshot: voceSnapshot });

const duplicate = (values: Values, v: VoceCodice & { esercizio: number }) =>
  invalid<VoceRow>(values, { voce: `Esiste già la voce ${formatVoceCodice(v)} nell’esercizio ${v.esercizio}` });

/** A save the database refused: the same voce already in the esercizio, or the CUP gone meanwhile. */
function refusal(err: unknown, values: Values, codice: VoceCodice & { esercizio: number }): Invalid<VoceRow> {
  if (isUniqueViolation(err)) return duplicate(values, codice);
  if (isForeignKeyViolation(err)) return invalid(values, { cup_id: 'Scegli il CUP dall’elenco' });
  throw err;
}

/** Impostazioni → Bilancio → Piano delle destinazioni: the voci of an esercizio and their CUP. */
export function createPianoService(knex: Knex) {
  return {
    async list(scuolaId: number, esercizio: number) {
      const voci = await listVoci(knex, scuolaId, esercizio);
      const cifre = await cifrePerVoce(knex, scuolaId, esercizio);
      return { voci, cifre };
    },

    /** The CUP picker (active CUPs plus the voce's own) and the creditori of the + modal's lists. */
    async formOptions(scuolaId: number, keepCupId: number | null) {
      return { cup: await cupOptions(knex, scuolaId, [keepCupId]), creditori: await creditoriOptions(knex, scuolaId) };
    },
    find: (scuolaId: number, id: number) => findVoce(knex, scuolaId, id),
    history: (scuolaId: number, id: number) => historyOf(knex, scuolaId, 'voce', id),

    async create(actor: Actor, body: unknown): Promise<CreateResult<VoceRow>> {
      const form = parseForm(voceCreateSchema, body, CREATE_FIELDS);
      if (!form.ok) return form.invalid;
      const { esercizio, aggregato, voce, sottovoce, descrizione, cup_id } = form.data;
      const values: VoceValues = { esercizio, aggregato, voce: voce!, sottovoce, descrizione, cup_id };
      try {
        return await knex.transaction(async (trx) => {
          const refs = await checkReferences(trx, actor.scuolaId, { cig_id: null, cup_id }, null);
          if (Object.keys(refs.errors).length) return invalid<VoceRow>(form.submitted, refs.errors);
          return saved(await voci.insert(trx, actor, () => insertVoce(trx, actor.scuolaId, actor.id, values)));
        });
      } catch (err) {
        return refusal(err, form.submitted, values);
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<Result<VoceRow>> {
      const form = parseForm(voceUpdateSchema, body, UPDATE_FIELDS);
      if (!form.ok) return voci.refused(knex, actor, id, form.invalid);
      const { aggregato, voce, sottovoce, descrizione, cup_id } = form.data;
      const values = { aggregato, voce: voce!, sottovoce, descrizione, cup_id };
      try {
        return await knex.transaction((trx) =>
          voci.update(trx, actor, id, form.data.version, form.submitted, async (before) => {
            const refs = await checkReferences(trx, actor.scuolaId, { cig_id: null, cup_id }, { cig_id: null, cup_id: before.cup_id });
            if (Object.keys(refs.errors).length) return invalid<VoceRow>(form.submitted, refs.errors);
            return updateVoce(trx, actor.scuolaId, id, before.version, actor.id, values);
          }),
        );
      } catch (err) {
        const stored = await findVoce(knex, actor.scuolaId, id);
        if (!stored) throw err;
        return voci.refused(knex, actor, id, refusal(err, form.submitted, { ...values, esercizio: stored.esercizio }));
      }
    },
  };
}

export type PianoService = ReturnType<typeof createPianoService>;
