import type { Knex } from 'knex';
import { IMPORT_PLACEHOLDERS, type CigFields, type CupFields, type OpenDataKind } from '../domain/datiAperti.js';
import { codeOf, cigTargets, cupTargets, textWrittenByPerson, type CigTarget, type CupTarget } from '../repositories/datiApertiRepository.js';
import { updateCig, type CigValues } from '../repositories/cigRepository.js';
import { updateCup, type CupValues } from '../repositories/cupRepository.js';
import { cigRecords } from './cigService.js';
import { cupRecords } from './cupService.js';
import { audited, type AuditActor } from './audited.js';
import { readOpenData, type ProgressListener } from './datiApertiCsv.js';

/**
 * Completing the registers from public open data (issue 14): what a file
 * proposes for the school's own codes, and the values chosen, written through
 * the audited path with the version the page showed and the source in the history.
 */

export type CigCampo = 'oggetto' | 'data_generazione' | 'data_scadenza_offerte' | 'importo_cents' | 'scelta_contraente';
export type CupCampo = 'descrizione' | 'anno_decisione' | 'importo_finanziato_cents';
export type Campo = CigCampo | CupCampo;
export type Valore = string | number;

export type Proposta = {
  campo: Campo;
  attuale: Valore | null;
  proposto: Valore;
  /** The file's column that gave the value, as written in its header. */
  colonna: string;
  /** Fills an empty field (or the import's placeholder) rather than correcting a value. */
  completa: boolean;
  /** data_generazione taken from the publication date: the file has no creation date. */
  daPubblicazione?: boolean;
};

export type ProposteRecord = {
  entita: OpenDataKind;
  id: number;
  scuolaId: number;
  codice: string;
  version: number;
  /** Registered by the one-time import: its text may be completed by the operators' command. */
  importato: boolean;
  proposte: Proposta[];
  /** Values the file has but that are not proposed, and why (a text a person wrote). */
  nonProposte: (Proposta & { motivo: string })[];
};

export type Proposals =
  | { ok: true; kind: OpenDataKind; righe: number; bytes: number; records: ProposteRecord[] }
  | { ok: false; message: string };

export const MODIFICATO_DA_PERSONA = 'non proposto: modificato da una persona';

type Source = AsyncIterable<Buffer | string>;

function propose(campo: Campo, attuale: Valore | null, proposto: { value: Valore; column: string } | undefined, extra: Partial<Proposta> = {}): Proposta | null {
  if (!proposto || proposto.value === attuale) return null;
  return { campo, attuale, proposto: proposto.value, colonna: proposto.column, completa: attuale === null, ...extra };
}

/** The text field: proposed when different, unless a person wrote it; the import's placeholder counts as empty. */
function proposeText(kind: OpenDataKind, campo: 'oggetto' | 'descrizione', attuale: string, proposto: { value: string; column: string } | undefined, byPerson: boolean) {
  const p = propose(campo, attuale, proposto);
  if (!p) return { p: null, non: null };
  p.completa = attuale === IMPORT_PLACEHOLDERS[kind];
  return byPerson ? { p: null, non: { ...p, motivo: MODIFICATO_DA_PERSONA } } : { p, non: null };
}

function cigRecord(t: CigTarget, f: CigFields): ProposteRecord {
  const text = proposeText('cig', 'oggetto', t.oggetto, f.oggetto, t.testo_da_persona);
  const proposte = [
    text.p,
    propose('data_generazione', t.data_generazione, f.data_generazione, { daPubblicazione: f.data_generazione?.from === 'pubblicazione' }),
    propose('data_scadenza_offerte', t.data_scadenza_offerte, f.data_scadenza_offerte),
    propose('importo_cents', t.importo_cents, f.importo_cents),
    propose('scelta_contraente', t.scelta_contraente, f.scelta_contraente),
  ].filter((p): p is Proposta => p !== null);
  return { entita: 'cig', id: t.id, scuolaId: t.scuola_id, codice: t.codice, version: t.version, importato: t.da_importazione, proposte, nonProposte: text.non ? [text.non] : [] };
}

function cupRecord(t: CupTarget, f: CupFields): ProposteRecord {
  const text = proposeText('cup', 'descrizione', t.descrizione, f.descrizione, t.testo_da_persona);
  const proposte = [
    text.p,
    propose('anno_decisione', t.anno_decisione, f.anno_decisione),
    propose('importo_finanziato_cents', t.importo_finanziato_cents, f.importo_finanziato_cents),
  ].filter((p): p is Proposta => p !== null);
  return { entita: 'cup', id: t.id, scuolaId: t.scuola_id, codice: t.codice, version: t.version, importato: t.da_importazione, proposte, nonProposte: text.non ? [text.non] : [] };
}

/** One value chosen on the proposals page (validated by the route's schema) or by the operators' command. */
export type Scelta = { entita: OpenDataKind; id: number; version: number; campo: Campo; valore: Valore; colonna: string };

export type Esito = {
  /** Values written, and the records they belong to, per kind. */
  valori: number;
  record: { cig: number; cup: number };
  /** Records not written: changed meanwhile (version), gone, or a text a person wrote. */
  saltati: { entita: OpenDataKind; codice: string; motivo: 'modificato' | 'eliminato' | 'testo-persona' }[];
};

const CIG_CAMPI: readonly Campo[] = ['oggetto', 'data_generazione', 'data_scadenza_offerte', 'importo_cents', 'scelta_contraente'];
const CUP_CAMPI: readonly Campo[] = ['descrizione', 'anno_decisione', 'importo_finanziato_cents'];
export const CAMPI: Record<OpenDataKind, readonly Campo[]> = { cig: CIG_CAMPI, cup: CUP_CAMPI };

const FONTE: Record<OpenDataKind, string> = { cig: 'dati aperti ANAC', cup: 'dati aperti OpenCUP' };

export function createDatiApertiService(knex: Knex) {
  const cigWrites = audited(cigRecords);
  const cupWrites = audited(cupRecords);

  /** The proposals of one file for the schools' codes (the file is streamed; only their rows are kept). */
  async function proposalsFor(scuole: readonly number[], source: Source, onProgress?: ProgressListener): Promise<Proposals> {
    const cig = await cigTargets(knex, scuole);
    const cup = await cupTargets(knex, scuole);
    const cigByCode = groupByCode(cig);
    const cupByCode = groupByCode(cup);
    const read = await readOpenData(source, { cig: new Set(cigByCode.keys()), cup: new Set(cupByCode.keys()) }, onProgress);
    if (!read.ok) return read;
    const records: ProposteRecord[] = [];
    if (read.kind === 'cig') {
      for (const [codice, fields] of read.matches) for (const t of cigByCode.get(codice) ?? []) records.push(cigRecord(t, fields));
    } else {
      for (const [codice, fields] of read.matches) for (const t of cupByCode.get(codice) ?? []) records.push(cupRecord(t, fields));
    }
    records.sort((a, b) => a.scuolaId - b.scuolaId || a.codice.localeCompare(b.codice));
    return { ok: true, kind: read.kind, righe: read.rows, bytes: read.bytes, records };
  }

  /**
   * Writes the chosen values of one school in one transaction: per record, at the
   * version the proposals showed (changed meanwhile → skipped, never overwritten),
   * audited with the source in `dopo.fonte`. A text a person wrote is never replaced.
   */
  async function apply(actor: AuditActor, fileName: string, scelte: readonly Scelta[]): Promise<Esito> {
    const esito: Esito = { valori: 0, record: { cig: 0, cup: 0 }, saltati: [] };
    const perRecord = new Map<string, Scelta[]>();
    for (const s of scelte) {
      if (!CAMPI[s.entita].includes(s.campo)) continue;
      const key = `${s.entita}:${s.id}`;
      perRecord.set(key, [...(perRecord.get(key) ?? []).filter((x) => x.campo !== s.campo), s]);
    }
    await knex.transaction(async (trx) => {
      for (const list of perRecord.values()) {
        const { entita, id, version } = list[0]!;
        let chosen = list;
        const textField = entita === 'cig' ? 'oggetto' : 'descrizione';
        if (chosen.some((s) => s.campo === textField) && (await textWrittenByPerson(trx, entita, actor.scuolaId, id))) {
          chosen = chosen.filter((s) => s.campo !== textField);
          if (chosen.length === 0) {
            esito.saltati.push({ entita, codice: await codeOf(trx, entita, actor.scuolaId, id), motivo: 'testo-persona' });
            continue;
          }
        }
        const values = Object.fromEntries(chosen.map((s) => [s.campo, s.valore]));
        const extra = {
          fonte: `${FONTE[entita]}: ${fileName}, ${chosen.map((s) => `colonna ${s.colonna} per ${s.campo}`).join('; ')}`,
          fonte_colonne: Object.fromEntries(chosen.map((s) => [s.campo, s.colonna])),
        };
        const result = entita === 'cig'
          ? await cigWrites.update(trx, actor, id, version, {}, (before) => updateCig(trx, actor.scuolaId, id, before.version, actor.id, values as Partial<CigValues>), 'modifica', extra)
          : await cupWrites.update(trx, actor, id, version, {}, (before) => updateCup(trx, actor.scuolaId, id, before.version, actor.id, values as Partial<CupValues>), 'modifica', extra);
        const codice = result.ok ? result.record.codice : result.kind === 'conflict' ? result.stored.codice : '';
        if (result.ok) {
          esito.valori += chosen.length;
          esito.record[entita]++;
        } else {
          esito.saltati.push({ entita, codice: codice || `n. ${id}`, motivo: result.kind === 'conflict' ? 'modificato' : 'eliminato' });
        }
      }
    });
    return esito;
  }

  return {
    /** The proposals page of one school. */
    proposals: (scuolaId: number, source: Source) => proposalsFor([scuolaId], source),

    apply,

    /**
     * The operators' command: only EMPTY fields (dates, amounts, scelta del
     * contraente), plus the oggetto/descrizione still the import's placeholder, or
     * written by the import and never changed by a person; written per
     * school with no user (`utente_id` null) and the source. `anteprima` writes nothing.
     */
    async fillEmpty(scuole: readonly number[], source: Source, options: { fileName: string; anteprima: boolean; onProgress?: ProgressListener }) {
      const proposals = await proposalsFor(scuole, source, options.onProgress);
      if (!proposals.ok) return proposals;
      const perScuola = new Map<number, Scelta[]>();
      let proposti = 0;
      for (const r of proposals.records) {
        // The text only when it is the import's placeholder (completa) or came from the import and no person changed it.
        const chosen = r.proposte.filter((p) => p.completa || (r.importato && (p.campo === 'oggetto' || p.campo === 'descrizione')));
        proposti += chosen.length;
        const list = perScuola.get(r.scuolaId) ?? [];
        list.push(...chosen.map((p) => ({ entita: r.entita, id: r.id, version: r.version, campo: p.campo, valore: p.proposto, colonna: p.colonna })));
        perScuola.set(r.scuolaId, list);
      }
      const esiti: { scuolaId: number; esito: Esito }[] = [];
      if (!options.anteprima) {
        for (const [scuolaId, scelte] of perScuola) if (scelte.length) esiti.push({ scuolaId, esito: await apply({ id: null, scuolaId }, options.fileName, scelte) });
      }
      return { ...proposals, proposti, esiti };
    },
  };
}

function groupByCode<T extends { codice: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) map.set(r.codice, [...(map.get(r.codice) ?? []), r]);
  return map;
}

export type DatiApertiService = ReturnType<typeof createDatiApertiService>;
