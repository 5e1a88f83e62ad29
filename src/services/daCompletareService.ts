import type { Knex } from 'knex';
import { isRealCupDescription } from '../domain/cup.js';
import { findCig, updateCig, type CigRow } from '../repositories/cigRepository.js';
import { findCup, updateCup, type CupRow } from '../repositories/cupRepository.js';
import { countDaCompletare, listCigDaCompletare, listCupDaCompletare } from '../repositories/daCompletareRepository.js';
import { toFormErrors, type FieldErrors } from '../validation/formErrors.js';
import { COMPLETA, postedRows, rowUnchanged, type PostedRow, type Registro } from '../validation/daCompletareSchemas.js';
import { audited } from './audited.js';
import { cigRecords } from './cigService.js';
import { cupRecords } from './cupService.js';
import type { Actor } from './results.js';

/** At most this many rows on the page (and so in one post): the rest come once these are completed. */
export const MAX_RIGHE = 150;

/** A row not saved: what was typed, why, and for a conflict the record as it is now. */
export type RigaRifiutata =
  | { registro: 'cig'; id: number; codice: string; values: Record<string, string>; errors: FieldErrors; stored?: CigRow }
  | { registro: 'cup'; id: number; codice: string; values: Record<string, string>; errors: FieldErrors; stored?: CupRow };

export type EsitoCompletamento = { salvati: { cig: number; cup: number }; rifiutate: RigaRifiutata[] };

const INCOMPLETA = 'Il modulo è incompleto: ricarica la pagina e riprova.';
export const CONFLITTO = 'Modificato da un altro utente mentre la pagina era aperta: controlla i valori attuali e salva di nuovo.';
const SEGNAPOSTO = 'Scrivi la descrizione del progetto: quella dell’importazione è solo un segnaposto';

/** The stored values the page's fields show, by field name, to tell a row left alone from one changed. */
const storedFields = {
  cig: (r: CigRow) => ({ data_generazione: r.data_generazione, data_scadenza_offerte: r.data_scadenza_offerte, oggetto: r.oggetto, importo: r.importo_cents }),
  cup: (r: CupRow) => ({ descrizione: r.descrizione, importo_finanziato: r.importo_finanziato_cents, fonte_finanziamento: r.fonte_finanziamento }),
};

/** "Da completare": the school's CIG and CUP left incomplete by the import, completed together from one page. */
export function createDaCompletareService(knex: Knex) {
  const cigWrites = audited(cigRecords);
  const cupWrites = audited(cupRecords);

  /**
   * One row: skipped when it changes nothing (or is not the school's), refused
   * with its errors, or saved by the edit's own audited, versioned update in a
   * transaction of its own, so that a refused row never undoes another.
   */
  async function saveRow(actor: Actor, row: PostedRow): Promise<'saved' | 'skipped' | RigaRifiutata> {
    const stored = row.registro === 'cig' ? await findCig(knex, actor.scuolaId, row.id) : await findCup(knex, actor.scuolaId, row.id);
    if (!stored) return 'skipped';
    const values = Object.fromEntries([...COMPLETA[row.registro].fields, 'version'].map((f) => [f, row.values[f] ?? '']));
    const refuse = (errors: FieldErrors, current?: CigRow | CupRow) =>
      ({ registro: row.registro, id: row.id, codice: stored.codice, values, errors, ...(current ? { stored: current } : {}) }) as RigaRifiutata;

    const missing = [...COMPLETA[row.registro].fields, 'version'].find((f) => row.values[f] === undefined);
    if (missing) return refuse({ [missing]: INCOMPLETA });
    if (rowUnchanged(row.registro, values, storedFields[row.registro](stored as CigRow & CupRow))) return 'skipped';
    // Someone saved it since the page was drawn: a conflict, whatever was typed (the update below checks again under lock).
    if (values.version !== String(stored.version)) return refuse({ version: CONFLITTO }, stored);

    if (row.registro === 'cig') {
      const parsed = COMPLETA.cig.schema.safeParse(values);
      if (!parsed.success) return refuse(toFormErrors(parsed.error).fieldErrors);
      const { data } = parsed;
      const change = { data_generazione: data.data_generazione, data_scadenza_offerte: data.data_scadenza_offerte, oggetto: data.oggetto, importo_cents: data.importo };
      const result = await knex.transaction((trx) =>
        cigWrites.update(trx, actor, row.id, data.version, values, (before) => updateCig(trx, actor.scuolaId, row.id, before.version, actor.id, change)),
      );
      if (result.ok) return 'saved';
      if (result.kind === 'not-found') return 'skipped';
      return result.kind === 'conflict' ? refuse({ version: CONFLITTO }, result.stored) : refuse(result.errors.fieldErrors);
    }

    const parsed = COMPLETA.cup.schema.safeParse(values);
    if (!parsed.success) return refuse(toFormErrors(parsed.error).fieldErrors);
    const { data } = parsed;
    if (!isRealCupDescription(data.descrizione)) return refuse({ descrizione: SEGNAPOSTO });
    const change = { descrizione: data.descrizione, importo_finanziato_cents: data.importo_finanziato, fonte_finanziamento: data.fonte_finanziamento };
    const result = await knex.transaction((trx) =>
      cupWrites.update(trx, actor, row.id, data.version, values, (before) => updateCup(trx, actor.scuolaId, row.id, before.version, actor.id, change)),
    );
    if (result.ok) return 'saved';
    if (result.kind === 'not-found') return 'skipped';
    return result.kind === 'conflict' ? refuse({ version: CONFLITTO }, result.stored) : refuse(result.errors.fieldErrors);
  }

  return {
    /** The page: the codes to complete, CIG then CUP, each by code, at most MAX_RIGHE in all. */
    async worklist(scuolaId: number) {
      const cig = await listCigDaCompletare(knex, scuolaId, MAX_RIGHE + 1);
      const cup = await listCupDaCompletare(knex, scuolaId, Math.max(0, MAX_RIGHE + 1 - cig.length));
      const altre = cig.length + cup.length > MAX_RIGHE;
      const cigShown = cig.slice(0, MAX_RIGHE);
      return { cig: cigShown, cup: cup.slice(0, MAX_RIGHE - cigShown.length), altre };
    },

    /** How many codes wait (the home page): one statement. */
    count: (scuolaId: number) => countDaCompletare(knex, scuolaId),

    /** Every row of the post, one by one: the saved ones counted, the others returned with what was typed. */
    async saveAll(actor: Actor, body: unknown): Promise<EsitoCompletamento> {
      const salvati: Record<Registro, number> = { cig: 0, cup: 0 };
      const rifiutate: RigaRifiutata[] = [];
      for (const row of postedRows(body).slice(0, MAX_RIGHE)) {
        const outcome = await saveRow(actor, row);
        if (outcome === 'saved') salvati[row.registro] += 1;
        else if (outcome !== 'skipped') rifiutate.push(outcome);
      }
      return { salvati, rifiutate };
    },
  };
}

export type DaCompletareService = ReturnType<typeof createDaCompletareService>;
