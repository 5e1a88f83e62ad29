import type { Knex } from 'knex';
import type { Db } from '../db/types.js';
import { formatEuro } from '../domain/money.js';
import { historyOf, type Snapshot } from '../repositories/auditRepository.js';
import { creditoriOptions } from '../repositories/creditoriRepository.js';
import { findImpegno, impegniOptions, pagatoSuImpegno, residuoImpegno } from '../repositories/impegniRepository.js';
import {
  annullaMandato, deleteMandato, findMandato, insertMandato, listMandati, mandatiTotals, updateMandato, type MandatoRow, type MandatoSortKey, type MandatoValues,
} from '../repositories/mandatiRepository.js';
import { cigOptions, cupOptions, findCigRef, findCupRef } from '../repositories/pickerRepository.js';
import { findVoce, listVoci } from '../repositories/pianoRepository.js';
import type { FieldErrors } from '../validation/formErrors.js';
import { MANDATO_FIELDS, mandatoCreateSchema, mandatoUpdateSchema, type MandatoForm } from '../validation/mandatiSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import type { DocumentiSearch } from '../validation/documentiSearch.js';
import { saveColumnPreference } from '../repositories/utentiRepository.js';
import { checkReferences, documentWrites, formaInCorso, type DocumentSpec } from './documenti.js';
import { avvisiPrimaDelSalvataggio, dateOutsideEsercizio, mandatoWarnings } from '../domain/documenti.js';
import { clampPage, conflict, invalid, NOT_FOUND, pageOf, saved, type Actor, type Conflict, type CreateResult, type NotFound, type Result, type Saved, type Values } from './results.js';
import { inviiMandato, mandatoInviato } from '../repositories/distinteRepository.js';
import { releaseLastNumero } from '../repositories/numerazioneRepository.js';
import { writeAudit } from '../repositories/auditRepository.js';
import { csrfField, UNKNOWN_FIELDS, versionField } from '../validation/fields.js';
import { z } from 'zod';
import { findFattura } from '../repositories/fattureRepository.js';
import { findCigByCodice } from '../repositories/cigRepository.js';
import { findCupByCodice } from '../repositories/cupRepository.js';
import { fattureDaPagare, pagamentiOfMandato } from '../repositories/fatturePagamentiRepository.js';
import { readPagamenti, type RighePagamento } from '../validation/pagamentiSchemas.js';
import { fromFieldErrors } from '../validation/formErrors.js';
import { applicaPiano, NOTA_DI_CREDITO, pianoPagamenti, type PianoPagamenti } from './fatturePagamenti.js';

/** A mandato as its history keeps it, with the invoices it pays when read with them (`findConFatture`). */
export function mandatoSnapshot(r: MandatoRow & { fatture?: string }): Snapshot {
  return {
    ...(r.fatture === undefined ? {} : { fatture: r.fatture }),
    esercizio: r.esercizio,
    numero: r.numero,
    data: r.data,
    impegno: `${r.impegno_numero}/${r.impegno_esercizio}`,
    beneficiario: r.beneficiario,
    causale: r.causale,
    importo_cents: r.importo_cents,
    modalita_pagamento: r.modalita_pagamento,
    tipo_debito: r.tipo_debito,
    cig: r.cig_codice,
    motivo_esclusione_cig: r.motivo_esclusione_cig,
    cup: r.cup_codice,
    note: r.note,
  };
}

/** What a save writes: the mandato's columns, and the invoices it pays (written after the mandato row). */
type MandatoSave = MandatoValues & { pagamenti: PianoPagamenti };

function toValues(f: MandatoForm): MandatoValues {
  return {
    data: f.data!,
    impegno_id: f.impegno_id,
    beneficiario_id: f.beneficiario_id,
    causale: f.causale,
    importo_cents: f.importo,
    modalita_pagamento: f.modalita_pagamento,
    tipo_debito: f.tipo_debito,
    cig_id: f.cig_id,
    motivo_esclusione_cig: f.motivo_esclusione_cig,
    cup_id: f.cup_id,
    note: f.note,
  };
}

/** The mandato with the invoices it pays, in words (for its history: before and after a save). */
async function findConFatture(db: Db, scuolaId: number, id: number, options: { forUpdate?: boolean } = {}) {
  const row = await findMandato(db, scuolaId, id, options);
  if (!row) return undefined;
  const pagati = await pagamentiOfMandato(db, scuolaId, id);
  const fatture = pagati.map((p) => `${p.fattura_id !== null ? `fattura n. ${p.fattura_numero}` : `${p.analogica_tipo === 'DOC_EQUIVALENTE' ? 'documento' : 'fattura analogica'} n. ${p.analogica_numero}`}: ${formatEuro(p.importo_cents)}`);
  return { ...row, fatture: fatture.join('; ') };
}

const ANNULLATO = 'Il mandato è annullato: non si può più modificare. Per pagare di nuovo, crea un nuovo mandato.';

const GONE: FieldErrors = { impegno_id: 'Uno dei valori scelti non è più disponibile: ricontrolla impegno, beneficiario, CIG e CUP' };

/** The mandato's own rules, inside the saving transaction: date, the impegno and its residual, references. */
async function check(trx: Knex.Transaction, actor: Actor, esercizio: number, form: MandatoForm, stored: MandatoRow | null, submitted: Values) {
  const values = toValues(form);
  const errors: FieldErrors = {};
  if (stored?.annullato_at) return { ok: false, invalid: invalid<MandatoRow>(submitted, { causale: ANNULLATO }) } as const;
  const fuoriEsercizio = dateOutsideEsercizio(values.data, esercizio);
  if (fuoriEsercizio) errors.data = fuoriEsercizio;
  // The impegno row is locked until the end of the transaction: concurrent mandati on it queue here.
  const impegno = await findImpegno(trx, actor.scuolaId, values.impegno_id, { forUpdate: true });
  if (!impegno) errors.impegno_id = 'Scegli l’impegno dall’elenco';
  else if (impegno.esercizio > esercizio) errors.impegno_id = `L’impegno n. ${impegno.numero}/${impegno.esercizio} è di un esercizio successivo al ${esercizio}`;
  else {
    const pagato = await pagatoSuImpegno(trx, actor.scuolaId, impegno.id, stored?.id ?? null);
    const residuo = impegno.importo_cents - pagato;
    if (values.importo_cents > residuo) {
      errors.importo = residuo > 0
        ? `L’importo supera il residuo dell’impegno n. ${impegno.numero}/${impegno.esercizio}: al massimo ${formatEuro(residuo)}`
        : `L’impegno n. ${impegno.numero}/${impegno.esercizio} è già pagato per intero: non resta nulla da pagare`;
    }
  }
  const refs = await checkReferences(trx, actor.scuolaId, {
    creditore: { field: 'beneficiario_id', id: values.beneficiario_id }, cig_id: values.cig_id, cup_id: values.cup_id,
  }, stored);
  Object.assign(errors, refs.errors);
  // The invoices it pays: locked after the impegno, in id order (services/fatturePagamenti.ts).
  const righe = form.pagamenti ?? readPagamenti({}).righe;
  const piano = impegno
    ? await pianoPagamenti(trx, actor.scuolaId, { righe, tipoDebito: values.tipo_debito, importoCents: values.importo_cents, impegnoId: impegno.id, mandatoId: stored?.id ?? null })
    : { ok: false as const, errors: righe.errors };
  if (!piano.ok) Object.assign(errors, piano.errors);
  if (Object.keys(errors).length || !impegno || !piano.ok) return { ok: false, invalid: invalid<MandatoRow>(submitted, errors) } as const;
  const voce = (await findVoce(trx, actor.scuolaId, impegno.voce_id, { forUpdate: true }))!;
  const cupChanged = !stored || stored.cup_id !== values.cup_id || stored.impegno_id !== values.impegno_id;
  return { ok: true, values: { ...values, pagamenti: piano.piano }, voce, cup: refs.cup, cupChanged } as const;
}

async function insert(trx: Knex.Transaction, scuolaId: number, userId: number, { pagamenti, ...values }: MandatoSave & { esercizio: number; numero: number }) {
  const id = await insertMandato(trx, scuolaId, userId, values);
  await applicaPiano(trx, scuolaId, userId, id, pagamenti);
  return id;
}

async function update(trx: Knex.Transaction, scuolaId: number, id: number, version: number, userId: number, { pagamenti, ...values }: MandatoSave) {
  const n = await updateMandato(trx, scuolaId, id, version, userId, values);
  if (n > 0) await applicaPiano(trx, scuolaId, userId, id, pagamenti);
  return n;
}

/** A refused save shows the invoice rows again as sent, with their own problems even when the mandato's schema stopped first. */
function withRighe<T extends CreateResult<MandatoRow> | Result<MandatoRow>>(result: T, righe: RighePagamento): T {
  if (result.ok || result.kind !== 'invalid') return result;
  const fieldErrors = { ...righe.errors, ...result.errors.fieldErrors };
  return { ...result, values: { ...result.values, ...righe.submitted }, errors: fromFieldErrors(fieldErrors) };
}

const writes = {
  entita: 'mandato', nome: 'Mandato', find: findConFatture, snapshot: mandatoSnapshot,
  createSchema: mandatoCreateSchema, updateSchema: mandatoUpdateSchema, fields: MANDATO_FIELDS, gone: GONE,
  check, insert, update,
  /** Warnings that do not stop the save: a CIG other than the impegno's. */
  warnings: mandatoWarnings,
} satisfies DocumentSpec<MandatoRow, MandatoForm, MandatoSave>;

const annullaSchema = z.strictObject({
  version: versionField,
  motivo: z.string({ error: 'Scrivi perché annulli il mandato' }).trim().min(1, 'Scrivi perché annulli il mandato (per esempio «IBAN errato, sostituito dal mandato n. 12»)').max(500, 'Il motivo è troppo lungo: al massimo 500 caratteri'),
  _csrf: csrfField,
}, { error: UNKNOWN_FIELDS });

const eliminaSchema = z.strictObject({ version: versionField, conferma: z.string().optional(), _csrf: csrfField }, { error: UNKNOWN_FIELDS });

/** Gestisci → Mandati: a payment order on one impegno, never beyond its residual. */
export function createMandatiService(knex: Knex) {
  const documenti = documentWrites(knex, writes);
  return {
    /** One page of the search, the totals of every row it finds, the panel's voci and creditori. */
    async list(scuolaId: number, search: DocumentiSearch, requested: ListParams<MandatoSortKey>) {
      const totals = await mandatiTotals(knex, scuolaId, search.filters);
      const params = clampPage(requested, totals.n);
      const rows = totals.n === 0 ? [] : await listMandati(knex, scuolaId, search.filters, params.ordina, pageOf(params));
      const voci = await listVoci(knex, scuolaId, search.filters.esercizio);
      const creditori = await creditoriOptions(knex, scuolaId);
      return { rows, total: totals.n, totals, params, voci, creditori };
    },

    /** Every row of the search, in the list's order (exports). */
    exportRows: (scuolaId: number, search: DocumentiSearch, params: ListParams<MandatoSortKey>) =>
      listMandati(knex, scuolaId, search.filters, params.ordina, { dir: params.verso }),

    saveColumns: (actor: Actor, colonne: string[]) => saveColumnPreference(knex, actor.scuolaId, actor.id, 'mandati', colonne),

    /** Impegni with a residual (this esercizio and the previous: residui), creditori, active CIG/CUP plus the mandato's own. */
    async formOptions(scuolaId: number, esercizio: number, keep: { impegno_id?: number | null; cig_id?: number | null; cup_id?: number | null } = {}) {
      const impegni = await impegniOptions(knex, scuolaId, [esercizio, esercizio - 1], keep.impegno_id ?? null);
      const creditori = await creditoriOptions(knex, scuolaId);
      const cig = await cigOptions(knex, scuolaId, keep.cig_id ?? null);
      const cup = await cupOptions(knex, scuolaId, [keep.cup_id ?? null]);
      return { impegni, creditori, cig, cup };
    },

    find: (scuolaId: number, id: number) => findMandato(knex, scuolaId, id),

    /** What the save of this form would warn about or ask, as the user edits (`id`: the mandato edited); undefined: not the school's mandato. */
    async verifica(actor: Actor, esercizio: number, id: number | null, body: unknown) {
      const stored = id === null ? null : await findMandato(knex, actor.scuolaId, id);
      if (stored === undefined) return undefined;
      const f = formaInCorso(body);
      const impegnoId = f.id('impegno_id');
      const cigId = f.id('cig_id');
      const cupId = f.id('cup_id');
      const impegno = impegnoId === null ? null : ((await findImpegno(knex, actor.scuolaId, impegnoId)) ?? null);
      const voce = impegno ? ((await findVoce(knex, actor.scuolaId, impegno.voce_id)) ?? null) : null;
      const cig = cigId === null ? null : ((await findCigRef(knex, actor.scuolaId, cigId)) ?? null);
      const cup = cupId === null ? null : ((await findCupRef(knex, actor.scuolaId, cupId)) ?? null);
      const mandato = {
        beneficiario_id: f.id('beneficiario_id'), cig_id: cig?.id ?? null, cig_codice: cig?.codice ?? null,
        impegno_cig_id: impegno?.cig_id ?? null, impegno_cig_codice: impegno?.cig_codice ?? null,
        data: f.data, impegno_data: impegno?.data ?? null, impegno_numero: impegno?.numero ?? null, impegno_esercizio: impegno?.esercizio ?? null,
      };
      const cupChanged = !stored || stored.cup_id !== cupId || stored.impegno_id !== impegnoId;
      return avvisiPrimaDelSalvataggio({ data: f.data, esercizio: stored?.esercizio ?? esercizio, mandato, voce, cup, conferma: f.conferma, cupChanged });
    },

    /** Whether the mandato went to the bank (its form says an edit becomes a VARIAZIONE). */
    inviato: (scuolaId: number, id: number) => mandatoInviato(knex, scuolaId, id),

    async record(scuolaId: number, id: number) {
      const mandato = await findMandato(knex, scuolaId, id);
      if (!mandato) return undefined;
      const history = await historyOf(knex, scuolaId, 'mandato', id);
      const pagamenti = await pagamentiOfMandato(knex, scuolaId, id);
      const invii = await inviiMandato(knex, scuolaId, id);
      // What the impegno has left once this mandato (and every other not annulled) is paid.
      const residuo = await residuoImpegno(knex, scuolaId, mandato.impegno_id);
      return { mandato, history, pagamenti, invii, residuoImpegno: residuo };
    },

    /** The invoices the form offers (those of the impegno with something left to pay, plus those the mandato pays and those sent) and what the mandato pays. */
    async pagamentiForm(scuolaId: number, impegnoId: number | null, mandatoId: number | null, inviate: number[] = []) {
      const pagati = mandatoId === null ? [] : await pagamentiOfMandato(knex, scuolaId, mandatoId);
      // A refused form shows again every invoice of the school it sent, with its message.
      const keep = [...pagati.flatMap((p) => (p.fattura_id === null ? [] : [p.fattura_id])), ...inviate];
      const fatture = impegnoId === null && keep.length === 0 ? [] : await fattureDaPagare(knex, scuolaId, impegnoId ?? 0, keep);
      return { fatture, pagati };
    },

    /** Paga, from an invoice's page: the invoice, its impegno and the CIG to start the new mandato from (undefined: nothing to pay from it). */
    async daFattura(scuolaId: number, fatturaId: number) {
      const fattura = await findFattura(knex, scuolaId, fatturaId);
      if (!fattura || fattura.tipo_documento === NOTA_DI_CREDITO || fattura.impegno_id === null) return undefined;
      const impegno = await findImpegno(knex, scuolaId, fattura.impegno_id);
      if (!impegno) return undefined;
      // The impegno's codes, else the first the invoice carries that is in the registers.
      const cig = fattura.cig?.split(',')[0]?.trim();
      const cup = fattura.cup?.split(',')[0]?.trim();
      const cigId = impegno.cig_id ?? (cig ? ((await findCigByCodice(knex, scuolaId, cig))?.id ?? null) : null);
      const cupId = impegno.cup_id ?? (cup ? ((await findCupByCodice(knex, scuolaId, cup))?.id ?? null) : null);
      return { fattura, impegno, cigId, cupId };
    },

    ...documenti,

    /** New mandato: its fields and the invoices it pays (`fe_<id>`, `fa_<n>_…`, validation/pagamentiSchemas.ts). */
    async create(actor: Actor, esercizio: number, body: unknown): Promise<CreateResult<MandatoRow>> {
      const { rest, righe } = readPagamenti(body);
      return withRighe(await documenti.create(actor, esercizio, { ...rest, pagamenti: righe }), righe);
    },

    /**
     * Elimina: only the last mandato of its esercizio (the numbering keeps no gaps), at the
     * version the page showed; what it paid of each invoice is given back in the same transaction.
     */
    async elimina(actor: Actor, id: number, body: unknown): Promise<Saved<MandatoRow> | NotFound | Conflict<MandatoRow> | { ok: false; kind: 'refused'; message: string }> {
      const parsed = eliminaSchema.safeParse(body ?? {});
      return knex.transaction(async (trx) => {
        const before = await findConFatture(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return NOT_FOUND;
        if (!parsed.success || parsed.data.version !== before.version) return conflict(before);
        if (await mandatoInviato(trx, actor.scuolaId, id)) {
          return { ok: false, kind: 'refused', message: `Il mandato n. ${before.numero}/${before.esercizio} è stato trasmesso al cassiere: non si può eliminare. Usa «Annulla il mandato»: l’annullo partirà con la prossima distinta.` } as const;
        }
        if (parsed.data.conferma !== '1') return { ok: false, kind: 'refused', message: 'Per eliminare il mandato spunta «Confermo l’eliminazione» e premi di nuovo Elimina.' } as const;
        if (!(await releaseLastNumero(trx, actor.scuolaId, 'mandato', before.esercizio, before.numero))) {
          return {
            ok: false, kind: 'refused',
            message: `Si può eliminare solo l’ultimo mandato dell’esercizio ${before.esercizio}: la numerazione non può avere buchi. Per correggere il mandato n. ${before.numero}/${before.esercizio}, modificalo.`,
          } as const;
        }
        const restituzione = await pianoPagamenti(trx, actor.scuolaId, {
          righe: readPagamenti({}).righe, tipoDebito: 'NON_COMMERCIALE', importoCents: 0, impegnoId: before.impegno_id, mandatoId: id,
        });
        if (restituzione.ok) await applicaPiano(trx, actor.scuolaId, actor.id, id, restituzione.piano);
        await deleteMandato(trx, actor.scuolaId, id);
        await writeAudit(trx, { scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'mandato', entitaId: id, azione: 'elimina', prima: mandatoSnapshot(before), dopo: null });
        return saved(before);
      });
    },

    /**
     * Annulla, for a mandato already sent to the bank: it pays nothing any more
     * (what it paid of each invoice and of its impegno is given back in the same
     * transaction) and the next distinta carries its ANNULLO. It stays, numbered, with its history.
     */
    async annulla(actor: Actor, id: number, body: unknown): Promise<Saved<MandatoRow> | NotFound | Conflict<MandatoRow> | { ok: false; kind: 'refused'; message: string }> {
      const parsed = annullaSchema.safeParse(body ?? {});
      return knex.transaction(async (trx) => {
        const before = await findConFatture(trx, actor.scuolaId, id, { forUpdate: true });
        if (!before) return NOT_FOUND;
        if (before.annullato_at) return { ok: false, kind: 'refused', message: `Il mandato n. ${before.numero}/${before.esercizio} è già annullato.` } as const;
        if (!parsed.success) {
          const versione = parsed.error.issues.some((i) => i.path[0] === 'version');
          return versione ? conflict(before) : ({ ok: false, kind: 'refused', message: parsed.error.issues[0]!.message } as const);
        }
        if (parsed.data.version !== before.version) return conflict(before);
        if (!(await mandatoInviato(trx, actor.scuolaId, id))) {
          return { ok: false, kind: 'refused', message: `Il mandato n. ${before.numero}/${before.esercizio} non è ancora stato inviato al cassiere: correggilo con Modifica (o, se è l’ultimo dell’esercizio, eliminalo).` } as const;
        }
        const restituzione = await pianoPagamenti(trx, actor.scuolaId, {
          righe: readPagamenti({}).righe, tipoDebito: 'NON_COMMERCIALE', importoCents: 0, impegnoId: before.impegno_id, mandatoId: id,
        });
        if (restituzione.ok) await applicaPiano(trx, actor.scuolaId, actor.id, id, restituzione.piano);
        await annullaMandato(trx, actor.scuolaId, id, before.version, actor.id, parsed.data.motivo);
        const after = (await findConFatture(trx, actor.scuolaId, id))!;
        await writeAudit(trx, {
          scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'mandato', entitaId: id, azione: 'annulla',
          prima: mandatoSnapshot(before), dopo: { ...mandatoSnapshot(after), annullato: parsed.data.motivo },
        });
        return saved(after);
      });
    },

    async update(actor: Actor, id: number, body: unknown): Promise<Result<MandatoRow>> {
      const { rest, righe } = readPagamenti(body);
      return withRighe(await documenti.update(actor, id, { ...rest, pagamenti: righe }), righe);
    },
  };
}

export type MandatiService = ReturnType<typeof createMandatiService>;
