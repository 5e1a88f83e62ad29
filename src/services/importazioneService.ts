import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { validateCig, type CigFamily } from '../domain/cig.js';
import { CUP_DESCRIZIONE_IMPORTATA, validateCup } from '../domain/cup.js';
import { HARVEST_RULES, nearCodeFinder, oggettoProposto, scanField, type HarvestCode, type HarvestItem, type HarvestRuleName } from '../domain/harvest.js';
import type { MotivoEsclusioneCig } from '../domain/opi.js';
import {
  findCodes,
  findRun,
  harvestTexts,
  insertImportedCig,
  insertImportedCup,
  insertRun,
  linkDocuments,
  linkTexts,
  listRuns,
  mandatiSenzaCig,
  markNoCode,
  schoolCodes,
  setMotivi,
  textsInProse,
  tryImportLock,
  whereTextsAppear,
  type LegacyField,
  type MandatoSenzaCig,
  type Mapping,
  type ProseRow,
  type Riferimento,
  type TextRow,
} from '../repositories/importazioneRepository.js';

/**
 * The one-time import of the CIG and CUP codes written as free text in the
 * documents (and on the schede finanziarie) before the registers existed.
 * Idempotent, atomic (one transaction), one run at a time per school.
 *
 * Every legacy field is read as text by the harvest scanner (domain/harvest.ts):
 * codes found as written are registered and linked; what needs a person's
 * judgement (a look-alike correction, an exclusion phrase, a placeholder, a
 * code read in an oggetto or a causale) is a *proposta* that the admin accepts
 * one by one or all at once; the rest stays in *Valori non validi*.
 */

export type CodiceTrovato = { codice: string; dettaglio: string; documenti: number; voci: number; grafie: string[] };
export type ValoreNonValido = { tipo: 'CIG' | 'CUP'; valore: string; motivo: string; dove: Riferimento[] };

/**
 * What needs the admin's choice. `correzione`: a look-alike or a lost zero that
 * one correction fixes; `esclusione`: a phrase that names a motivo di esclusione
 * (or says there is no CUP); `segnaposto`: «-», «n.d.», «non previsto»;
 * `suggerimento`: a valid code read in the document's oggetto, causale or note.
 * `da_decidere`: seen, but only a person on the document can decide (two codes
 * in one field, «CIG non dovuto» without a precise motivo): no checkbox.
 */
export type TipoProposta = 'correzione' | 'esclusione' | 'segnaposto' | 'suggerimento' | 'da_decidere';
export type Proposta = {
  chiave: string;
  tipo: TipoProposta;
  /** The legacy field the text is in ('testo': oggetto, causale or note). */
  campo: LegacyField | 'testo';
  valore: string;
  /** What accepting does: the code to register and link, or the motivo to set. */
  codice: string | null;
  tipoCodice: 'cig' | 'cup' | null;
  motivo: MotivoEsclusioneCig | null;
  spiegazione: string;
  documenti: number;
  dove: Riferimento[];
  accettabile: boolean;
};

export type RegolaApplicata = { nome: HarvestRuleName; descrizione: string; volte: number };

export type Piano = {
  cig: { daRegistrare: (CodiceTrovato & { famiglia: CigFamily })[]; giaRegistrati: CodiceTrovato[] };
  cup: { daRegistrare: (CodiceTrovato & { annoDecisione: number | null })[]; giaRegistrati: CodiceTrovato[] };
  collegamenti: { cig: number; cup: number; vociCup: number };
  proposte: Proposta[];
  regole: RegolaApplicata[];
  nonValidi: ValoreNonValido[];
  mappature: { cig: FieldMapping[]; cup: FieldMapping[] };
};

/** A spelling in a legacy field and the registered code it stands for. */
type FieldMapping = { campo: LegacyField; raw: string; codice: string };

export type Conteggi = {
  cigRegistrati: number;
  cupRegistrati: number;
  cigGiaPresenti: number;
  cupGiaPresenti: number;
  impegniCollegatiCig: number;
  mandatiCollegatiCig: number;
  impegniCollegatiCup: number;
  mandatiCollegatiCup: number;
  vociCollegateCup: number;
  valoriNonValidi: number;
  proposteAccettate?: number;
  motiviImpostati?: number;
  testiSenzaCodice?: number;
};

export type Correzione = { ok: true; codice: string; collegati: number } | { ok: false; errore: string };

const CORRECTION = {
  cig: { nota: 'Registrato correggendo un valore non valido dell’importazione CIG/CUP: completare la data di generazione.', origine: 'correzione dell’importazione' },
  cup: { nota: 'Registrato correggendo un valore non valido dell’importazione CIG/CUP.', origine: 'correzione dell’importazione' },
};

export type EsitoImportazione = { ok: true; id: number; conteggi: Conteggi } | { ok: false; motivo: 'in_corso' };

/** Which proposals a run accepts: all of them, or those whose keys the admin ticked. */
export type Accettate = 'tutte' | ReadonlySet<string>;

const MAX_TESTO = 2000;
const FALLBACK = { cig: 'CIG importato dai documenti precedenti', cup: CUP_DESCRIZIONE_IMPORTATA } as const;

const clip = (text: string | null | undefined, fallback: string) => {
  const t = (text ?? '').trim();
  return (t || fallback).slice(0, MAX_TESTO);
};

/** A short stable key for a proposal, the same in the preview and in the run that accepts it. */
const keyOf = (...parts: (string | number | null)[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);

type Group = { code: HarvestCode; grafie: string[]; documenti: number; voci: number; oggetto: string | null; data: string; descrizioneVoce: string | null };

/** Every code the scan found in the legacy fields, grouped by code, with the spellings that link to it. */
class Harvest {
  readonly groups = new Map<string, Group>();
  readonly mappings: FieldMapping[] = [];
  readonly counts = new Map<HarvestRuleName, number>();

  /** One more text the rule `name` handled (what the preview shows under each rule). */
  count(name: HarvestRuleName, times = 1) {
    if (times > 0) this.counts.set(name, (this.counts.get(name) ?? 0) + times);
  }

  /** `link`: the spelling stands for this code alone, so its documents are linked to it. */
  add(code: HarvestCode, row: Pick<TextRow, 'raw' | 'documenti' | 'voci' | 'oggetto' | 'ultima_data' | 'descrizione_voce'>, campo: LegacyField, link = true) {
    const key = `${code.type}:${code.codice}`;
    const g = this.groups.get(key) ?? { code, grafie: [], documenti: 0, voci: 0, oggetto: null, data: '', descrizioneVoce: null };
    if (!g.grafie.includes(row.raw)) g.grafie.push(row.raw);
    g.documenti += row.documenti;
    g.voci += code.type === 'cup' ? row.voci : 0;
    // The oggetto of the most recent document that used the code (impegni first: a causale speaks of a payment).
    if (row.ultima_data && row.ultima_data > g.data) {
      g.data = row.ultima_data;
      g.oggetto = row.oggetto;
    }
    g.descrizioneVoce ??= row.descrizione_voce;
    this.groups.set(key, g);
    if (link) this.mappings.push({ campo, raw: row.raw, codice: code.codice });
  }

  of(type: 'cig' | 'cup') {
    return [...this.groups.values()].filter((g) => g.code.type === type).sort((a, b) => a.code.codice.localeCompare(b.code.codice));
  }
}

type Invalido = { campo: LegacyField; type: 'cig' | 'cup'; raw: string; motivo: string; documenti: number };
type Collegamenti = Piano['collegamenti'];

/**
 * Every legacy field read by the scanner: the codes found (to register and link),
 * what needs a person (proposals, and what only the document can decide), the
 * invalid values, and how many documents and voci the run would link.
 */
function readLegacyFields(texts: TextRow[]) {
  const harvest = new Harvest();
  const proposte: Proposta[] = [];
  const invalid: Invalido[] = [];
  const collegamenti: Collegamenti = { cig: 0, cup: 0, vociCup: 0 };

  for (const row of texts) {
    const items = scanField(row.raw, row.campo);
    const found = items.filter((i): i is Extract<HarvestItem, { kind: 'trovato' }> => i.kind === 'trovato');
    for (const item of items) harvest.count(item.rule.name);
    for (const type of ['cig', 'cup'] as const) {
      const codes = found.filter((f) => f.code.type === type);
      // A CIG read in a voce's CUP field has no document to go to.
      if (type === 'cig' && row.documenti === 0) continue;
      if (codes.length === 1) {
        harvest.add(codes[0]!.code, row, row.campo);
        collegamenti[type] += type === 'cig' ? row.senza_cig : row.senza_cup;
        if (type === 'cup') collegamenti.vociCup += row.voci_senza_cup;
      } else if (codes.length > 1) {
        // Two codes of one kind in one field: both are registered, the document chooses.
        for (const c of codes) harvest.add(c.code, { ...row, documenti: 0, voci: 0 }, row.campo, false);
        proposte.push({
          chiave: keyOf('scelta', row.campo, row.raw), tipo: 'da_decidere', campo: row.campo, valore: row.raw, codice: null, tipoCodice: null, motivo: null,
          spiegazione: `Il campo contiene ${codes.length} ${type.toUpperCase()} diversi (${codes.map((c) => c.code.codice).join(', ')}): scegli nel documento quello giusto.`,
          documenti: row.documenti, dove: [], accettabile: false,
        });
      }
    }
    // Proposals and invalid values only where a document or voce still waits for this field's code.
    const waiting = row.campo === 'cig' ? row.senza_cig : row.senza_cup + row.voci_senza_cup;
    if (waiting === 0) continue;
    const kinds = new Set(found.map((f) => f.code.type));
    for (const item of items) {
      const proposta = proposalOf(item, row, kinds);
      if (proposta) proposte.push(proposta);
      else if (item.kind === 'non_valido' && !kinds.has(item.type)) {
        invalid.push({ campo: row.campo, type: item.type, raw: row.raw, motivo: item.reason, documenti: row.documenti + row.voci });
      }
    }
  }
  return { harvest, proposte, invalid, collegamenti };
}

/**
 * What one scanned item of a legacy field proposes: a correction (unless the
 * field already holds a valid code of that kind: `kinds`), the motivo or
 * «nessun codice» of an exclusion phrase (unless the field holds a code),
 * «nessun codice» for a placeholder. Null for anything else.
 */
function proposalOf(item: HarvestItem, row: TextRow, kinds: ReadonlySet<'cig' | 'cup'>): Proposta | null {
  const base = { campo: row.campo, valore: row.raw, documenti: row.documenti + row.voci, dove: [] as Riferimento[] };
  if (item.kind === 'proposta' && !kinds.has(item.code.type)) {
    return {
      ...base, chiave: keyOf('correzione', row.campo, row.raw, item.code.codice), tipo: 'correzione', codice: item.code.codice, tipoCodice: item.code.type, motivo: null,
      spiegazione: `${item.code.codice}: ${item.changes.join('; ')}.`, accettabile: true,
    };
  }
  if (item.kind === 'esclusione' && kinds.size === 0) {
    const motivo = item.type === 'cig' ? item.motivo : null;
    const precise = item.type === 'cup' || motivo !== null;
    return {
      ...base, chiave: keyOf('esclusione', row.campo, row.raw, motivo), tipo: precise ? 'esclusione' : 'da_decidere', codice: null, tipoCodice: item.type, motivo,
      spiegazione:
        item.type === 'cup'
          ? 'Il documento non ha CUP: il testo resta com’è e non blocca più i flussi.'
          : motivo
            ? `Motivo di esclusione del CIG: ${motivo}.${item.note ? ` ${item.note}` : ''}`
            : 'Dice che il CIG non è dovuto senza un motivo OPI preciso: scegli il motivo di esclusione nel documento.',
      accettabile: precise,
    };
  }
  if (item.kind === 'segnaposto') {
    return {
      ...base, chiave: keyOf('segnaposto', row.campo, row.raw), tipo: 'segnaposto', codice: null, tipoCodice: null, motivo: null,
      spiegazione: 'Segnaposto senza codice: segnato «nessun codice», il testo resta com’è e non blocca più i flussi.', accettabile: true,
    };
  }
  return null;
}

/** The invalid values one keystroke from a code the school already uses (registered, or read in other documents): each a proposal, no longer an error. */
function nearCodeProposals(invalid: Invalido[], near: Record<'cig' | 'cup', (text: string) => string[]>) {
  const proposte: Proposta[] = [];
  const rest: Invalido[] = [];
  for (const v of invalid) {
    const found = near[v.type](v.raw);
    if (found.length !== 1) {
      rest.push(v);
      continue;
    }
    const [codice] = found as [string];
    proposte.push({
      chiave: keyOf('vicino', v.campo, v.raw, codice), tipo: 'correzione', campo: v.campo, valore: v.raw, codice, tipoCodice: v.type, motivo: null,
      spiegazione: `${codice}: è vicino a un ${v.type.toUpperCase()} che la scuola usa già. ${v.motivo}`,
      documenti: v.documenti, dove: [], accettabile: true,
    });
  }
  return { proposte, rest };
}

/** A commercial mandato with no CIG at all pays its impegno's procurement: the impegno's CIG (linked, or the one code its text holds). */
function impegnoCigProposals(mandati: MandatoSenzaCig[]): Proposta[] {
  return mandati.flatMap((m) => {
    const fromText = m.impegno_cig_testo ? scanField(m.impegno_cig_testo, 'cig').flatMap((i) => (i.kind === 'trovato' && i.code.type === 'cig' ? [i.code.codice] : [])) : [];
    const codice = m.impegno_cig ?? (fromText.length === 1 ? fromText[0]! : null);
    if (!codice) return [];
    return [{
      chiave: keyOf('suggerimento', 'mandato', m.id, codice), tipo: 'suggerimento', campo: 'testo', valore: m.testo, codice, tipoCodice: 'cig', motivo: null,
      spiegazione: `CIG ${codice} dell’impegno n. ${m.impegno_numero}/${m.impegno_esercizio} che il mandato paga.`,
      documenti: 1, dove: [{ tipo: 'mandato', id: m.id, esercizio: m.esercizio, numero: m.numero, voce: null, testo: m.testo }], accettabile: true,
    } satisfies Proposta];
  });
}

/** Codes read in an oggetto, a causale or a note: one suggestion per document and code (unless `already` proposed it), never linked without the admin. */
function proseProposals(prose: ProseRow[], already: ReadonlySet<string>, harvest: Harvest): Proposta[] {
  const proposte: Proposta[] = [];
  for (const doc of prose) {
    const seen = new Set<string>();
    for (const item of scanField(doc.testo, 'testo')) {
      if (item.kind !== 'suggerimento' || !(item.code.type === 'cig' ? doc.vuole_cig : doc.vuole_cup)) continue;
      if (seen.has(item.code.codice) || already.has(`${doc.tipo}:${doc.id}:${item.code.codice}`)) continue;
      seen.add(item.code.codice);
      harvest.count(item.rule.name);
      proposte.push({
        chiave: keyOf('suggerimento', doc.tipo, doc.id, item.code.codice), tipo: 'suggerimento', campo: 'testo', valore: item.original,
        codice: item.code.codice, tipoCodice: item.code.type, motivo: null,
        spiegazione: `${item.code.type.toUpperCase()} ${item.code.codice} letto nel testo del documento: «${doc.testo.slice(0, 160)}».`,
        documenti: 1, dove: [{ tipo: doc.tipo, id: doc.id, esercizio: doc.esercizio, numero: doc.numero, voce: null, testo: doc.testo }], accettabile: true,
      });
    }
  }
  return proposte;
}

async function buildPiano(db: Db, scuolaId: number, today: Date): Promise<Piano> {
  // One query after another: inside a transaction they share one connection.
  const { harvest, proposte, invalid: allInvalid, collegamenti } = readLegacyFields(await harvestTexts(db, scuolaId));

  let invalid = allInvalid;
  if (invalid.length) {
    const near = {
      cig: nearCodeFinder([...harvest.of('cig').map((g) => g.code.codice), ...(await schoolCodes(db, 'cig', scuolaId))]),
      cup: nearCodeFinder([...harvest.of('cup').map((g) => g.code.codice), ...(await schoolCodes(db, 'cup', scuolaId))]),
    };
    const corrected = nearCodeProposals(invalid, near);
    harvest.count('codice-vicino', corrected.proposte.length);
    proposte.push(...corrected.proposte);
    invalid = corrected.rest;
  }

  const fromImpegni = impegnoCigProposals(await mandatiSenzaCig(db, scuolaId));
  harvest.count('cig-dell-impegno', fromImpegni.length);
  proposte.push(...fromImpegni);
  const already = new Set(fromImpegni.map((p) => `mandato:${p.dove[0]!.id}:${p.codice}`));
  proposte.push(...proseProposals(await textsInProse(db, scuolaId), already, harvest));

  // Where each per-text proposal and invalid value appears.
  const rawsOf = (campo: LegacyField) => [...new Set([...proposte.filter((p) => p.campo === campo).map((p) => p.valore), ...invalid.filter((i) => i.campo === campo).map((i) => i.raw)])];
  const dove = { cig: await whereTextsAppear(db, 'cig', scuolaId, rawsOf('cig')), cup: await whereTextsAppear(db, 'cup', scuolaId, rawsOf('cup')) };
  const refs = (campo: LegacyField, raw: string) => dove[campo].filter((r) => r.testo === raw);
  for (const p of proposte) if (p.campo !== 'testo') p.dove = refs(p.campo, p.valore);

  const cigGroups = harvest.of('cig');
  const cupGroups = harvest.of('cup');
  const cigEsistenti = new Set((await findCodes(db, 'cig', scuolaId, cigGroups.map((g) => g.code.codice))).map((r) => r.codice));
  const cupEsistenti = new Set((await findCodes(db, 'cup', scuolaId, cupGroups.map((g) => g.code.codice))).map((r) => r.codice));
  const found = (g: Group, dettaglio: string): CodiceTrovato => ({ codice: g.code.codice, dettaglio, documenti: g.documenti, voci: g.voci, grafie: g.grafie });

  return {
    cig: {
      daRegistrare: cigGroups
        .filter((g) => !cigEsistenti.has(g.code.codice))
        .map((g) => ({ ...found(g, clip(oggettoProposto(g.oggetto), FALLBACK.cig)), famiglia: (g.code as { famiglia: CigFamily }).famiglia })),
      giaRegistrati: cigGroups.filter((g) => cigEsistenti.has(g.code.codice)).map((g) => found(g, '')),
    },
    cup: {
      daRegistrare: cupGroups
        .filter((g) => !cupEsistenti.has(g.code.codice))
        .map((g) => ({
          ...found(g, clip(g.descrizioneVoce ?? oggettoProposto(g.oggetto), FALLBACK.cup)),
          annoDecisione: (validateCup(g.code.codice, today) as { annoDecisione: number | null }).annoDecisione,
        })),
      giaRegistrati: cupGroups.filter((g) => cupEsistenti.has(g.code.codice)).map((g) => found(g, '')),
    },
    collegamenti,
    proposte,
    regole: [...harvest.counts].map(([nome, volte]) => ({ nome, descrizione: HARVEST_RULES[nome], volte })).sort((a, b) => b.volte - a.volte),
    nonValidi: invalid.map((i) => ({ tipo: i.campo === 'cig' ? ('CIG' as const) : ('CUP' as const), valore: i.raw, motivo: i.motivo, dove: refs(i.campo, i.raw) })),
    mappature: {
      cig: harvest.mappings.filter((m) => harvest.groups.has(`cig:${m.codice}`) && isCig(m.codice)),
      cup: harvest.mappings.filter((m) => harvest.groups.has(`cup:${m.codice}`) && !isCig(m.codice)),
    },
  };
}

/** CIG are 10 characters, CUP 15: a mapping's code says which register it belongs to. */
const isCig = (codice: string) => codice.length === 10;

/** Splits a mapping list by the legacy field the spellings are in. */
const inField = (mappings: FieldMapping[], campo: LegacyField): Mapping => mappings.filter((m) => m.campo === campo).map(({ raw, codice }) => ({ raw, codice }));

export type ImportOptions = { today?: () => Date };

export function createImportazioneService(knex: Knex, options: ImportOptions = {}) {
  const today = options.today ?? (() => new Date());
  // PGlite is one process with one connection: this in-process guard answers
  // "in corso" at once; the advisory lock does the same across app instances.
  const running = new Set<number>();

  async function runInTransaction(
    trx: Knex.Transaction, scuolaId: number, utenteId: number | null, modalita: 'web' | 'cli', progress: (stage: string) => void, accettate: Accettate,
  ): Promise<EsitoImportazione> {
    if (!(await tryImportLock(trx, scuolaId))) return { ok: false, motivo: 'in_corso' };
    const piano = await buildPiano(trx, scuolaId, today());
    const accepted = piano.proposte.filter((p) => p.accettabile && (accettate === 'tutte' || accettate.has(p.chiave)));

    // Accepted corrections and suggestions add codes to register and spellings to link.
    const extraCig = new Map<string, CodiceTrovato & { famiglia: CigFamily }>();
    const extraCup = new Map<string, CodiceTrovato & { annoDecisione: number | null }>();
    const known = new Set([...piano.cig.daRegistrare, ...piano.cig.giaRegistrati, ...piano.cup.daRegistrare, ...piano.cup.giaRegistrati].map((c) => c.codice));
    for (const p of accepted) {
      if (!p.codice || known.has(p.codice)) continue;
      known.add(p.codice);
      const doc = p.dove.find((d) => d.tipo !== 'voce');
      const dettaglio = clip(oggettoProposto(doc?.testo && p.tipo === 'suggerimento' ? doc.testo : null), p.tipoCodice === 'cig' ? FALLBACK.cig : FALLBACK.cup);
      const trovato = { codice: p.codice, dettaglio, documenti: p.documenti, voci: 0, grafie: [p.valore] };
      if (p.tipoCodice === 'cig') extraCig.set(p.codice, { ...trovato, famiglia: cigFamily(p.codice) });
      else extraCup.set(p.codice, { ...trovato, annoDecisione: (validateCup(p.codice, today()) as { annoDecisione: number | null }).annoDecisione });
    }
    const newCig = [...piano.cig.daRegistrare, ...extraCig.values()];
    const newCup = [...piano.cup.daRegistrare, ...extraCup.values()];
    const cigRegistrati = await insertImportedCig(trx, scuolaId, utenteId, newCig.map((c) => ({ codice: c.codice, famiglia: c.famiglia, oggetto: c.dettaglio })));
    const cupRegistrati = await insertImportedCup(
      trx, scuolaId, utenteId,
      newCup.map((c) => ({ codice: c.codice, descrizione: c.dettaglio, anno_decisione: c.annoDecisione, da_completare: c.dettaglio === FALLBACK.cup })),
    );
    progress(`${cigRegistrati} CIG e ${cupRegistrati} CUP registrati, collegamento dei documenti in corso`);

    const corrections = accepted.filter((p) => p.tipo === 'correzione' && p.campo !== 'testo');
    const cigMap = [...piano.mappature.cig, ...corrections.filter((p) => p.tipoCodice === 'cig').map((p) => ({ campo: p.campo as LegacyField, raw: p.valore, codice: p.codice! }))];
    const cupMap = [...piano.mappature.cup, ...corrections.filter((p) => p.tipoCodice === 'cup').map((p) => ({ campo: p.campo as LegacyField, raw: p.valore, codice: p.codice! }))];
    const link = async (table: 'impegni' | 'mandati' | 'voci_destinazione', kind: 'cig' | 'cup') => {
      const map = kind === 'cig' ? cigMap : cupMap;
      let n = 0;
      for (const campo of ['cig', 'cup'] as const) {
        if (table === 'voci_destinazione' && (campo === 'cig' || kind === 'cig')) continue;
        n += await linkTexts(trx, table, campo, kind, scuolaId, inField(map, campo));
      }
      return n;
    };
    const suggestions = accepted.filter((p) => p.tipo === 'suggerimento');
    const linkSuggested = async (tipo: 'impegno' | 'mandato', kind: 'cig' | 'cup') =>
      linkDocuments(trx, tipo === 'impegno' ? 'impegni' : 'mandati', kind, scuolaId, suggestions.filter((p) => p.tipoCodice === kind).flatMap((p) => p.dove.filter((d) => d.tipo === tipo).map((d) => ({ id: d.id, codice: p.codice! }))));

    const impegniCollegatiCig = (await link('impegni', 'cig')) + (await linkSuggested('impegno', 'cig'));
    const mandatiCollegatiCig = (await link('mandati', 'cig')) + (await linkSuggested('mandato', 'cig'));
    const impegniCollegatiCup = (await link('impegni', 'cup')) + (await linkSuggested('impegno', 'cup'));
    const mandatiCollegatiCup = (await link('mandati', 'cup')) + (await linkSuggested('mandato', 'cup'));
    const vociCollegateCup = await link('voci_destinazione', 'cup');

    const motivi = accepted.filter((p) => p.tipo === 'esclusione' && p.motivo !== null && p.campo !== 'testo');
    let motiviImpostati = 0;
    for (const table of ['impegni', 'mandati'] as const) {
      for (const campo of ['cig', 'cup'] as const) {
        motiviImpostati += await setMotivi(trx, table, campo, scuolaId, motivi.filter((p) => p.campo === campo).map((p) => ({ raw: p.valore, motivo: p.motivo! })));
      }
    }
    const noCode = accepted.filter((p) => (p.tipo === 'segnaposto' || p.tipo === 'esclusione') && p.campo !== 'testo');
    let testiSenzaCodice = 0;
    for (const table of ['impegni', 'mandati', 'voci_destinazione'] as const) {
      for (const campo of ['cig', 'cup'] as const) {
        if (table === 'voci_destinazione' && campo === 'cig') continue;
        testiSenzaCodice += await markNoCode(trx, table, campo, scuolaId, noCode.filter((p) => p.campo === campo).map((p) => p.valore));
      }
    }

    const acceptedKeys = new Set(accepted.map((p) => p.chiave));
    const conteggi: Conteggi = {
      cigRegistrati,
      cupRegistrati,
      cigGiaPresenti: piano.cig.giaRegistrati.length,
      cupGiaPresenti: piano.cup.giaRegistrati.length,
      impegniCollegatiCig,
      mandatiCollegatiCig,
      impegniCollegatiCup,
      mandatiCollegatiCup,
      vociCollegateCup,
      valoriNonValidi: piano.nonValidi.length,
      proposteAccettate: accepted.length,
      motiviImpostati,
      testiSenzaCodice,
    };
    const { mappature: _omit, ...report } = piano;
    const id = await insertRun(trx, {
      scuolaId, utenteId, modalita, conteggi,
      report: {
        ...report,
        cig: { ...report.cig, daRegistrare: newCig },
        cup: { ...report.cup, daRegistrare: newCup },
        proposte: report.proposte.map((p) => ({ ...p, accettata: acceptedKeys.has(p.chiave) })),
      },
    });
    return { ok: true, id, conteggi };
  }

  return {
    preview: (scuolaId: number) => buildPiano(knex, scuolaId, today()),

    /**
     * `progress` hears each stage of the run (for the log: an import of a large school takes seconds).
     * `accettate`: the proposals the admin accepted (none by default).
     */
    async run(
      scuolaId: number, utenteId: number | null, modalita: 'web' | 'cli' = 'web', progress: (stage: string) => void = () => {}, accettate: Accettate = new Set(),
    ): Promise<EsitoImportazione> {
      if (running.has(scuolaId)) return { ok: false, motivo: 'in_corso' };
      running.add(scuolaId);
      try {
        return await knex.transaction((trx) => runInTransaction(trx, scuolaId, utenteId, modalita, progress, accettate));
      } finally {
        running.delete(scuolaId);
      }
    },

    /**
     * An invalid value corrected once for every document and voce that carries it:
     * the admin types the right code, the app checks it, registers it (as the
     * import would) and links them all. The legacy text stays as written.
     */
    async correct(scuolaId: number, utenteId: number, input: { campo: LegacyField; valore: string; codice: string }): Promise<Correzione> {
      const check = input.campo === 'cig' ? validateCig(input.codice) : validateCup(input.codice, today());
      if (!check.ok) return { ok: false, errore: check.reason };
      const codice = check.codice;
      return knex.transaction(async (trx): Promise<Correzione> => {
        const where = await whereTextsAppear(trx, input.campo, scuolaId, [input.valore]);
        if (!where.length) return { ok: false, errore: `Il valore «${input.valore}» non compare più nei documenti: ricarica la pagina.` };
        if (input.campo === 'cig') await insertImportedCig(trx, scuolaId, utenteId, [{ codice, famiglia: cigFamily(codice), oggetto: FALLBACK.cig }], CORRECTION.cig);
        else await insertImportedCup(trx, scuolaId, utenteId, [{ codice, descrizione: FALLBACK.cup, anno_decisione: (check as { annoDecisione: number | null }).annoDecisione, da_completare: true }], CORRECTION.cup);
        const [registered] = await findCodes(trx, input.campo, scuolaId, [codice]);
        if (registered?.stato !== 'attivo') return { ok: false, errore: `${input.campo.toUpperCase()} ${codice} è annullato nel registro: riattivalo o scegline un altro.` };
        const mapping = [{ raw: input.valore, codice }];
        let collegati = 0;
        for (const table of ['impegni', 'mandati', ...(input.campo === 'cup' ? (['voci_destinazione'] as const) : [])] as const) {
          collegati += await linkTexts(trx, table, input.campo, input.campo, scuolaId, mapping);
        }
        return { ok: true, codice, collegati };
      });
    },

    runs: (scuolaId: number) => listRuns(knex, scuolaId),
    findRun: (scuolaId: number, id: number) => findRun(knex, scuolaId, id),
  };
}

function cigFamily(codice: string): CigFamily {
  return (validateCig(codice) as { famiglia: CigFamily }).famiglia;
}

export type ImportazioneService = ReturnType<typeof createImportazioneService>;
