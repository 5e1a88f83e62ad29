import { sameSchool } from '../db/sameSchool.js';
import type { Db } from '../db/types.js';

export type AuditEntita = 'cig' | 'cup' | 'impegno' | 'mandato' | 'voce' | 'creditore' | 'importazione' | 'fattura' | 'scuola' | 'conto';
export type AuditAzione = 'crea' | 'modifica' | 'elimina' | 'annulla' | 'riattiva' | 'collega' | 'scollega';
export type Snapshot = Record<string, unknown>;

/** The audited fields of a row, as they are: what the history of a record shows. */
export function snapshotOf<R extends object>(row: R, fields: readonly (keyof R & string)[]): Snapshot {
  return Object.fromEntries(fields.map((f) => [f, row[f]]));
}

export type AuditEntry = {
  scuolaId: number;
  utenteId: number | null;
  entita: AuditEntita;
  entitaId: number;
  azione: AuditAzione;
  prima: Snapshot | null;
  dopo: Snapshot | null;
};

/** One audit row; call it with the transaction that made the change. */
export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    scuola_id: e.scuolaId,
    utente_id: e.utenteId,
    entita: e.entita,
    entita_id: e.entitaId,
    azione: e.azione,
    prima: e.prima === null ? null : JSON.stringify(e.prima),
    dopo: e.dopo === null ? null : JSON.stringify(e.dopo),
  });
}

export type AuditRow = {
  id: number;
  azione: AuditAzione;
  prima: Snapshot | null;
  dopo: Snapshot | null;
  created_at: Date;
  utente_nome: string | null;
};

/** The history of one record, newest first, with the name of who made each change. */
export function historyOf(db: Db, scuolaId: number, entita: AuditEntita, entitaId: number, limit = 200): Promise<AuditRow[]> {
  return db('audit_log as a')
    .leftJoin('utenti as u', sameSchool('u', 'a', 'utente_id'))
    .where({ 'a.scuola_id': scuolaId, 'a.entita': entita, 'a.entita_id': entitaId })
    .orderBy([{ column: 'a.created_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .limit(limit)
    .select('a.id', 'a.azione', 'a.prima', 'a.dopo', 'a.created_at', 'u.nome as utente_nome');
}
