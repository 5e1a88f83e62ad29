import { parseDateInput } from '../domain/dates.js';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { nextNumero } from '../repositories/numerazioneRepository.js';
import { findVoce, updateVoce, type VoceRow } from '../repositories/pianoRepository.js';
import { findContoRef, findCreditoreRef, findCigRef, findCupRef, type CupRef } from '../repositories/pickerRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { invalid, parseForm, saved, type Actor, type CreateResult, type Invalid, type Result, type Values } from './results.js';
import { audited, type AuditedRecord } from './audited.js';
import { legacyTextResolver, type LegacyDocument } from './testoOriginale.js';
import { formatVoceCodice } from '../domain/piano.js';
import { cupAppliedMessage, cupConflictMessage, cupDecision } from '../domain/documenti.js';

/**
 * Rules shared by impegni and mandati that need the database: references must
 * be the school's own (and still usable), and the CUP follows the document to
 * its voce (the pure rules are in src/domain/documenti.ts).
 */

const NON_USABILE: Record<string, string> = { annullato: 'annullato', chiuso: 'chiuso' };

/**
 * Checks the ids a document form sent: each must exist in the school; a CIG/CUP
 * that is no longer active can stay on a document that already has it, but not
 * be chosen anew. Returns the field errors (empty when all is well).
 */
export async function checkReferences(
  db: Db,
  scuolaId: number,
  refs: { conto_id?: number | null; creditore?: { field: string; id: number | null }; cig_id: number | null; cup_id: number | null },
  stored: { conto_id?: number | null; cig_id: number | null; cup_id: number | null } | null,
): Promise<{ errors: FieldErrors; cup: CupRef | null; cigCodice: string | null }> {
  const errors: FieldErrors = {};
  let cup: CupRef | null = null;
  let cigCodice: string | null = null;
  if (refs.conto_id !== undefined && refs.conto_id !== null) {
    const conto = await findContoRef(db, scuolaId, refs.conto_id);
    if (!conto) errors.conto_id = 'Scegli il conto dall’elenco';
    else if (!conto.attivo && stored?.conto_id !== conto.id) errors.conto_id = 'Il conto scelto non è più in uso: scegline un altro';
  }
  if (refs.creditore && refs.creditore.id !== null && !(await findCreditoreRef(db, scuolaId, refs.creditore.id))) {
    errors[refs.creditore.field] = refs.creditore.field === 'beneficiario_id' ? 'Scegli il beneficiario dall’elenco' : 'Scegli il creditore dall’elenco';
  }
  if (refs.cig_id !== null) {
    const cig = await findCigRef(db, scuolaId, refs.cig_id);
    if (!cig) errors.cig_id = 'Scegli il CIG dall’elenco';
    else if (cig.stato !== 'attivo' && stored?.cig_id !== cig.id) errors.cig_id = `Il CIG ${cig.codice} è annullato: non si può scegliere per un documento`;
    else cigCodice = cig.codice;
  }
  if (refs.cup_id !== null) {
    const found = await findCupRef(db, scuolaId, refs.cup_id);
    if (!found) errors.cup_id = 'Scegli il CUP dall’elenco';
    else if (found.stato !== 'attivo' && stored?.cup_id !== found.id) errors.cup_id = `Il CUP ${found.codice} è ${NON_USABILE[found.stato] ?? found.stato}: non si può scegliere per un documento`;
    else cup = found;
  }
  return { errors, cup, cigCodice };
}

/** The voce a document goes on: the school's, of the document's esercizio. */
export async function checkVoce(db: Db, scuolaId: number, voceId: number, esercizio: number, options: { forUpdate?: boolean } = {}) {
  const voce = await findVoce(db, scuolaId, voceId, options);
  if (!voce) return { voce: null, error: 'Scegli la voce del Piano delle destinazioni dall’elenco' };
  if (voce.esercizio !== esercizio) return { voce: null, error: `La voce ${formatVoceCodice(voce)} è dell’esercizio ${voce.esercizio}: scegli una voce del ${esercizio}` };
  return { voce, error: null };
}

export function voceSnapshot(v: VoceRow): Snapshot {
  return {
    esercizio: v.esercizio,
    codice: formatVoceCodice(v),
    descrizione: v.descrizione,
    cup: v.cup_codice,
  };
}

/**
 * Writes the document's CUP on its voce (docs/dominio.md: the CUP follows the
 * document), in the caller's transaction, on the voce row the caller locked.
 */
export async function applyCupToVoce(trx: Knex.Transaction, actor: Actor, voce: VoceRow, cup: CupRef, documento: string): Promise<string> {
  await updateVoce(trx, actor.scuolaId, voce.id, voce.version, actor.id, { cup_id: cup.id });
  const after = (await findVoce(trx, actor.scuolaId, voce.id))!;
  await writeAudit(trx, {
    scuolaId: actor.scuolaId,
    utenteId: actor.id,
    entita: 'voce',
    entitaId: voce.id,
    azione: 'modifica',
    prima: voceSnapshot(voce),
    dopo: { ...voceSnapshot(after), origine: documento },
  });
  return cupAppliedMessage(voce, cup);
}

/** A document form that passed the document's own rules: the values to store, its voce (locked), its CUP, and whether either changed. */
export type Checked<V> = { ok: true; values: V; voce: VoceRow; cup: CupRef | null; cupChanged: boolean };
type Refused<R> = { ok: false; invalid: Invalid<R> };

type Numbered = LegacyDocument & { numero: number; esercizio: number };

/** A numbered document of an esercizio (impegno, mandato): how its form is read, checked and stored. */
export type DocumentSpec<R extends Numbered, F extends { conferma_cup: '0' | '1' | null }, V> = AuditedRecord<R> & {
  entita: 'impegno' | 'mandato';
  /** 'Impegno' or 'Mandato': the document as named in the voce's history. */
  nome: string;
  createSchema: z.ZodType<F>;
  updateSchema: z.ZodType<F & { version: number }>;
  /** The form's fields, without conferma_cup and version. */
  fields: readonly string[];
  /** The refusal when a reference went away during the save (a foreign key). */
  gone: FieldErrors;
  /** The document's own rules, inside the saving transaction (`stored`: the record being edited). */
  check(trx: Knex.Transaction, actor: Actor, esercizio: number, form: F, stored: R | null, submitted: Values): Promise<Checked<V> | Refused<R>>;
  insert(trx: Knex.Transaction, scuolaId: number, userId: number, values: V & { esercizio: number; numero: number }): Promise<number>;
  update(trx: Knex.Transaction, scuolaId: number, id: number, version: number, userId: number, values: V): Promise<number>;
  /** What to check after a save, not blocking. */
  warnings?(record: R): string[];
};

/**
 * New and edit of a numbered document: its own checks, the CUP that follows it
 * to the voce (asking first when the voce has another), the next number of the
 * esercizio, the audited write, all in one transaction.
 */
export function documentWrites<R extends Numbered, F extends { conferma_cup: '0' | '1' | null }, V>(knex: Knex, spec: DocumentSpec<R, F, V>) {
  const records = audited(spec);
  const fields = [...spec.fields, 'conferma_cup', 'cup_dalla_voce'];
  const updateFields = [...fields, 'version'];
  const warnings = (record: R) => spec.warnings?.(record) ?? [];

  async function prepare(trx: Knex.Transaction, actor: Actor, esercizio: number, form: F, stored: R | null, submitted: Values) {
    const checked = await spec.check(trx, actor, esercizio, form, stored, submitted);
    if (!checked.ok) return checked;
    const decision = checked.cupChanged ? cupDecision(checked.voce, checked.cup, form.conferma_cup) : ({ action: 'none' } as const);
    if (decision.action === 'ask') {
      return { ok: false, invalid: invalid<R>(submitted, { conferma_cup: cupConflictMessage(decision.conflict) }, { cupConflict: decision.conflict }) } as const;
    }
    return { ...checked, decision };
  }

  /** Writes the CUP on the voce when the save decided so: the message that says it, or none. */
  async function cupInfo(trx: Knex.Transaction, actor: Actor, p: Checked<V> & { decision: { action: string } }, numero: number, esercizio: number) {
    return p.cup && p.decision.action !== 'none' ? [await applyCupToVoce(trx, actor, p.voce, p.cup, `${spec.nome} n. ${numero}/${esercizio}`)] : [];
  }

  return {
    async create(actor: Actor, esercizio: number, body: unknown): Promise<CreateResult<R>> {
      const form = parseForm(spec.createSchema, body, fields);
      if (!form.ok) return form.invalid;
      try {
        return await knex.transaction(async (trx) => {
          const p = await prepare(trx, actor, esercizio, form.data, null, form.submitted);
          if (!p.ok) return p.invalid;
          const numero = await nextNumero(trx, actor.scuolaId, spec.entita, esercizio);
          const record = await records.insert(trx, actor, () => spec.insert(trx, actor.scuolaId, actor.id, { ...p.values, esercizio, numero }));
          const info = await cupInfo(trx, actor, p, numero, esercizio);
          return saved(record, { info, warnings: warnings(record) });
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return invalid<R>(form.submitted, spec.gone);
        throw err;
      }
    },

    /** One click on the document's legacy CIG/CUP text (services/testoOriginale.ts). */
    resolveLegacyText: legacyTextResolver(knex, spec),

    async update(actor: Actor, id: number, body: unknown): Promise<Result<R>> {
      const form = parseForm(spec.updateSchema, body, updateFields);
      if (!form.ok) return records.refused(knex, actor, id, form.invalid);
      try {
        return await knex.transaction(async (trx) => {
          let info: string[] = [];
          const outcome = await records.update(trx, actor, id, form.data.version, form.submitted, async (before) => {
            const p = await prepare(trx, actor, before.esercizio, form.data, before, form.submitted);
            if (!p.ok) return p.invalid;
            const n = await spec.update(trx, actor.scuolaId, id, before.version, actor.id, p.values);
            if (n > 0) info = await cupInfo(trx, actor, p, before.numero, before.esercizio);
            return n;
          });
          return outcome.ok ? { ...outcome, info, warnings: warnings(outcome.record) } : outcome;
        });
      } catch (err) {
        if (isForeignKeyViolation(err)) return records.refused(knex, actor, id, invalid(form.submitted, spec.gone));
        throw err;
      }
    },
  };
}

/** The fields «verifica» reads from a form being edited: ids, the date, the answer about the voce's CUP; anything else ignored. */
export function formaInCorso(body: unknown) {
  const b = (body ?? {}) as Record<string, unknown>;
  const id = (name: string) => {
    const v = b[name];
    return typeof v === 'string' && /^[1-9]\d{0,8}$/.test(v) ? Number(v) : null;
  };
  const conferma: '0' | '1' | null = b.conferma_cup === '0' ? '0' : b.conferma_cup === '1' ? '1' : null;
  return { id, data: typeof b.data === 'string' ? parseDateInput(b.data) : null, conferma };
}
