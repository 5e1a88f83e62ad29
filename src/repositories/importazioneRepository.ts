import type { Db } from '../db/types.js';

/**
 * Set-based queries of the one-time import: harvest the legacy free text once
 * per distinct spelling, insert the new codes in bulk, link the documents with
 * one UPDATE per table. Nothing here loops over documents.
 */

export type CigTextRow = { raw: string; documenti: number; da_collegare: number; oggetto: string | null; ultima_data: string };
export type CupTextRow = CigTextRow & { voci: number; voci_da_collegare: number; descrizione_voce: string | null };

const NOT_BLANK = `~ '\\S'`;

export async function harvestCigTexts(db: Db, scuolaId: number): Promise<CigTextRow[]> {
  const { rows } = await db.raw(
    `with docs as (
       select cig_testo as raw, oggetto as testo, data, cig_id from impegni where scuola_id = ? and cig_testo ${NOT_BLANK}
       union all
       select cig_testo, causale, data, cig_id from mandati where scuola_id = ? and cig_testo ${NOT_BLANK}
     )
     select raw, count(*)::int as documenti, count(*) filter (where cig_id is null)::int as da_collegare,
            (array_agg(testo order by data desc))[1] as oggetto, max(data) as ultima_data
     from docs group by raw`,
    [scuolaId, scuolaId],
  );
  return rows;
}

export async function harvestCupTexts(db: Db, scuolaId: number): Promise<CupTextRow[]> {
  const { rows } = await db.raw(
    `with docs as (
       select cup_testo as raw, oggetto as testo, data, cup_id from impegni where scuola_id = ? and cup_testo ${NOT_BLANK}
       union all
       select cup_testo, causale, data, cup_id from mandati where scuola_id = ? and cup_testo ${NOT_BLANK}
     ),
     by_doc as (
       select raw, count(*)::int as documenti, count(*) filter (where cup_id is null)::int as da_collegare,
              (array_agg(testo order by data desc))[1] as oggetto, max(data) as ultima_data
       from docs group by raw
     ),
     by_voce as (
       select cup_testo as raw, count(*)::int as voci, count(*) filter (where cup_id is null)::int as voci_da_collegare,
              (array_agg(descrizione order by esercizio desc, id desc))[1] as descrizione_voce
       from voci_destinazione where scuola_id = ? and cup_testo ${NOT_BLANK} group by cup_testo
     )
     select coalesce(d.raw, v.raw) as raw,
            coalesce(d.documenti, 0) as documenti, coalesce(d.da_collegare, 0) as da_collegare,
            d.oggetto, d.ultima_data,
            coalesce(v.voci, 0) as voci, coalesce(v.voci_da_collegare, 0) as voci_da_collegare, v.descrizione_voce
     from by_doc d full join by_voce v on v.raw = d.raw`,
    [scuolaId, scuolaId, scuolaId],
  );
  return rows;
}

export async function findCodes(db: Db, table: 'cig' | 'cup', scuolaId: number, codici: string[]) {
  if (!codici.length) return [] as { id: number; codice: string }[];
  return db(table).where({ scuola_id: scuolaId }).whereIn('codice', codici).select<{ id: number; codice: string }[]>('id', 'codice');
}

export type Riferimento = { tipo: 'impegno' | 'mandato' | 'voce'; id: number; esercizio: number; numero: number | null; voce: string | null; testo: string };

/** Where given legacy spellings appear: the documents and voci that carry them. */
export async function whereTextsAppear(db: Db, kind: 'cig' | 'cup', scuolaId: number, raws: string[]): Promise<Riferimento[]> {
  if (!raws.length) return [];
  const column = kind === 'cig' ? 'cig_testo' : 'cup_testo';
  // Lists travel as one jsonb value: knex would expand a JS array into a comma list.
  const voci =
    kind === 'cup'
      ? `union all
         select 'voce', id, esercizio, null::int, aggregato || lpad(voce::text, 2, '0') || coalesce('/' || sottovoce, ''), cup_testo
         from voci_destinazione where scuola_id = ? and cup_testo in (select jsonb_array_elements_text(cast(? as jsonb)))`
      : '';
  const rawsJson = JSON.stringify(raws);
  const { rows } = await db.raw(
    `select tipo, id, esercizio, numero, voce, testo from (
       select 'impegno' as tipo, id, esercizio, numero, null::text as voce, ${column} as testo
       from impegni where scuola_id = ? and ${column} in (select jsonb_array_elements_text(cast(? as jsonb)))
       union all
       select 'mandato', id, esercizio, numero, null::text, ${column}
       from mandati where scuola_id = ? and ${column} in (select jsonb_array_elements_text(cast(? as jsonb)))
       ${voci}
     ) t order by testo, esercizio, tipo, numero nulls last, voce`,
    kind === 'cup' ? [scuolaId, rawsJson, scuolaId, rawsJson, scuolaId, rawsJson] : [scuolaId, rawsJson, scuolaId, rawsJson],
  );
  return rows;
}

export type NewCig = { codice: string; famiglia: string; oggetto: string };
export type NewCup = { codice: string; descrizione: string; anno_decisione: number | null };

/** Inserts the codes and their audit rows in two statements. */
export async function insertImportedCig(db: Db, scuolaId: number, utenteId: number | null, rows: NewCig[]) {
  if (!rows.length) return 0;
  const { rows: inserted } = await db.raw(
    `with nuovi as (
       insert into cig (scuola_id, codice, famiglia, oggetto, stato, da_completare, note, created_by, updated_by)
       select ?, codice, famiglia, oggetto, 'attivo', true, 'Registrato dall’importazione CIG/CUP: completare la data di generazione.', ?, ?
       from jsonb_to_recordset(cast(? as jsonb)) as t(codice text, famiglia text, oggetto text)
       on conflict (scuola_id, codice) do nothing
       returning id, codice, famiglia, oggetto
     ), audit as (
       insert into audit_log (scuola_id, utente_id, entita, entita_id, azione, dopo)
       select ?, ?, 'cig', id, 'crea', jsonb_build_object('codice', codice, 'famiglia', famiglia, 'oggetto', oggetto, 'origine', 'importazione')
       from nuovi
     )
     select count(*)::int as n from nuovi`,
    [scuolaId, utenteId, utenteId, JSON.stringify(rows), scuolaId, utenteId],
  );
  return Number(inserted[0].n);
}

export async function insertImportedCup(db: Db, scuolaId: number, utenteId: number | null, rows: NewCup[]) {
  if (!rows.length) return 0;
  const { rows: inserted } = await db.raw(
    `with nuovi as (
       insert into cup (scuola_id, codice, descrizione, anno_decisione, stato, note, created_by, updated_by)
       select ?, codice, descrizione, anno_decisione, 'attivo', 'Registrato dall’importazione CIG/CUP.', ?, ?
       from jsonb_to_recordset(cast(? as jsonb)) as t(codice text, descrizione text, anno_decisione int)
       on conflict (scuola_id, codice) do nothing
       returning id, codice, descrizione, anno_decisione
     ), audit as (
       insert into audit_log (scuola_id, utente_id, entita, entita_id, azione, dopo)
       select ?, ?, 'cup', id, 'crea', jsonb_build_object('codice', codice, 'descrizione', descrizione, 'anno_decisione', anno_decisione, 'origine', 'importazione')
       from nuovi
     )
     select count(*)::int as n from nuovi`,
    [scuolaId, utenteId, utenteId, JSON.stringify(rows), scuolaId, utenteId],
  );
  return Number(inserted[0].n);
}

export type Mapping = { raw: string; codice: string }[];

/**
 * Links every row of `table` whose legacy text is one of the mapped spellings
 * to the registered code, leaving rows already linked untouched. A document
 * with a motivo di esclusione keeps it (a CIG and a motivo can't coexist).
 */
export async function linkTexts(
  db: Db,
  table: 'impegni' | 'mandati' | 'voci_destinazione',
  kind: 'cig' | 'cup',
  scuolaId: number,
  mapping: Mapping,
): Promise<number> {
  if (!mapping.length) return 0;
  const idColumn = `${kind}_id`;
  const textColumn = `${kind}_testo`;
  const extra = kind === 'cig' ? 'and d.motivo_esclusione_cig is null' : '';
  const result = await db.raw(
    `update ${table} d set ${idColumn} = c.id, version = d.version + 1, updated_at = now()
     from jsonb_to_recordset(cast(? as jsonb)) as m(raw text, codice text)
     join ${kind} c on c.scuola_id = ? and c.codice = m.codice
     where d.scuola_id = ? and d.${textColumn} = m.raw and d.${idColumn} is null ${extra}`,
    [JSON.stringify(mapping), scuolaId, scuolaId],
  );
  return result.rowCount ?? 0;
}

/** Serialises runs of one school across app instances (held until the transaction ends). */
export async function tryImportLock(db: Db, scuolaId: number): Promise<boolean> {
  const { rows } = await db.raw(`select pg_try_advisory_xact_lock(?, ?) as ok`, [IMPORT_LOCK_CLASS, scuolaId]);
  return Boolean(rows[0]?.ok);
}
const IMPORT_LOCK_CLASS = 20_261_127;

export type ImportazioneRow = {
  id: number;
  scuola_id: number;
  utente_id: number | null;
  utente_nome: string | null;
  modalita: 'web' | 'cli';
  avviata_at: Date;
  completata_at: Date | null;
  conteggi: Record<string, number>;
  report: unknown;
};

export async function insertRun(db: Db, run: { scuolaId: number; utenteId: number | null; modalita: 'web' | 'cli'; conteggi: object; report: object }) {
  const [row] = await db('importazioni')
    .insert({
      scuola_id: run.scuolaId,
      utente_id: run.utenteId,
      modalita: run.modalita,
      completata_at: db.fn.now(),
      conteggi: JSON.stringify(run.conteggi),
      report: JSON.stringify(run.report),
    })
    .returning('id');
  return (row as { id: number }).id;
}

const runColumns = ['i.id', 'i.scuola_id', 'i.utente_id', 'u.nome as utente_nome', 'i.modalita', 'i.avviata_at', 'i.completata_at', 'i.conteggi'];

export function listRuns(db: Db, scuolaId: number): Promise<Omit<ImportazioneRow, 'report'>[]> {
  return db('importazioni as i')
    .leftJoin('utenti as u', 'u.id', 'i.utente_id')
    .where('i.scuola_id', scuolaId)
    .orderBy('i.id', 'desc')
    .select(runColumns);
}

export function findRun(db: Db, scuolaId: number, id: number): Promise<ImportazioneRow | undefined> {
  return db('importazioni as i')
    .leftJoin('utenti as u', 'u.id', 'i.utente_id')
    .where({ 'i.scuola_id': scuolaId, 'i.id': id })
    .first([...runColumns, 'i.report']);
}

export function listScuole(db: Db, codice?: string) {
  const q = db('scuole').select('id', 'codice_meccanografico', 'denominazione').orderBy('id');
  return codice ? q.where('codice_meccanografico', codice.toUpperCase()) : q;
}
