import type { Knex } from 'knex';
import { z } from 'zod';
import { formatDateIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import { writeAudit } from '../repositories/auditRepository.js';
import {
  addPagato, addStornato, deletePagamenti, fattureDelFornitore, fattureStornabili, findFatturaDaPagare, insertPagamenti, lockFatture,
  mandatiOfFattura, noteDiCredito, pagamentiOfMandato, setRettificaDi, type FatturaDaPagare, type PagamentoValues,
} from '../repositories/fatturePagamentiRepository.js';
import { csrfField, UNKNOWN_FIELDS } from '../validation/fields.js';
import type { FieldErrors } from '../validation/formErrors.js';
import type { RighePagamento } from '../validation/pagamentiSchemas.js';
import type { AuditActor } from './audited.js';
import { NOT_FOUND, type Actor, type NotFound } from './results.js';

/**
 * Paying invoices (issue 15): what a mandato pays of each invoice, and the credit
 * notes that reduce what is left to pay. The invoices' totals (`pagato_cents`,
 * `stornato_cents`) change only here, on rows locked in id order in the
 * transaction that writes the payment, so two saves at once never pay or credit
 * more than an invoice is due.
 */

export const NOTA_DI_CREDITO = 'TD04';

/** What is still to pay of an invoice. */
export const residuoOf = (f: Pick<FatturaDaPagare, 'importo_dovuto_cents' | 'stornato_cents' | 'pagato_cents'>) =>
  f.importo_dovuto_cents - f.stornato_cents - f.pagato_cents;

const nomeFattura = (f: { numero: string; data: string }) => `n. ${f.numero} del ${formatDateIt(f.data)}`;

export const FATTURE_OBBLIGATORIE =
  'Un mandato per un debito commerciale paga almeno una fattura: indica quanto paga di una fattura elettronica dell’elenco, oppure descrivi la fattura analogica o il documento equivalente';

/** The payments a mandato save will write, and how each invoice's total moves. */
export type PianoPagamenti = {
  righe: PagamentoValues[];
  variazioni: { fatturaId: number; prima: number; delta: number }[];
};

/**
 * The invoice rules of a mandato save, in its transaction: the invoices are
 * locked (those it paid before too, when editing); each must be the school's,
 * not a credit note, tied to the mandato's impegno and with enough left to pay
 * (counting what this mandato already paid of it); a commercial debt pays at
 * least one, and the invoices' amounts add up to the mandato's importo exactly
 * (OPI's fattura_siope amounts are the mandato's, split by invoice).
 */
export async function pianoPagamenti(
  trx: Knex.Transaction,
  scuolaId: number,
  input: { righe: RighePagamento; tipoDebito: string; importoCents: number; impegnoId: number; mandatoId: number | null },
): Promise<{ ok: true; piano: PianoPagamenti } | { ok: false; errors: FieldErrors }> {
  const { righe } = input;
  const errors: FieldErrors = { ...righe.errors };
  const prima = input.mandatoId === null ? [] : await pagamentiOfMandato(trx, scuolaId, input.mandatoId);
  const giaPagato = new Map<number, number>();
  for (const p of prima) if (p.fattura_id !== null) giaPagato.set(p.fattura_id, p.importo_cents);
  const ids = [...new Set([...giaPagato.keys(), ...righe.elettroniche.map((e) => e.fatturaId)])].sort((a, b) => a - b);
  const locked = new Map((await lockFatture(trx, scuolaId, ids)).map((f) => [f.id, f]));

  for (const e of righe.elettroniche) {
    const f = locked.get(e.fatturaId);
    if (!f) errors.fatture = 'Una delle fatture indicate non è tra le fatture della scuola: ricarica la pagina e scegli dall’elenco.';
    else if (f.tipo_documento === NOTA_DI_CREDITO) {
      errors[e.campo] = `Il documento ${nomeFattura(f)} è una nota di credito: non si paga. Riduce quanto resta da pagare di una fattura: usa «Storna dalla fattura» nella sua pagina.`;
    } else if (f.impegno_id !== input.impegnoId) {
      errors[e.campo] = `La fattura ${nomeFattura(f)} non è collegata all’impegno del mandato: collegala all’impegno dalla pagina della fattura, oppure scegli l’impegno a cui è collegata.`;
    } else {
      const residuo = residuoOf(f) + (giaPagato.get(f.id) ?? 0);
      if (e.importo > residuo) {
        errors[e.campo] = residuo > 0
          ? `La fattura ${nomeFattura(f)} ha da pagare al massimo ${formatEuro(residuo)}: correggi l’importo.`
          : `La fattura ${nomeFattura(f)} è già pagata per intero: togli l’importo.`;
      }
    }
  }
  const totale = [...righe.elettroniche, ...righe.analogiche].reduce((s, r) => s + r.importo, 0);
  const numeroRighe = righe.elettroniche.length + righe.analogiche.length;
  const righeIncomplete = Object.keys(righe.errors).length > 0;
  if (input.tipoDebito === 'COMMERCIALE' && numeroRighe === 0 && !righeIncomplete) errors.fatture ??= FATTURE_OBBLIGATORIE;
  if (input.tipoDebito !== 'COMMERCIALE' && numeroRighe > 0) {
    errors.fatture ??= 'Le fatture si indicano solo per un debito commerciale: scegli «Commerciale» come tipo di debito, oppure togli gli importi delle fatture.';
  }
  if (numeroRighe > 0 && !righeIncomplete && totale !== input.importoCents) {
    errors.fatture ??= `Gli importi delle fatture (in tutto ${formatEuro(totale)}) devono fare l’importo del mandato (${formatEuro(input.importoCents)}): correggi gli importi delle fatture o quello del mandato.`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };

  const nuovi = new Map(righe.elettroniche.map((e) => [e.fatturaId, e.importo]));
  const variazioni = ids
    .map((id) => ({ fatturaId: id, prima: locked.get(id)!.pagato_cents, delta: (nuovi.get(id) ?? 0) - (giaPagato.get(id) ?? 0) }))
    .filter((v) => v.delta !== 0);
  const righeValues: PagamentoValues[] = [
    ...righe.elettroniche.map((e) => ({ fattura_id: e.fatturaId, importo_cents: e.importo })),
    ...righe.analogiche.map((a) => ({
      fattura_id: null, importo_cents: a.importo, numero: a.numero, data: a.data, codice_fiscale: a.codiceFiscale, tipo: a.tipo,
    })),
  ];
  return { ok: true, piano: { righe: righeValues, variazioni } };
}

/** Writes what `pianoPagamenti` decided, after the mandato row: its payments replaced, the invoices' totals moved and audited. */
export async function applicaPiano(trx: Knex.Transaction, scuolaId: number, userId: number, mandatoId: number, piano: PianoPagamenti): Promise<void> {
  await deletePagamenti(trx, scuolaId, mandatoId);
  await insertPagamenti(trx, scuolaId, mandatoId, piano.righe);
  for (const v of piano.variazioni) {
    await addPagato(trx, scuolaId, v.fatturaId, v.delta, userId);
    await writeAudit(trx, {
      scuolaId, utenteId: userId, entita: 'fattura', entitaId: v.fatturaId, azione: 'modifica',
      prima: { pagato_cents: v.prima }, dopo: { pagato_cents: v.prima + v.delta, mandato_id: mandatoId },
    });
  }
}

export type EsitoStorno = { ok: true; messaggio: string } | { ok: false; errore: string };

/**
 * A credit note (TD04) reduces what is left to pay of an invoice of the same
 * supplier: the note records the invoice (`rettifica_di_id`) and the invoice's
 * stornato grows by the note's amount (the taxable part when the invoice is in
 * split payment, as what is due), never beyond what is left to pay. Both rows
 * are locked in id order; audited on both. Call inside the caller's transaction.
 */
export async function applicaNotaDiCredito(trx: Knex.Transaction, actor: AuditActor, notaId: number, fatturaId: number): Promise<EsitoStorno> {
  const rows = new Map((await lockFatture(trx, actor.scuolaId, [notaId, fatturaId].sort((a, b) => a - b))).map((f) => [f.id, f]));
  const nota = rows.get(notaId);
  const fattura = rows.get(fatturaId);
  if (!nota || nota.tipo_documento !== NOTA_DI_CREDITO) return { ok: false, errore: 'Il documento non è una nota di credito della scuola.' };
  if (nota.rettifica_di_id !== null) return { ok: false, errore: `La nota di credito ${nomeFattura(nota)} è già stata stornata da una fattura.` };
  if (!fattura || fattura.id === nota.id || fattura.tipo_documento === NOTA_DI_CREDITO) {
    return { ok: false, errore: 'Scegli dall’elenco la fattura da cui stornare la nota di credito.' };
  }
  if (fattura.fornitore_chiave !== nota.fornitore_chiave) {
    return { ok: false, errore: `La fattura ${nomeFattura(fattura)} è di un altro fornitore: una nota di credito riduce solo le fatture dello stesso fornitore.` };
  }
  const residuo = residuoOf(fattura);
  if (residuo <= 0) {
    return { ok: false, errore: `La fattura ${nomeFattura(fattura)} non ha più nulla da pagare: la nota di credito non la può ridurre. Chiedi al fornitore il rimborso o scegli un’altra fattura.` };
  }
  const importoNota = Math.abs(fattura.split_payment ? nota.imponibile_cents : nota.totale_cents);
  const storno = Math.min(importoNota, residuo);
  if (storno <= 0) return { ok: false, errore: `La nota di credito ${nomeFattura(nota)} ha importo zero: non riduce nulla.` };
  await setRettificaDi(trx, actor.scuolaId, nota.id, fattura.id, actor.id);
  await addStornato(trx, actor.scuolaId, fattura.id, storno, actor.id);
  await writeAudit(trx, {
    scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'fattura', entitaId: nota.id, azione: 'collega',
    prima: { rettifica_di_id: null }, dopo: { rettifica_di_id: fattura.id, fattura: nomeFattura(fattura), stornato_cents: storno },
  });
  await writeAudit(trx, {
    scuolaId: actor.scuolaId, utenteId: actor.id, entita: 'fattura', entitaId: fattura.id, azione: 'modifica',
    prima: { stornato_cents: fattura.stornato_cents }, dopo: { stornato_cents: fattura.stornato_cents + storno, nota_di_credito: nomeFattura(nota) },
  });
  const ridotta = storno < importoNota ? ` (la nota è di ${formatEuro(importoNota)}, ma restavano da pagare solo ${formatEuro(residuo)})` : '';
  return { ok: true, messaggio: `Nota di credito ${nomeFattura(nota)} stornata dalla fattura ${nomeFattura(fattura)}: ${formatEuro(storno)} in meno da pagare${ridotta}.` };
}

/**
 * For the upload: a credit note whose DatiFattureCollegate name exactly one
 * invoice of the same supplier (by IdDocumento, and Data when written) is
 * stornata from it at once. Returns what happened (for the upload's avvisi), or
 * null when the document is no credit note or names no single invoice.
 */
export async function stornaNotaCollegata(
  trx: Knex.Transaction,
  actor: AuditActor,
  notaId: number,
  fattureCollegate: { idDocumento: string | null; data: string | null }[],
): Promise<EsitoStorno | null> {
  const nota = await findFatturaDaPagare(trx, actor.scuolaId, notaId);
  if (!nota || nota.tipo_documento !== NOTA_DI_CREDITO || nota.rettifica_di_id !== null) return null;
  const trovate = new Set<number>();
  for (const r of fattureCollegate) {
    if (!r.idDocumento) continue;
    for (const id of await fattureDelFornitore(trx, actor.scuolaId, nota.fornitore_chiave, r.idDocumento.trim().slice(0, 20), r.data)) trovate.add(id);
  }
  if (trovate.size !== 1) return null;
  return applicaNotaDiCredito(trx, actor, notaId, [...trovate][0]!);
}

const stornaSchema = z.strictObject(
  { fattura_id: z.string({ error: 'Scegli la fattura' }).regex(/^\d{1,9}$/, 'Scegli dall’elenco la fattura da cui stornare la nota di credito').transform(Number), _csrf: csrfField },
  { error: UNKNOWN_FIELDS },
);

/** The invoice page's "Pagamenti" part and its credit-note action. */
export function createFatturePagamentiService(knex: Knex) {
  return {
    /** What the invoice page shows of its payments: the mandati, the credit notes, and (for a credit note) the invoices it can reduce. */
    async part(scuolaId: number, id: number) {
      const fattura = await findFatturaDaPagare(knex, scuolaId, id);
      if (!fattura) return undefined;
      const nota = fattura.tipo_documento === NOTA_DI_CREDITO;
      const [mandati, note, stornabili, rettificata] = await Promise.all([
        mandatiOfFattura(knex, scuolaId, id),
        noteDiCredito(knex, scuolaId, id),
        nota && fattura.rettifica_di_id === null ? fattureStornabili(knex, scuolaId, fattura.fornitore_chiave) : Promise.resolve([]),
        fattura.rettifica_di_id === null ? Promise.resolve(undefined) : findFatturaDaPagare(knex, scuolaId, fattura.rettifica_di_id),
      ]);
      return { fattura, mandati, note, stornabili, rettificata: rettificata ?? null };
    },

    /** Storna dalla fattura…: the credit note `notaId` reduces the invoice chosen in the form. */
    async storna(actor: Actor, notaId: number, body: unknown): Promise<EsitoStorno | NotFound> {
      const parsed = stornaSchema.safeParse(body ?? {});
      return knex.transaction(async (trx) => {
        const nota = await findFatturaDaPagare(trx, actor.scuolaId, notaId);
        if (!nota) return NOT_FOUND;
        if (!parsed.success) return { ok: false, errore: parsed.error.issues[0]?.message ?? 'Scegli la fattura dall’elenco' } as const;
        return applicaNotaDiCredito(trx, actor, notaId, parsed.data.fattura_id);
      });
    },
  };
}

export type FatturePagamentiService = ReturnType<typeof createFatturePagamentiService>;
