import type { Db } from '../db/types.js';
import type { Candidato, FatturaPagata, Invio } from '../domain/distinta.js';
import type { MandatoOpi, TipoOperazione } from '../formats/opi/flusso.js';

/**
 * Mandati al cassiere: the mandati a distinta may carry, the distinte stored
 * (`opi_flussi`), what each carried (`opi_flussi_mandati`) and the bank's
 * answers (`opi_esiti`). Every query is scoped by school.
 */

export type FiltriDistinta = { dataDa: string | null; dataA: string | null; numeroDa: number | null; numeroA: number | null };

/**
 * A mandato the bank is not up to date with: never sent (or refused), edited
 * after its last sending, or annulled after it. The final word is
 * `prossimaOperazione`; this only keeps the up-to-date ones out of the read.
 */
const DA_INVIARE = `not exists (
  select 1 from opi_flussi_mandati fm
   where fm.scuola_id = m.scuola_id and fm.mandato_id = m.id and fm.esito is distinct from 'rifiutato'
     and (fm.tipo_operazione = 'ANNULLO' or (m.annullato_at is null and fm.mandato_version >= m.version)))`;

type CandidatoRow = {
  id: number; version: number; esercizio: number; numero: number; data: string; importo_cents: string | number; causale: string;
  modalita_pagamento: string; tipo_debito: string; annullato_at: Date | null; motivo_esclusione_cig: string | null;
  cig_id: number | null; cig_codice: string | null; cig_da_completare: boolean | null; cig_stato: string | null; cup_codice: string | null;
  impegno_id: number; impegno_esercizio: number; impegno_numero: number;
  conto_id: number | null; conto_codice_siope: string | null; conto_natura_spesa: string | null;
  voce_aggregato: string; voce_voce: number; voce_descrizione: string;
  b_id: number | null; b_denominazione: string | null; b_codice_fiscale: string | null; b_partita_iva: string | null; b_indirizzo: string | null;
  b_cap: string | null; b_localita: string | null; b_provincia: string | null; b_stato: string | null; b_iban: string | null;
};

function mandatiQuery(db: Db, scuolaId: number) {
  return db('mandati as m')
    .join('impegni as i', (j) => j.on('i.scuola_id', 'm.scuola_id').andOn('i.id', 'm.impegno_id'))
    .join('voci_destinazione as v', (j) => j.on('v.scuola_id', 'i.scuola_id').andOn('v.id', 'i.voce_id'))
    .leftJoin('piano_conti as pc', (j) => j.on('pc.scuola_id', 'i.scuola_id').andOn('pc.id', 'i.conto_id'))
    .leftJoin('creditori as b', (j) => j.on('b.scuola_id', 'm.scuola_id').andOn('b.id', 'm.beneficiario_id'))
    .leftJoin('cig as cg', (j) => j.on('cg.scuola_id', 'm.scuola_id').andOn('cg.id', 'm.cig_id'))
    .leftJoin('cup as cu', (j) => j.on('cu.scuola_id', 'm.scuola_id').andOn('cu.id', 'm.cup_id'))
    .where('m.scuola_id', scuolaId)
    .select(
      'm.id', 'm.version', 'm.esercizio', 'm.numero', db.raw(`to_char(m.data, 'YYYY-MM-DD') as data`), 'm.importo_cents', 'm.causale',
      'm.modalita_pagamento', 'm.tipo_debito', 'm.annullato_at', 'm.motivo_esclusione_cig',
      'm.cig_id', 'cg.codice as cig_codice', 'cg.da_completare as cig_da_completare', 'cg.stato as cig_stato', 'cu.codice as cup_codice',
      'i.id as impegno_id', 'i.esercizio as impegno_esercizio', 'i.numero as impegno_numero',
      'pc.id as conto_id', 'pc.codice_siope as conto_codice_siope', 'pc.natura_spesa as conto_natura_spesa',
      'v.aggregato as voce_aggregato', 'v.voce as voce_voce', 'v.descrizione as voce_descrizione',
      'b.id as b_id', 'b.denominazione as b_denominazione', 'b.codice_fiscale as b_codice_fiscale', 'b.partita_iva as b_partita_iva',
      'b.indirizzo as b_indirizzo', 'b.cap as b_cap', 'b.localita as b_localita', 'b.provincia as b_provincia', 'b.stato as b_stato', 'b.iban as b_iban',
    );
}

type FatturaRow = {
  mandato_id: number; fattura_id: number | null; importo_cents: string | number; numero: string | null; data: string | null; scadenza: string | null;
  identificativo_sdi: string | null; codice_destinatario: string | null; cig: string | null;
  analogica_numero: string | null; analogica_data: string | null; analogica_codice_fiscale: string | null; analogica_tipo: 'FATT_ANALOGICA' | 'DOC_EQUIVALENTE' | null;
};

/** The invoices each mandato pays, in the order they were written. */
async function fatturePagate(db: Db, scuolaId: number, mandatoIds: number[]): Promise<Map<number, FatturaPagata[]>> {
  const out = new Map<number, FatturaPagata[]>();
  if (mandatoIds.length === 0) return out;
  const rows: FatturaRow[] = await db('mandati_fatture as mf')
    .leftJoin('fatture as f', (j) => j.on('f.scuola_id', 'mf.scuola_id').andOn('f.id', 'mf.fattura_id'))
    .where('mf.scuola_id', scuolaId)
    .whereIn('mf.mandato_id', mandatoIds)
    .orderBy('mf.id')
    .select(
      'mf.mandato_id', 'mf.fattura_id', 'mf.importo_cents', 'f.numero', db.raw(`to_char(f.data, 'YYYY-MM-DD') as data`),
      db.raw(`to_char(f.scadenza, 'YYYY-MM-DD') as scadenza`), 'f.identificativo_sdi', 'f.codice_destinatario', 'f.cig', 'mf.analogica_numero', db.raw(`to_char(mf.analogica_data, 'YYYY-MM-DD') as analogica_data`),
      'mf.analogica_codice_fiscale', 'mf.analogica_tipo',
    );
  for (const r of rows) {
    const list = out.get(r.mandato_id) ?? [];
    list.push(r.fattura_id !== null
      ? {
        fatturaId: r.fattura_id, numero: r.numero!, importoCents: Number(r.importo_cents), data: r.data!, scadenza: r.scadenza,
        elettronica: { identificativoSdi: r.identificativo_sdi, codiceDestinatario: r.codice_destinatario, cig: (r.cig ?? '').split(',').map((s) => s.trim()).filter(Boolean) }, analogica: null,
      }
      : {
        fatturaId: null, numero: r.analogica_numero!, importoCents: Number(r.importo_cents), data: r.analogica_data!, scadenza: null, elettronica: null,
        analogica: { tipo: r.analogica_tipo!, codiceFiscale: r.analogica_codice_fiscale! },
      });
    out.set(r.mandato_id, list);
  }
  return out;
}

type InvioRow = {
  mandato_id: number; flusso_id: number; flusso_numero: number; tipo_operazione: TipoOperazione; mandato_version: number;
  esito: 'accettato' | 'rifiutato' | null; dati: MandatoOpi | string;
};

/** Each mandato's sendings, oldest first. */
async function inviiOf(db: Db, scuolaId: number, mandatoIds: number[]): Promise<Map<number, Invio[]>> {
  const out = new Map<number, Invio[]>();
  if (mandatoIds.length === 0) return out;
  const rows: InvioRow[] = await db('opi_flussi_mandati as fm')
    .join('opi_flussi as f', (j) => j.on('f.scuola_id', 'fm.scuola_id').andOn('f.id', 'fm.flusso_id'))
    .where('fm.scuola_id', scuolaId)
    .whereIn('fm.mandato_id', mandatoIds)
    .orderBy('fm.flusso_id')
    .select('fm.mandato_id', 'fm.flusso_id', 'f.numero as flusso_numero', 'fm.tipo_operazione', 'fm.mandato_version', 'fm.esito', 'fm.dati');
  for (const r of rows) {
    const list = out.get(r.mandato_id) ?? [];
    list.push({
      flussoId: r.flusso_id, flussoNumero: r.flusso_numero, tipoOperazione: r.tipo_operazione, mandatoVersion: r.mandato_version, esito: r.esito,
      dati: typeof r.dati === 'string' ? (JSON.parse(r.dati) as MandatoOpi) : r.dati,
    });
    out.set(r.mandato_id, list);
  }
  return out;
}

function toCandidato(r: CandidatoRow, fatture: FatturaPagata[], invii: Invio[]): Candidato {
  return {
    id: r.id, version: r.version, esercizio: r.esercizio, numero: r.numero, data: r.data, importoCents: Number(r.importo_cents), causale: r.causale,
    modalitaPagamento: r.modalita_pagamento, tipoDebito: r.tipo_debito, annullato: r.annullato_at !== null,
    cig: r.cig_id === null ? null : { id: r.cig_id, codice: r.cig_codice!, daCompletare: r.cig_da_completare === true, annullato: r.cig_stato === 'annullato' },
    motivoEsclusione: r.motivo_esclusione_cig,
    cup: r.cup_codice,
    impegno: { id: r.impegno_id, esercizio: r.impegno_esercizio, numero: r.impegno_numero },
    conto: r.conto_id === null ? null : { id: r.conto_id, codiceSiope: r.conto_codice_siope, naturaSpesa: r.conto_natura_spesa },
    voce: { aggregato: r.voce_aggregato, voce: r.voce_voce, descrizione: r.voce_descrizione },
    beneficiario: r.b_id === null ? null : {
      id: r.b_id, denominazione: r.b_denominazione!, codiceFiscale: r.b_codice_fiscale, partitaIva: r.b_partita_iva, indirizzo: r.b_indirizzo,
      cap: r.b_cap, localita: r.b_localita, provincia: r.b_provincia, stato: r.b_stato, iban: r.b_iban,
    },
    fatture,
    invii,
  };
}

async function withDetails(db: Db, scuolaId: number, rows: CandidatoRow[]): Promise<Candidato[]> {
  const ids = rows.map((r) => r.id);
  const fatture = await fatturePagate(db, scuolaId, ids);
  const invii = await inviiOf(db, scuolaId, ids);
  return rows.map((r) => toCandidato(r, fatture.get(r.id) ?? [], invii.get(r.id) ?? []));
}

/** The mandati of the esercizio the bank is not up to date with, within the filters, by numero. */
export async function candidati(db: Db, scuolaId: number, esercizio: number, f: FiltriDistinta): Promise<Candidato[]> {
  const qb = mandatiQuery(db, scuolaId).where('m.esercizio', esercizio).whereRaw(DA_INVIARE).orderBy('m.numero');
  if (f.dataDa) qb.where('m.data', '>=', f.dataDa);
  if (f.dataA) qb.where('m.data', '<=', f.dataA);
  if (f.numeroDa !== null) qb.where('m.numero', '>=', f.numeroDa);
  if (f.numeroA !== null) qb.where('m.numero', '<=', f.numeroA);
  return withDetails(db, scuolaId, (await qb) as CandidatoRow[]);
}

/** These mandati of the esercizio, locked in id order (a distinta and an edit of the same mandato queue here), read afresh. */
export async function candidatiBloccati(db: Db, scuolaId: number, esercizio: number, ids: number[]): Promise<Candidato[]> {
  if (ids.length === 0) return [];
  await db('mandati').where({ scuola_id: scuolaId, esercizio }).whereIn('id', ids).orderBy('id').forUpdate().select('id');
  const rows = (await mandatiQuery(db, scuolaId).where('m.esercizio', esercizio).whereIn('m.id', ids).orderBy('m.numero')) as CandidatoRow[];
  return withDetails(db, scuolaId, rows);
}

/** One mandato's sendings (its page). */
export async function inviiMandato(db: Db, scuolaId: number, mandatoId: number) {
  return db('opi_flussi_mandati as fm')
    .join('opi_flussi as f', (j) => j.on('f.scuola_id', 'fm.scuola_id').andOn('f.id', 'fm.flusso_id'))
    .where({ 'fm.scuola_id': scuolaId, 'fm.mandato_id': mandatoId })
    .orderBy('fm.flusso_id')
    .select('fm.flusso_id', 'f.numero as flusso_numero', 'f.created_at as flusso_creato', 'fm.tipo_operazione', 'fm.mandato_version', 'fm.importo_cents',
      'fm.esito', 'fm.esito_codice', 'fm.esito_descrizione', 'fm.dati') as Promise<InvioMandatoRow[]>;
}

export type InvioMandatoRow = {
  flusso_id: number; flusso_numero: number; flusso_creato: Date; tipo_operazione: TipoOperazione; mandato_version: number; importo_cents: string | number;
  esito: 'accettato' | 'rifiutato' | null; esito_codice: string | null; esito_descrizione: string | null; dati: MandatoOpi | string;
};

/** Serialises the distinte of one school: the caller holds the lock until its transaction ends. */
export async function lockNumerazioneDistinte(db: Db, scuolaId: number): Promise<void> {
  await db('scuole').where({ id: scuolaId }).forUpdate().select('id');
}

export async function prossimoNumeroDistinta(db: Db, scuolaId: number): Promise<number> {
  const row = await db('opi_flussi').where({ scuola_id: scuolaId }).first(db.raw('coalesce(max(numero), 0)::int + 1 as n'));
  return Number(row?.n ?? 1);
}

export type FlussoValues = {
  numero: number; identificativo: string; esercizio: number; nome_file: string; sha256: string; dimensione: number; contenuto: Buffer;
  n_mandati: number; totale_cents: number;
};

export async function insertFlusso(db: Db, scuolaId: number, userId: number, values: FlussoValues): Promise<number> {
  const [row] = await db('opi_flussi').insert({ ...values, scuola_id: scuolaId, created_by: userId }).returning('id');
  return (row as { id: number }).id;
}

export type FlussoMandatoValues = { mandato_id: number; tipo_operazione: TipoOperazione; mandato_version: number; importo_cents: number; dati: MandatoOpi };

export async function insertFlussoMandati(db: Db, scuolaId: number, flussoId: number, rows: FlussoMandatoValues[]): Promise<void> {
  const all = rows.map((r) => ({ ...r, dati: JSON.stringify(r.dati), scuola_id: scuolaId, flusso_id: flussoId }));
  for (let i = 0; i < all.length; i += 500) await db('opi_flussi_mandati').insert(all.slice(i, i + 500));
}

export type FlussoRow = {
  id: number; numero: number; identificativo: string; esercizio: number; nome_file: string; sha256: string; dimensione: number;
  n_mandati: number; totale_cents: string | number; created_at: Date; autore: string | null; accettati: number; rifiutati: number;
};

const FLUSSO_COLUMNS = [
  'f.id', 'f.numero', 'f.identificativo', 'f.esercizio', 'f.nome_file', 'f.sha256', 'f.dimensione', 'f.n_mandati', 'f.totale_cents', 'f.created_at',
  'u.nome as autore',
];
const ESITI_COUNTS = `
  (select count(*)::int from opi_flussi_mandati fm where fm.scuola_id = f.scuola_id and fm.flusso_id = f.id and fm.esito = 'accettato') as accettati,
  (select count(*)::int from opi_flussi_mandati fm where fm.scuola_id = f.scuola_id and fm.flusso_id = f.id and fm.esito = 'rifiutato') as rifiutati`;

function flussiQuery(db: Db, scuolaId: number) {
  return db('opi_flussi as f')
    .leftJoin('utenti as u', (j) => j.on('u.scuola_id', 'f.scuola_id').andOn('u.id', 'f.created_by'))
    .where('f.scuola_id', scuolaId)
    .select(...FLUSSO_COLUMNS, db.raw(ESITI_COUNTS));
}

/** The distinte of the esercizio, newest first (at most 100). */
export function listFlussi(db: Db, scuolaId: number, esercizio: number): Promise<FlussoRow[]> {
  return flussiQuery(db, scuolaId).where('f.esercizio', esercizio).orderBy('f.numero', 'desc').limit(100) as Promise<FlussoRow[]>;
}

export function findFlusso(db: Db, scuolaId: number, id: number): Promise<FlussoRow | undefined> {
  return flussiQuery(db, scuolaId).where('f.id', id).first() as Promise<FlussoRow | undefined>;
}

export function findFlussoByIdentificativo(db: Db, scuolaId: number, identificativo: string): Promise<FlussoRow | undefined> {
  return flussiQuery(db, scuolaId).where('f.identificativo', identificativo).first() as Promise<FlussoRow | undefined>;
}

export async function flussoContenuto(db: Db, scuolaId: number, id: number): Promise<{ nome_file: string; contenuto: Buffer } | undefined> {
  return db('opi_flussi').where({ scuola_id: scuolaId, id }).first('nome_file', 'contenuto');
}

export type FlussoMandatoRow = {
  mandato_id: number; numero: number; esercizio: number; data: string; beneficiario: string | null; tipo_operazione: TipoOperazione;
  importo_cents: string | number; esito: 'accettato' | 'rifiutato' | null; esito_codice: string | null; esito_descrizione: string | null;
};

/** What a distinta carried, by numero of mandato. */
export function mandatiDelFlusso(db: Db, scuolaId: number, flussoId: number): Promise<FlussoMandatoRow[]> {
  return db('opi_flussi_mandati as fm')
    .join('mandati as m', (j) => j.on('m.scuola_id', 'fm.scuola_id').andOn('m.id', 'fm.mandato_id'))
    .where({ 'fm.scuola_id': scuolaId, 'fm.flusso_id': flussoId })
    .orderBy('m.numero')
    .select('fm.mandato_id', 'm.numero', 'm.esercizio', db.raw(`to_char(m.data, 'YYYY-MM-DD') as data`),
      db.raw(`fm.dati->'beneficiari'->0->>'anagrafica' as beneficiario`), 'fm.tipo_operazione', 'fm.importo_cents', 'fm.esito', 'fm.esito_codice', 'fm.esito_descrizione') as Promise<FlussoMandatoRow[]>;
}

export async function findEsitoBySha(db: Db, scuolaId: number, sha256: string): Promise<{ id: number; flusso_id: number } | undefined> {
  return db('opi_esiti').where({ scuola_id: scuolaId, sha256 }).first('id', 'flusso_id');
}

export async function insertEsito(db: Db, scuolaId: number, userId: number, values: { flusso_id: number; nome_file: string; sha256: string; contenuto: Buffer; accettati: number; rifiutati: number }): Promise<number> {
  const [row] = await db('opi_esiti').insert({ ...values, scuola_id: scuolaId, created_by: userId }).returning('id');
  return (row as { id: number }).id;
}

/** Writes the bank's answer on the row of mandato `numero` (of `esercizio`) in the distinta; 0 when the distinta did not carry it. */
export function setEsito(db: Db, scuolaId: number, flussoId: number, esercizio: number, numero: number, esito: { esito: 'accettato' | 'rifiutato'; codice: string | null; descrizione: string | null; esitoId: number }): Promise<number> {
  return db('opi_flussi_mandati as fm')
    .where({ 'fm.scuola_id': scuolaId, 'fm.flusso_id': flussoId })
    .whereExists((q) => q.select(db.raw('1')).from('mandati as m').whereRaw('m.scuola_id = fm.scuola_id and m.id = fm.mandato_id').where({ 'm.esercizio': esercizio, 'm.numero': numero }))
    .update({ esito: esito.esito, esito_codice: esito.codice, esito_descrizione: esito.descrizione, esito_id: esito.esitoId });
}

/** Whether the mandato went in a distinta (the bank knows it, or was told): then it is annulled, never deleted. */
export async function mandatoInviato(db: Db, scuolaId: number, mandatoId: number): Promise<boolean> {
  const row = await db('opi_flussi_mandati').where({ scuola_id: scuolaId, mandato_id: mandatoId }).first('id');
  return row !== undefined;
}
