import type { Db } from '../db/types.js';
import { sameSchool } from '../db/sameSchool.js';
import type { BustaFile } from '../formats/fatturapa/busta.js';

/**
 * The received invoices' tables (migration 09): the files as received, one row
 * per invoice body, the codes written on it. Every query is scoped by school.
 */

export type FileValues = {
  tipo: 'fattura' | 'metadati';
  nome: string;
  busta: BustaFile;
  sha256: string;
  contenuto: Buffer;
  /** Schema violations found on a readable file. */
  avvisi: string[];
  /** Metadata: the invoice file it describes, and the SdI identifier. */
  nome_fattura?: string | null;
  identificativo_sdi?: string | null;
};

export type StatoFattura = 'da_collegare' | 'collegata' | 'pagata_in_parte' | 'pagata' | 'nota_credito';

/** What the upload stores of one body: read from the invoice, never edited afterwards. */
export type FatturaValues = {
  file_id: number;
  corpo: number;
  formato: string;
  tipo_documento: string;
  divisa: string;
  numero: string;
  data: string;
  fornitore_chiave: string;
  fornitore_denominazione: string;
  fornitore_partita_iva: string | null;
  fornitore_codice_fiscale: string | null;
  creditore_id: number | null;
  totale_cents: number;
  imponibile_cents: number;
  imposta_cents: number;
  split_payment: boolean;
  importo_dovuto_cents: number;
  scadenza: string | null;
  iban: string | null;
  modalita_pagamento: string | null;
  codice_destinatario: string | null;
  identificativo_sdi: string | null;
  cig: string | null;
  cup: string | null;
  senza_cig: boolean;
  codici_da_verificare: boolean;
};

export type FatturaRow = FatturaValues & {
  id: number;
  stato: StatoFattura;
  creditore: string | null;
  impegno_id: number | null;
  impegno_numero: number | null;
  impegno_esercizio: number | null;
  motivo_collegamento: string | null;
  rettifica_di_id: number | null;
  stornato_cents: number;
  pagato_cents: number;
  file_nome: string;
  version: number;
  created_at: Date;
  updated_at: Date;
};

export type CodiceValues = {
  tipo: 'cig' | 'cup';
  campo: 'cig' | 'cup';
  scritto: string;
  codice: string | null;
  esito: 'valido' | 'correzione' | 'non_valido' | 'altro_campo';
  motivo: string | null;
  righe: number[];
};

/** A code of the invoice, with the register's record of it when there is one. */
export type CodiceRow = CodiceValues & { id: number; registro_id: number | null; registro_stato: string | null };

const FATTURA_COLUMNS = [
  'f.id', 'f.file_id', 'f.corpo', 'f.formato', 'f.tipo_documento', 'f.divisa', 'f.numero', 'f.data',
  'f.fornitore_chiave', 'f.fornitore_denominazione', 'f.fornitore_partita_iva', 'f.fornitore_codice_fiscale',
  'f.creditore_id', 'c.denominazione as creditore',
  'f.totale_cents', 'f.imponibile_cents', 'f.imposta_cents', 'f.split_payment', 'f.importo_dovuto_cents',
  'f.scadenza', 'f.iban', 'f.modalita_pagamento', 'f.codice_destinatario', 'f.identificativo_sdi',
  'f.cig', 'f.cup', 'f.senza_cig', 'f.codici_da_verificare',
  'f.impegno_id', 'i.numero as impegno_numero', 'i.esercizio as impegno_esercizio', 'f.motivo_collegamento',
  'f.rettifica_di_id', 'f.stornato_cents', 'f.pagato_cents', 'f.stato', 'ff.nome as file_nome',
  'f.version', 'f.created_at', 'f.updated_at',
];

export function fattureBase(db: Db, scuolaId: number) {
  return db('fatture as f')
    .join('fatture_file as ff', sameSchool('ff', 'f', 'file_id'))
    .leftJoin('creditori as c', sameSchool('c', 'f', 'creditore_id'))
    .leftJoin('impegni as i', sameSchool('i', 'f', 'impegno_id'))
    .where('f.scuola_id', scuolaId);
}

export async function findFattura(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}): Promise<FatturaRow | undefined> {
  const qb = fattureBase(db, scuolaId).where('f.id', id).first(FATTURA_COLUMNS);
  if (options.forUpdate) qb.forUpdate('f');
  return qb;
}

export type ScuolaIdentita = { codice_fiscale: string | null; denominazione: string; codice_univoco_ufficio: string | null };

/** The school's identity, to check that an invoice is addressed to it (its codice fiscale, its IPA office). */
export function scuolaIdentita(db: Db, scuolaId: number): Promise<ScuolaIdentita | undefined> {
  return db('scuole').where({ id: scuolaId }).first('codice_fiscale', 'denominazione', 'codice_univoco_ufficio');
}

/** Stores a received file once per school: null when the same bytes are already there. */
export async function insertFile(db: Db, scuolaId: number, userId: number, v: FileValues): Promise<number | null> {
  const rows = await db('fatture_file')
    .insert({
      scuola_id: scuolaId,
      tipo: v.tipo,
      nome: v.nome,
      busta: v.busta,
      sha256: v.sha256,
      dimensione: v.contenuto.length,
      contenuto: v.contenuto,
      avvisi: JSON.stringify(v.avvisi),
      nome_fattura: v.nome_fattura ?? null,
      identificativo_sdi: v.identificativo_sdi ?? null,
      created_by: userId,
    })
    .onConflict(['scuola_id', 'sha256'])
    .ignore()
    .returning('id');
  return rows[0] ? Number(rows[0].id) : null;
}

export function findFileBySha(db: Db, scuolaId: number, sha256: string): Promise<{ id: number; tipo: string; nome: string } | undefined> {
  return db('fatture_file').where({ scuola_id: scuolaId, sha256 }).first('id', 'tipo', 'nome');
}

/** A stored file, for download: its name, bytes and digest. */
export async function findFile(db: Db, scuolaId: number, id: number): Promise<{ id: number; nome: string; contenuto: Buffer; sha256: string; busta: BustaFile; avvisi: string[] } | undefined> {
  const row = await db('fatture_file').where({ scuola_id: scuolaId, id }).first('id', 'nome', 'contenuto', 'sha256', 'busta', 'avvisi');
  return row ? { ...row, contenuto: Buffer.from(row.contenuto), avvisi: parseJsonList(row.avvisi) } : undefined;
}

function parseJsonList(value: unknown): string[] {
  const list = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(list) ? list.map(String) : [];
}

/** The invoices stored from one file (an upload of a file already there points to them). */
export function fattureOfFile(db: Db, scuolaId: number, fileId: number): Promise<{ id: number; numero: string; data: string; fornitore_denominazione: string }[]> {
  return db('fatture').where({ scuola_id: scuolaId, file_id: fileId }).orderBy('corpo').select('id', 'numero', 'data', 'fornitore_denominazione');
}

/** Inserts one invoice; null when the same supplier, tipo, numero and data is already there. */
export async function insertFattura(db: Db, scuolaId: number, userId: number, v: FatturaValues): Promise<number | null> {
  const rows = await db('fatture')
    .insert({ ...v, scuola_id: scuolaId, created_by: userId, updated_by: userId })
    .onConflict(['scuola_id', 'fornitore_chiave', 'tipo_documento', 'numero', 'data'])
    .ignore()
    .returning('id');
  return rows[0] ? Number(rows[0].id) : null;
}

export function findFatturaByKey(
  db: Db, scuolaId: number, key: Pick<FatturaValues, 'fornitore_chiave' | 'tipo_documento' | 'numero' | 'data'>,
): Promise<{ id: number; numero: string; data: string; fornitore_denominazione: string } | undefined> {
  const { fornitore_chiave, tipo_documento, numero, data } = key;
  return db('fatture').where({ scuola_id: scuolaId, fornitore_chiave, tipo_documento, numero, data }).first('id', 'numero', 'data', 'fornitore_denominazione');
}

export async function insertCodici(db: Db, scuolaId: number, fatturaId: number, codici: CodiceValues[]): Promise<void> {
  if (codici.length === 0) return;
  await db('fatture_codici').insert(codici.map((c) => ({ ...c, righe: JSON.stringify(c.righe), scuola_id: scuolaId, fattura_id: fatturaId })));
}

/** The codes of an invoice, each with its register record (matched by code, so a code registered later is found). */
export async function codiciOfFattura(db: Db, scuolaId: number, fatturaId: number): Promise<CodiceRow[]> {
  const rows = await db('fatture_codici as fc')
    .leftJoin('cig as g', function () {
      this.on('g.scuola_id', 'fc.scuola_id').andOn('g.codice', 'fc.codice').andOnVal('fc.tipo', 'cig');
    })
    .leftJoin('cup as p', function () {
      this.on('p.scuola_id', 'fc.scuola_id').andOn('p.codice', 'fc.codice').andOnVal('fc.tipo', 'cup');
    })
    .where({ 'fc.scuola_id': scuolaId, 'fc.fattura_id': fatturaId })
    .orderBy('fc.id')
    .select(
      'fc.id', 'fc.tipo', 'fc.campo', 'fc.scritto', 'fc.codice', 'fc.esito', 'fc.motivo', 'fc.righe',
      db.raw('coalesce(g.id, p.id) as registro_id'),
      db.raw('coalesce(g.stato, p.stato) as registro_stato'),
    );
  return rows.map((r) => ({ ...r, righe: parseJsonList(r.righe).map(Number) }));
}

/** The SdI identifiers already stored (by earlier metadata files) for these invoice file names. */
export async function identificativiSdi(db: Db, scuolaId: number, nomiFattura: string[]): Promise<Map<string, string>> {
  if (nomiFattura.length === 0) return new Map();
  const rows: { nome_fattura: string; identificativo_sdi: string }[] = await db('fatture_file')
    .where({ scuola_id: scuolaId, tipo: 'metadati' })
    .whereIn('nome_fattura', nomiFattura)
    .whereNotNull('identificativo_sdi')
    .orderBy('id')
    .select('nome_fattura', 'identificativo_sdi');
  return new Map(rows.map((r) => [r.nome_fattura, r.identificativo_sdi]));
}

/** Writes the SdI identifier on the invoices of the file the metadata describes; how many. */
export function setIdentificativoSdi(db: Db, scuolaId: number, nomeFattura: string, identificativo: string): Promise<number> {
  return db('fatture')
    .where('scuola_id', scuolaId)
    .whereIn('file_id', db('fatture_file').where({ scuola_id: scuolaId, tipo: 'fattura', nome: nomeFattura }).select('id'))
    .update({ identificativo_sdi: identificativo });
}

/** The supplier among the Creditori: by partita IVA, then by codice fiscale. */
export async function creditoreOfFornitore(db: Db, scuolaId: number, fornitore: { partitaIva: string | null; codiceFiscale: string | null }): Promise<number | null> {
  if (fornitore.partitaIva) {
    const row = await db('creditori').where({ scuola_id: scuolaId, partita_iva: fornitore.partitaIva }).orderBy('id').first('id');
    if (row) return row.id;
  }
  if (fornitore.codiceFiscale) {
    const row = await db('creditori').where({ scuola_id: scuolaId, codice_fiscale: fornitore.codiceFiscale }).orderBy('id').first('id');
    if (row) return row.id;
  }
  return null;
}
