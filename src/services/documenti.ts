import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { findVoce, type VoceRow } from '../repositories/vociRepository.js';
import { findContoRef, findCreditoreRef, findCigRef, findCupRef, type CupRef } from '../repositories/pickerRepository.js';
import type { FieldErrors, FormErrors } from '../validation/formErrors.js';
import type { Actor } from './registro.js';
import { formatVoceCodice } from '../domain/piano.js';

/**
 * Rules shared by impegni and mandati: references must be the school's own
 * (and still usable), and the CUP follows the document to its voce.
 */

export type CupConflict = { voceCodice: string; cupVoce: string; cupDocumento: string };

export type DocInvalid = {
  ok: false;
  kind: 'invalid';
  errors: FormErrors;
  values: Record<string, string>;
  /** The voce has another CUP: the form asks whether to replace it (conferma_cup). */
  cupConflict?: CupConflict;
};
export type DocNotFound = { ok: false; kind: 'not_found' };
export type DocConflict<R> = { ok: false; kind: 'conflict'; stored: R; values: Record<string, string> };
/** `info`: what else the save did (the CUP written on the voce); `warnings`: what to check, not blocking. */
export type DocSaved<R> = { ok: true; record: R; warnings: string[]; info: string[] };
export type DocCreateResult<R> = DocSaved<R> | DocInvalid;
export type DocUpdateResult<R> = DocSaved<R> | DocInvalid | DocNotFound | DocConflict<R>;

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
 * Seed §6 item 6: the document's CUP goes on its voce, in the caller's
 * transaction, with the voce row locked. Voce without CUP → it gets this one;
 * same CUP → nothing; another CUP → only with conferma '1' ('0' keeps the voce's,
 * null means not asked yet: the caller must not save, it asks first).
 */
export function cupDecision(voce: VoceRow, cup: CupRef | null, conferma: '0' | '1' | null): { action: 'none' | 'set' | 'replace' } | { action: 'ask'; conflict: CupConflict } {
  if (!cup || voce.cup_id === cup.id) return { action: 'none' };
  if (voce.cup_id === null) return { action: 'set' };
  if (conferma === '1') return { action: 'replace' };
  if (conferma === '0') return { action: 'none' };
  return { action: 'ask', conflict: { voceCodice: formatVoceCodice(voce), cupVoce: voce.cup_codice ?? '', cupDocumento: cup.codice } };
}

export async function applyCupToVoce(trx: Knex.Transaction, actor: Actor, voce: VoceRow, cup: CupRef, documento: string): Promise<string> {
  await trx('voci_destinazione')
    .where({ scuola_id: actor.scuolaId, id: voce.id })
    .update({ cup_id: cup.id, version: trx.raw('version + 1'), updated_at: trx.fn.now(), updated_by: actor.id });
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
  return voce.cup_id === null
    ? `Il CUP ${cup.codice} è stato scritto anche sulla voce ${formatVoceCodice(voce)} del Piano delle destinazioni.`
    : `Sulla voce ${formatVoceCodice(voce)} il CUP ${voce.cup_codice} è stato sostituito da ${cup.codice}.`;
}

export function cupConflictMessage(c: CupConflict): string {
  return `La voce ${c.voceCodice} ha già il CUP ${c.cupVoce}: sostituirlo con ${c.cupDocumento}? Scegli qui sotto, poi salva di nuovo.`;
}
