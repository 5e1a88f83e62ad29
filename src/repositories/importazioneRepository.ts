import type { Db } from '../db/types.js';

/**
 * Set-based queries of the one-time import: harvest the legacy free text once
 * per distinct spelling, insert the new codes in bulk, link the documents with
 * one UPDATE per table. Nothing here loops over documents.
 */

/** The legacy field a text is in: the document's (or voce's) CIG field or CUP field. */
export type LegacyField = 'cig' | 'cup';

/**
 * One distinct spelling of one legacy field, with what it is attached to:
 * documents (and how many still wait for a CIG or a CUP), voci, and the text
 * of its most recent document (an impegno's oggetto before a mandato's causale).
 */
export type TextRow = {
  campo: LegacyField;
  raw: string;
  documenti: number;
  senza_cig: number;
  senza_cup: number;
  voci: number;
  voci_senza_cup: number;
  oggetto: string | null;
  ultima_data: string | null;
  descrizione_voce: string | null;
};

const NOT_BLANK = `~ '\\S'`;
// (No "?" in these patterns: knex would read it as a binding.)

/** Every distinct legacy text of the school's documents and voci not yet judged to hold no code. */
export async function harvestTexts(db: Db, scuolaId: number): Promise<TextRow[]> {
  // One pass per table: each document gives a row per legacy field it has (the predicate is the partial index's).
  const docs = (table: 'impegni' | 'mandati', testo: string) =>
    `select f.campo, f.raw, ${table === 'impegni' ? 0 : 1} as rango, d.${testo} as testo, d.data,
            (d.cig_id is null and d.motivo_esclusione_cig is null) as senza_cig, d.cup_id is null as senza_cup
     from ${table} d
     cross join lateral (values ('cig', d.cig_testo, d.cig_testo_nessun_codice), ('cup', d.cup_testo, d.cup_testo_nessun_codice)) as f(campo, raw, nessun_codice)
     where d.scuola_id = ? and (d.cig_testo ${NOT_BLANK} or d.cup_testo ${NOT_BLANK}) and f.raw ${NOT_BLANK} and not f.nessun_codice`;
  const { rows } = await db.raw(
    `with docs as (${docs('impegni', 'oggetto')} union all ${docs('mandati', 'causale')}),
     -- The oggetto of an impegno before a mandato's causale, then the most recent: a max over
     -- arrays, one pass, where array_agg(… order by …) would sort every group.
     by_doc as (
       select campo, raw, count(*)::int as documenti,
              count(*) filter (where senza_cig)::int as senza_cig, count(*) filter (where senza_cup)::int as senza_cup,
              (max(array[(1 - rango)::text, data::text, testo]))[3] as oggetto, max(data)::text as ultima_data
       from docs group by campo, raw
     ),
     by_voce as (
       select 'cup' as campo, cup_testo as raw, count(*)::int as voci, count(*) filter (where cup_id is null)::int as voci_senza_cup,
              (array_agg(descrizione order by esercizio desc, id desc))[1] as descrizione_voce
       from voci_destinazione where scuola_id = ? and cup_testo ${NOT_BLANK} and not cup_testo_nessun_codice group by cup_testo
     )
     select coalesce(d.campo, v.campo) as campo, coalesce(d.raw, v.raw) as raw,
            coalesce(d.documenti, 0) as documenti, coalesce(d.senza_cig, 0) as senza_cig, coalesce(d.senza_cup, 0) as senza_cup,
            coalesce(v.voci, 0) as voci, coalesce(v.voci_senza_cup, 0) as voci_senza_cup,
            d.oggetto, d.ultima_data, v.descrizione_voce
     from by_doc d full join by_voce v on v.campo = d.campo and v.raw = d.raw
     order by 1, 2`,
    [scuolaId, scuolaId, scuolaId],
  );
  return rows;
}

export type ProseRow = { tipo: 'impegno' | 'mandato'; id: number; esercizio: number; numero: number; testo: string; vuole_cig: boolean; vuole_cup: boolean };

/**
 * Documents that still lack a CIG or a CUP, have none written in their fields,
 * and whose oggetto/causale or note may hold one (a 10-character word with a
 * digit, or the word CIG or CUP): the scanner reads them for suggestions.
 */
export async function textsInProse(db: Db, scuolaId: number): Promise<ProseRow[]> {
  // Cheap filters first: a CIG read in prose has 10 characters with a digit (or follows the word CIG),
  // a CUP only follows the word CUP. (No "?" in these patterns: knex would read it as a binding.)
  const branch = (table: 'impegni' | 'mandati', tipo: string, testo: string) => {
    const text = `concat_ws(' · ', ${testo}, note)`;
    const wantsCig = `(cig_id is null and motivo_esclusione_cig is null and coalesce(cig_testo, '') !~ '\\S')`;
    const wantsCup = `(cup_id is null and coalesce(cup_testo, '') !~ '\\S')`;
    return `
    select '${tipo}' as tipo, id, esercizio, numero, ${text} as testo, ${wantsCig} as vuole_cig, ${wantsCup} as vuole_cup
    from ${table}
    where scuola_id = ? and ${text} ~ '[0-9]'
      and ((${wantsCig} and ${text} ~* '[a-z0-9]{10}|c\\.{0,1}\\s{0,1}i\\.{0,1}\\s{0,1}g')
        or (${wantsCup} and ${text} ~* 'c\\.{0,1}\\s{0,1}u\\.{0,1}\\s{0,1}p'))`;
  };
  const { rows } = await db.raw(`${branch('impegni', 'impegno', 'oggetto')} union all ${branch('mandati', 'mandato', 'causale')} order by 1, 3, 4`, [scuolaId, scuolaId]);
  return rows;
}

export async function findCodes(db: Db, table: 'cig' | 'cup', scuolaId: number, codici: string[]) {
  if (!codici.length) return [] as { id: number; codice: string; stato: string }[];
  return db(table).where({ scuola_id: scuolaId }).whereIn('codice', codici).select<{ id: number; codice: string; stato: string }[]>('id', 'codice', 'stato');
}

export type MandatoSenzaCig = {
  id: number; esercizio: number; numero: number; testo: string;
  impegno_id: number; impegno_numero: number; impegno_esercizio: number; impegno_cig: string | null; impegno_cig_testo: string | null;
};

/**
 * Commercial mandati with no CIG, no motivo and nothing written in their CIG
 * field, whose impegno has a CIG (linked, or written as text): the mandato pays
 * that procurement, so its CIG is the impegno's.
 */
export async function mandatiSenzaCig(db: Db, scuolaId: number): Promise<MandatoSenzaCig[]> {
  const { rows } = await db.raw(
    `select m.id, m.esercizio, m.numero, m.causale as testo, i.id as impegno_id, i.numero as impegno_numero, i.esercizio as impegno_esercizio,
            c.codice as impegno_cig, i.cig_testo as impegno_cig_testo
     from mandati m
     join impegni i on i.scuola_id = m.scuola_id and i.id = m.impegno_id
     left join cig c on c.scuola_id = i.scuola_id and c.id = i.cig_id
     where m.scuola_id = ? and m.tipo_debito = 'COMMERCIALE' and m.cig_id is null and m.motivo_esclusione_cig is null
       and coalesce(m.cig_testo, '') !~ '\\S' and i.motivo_esclusione_cig is null
       and (i.cig_id is not null or coalesce(i.cig_testo, '') ~ '\\S')
     order by m.esercizio, m.numero`,
    [scuolaId],
  );
  return rows;
}

/** Every code of the school's register (the import compares invalid values with them). */
export function schoolCodes(db: Db, table: 'cig' | 'cup', scuolaId: number): Promise<string[]> {
  return db(table).where({ scuola_id: scuolaId }).pluck('codice');
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
/** `da_completare`: the import found no description for it. */
export type NewCup = { codice: string; descrizione: string; anno_decisione: number | null; da_completare: boolean };

/** Inserts the codes and their audit rows in two statements. */
/** Where a harvested code comes from: the register's note and the audit's `origine`. */
export type Provenienza = { nota: string; origine: string };
const IMPORT = {
  cig: { nota: 'Registrato dall’importazione CIG/CUP: completare la data di generazione.', origine: 'importazione' },
  cup: { nota: 'Registrato dall’importazione CIG/CUP.', origine: 'importazione' },
};

export async function insertImportedCig(db: Db, scuolaId: number, utenteId: number | null, rows: NewCig[], from: Provenienza = IMPORT.cig) {
  if (!rows.length) return 0;
  const { rows: inserted } = await db.raw(
    `with nuovi as (
       insert into cig (scuola_id, codice, famiglia, oggetto, stato, da_completare, note, created_by, updated_by)
       select ?, codice, famiglia, oggetto, 'attivo', true, ?, ?, ?
       from jsonb_to_recordset(cast(? as jsonb)) as t(codice text, famiglia text, oggetto text)
       on conflict (scuola_id, codice) do nothing
       returning id, codice, famiglia, oggetto
     ), audit as (
       insert into audit_log (scuola_id, utente_id, entita, entita_id, azione, dopo)
       select ?, ?, 'cig', id, 'crea', jsonb_build_object('codice', codice, 'famiglia', famiglia, 'oggetto', oggetto, 'origine', ?::text)
       from nuovi
     )
     select count(*)::int as n from nuovi`,
    [scuolaId, from.nota, utenteId, utenteId, JSON.stringify(rows), scuolaId, utenteId, from.origine],
  );
  return Number(inserted[0].n);
}

export async function insertImportedCup(db: Db, scuolaId: number, utenteId: number | null, rows: NewCup[], from: Provenienza = IMPORT.cup) {
  if (!rows.length) return 0;
  const { rows: inserted } = await db.raw(
    `with nuovi as (
       insert into cup (scuola_id, codice, descrizione, anno_decisione, da_completare, stato, note, created_by, updated_by)
       select ?, codice, descrizione, anno_decisione, da_completare, 'attivo', ?, ?, ?
       from jsonb_to_recordset(cast(? as jsonb)) as t(codice text, descrizione text, anno_decisione int, da_completare boolean)
       on conflict (scuola_id, codice) do nothing
       returning id, codice, descrizione, anno_decisione
     ), audit as (
       insert into audit_log (scuola_id, utente_id, entita, entita_id, azione, dopo)
       select ?, ?, 'cup', id, 'crea', jsonb_build_object('codice', codice, 'descrizione', descrizione, 'anno_decisione', anno_decisione, 'origine', ?::text)
       from nuovi
     )
     select count(*)::int as n from nuovi`,
    [scuolaId, from.nota, utenteId, utenteId, JSON.stringify(rows), scuolaId, utenteId, from.origine],
  );
  return Number(inserted[0].n);
}

export type Mapping = { raw: string; codice: string }[];

/**
 * Links every row of `table` whose legacy text in field `campo` is one of the
 * mapped spellings to the registered `kind` code (a CUP written in the CIG
 * field goes to the CUP), leaving rows already linked untouched. A document
 * with a motivo di esclusione keeps it (a CIG and a motivo can't coexist).
 */
export async function linkTexts(
  db: Db,
  table: 'impegni' | 'mandati' | 'voci_destinazione',
  campo: LegacyField,
  kind: 'cig' | 'cup',
  scuolaId: number,
  mapping: Mapping,
): Promise<number> {
  if (!mapping.length) return 0;
  const idColumn = `${kind}_id`;
  const extra = kind === 'cig' ? 'and d.motivo_esclusione_cig is null' : '';
  const result = await db.raw(
    `update ${table} d set ${idColumn} = c.id, version = d.version + 1, updated_at = now()
     from jsonb_to_recordset(cast(? as jsonb)) as m(raw text, codice text)
     join ${kind} c on c.scuola_id = ? and c.codice = m.codice
     where d.scuola_id = ? and d.${campo}_testo = m.raw and d.${idColumn} is null ${extra}`,
    [JSON.stringify(mapping), scuolaId, scuolaId],
  );
  return result.rowCount ?? 0;
}

/** Links given documents (by id) to registered codes: the suggestions the admin accepted. */
export async function linkDocuments(db: Db, table: 'impegni' | 'mandati', kind: 'cig' | 'cup', scuolaId: number, links: { id: number; codice: string }[]): Promise<number> {
  if (!links.length) return 0;
  const extra = kind === 'cig' ? 'and d.motivo_esclusione_cig is null' : '';
  const result = await db.raw(
    `update ${table} d set ${kind}_id = c.id, version = d.version + 1, updated_at = now()
     from jsonb_to_recordset(cast(? as jsonb)) as m(id int, codice text)
     join ${kind} c on c.scuola_id = ? and c.codice = m.codice
     where d.scuola_id = ? and d.id = m.id and d.${kind}_id is null ${extra}`,
    [JSON.stringify(links), scuolaId, scuolaId],
  );
  return result.rowCount ?? 0;
}

/** Sets the motivo di esclusione on the documents whose legacy text in `campo` names it (and that have neither CIG nor motivo). */
export async function setMotivi(db: Db, table: 'impegni' | 'mandati', campo: LegacyField, scuolaId: number, motivi: { raw: string; motivo: string }[]): Promise<number> {
  if (!motivi.length) return 0;
  const result = await db.raw(
    `update ${table} d set motivo_esclusione_cig = m.motivo, version = d.version + 1, updated_at = now()
     from jsonb_to_recordset(cast(? as jsonb)) as m(raw text, motivo text)
     where d.scuola_id = ? and d.${campo}_testo = m.raw and d.cig_id is null and d.motivo_esclusione_cig is null`,
    [JSON.stringify(motivi), scuolaId],
  );
  return result.rowCount ?? 0;
}

/** Marks the legacy texts in `campo` as holding no code (placeholder, «CUP non previsto»): they stop waiting for one. */
export async function markNoCode(db: Db, table: 'impegni' | 'mandati' | 'voci_destinazione', campo: LegacyField, scuolaId: number, raws: string[]): Promise<number> {
  if (!raws.length) return 0;
  const result = await db.raw(
    `update ${table} d set ${campo}_testo_nessun_codice = true, version = d.version + 1, updated_at = now()
     where d.scuola_id = ? and d.${campo}_testo in (select jsonb_array_elements_text(cast(? as jsonb)))
       and d.${campo}_id is null and not d.${campo}_testo_nessun_codice`,
    [scuolaId, JSON.stringify(raws)],
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
