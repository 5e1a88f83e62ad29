import type { Knex } from 'knex';
import type { z } from 'zod';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { writeAudit, type AuditAzione, type AuditEntita, type Snapshot } from '../repositories/auditRepository.js';
import {
  conflict, NOT_FOUND, parseForm, saved, type Actor, type Conflict, type CreateResult, type Invalid, type NotFound, type Refused, type Result, type Saved, type Values,
} from './results.js';

/**
 * The one way a service writes a record that keeps a version and a history:
 * lock it, check the version the page showed, change it, read it back, and
 * audit before and after, all in the caller's transaction.
 */
export type AuditedRecord<R> = {
  entita: AuditEntita;
  find: (db: Db, scuolaId: number, id: number, options?: { forUpdate?: boolean }) => Promise<R | undefined>;
  snapshot: (row: R) => Snapshot;
};

type Versioned = { id: number; version: number };

/** Who writes: a user of the school, or nobody (`id` null: an operator's command such as `npm run dati-aperti`). */
export type AuditActor = { id: number | null; scuolaId: number };

/** What a change does once the record is locked: rows written (0 = someone else's version won), or a refusal. */
export type Change<R> = (before: R) => Promise<number | Invalid<R>>;

export function audited<R extends Versioned>(spec: AuditedRecord<R>) {
  /** `extra` joins the `dopo` snapshot: where the values came from (e.g. `fonte` of open data). */
  const audit = (trx: Knex.Transaction, actor: AuditActor, id: number, azione: AuditAzione, prima: R | null, dopo: R | null, extra: Snapshot = {}) =>
    writeAudit(trx, {
      scuolaId: actor.scuolaId, utenteId: actor.id, entita: spec.entita, entitaId: id, azione,
      prima: prima && spec.snapshot(prima), dopo: dopo && { ...spec.snapshot(dopo), ...extra },
    });

  return {
    audit,

    /** Inserts with `insert` (which returns the new id), reads the row back and audits its creation. */
    async insert(trx: Knex.Transaction, actor: Actor, insert: () => Promise<number>): Promise<R> {
      const id = await insert();
      const row = (await spec.find(trx, actor.scuolaId, id))!;
      await audit(trx, actor, id, 'crea', null, row);
      return row;
    },

    /**
     * Changes the record at the `version` the page showed: not-found, a conflict
     * when it moved on, the change's own refusal, or the saved record with the
     * one before it (for what else the save must do).
     */
    async update(
      trx: Knex.Transaction, actor: AuditActor, id: number, version: number | null, values: Values, change: Change<R>, azione: AuditAzione = 'modifica',
      extra: Snapshot = {},
    ): Promise<(Saved<R> & { before: R }) | Invalid<R> | NotFound | Conflict<R>> {
      const before = await spec.find(trx, actor.scuolaId, id, { forUpdate: true });
      if (!before) return NOT_FOUND;
      if (version === null || before.version !== version) return conflict(before, values);
      const outcome = await change(before);
      if (typeof outcome !== 'number') return { ...outcome, record: before };
      if (outcome === 0) return conflict(before, values);
      const after = (await spec.find(trx, actor.scuolaId, id))!;
      await audit(trx, actor, id, azione, before, after, extra);
      return { ...saved(after), before };
    },

    /**
     * An edit refused before or outside its transaction: the stored record joins
     * the refusal (the form is drawn again from it), or not-found. Read only on
     * this path, so a good save does not pay for it.
     */
    async refused(db: Db, actor: Actor, id: number, refusal: Invalid<R>): Promise<Invalid<R> | NotFound> {
      const stored = await spec.find(db, actor.scuolaId, id);
      return stored ? { ...refusal, record: stored } : NOT_FOUND;
    },
  };
}

/** A register's record (CIG, CUP): it can be annullato and riattivato, and deleted while no document uses it. */
export type RegistroRecord<R> = AuditedRecord<R> & {
  setStato: (db: Db, scuolaId: number, id: number, version: number, utenteId: number, stato: 'attivo' | 'annullato') => Promise<number>;
  usageCount: (db: Db, scuolaId: number, id: number) => Promise<number>;
  remove: (db: Db, scuolaId: number, id: number) => Promise<unknown>;
};

export function registroWrites<R extends Versioned & { stato: string }>(knex: Knex, spec: RegistroRecord<R>) {
  const records = audited(spec);
  return {
    /**
     * Annulla / riattiva from the record page; `version` is the one the page showed. Annulla
     * (void) only with the page's «Confermo l’annullamento» ticked (`conferma`), as Elimina il
     * mandato: without it nothing changes and the refusal says what to do.
     */
    changeStato(actor: Actor, id: number, azione: 'annulla' | 'riattiva', version: number | null, conferma = false): Promise<Result<R> | Refused> {
      const stato = azione === 'annulla' ? 'annullato' : 'attivo';
      const nome = spec.entita.toUpperCase();
      return knex.transaction(async (trx) => {
        const current = await spec.find(trx, actor.scuolaId, id, { forUpdate: true });
        if (current?.stato === stato && current.version === version) return saved(current, { changed: false });
        if (current && current.version === version && azione === 'annulla' && !conferma) {
          return { ok: false, kind: 'refused', message: `Il ${nome} non è stato annullato: per annullarlo spunta «Confermo l’annullamento del ${nome}» e premi di nuovo «Annulla il ${nome}».` } as const;
        }
        return records.update(trx, actor, id, version, {}, (before) => spec.setStato(trx, actor.scuolaId, id, before.version, actor.id, stato), azione);
      });
    },

    /** Deletes a record no document uses; a used one can only be annullato (a conflict with its `usi`). */
    async remove(actor: Actor, id: number): Promise<Saved<R> | NotFound | Conflict<R>> {
      const inUse = async (db: Db, record: R) => conflict(record, {}, await spec.usageCount(db, actor.scuolaId, id));
      try {
        return await knex.transaction(async (trx) => {
          const before = await spec.find(trx, actor.scuolaId, id, { forUpdate: true });
          if (!before) return NOT_FOUND;
          if ((await spec.usageCount(trx, actor.scuolaId, id)) > 0) return inUse(trx, before);
          await spec.remove(trx, actor.scuolaId, id);
          await records.audit(trx, actor, id, 'elimina', before, null);
          return saved(before);
        });
      } catch (err) {
        // A document saved with this record in the meantime: the foreign key refuses the delete.
        const record = isForeignKeyViolation(err) ? await spec.find(knex, actor.scuolaId, id) : undefined;
        if (record) return inUse(knex, record);
        throw err;
      }
    },
  };
}

/** How a register's form becomes its record (CIG, CUP): the schemas, the values stored, the writes, the refusals. */
export type RegistroForm<R, F, V> = {
  createSchema: z.ZodType<F>;
  updateSchema: z.ZodType<F & { version: number }>;
  /** The form's fields, without version. */
  fields: readonly string[];
  toValues(form: F): V;
  insert(db: Db, scuolaId: number, userId: number, values: V): Promise<number>;
  update(db: Db, scuolaId: number, id: number, version: number, userId: number, values: V): Promise<number>;
  /** A refusal found before saving (a chosen record gone meanwhile), or null. */
  check?(scuolaId: number, values: V, submitted: Values): Promise<Invalid<R> | null>;
  /** A save the database refused: the answer for the form, or the error thrown again. */
  refusal(err: unknown, scuolaId: number, values: V, submitted: Values): Promise<Invalid<R>>;
};

/** New and edit of a register's record, audited; an edit refused shows the form again with the stored record. */
export function registroSaves<R extends Versioned, F, V>(knex: Knex, spec: AuditedRecord<R> & RegistroForm<R, F, V>) {
  const records = audited(spec);
  const updateFields = [...spec.fields, 'version'];
  return {
    async create(actor: Actor, body: unknown): Promise<CreateResult<R>> {
      const form = parseForm(spec.createSchema, body, spec.fields);
      if (!form.ok) return form.invalid;
      const values = spec.toValues(form.data);
      const refused = await spec.check?.(actor.scuolaId, values, form.submitted);
      if (refused) return refused;
      try {
        return saved(await knex.transaction((trx) => records.insert(trx, actor, () => spec.insert(trx, actor.scuolaId, actor.id, values))));
      } catch (err) {
        return spec.refusal(err, actor.scuolaId, values, form.submitted);
      }
    },

    async update(actor: Actor, id: number, body: unknown): Promise<Result<R>> {
      const form = parseForm(spec.updateSchema, body, updateFields);
      if (!form.ok) return records.refused(knex, actor, id, form.invalid);
      const values = spec.toValues(form.data);
      const refused = await spec.check?.(actor.scuolaId, values, form.submitted);
      if (refused) return records.refused(knex, actor, id, refused);
      try {
        return await knex.transaction((trx) =>
          records.update(trx, actor, id, form.data.version, form.submitted, (before) => spec.update(trx, actor.scuolaId, id, before.version, actor.id, values)),
        );
      } catch (err) {
        return records.refused(knex, actor, id, await spec.refusal(err, actor.scuolaId, values, form.submitted));
      }
    },
  };
}
