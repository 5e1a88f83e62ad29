import type { Knex } from 'knex';
import { isForeignKeyViolation, isUniqueViolation } from '../db/errors.js';
import { historyOf, writeAudit } from '../repositories/auditRepository.js';
import { cupOptions } from '../repositories/pickerRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { eserciziConVoci, findVoce, impegniPerVoce, insertVoce, listVoci, updateVoce, type VoceRow, type VoceValues } from '../repositories/vociRepository.js';
import { fromFieldErrors, toFormErrors } from '../validation/formErrors.js';
import { submittedValues } from '../validation/fields.js';
import { VOCE_FIELDS, voceCreateSchema, voceUpdateSchema } from '../validation/vociSchemas.js';
import { formatVoceCodice } from '../domain/piano.js';
import { checkReferences, voceSnapshot, type DocCreateResult, type DocInvalid, type DocUpdateResult } from './documenti.js';
import type { Actor } from './registro.js';

/** Impostazioni → Bilancio → Piano delle destinazioni: the voci of an esercizio and their CUP. */
export function createPianoService(knex: Knex) {
  const duplicate = (values: Record<string, string>, v: { esercizio: number; aggregato: string; voce: number; sottovoce: number | null }): DocInvalid => ({
    ok: false,
    kind: 'invalid',
    values,
    errors: fromFieldErrors({ voce: `Esiste già la voce ${formatVoceCodice(v)} nell’esercizio ${v.esercizio}` }),
  });

  return {
    async list(scuolaId: number, esercizio: number) {
      const voci = await listVoci(knex, scuolaId, esercizio);
      const impegni = await impegniPerVoce(knex, scuolaId, esercizio);
      const esercizi = await eserciziConVoci(knex, scuolaId);
      return { voci, impegni, esercizi };
    },

    /** The CUP picker (active CUPs plus the voce's own) and the creditori of the + modal's lists. */
    async formOptions(scuolaId: number, keepCupId: number | null) {
      return { cup: await cupOptions(knex, scuolaId, [keepCupId]), creditori: await creditoriOptions(knex, scuolaId) };
    },
    find: (scuolaId: number, id: number) => findVoce(knex, scuolaId, id),
    history: (scuolaId: number, id: number) => historyOf(knex, scuolaId, 'voce', id),

    async create(actor: Actor, body: unknown): Promise<DocCreateResult<VoceRow>> {
      const submitted = { ...submittedValues(body, VOCE_FIELDS), esercizio: submittedValues(body, ['esercizio']).esercizio ?? '' };
      const parsed = voceCreateSchema.safeParse(body ?? {});
      if (!parsed.success) return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      const values: VoceValues = {
        esercizio: parsed.data.esercizio, aggregato: parsed.data.aggregato, voce: parsed.data.voce!, sottovoce: parsed.data.sottovoce,
        descrizione: parsed.data.descrizione, cup_id: parsed.data.cup_id,
      };
      try {
        return await knex.transaction(async (trx): Promise<DocCreateResult<VoceRow>> => {
          const refs = await checkReferences(trx, actor.scuolaId, { cig_id: null, cup_id: values.cup_id }, null);
          if (Object.keys(refs.errors).length) return { ok: false, kind: 'invalid', values: submitted, errors: fromFieldErrors(refs.errors) };
          const id = await insertVoce(trx, actor.scuolaId, actor.id, values);
          const record = (await findVoce(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'voce', entitaId: id, azione: 'crea', prima: null, dopo: voceSnapshot(record) });
          return { ok: true, record, warnings: [], info: [] };
        });
      } catch (err) {
        if (isUniqueViolation(err)) return duplicate(submitted, values);
        if (isForeignKeyViolation(err)) return { ok: false, kind: 'invalid', values: submitted, errors: fromFieldErrors({ cup_id: 'Scegli il CUP dall’elenco' }) };
        throw err;
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<DocUpdateResult<VoceRow>> {
      const submitted = { ...submittedValues(body, VOCE_FIELDS), version: submittedValues(body, ['version']).version ?? '' };
      const parsed = voceUpdateSchema.safeParse(body ?? {});
      if (!parsed.success) {
        if (!(await findVoce(knex, actor.scuolaId, id))) return { ok: false, kind: 'not_found' };
        return { ok: false, kind: 'invalid', errors: toFormErrors(parsed.error), values: submitted };
      }
      let codice = { esercizio: 0, aggregato: parsed.data.aggregato, voce: parsed.data.voce!, sottovoce: parsed.data.sottovoce };
      try {
        return await knex.transaction(async (trx): Promise<DocUpdateResult<VoceRow>> => {
          const before = await findVoce(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return { ok: false, kind: 'not_found' };
          codice = { ...codice, esercizio: before.esercizio };
          if (before.version !== parsed.data.version) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const refs = await checkReferences(trx, actor.scuolaId, { cig_id: null, cup_id: parsed.data.cup_id }, { cig_id: null, cup_id: before.cup_id });
          if (Object.keys(refs.errors).length) return { ok: false, kind: 'invalid', values: submitted, errors: fromFieldErrors(refs.errors) };
          const n = await updateVoce(trx, actor.scuolaId, id, parsed.data.version, actor.id, {
            aggregato: parsed.data.aggregato, voce: parsed.data.voce!, sottovoce: parsed.data.sottovoce, descrizione: parsed.data.descrizione, cup_id: parsed.data.cup_id,
          });
          if (n === 0) return { ok: false, kind: 'conflict', stored: before, values: submitted };
          const after = (await findVoce(trx, actor.scuolaId, id))!;
          await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'voce', entitaId: id, azione: 'modifica', prima: voceSnapshot(before), dopo: voceSnapshot(after) });
          return { ok: true, record: after, warnings: [], info: [] };
        });
      } catch (err) {
        if (isUniqueViolation(err)) return duplicate(submitted, codice);
        if (isForeignKeyViolation(err)) return { ok: false, kind: 'invalid', values: submitted, errors: fromFieldErrors({ cup_id: 'Scegli il CUP dall’elenco' }) };
        throw err;
      }
    },
  };
}

export type PianoService = ReturnType<typeof createPianoService>;
