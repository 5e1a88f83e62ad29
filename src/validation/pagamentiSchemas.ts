import { validateCodiceFiscale } from '../domain/anagrafica.js';
import { parseDateInput } from '../domain/dates.js';
import { parseEuro } from '../domain/money.js';
import { isPlainText, TESTO_NON_AMMESSO } from '../domain/text.js';
import type { FieldErrors } from './formErrors.js';

/**
 * The invoices a mandato form says it pays (issue 15), read from the form's own
 * fields before the mandato's schema sees the rest:
 *
 * - `fe_<id>`: what the mandato pays of the electronic invoice `id` (empty: nothing);
 * - `fa_<n>_tipo|numero|data|importo|cf`: analog document n (0 to 9), described by hand.
 *
 * A blank analog row is no row. The rules that need the database (the school's
 * invoice, what is left to pay) are the service's.
 */

export const TIPI_ANALOGICI = [
  { value: 'FATT_ANALOGICA', label: 'Fattura analogica (cartacea)' },
  { value: 'DOC_EQUIVALENTE', label: 'Documento equivalente (ricevuta, scontrino, notula…)' },
] as const;
export type TipoAnalogico = (typeof TIPI_ANALOGICI)[number]['value'];

/** How many analog documents one mandato can describe. */
export const MAX_ANALOGICHE = 10;
export const CAMPI_ANALOGICA = ['tipo', 'numero', 'data', 'importo', 'cf'] as const;

export type Elettronica = { fatturaId: number; importo: number; campo: string };
export type Analogica = { tipo: TipoAnalogico; numero: string; data: string; importo: number; codiceFiscale: string; riga: number };

export type RighePagamento = {
  elettroniche: Elettronica[];
  analogiche: Analogica[];
  /** Problems of the rows themselves, by field name. */
  errors: FieldErrors;
  /** The rows' fields as sent, to draw the form again. */
  submitted: Record<string, string>;
};

const ELETTRONICA = /^fe_(\d{1,9})$/;
const ANALOGICA = /^fa_(\d)_(tipo|numero|data|importo|cf)$/;

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Positive amount in cents, null when blank; an error message when it is not an amount. */
function amount(raw: string, label: string): { cents: number | null; error?: string } {
  if (raw.trim() === '') return { cents: null };
  const cents = parseEuro(raw);
  if (cents === null) return { cents: null, error: `${label}: scrivi l’importo in euro, per esempio 1.234,56` };
  if (cents < 0) return { cents: null, error: `${label}: l’importo non può essere negativo` };
  return { cents: cents === 0 ? null : cents };
}

/** Splits a mandato form's body: the invoice rows (read and checked one by one), and the rest for the mandato's schema. */
export function readPagamenti(body: unknown): { rest: Record<string, unknown>; righe: RighePagamento } {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  const submitted: Record<string, string> = {};
  const errors: FieldErrors = {};
  const elettroniche: Elettronica[] = [];
  const rows = new Map<number, Record<string, string>>();
  for (const [key, value] of Object.entries(source)) {
    const e = ELETTRONICA.exec(key);
    const a = ANALOGICA.exec(key);
    if (e) {
      submitted[key] = text(value);
      const a = amount(text(value), 'Importo pagato della fattura');
      if (a.error) errors[key] = a.error;
      else if (a.cents !== null) elettroniche.push({ fatturaId: Number(e[1]), importo: a.cents, campo: key });
    } else if (a) {
      submitted[key] = text(value);
      const row = rows.get(Number(a[1])) ?? {};
      row[a[2]!] = text(value).trim();
      rows.set(Number(a[1]), row);
    } else if (key !== 'pagamenti') rest[key] = value;
  }
  const analogiche: Analogica[] = [];
  for (const [n, row] of [...rows.entries()].sort((x, y) => x[0] - y[0])) {
    // The tipo has a default in the form: a row is filled when anything else is.
    if (!row.numero && !row.data && !row.importo && !row.cf) continue;
    const f = (campo: string) => `fa_${n}_${campo}`;
    const label = `Fattura analogica ${n + 1}`;
    const tipo = TIPI_ANALOGICI.find((t) => t.value === row.tipo)?.value;
    if (!tipo) errors[f('tipo')] = `${label}: scegli il tipo di documento dall’elenco`;
    const numero = row.numero ?? '';
    if (numero === '') errors[f('numero')] = `${label}: inserisci il numero del documento`;
    else if (numero.length > 20) errors[f('numero')] = `${label}: il numero è troppo lungo, al massimo 20 caratteri`;
    else if (!isPlainText(numero)) errors[f('numero')] = `${label}: ${TESTO_NON_AMMESSO}`;
    const data = row.data ? parseDateInput(row.data) : null;
    if (!row.data) errors[f('data')] = `${label}: inserisci la data del documento (gg/mm/aaaa)`;
    else if (!data) errors[f('data')] = `${label}: la data «${row.data}» non è valida, scrivila come gg/mm/aaaa (per esempio 15/03/2026)`;
    const importo = amount(row.importo ?? '', `${label}`);
    if (importo.error) errors[f('importo')] = importo.error;
    else if (importo.cents === null) errors[f('importo')] = `${label}: inserisci l’importo pagato, maggiore di zero`;
    const cf = validateCodiceFiscale(row.cf ?? '');
    if (!cf.ok) errors[f('cf')] = `${label}, codice fiscale o partita IVA di chi l’ha emesso: ${cf.reason}`;
    if (tipo && numero && numero.length <= 20 && isPlainText(numero) && data && importo.cents !== null && cf.ok) {
      analogiche.push({ tipo, numero, data, importo: importo.cents, codiceFiscale: cf.value, riga: n });
    }
  }
  return { rest, righe: { elettroniche, analogiche, errors, submitted } };
}
