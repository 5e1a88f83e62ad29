import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { validateCig, type CigFamily } from '../domain/cig.js';
import { validateCup } from '../domain/cup.js';
import {
  findCodes,
  findRun,
  harvestCigTexts,
  harvestCupTexts,
  insertImportedCig,
  insertImportedCup,
  insertRun,
  linkTexts,
  listRuns,
  tryImportLock,
  whereTextsAppear,
  type Mapping,
  type Riferimento,
} from '../repositories/importazioneRepository.js';

/**
 * The one-time import of the CIG and CUP codes written as free text in the
 * documents (and on the schede finanziarie) before the registers existed.
 * Idempotent, atomic (one transaction), one run at a time per school.
 */

export type CodiceTrovato = { codice: string; dettaglio: string; documenti: number; voci: number; grafie: string[] };
export type ValoreNonValido = { tipo: 'CIG' | 'CUP'; valore: string; motivo: string; dove: Riferimento[] };

export type Piano = {
  cig: { daRegistrare: (CodiceTrovato & { famiglia: CigFamily })[]; giaRegistrati: CodiceTrovato[] };
  cup: { daRegistrare: (CodiceTrovato & { annoDecisione: number | null })[]; giaRegistrati: CodiceTrovato[] };
  collegamenti: { cig: number; cup: number; vociCup: number };
  nonValidi: ValoreNonValido[];
  mappature: { cig: Mapping; cup: Mapping };
};

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
};

export type EsitoImportazione = { ok: true; id: number; conteggi: Conteggi } | { ok: false; motivo: 'in_corso' };

const MAX_TESTO = 2000;
const clip = (text: string | null | undefined, fallback: string) => {
  const t = (text ?? '').trim();
  return (t || fallback).slice(0, MAX_TESTO);
};

type Group = { codice: string; grafie: string[]; documenti: number; voci: number; daCollegare: number; vociDaCollegare: number; testo: string | null; data: string; descrizioneVoce: string | null };

/** Groups the harvested spellings by their normalised code (valid) or keeps them apart (invalid). */
function group<T extends { raw: string; documenti: number; da_collegare: number; oggetto: string | null; ultima_data: string | null; voci?: number; voci_da_collegare?: number; descrizione_voce?: string | null }>(
  rows: T[],
  validate: (raw: string) => { ok: true; codice: string } | { ok: false; reason: string },
) {
  const valid = new Map<string, Group>();
  const invalid: { raw: string; motivo: string }[] = [];
  for (const row of rows) {
    const result = validate(row.raw);
    if (!result.ok) {
      invalid.push({ raw: row.raw, motivo: result.reason });
      continue;
    }
    const g = valid.get(result.codice) ?? { codice: result.codice, grafie: [], documenti: 0, voci: 0, daCollegare: 0, vociDaCollegare: 0, testo: null, data: '', descrizioneVoce: null };
    g.grafie.push(row.raw);
    g.documenti += row.documenti;
    g.voci += row.voci ?? 0;
    g.daCollegare += row.da_collegare;
    g.vociDaCollegare += row.voci_da_collegare ?? 0;
    // The oggetto of the most recent document that used the code.
    if (row.ultima_data && row.ultima_data > g.data) {
      g.data = row.ultima_data;
      g.testo = row.oggetto;
    }
    g.descrizioneVoce ??= row.descrizione_voce ?? null;
    valid.set(result.codice, g);
  }
  return { valid: [...valid.values()].sort((a, b) => a.codice.localeCompare(b.codice)), invalid };
}

async function buildPiano(db: Db, scuolaId: number, today: Date): Promise<Piano> {
  // One query after another: inside a transaction they share one connection.
  const cig = group(await harvestCigTexts(db, scuolaId), validateCig);
  const cup = group(await harvestCupTexts(db, scuolaId), (raw) => validateCup(raw, today));
  const cigEsistenti = await findCodes(db, 'cig', scuolaId, cig.valid.map((g) => g.codice));
  const cupEsistenti = await findCodes(db, 'cup', scuolaId, cup.valid.map((g) => g.codice));
  const dove = [
    await whereTextsAppear(db, 'cig', scuolaId, cig.invalid.map((i) => i.raw)),
    await whereTextsAppear(db, 'cup', scuolaId, cup.invalid.map((i) => i.raw)),
  ] as const;
  const cigPresenti = new Set(cigEsistenti.map((r) => r.codice));
  const cupPresenti = new Set(cupEsistenti.map((r) => r.codice));
  const found = (g: Group, dettaglio: string): CodiceTrovato => ({ codice: g.codice, dettaglio, documenti: g.documenti, voci: g.voci, grafie: g.grafie });
  const refs = (riferimenti: Riferimento[], raw: string) => riferimenti.filter((r) => r.testo === raw);

  return {
    cig: {
      daRegistrare: cig.valid
        .filter((g) => !cigPresenti.has(g.codice))
        .map((g) => ({ ...found(g, clip(g.testo, 'CIG importato dai documenti precedenti')), famiglia: (validateCig(g.codice) as { famiglia: CigFamily }).famiglia })),
      giaRegistrati: cig.valid.filter((g) => cigPresenti.has(g.codice)).map((g) => found(g, '')),
    },
    cup: {
      daRegistrare: cup.valid
        .filter((g) => !cupPresenti.has(g.codice))
        .map((g) => ({
          ...found(g, clip(g.descrizioneVoce ?? g.testo, 'CUP importato dai documenti precedenti')),
          annoDecisione: (validateCup(g.codice, today) as { annoDecisione: number | null }).annoDecisione,
        })),
      giaRegistrati: cup.valid.filter((g) => cupPresenti.has(g.codice)).map((g) => found(g, '')),
    },
    collegamenti: {
      cig: cig.valid.reduce((n, g) => n + g.daCollegare, 0),
      cup: cup.valid.reduce((n, g) => n + g.daCollegare, 0),
      vociCup: cup.valid.reduce((n, g) => n + g.vociDaCollegare, 0),
    },
    nonValidi: [
      ...cig.invalid.map((i) => ({ tipo: 'CIG' as const, valore: i.raw, motivo: i.motivo, dove: refs(dove[0], i.raw) })),
      ...cup.invalid.map((i) => ({ tipo: 'CUP' as const, valore: i.raw, motivo: i.motivo, dove: refs(dove[1], i.raw) })),
    ],
    mappature: {
      cig: cig.valid.flatMap((g) => g.grafie.map((raw) => ({ raw, codice: g.codice }))),
      cup: cup.valid.flatMap((g) => g.grafie.map((raw) => ({ raw, codice: g.codice }))),
    },
  };
}

export type ImportOptions = { today?: () => Date };

export function createImportazioneService(knex: Knex, options: ImportOptions = {}) {
  const today = options.today ?? (() => new Date());
  // PGlite is one process with one connection: this in-process guard answers
  // "in corso" at once; the advisory lock does the same across app instances.
  const running = new Set<number>();

  return {
    preview: (scuolaId: number) => buildPiano(knex, scuolaId, today()),

    /** `progress` hears each stage of the run (for the log: an import of a large school takes seconds). */
    async run(scuolaId: number, utenteId: number | null, modalita: 'web' | 'cli' = 'web', progress: (stage: string) => void = () => {}): Promise<EsitoImportazione> {
      if (running.has(scuolaId)) return { ok: false, motivo: 'in_corso' };
      running.add(scuolaId);
      try {
        return await knex.transaction(async (trx): Promise<EsitoImportazione> => {
          if (!(await tryImportLock(trx, scuolaId))) return { ok: false, motivo: 'in_corso' };
          const piano = await buildPiano(trx, scuolaId, today());
          const cigRegistrati = await insertImportedCig(
            trx,
            scuolaId,
            utenteId,
            piano.cig.daRegistrare.map((c) => ({ codice: c.codice, famiglia: c.famiglia, oggetto: c.dettaglio })),
          );
          const cupRegistrati = await insertImportedCup(
            trx,
            scuolaId,
            utenteId,
            piano.cup.daRegistrare.map((c) => ({ codice: c.codice, descrizione: c.dettaglio, anno_decisione: c.annoDecisione })),
          );
          progress(`${cigRegistrati} CIG e ${cupRegistrati} CUP registrati, collegamento dei documenti in corso`);
          const conteggi: Conteggi = {
            cigRegistrati,
            cupRegistrati,
            cigGiaPresenti: piano.cig.giaRegistrati.length,
            cupGiaPresenti: piano.cup.giaRegistrati.length,
            impegniCollegatiCig: await linkTexts(trx, 'impegni', 'cig', scuolaId, piano.mappature.cig),
            mandatiCollegatiCig: await linkTexts(trx, 'mandati', 'cig', scuolaId, piano.mappature.cig),
            impegniCollegatiCup: await linkTexts(trx, 'impegni', 'cup', scuolaId, piano.mappature.cup),
            mandatiCollegatiCup: await linkTexts(trx, 'mandati', 'cup', scuolaId, piano.mappature.cup),
            vociCollegateCup: await linkTexts(trx, 'voci_destinazione', 'cup', scuolaId, piano.mappature.cup),
            valoriNonValidi: piano.nonValidi.length,
          };
          const { mappature: _omit, ...report } = piano;
          const id = await insertRun(trx, { scuolaId, utenteId, modalita, conteggi, report });
          return { ok: true, id, conteggi };
        });
      } finally {
        running.delete(scuolaId);
      }
    },

    runs: (scuolaId: number) => listRuns(knex, scuolaId),
    findRun: (scuolaId: number, id: number) => findRun(knex, scuolaId, id),
  };
}

export type ImportazioneService = ReturnType<typeof createImportazioneService>;
