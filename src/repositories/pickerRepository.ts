import type { Db } from '../db/types.js';

/**
 * What the documents' pickers offer and what their saves check: the school's
 * CIG, CUP, creditori and conti. Options are the ACTIVE codes plus, when given,
 * the one the document already has (even if annullato/chiuso, so it still shows).
 */
export type CigRef = { id: number; codice: string; oggetto: string; stato: string };
export type CupRef = { id: number; codice: string; descrizione: string; stato: string };
export type ContoRef = { id: number; tipo: number; conto: number; sottoconto: number; descrizione: string; attivo: boolean };

export function cigOptions(db: Db, scuolaId: number, keepId: number | null): Promise<CigRef[]> {
  return db('cig')
    .where('scuola_id', scuolaId)
    .andWhere((qb) => {
      qb.where('stato', 'attivo');
      if (keepId !== null) qb.orWhere('id', keepId);
    })
    .orderBy(['codice', 'id'])
    .select('id', 'codice', 'oggetto', 'stato');
}

export function cupOptions(db: Db, scuolaId: number, keepIds: (number | null)[]): Promise<CupRef[]> {
  const keep = keepIds.filter((id): id is number => id !== null);
  return db('cup')
    .where('scuola_id', scuolaId)
    .andWhere((qb) => {
      qb.where('stato', 'attivo');
      if (keep.length) qb.orWhereIn('id', keep);
    })
    .orderBy(['codice', 'id'])
    .select('id', 'codice', 'descrizione', 'stato');
}

export function contiOptions(db: Db, scuolaId: number, keepId: number | null): Promise<ContoRef[]> {
  return db('piano_conti')
    .where('scuola_id', scuolaId)
    .andWhere((qb) => {
      qb.where('attivo', true);
      if (keepId !== null) qb.orWhere('id', keepId);
    })
    .orderBy(['tipo', 'conto', 'sottoconto'])
    .select('id', 'tipo', 'conto', 'sottoconto', 'descrizione', 'attivo');
}

export function findCigRef(db: Db, scuolaId: number, id: number): Promise<CigRef | undefined> {
  return db('cig').where({ scuola_id: scuolaId, id }).first('id', 'codice', 'oggetto', 'stato');
}

export function findCupRef(db: Db, scuolaId: number, id: number): Promise<CupRef | undefined> {
  return db('cup').where({ scuola_id: scuolaId, id }).first('id', 'codice', 'descrizione', 'stato');
}

export function findContoRef(db: Db, scuolaId: number, id: number): Promise<ContoRef | undefined> {
  return db('piano_conti').where({ scuola_id: scuolaId, id }).first('id', 'tipo', 'conto', 'sottoconto', 'descrizione', 'attivo');
}

export function findCreditoreRef(db: Db, scuolaId: number, id: number): Promise<{ id: number; denominazione: string } | undefined> {
  return db('creditori').where({ scuola_id: scuolaId, id }).first('id', 'denominazione');
}
