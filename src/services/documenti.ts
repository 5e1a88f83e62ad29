import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { writeAudit, type Snapshot } from '../repositories/auditRepository.js';
import { findVoce, updateVoce, type VoceRow } from '../repositories/pianoRepository.js';
import { findContoRef, findCreditoreRef, findCigRef, findCupRef, type CupRef } from '../repositories/pickerRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import type { Actor } from './results.js';
import { formatVoceCodice } from '../domain/piano.js';
import { cupAppliedMessage } from '../domain/documenti.js';

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
