import { isSiglaProvincia } from './province.js';

/**
 * A creditore's address in the parts of the SIOPE+ OPI `beneficiario`:
 * street and number, CAP, località, provincia, stato (ISO 3166 alpha-2).
 * The rules of the parts together, with the Italian message for each field;
 * the form (validation/creditoriSchemas.ts) and the proposal from an invoice
 * (domain/fatturaCollegamento.ts) both use them.
 *
 * Pure module: no I/O.
 */

export const STATO_ITALIA = 'IT';

export type IndirizzoParts = {
  indirizzo: string | null;
  cap: string | null;
  localita: string | null;
  provincia: string | null;
  /** Two capital letters; 'IT' when not given. */
  stato: string;
};

export type IndirizzoField = 'cap' | 'localita' | 'provincia' | 'stato';

const CAP = /^[0-9]{5}$/;
const DUE_LETTERE = /^[A-Z]{2}$/;

/** The problem of each part, given trimmed values with stato and provincia in upper case; {} when the address is fine. */
export function indirizzoProblems(p: Omit<IndirizzoParts, 'indirizzo'>): Partial<Record<IndirizzoField, string>> {
  const out: Partial<Record<IndirizzoField, string>> = {};
  if (!DUE_LETTERE.test(p.stato)) {
    out.stato = 'Scrivi lo stato con la sigla di due lettere del paese, per esempio IT per l’Italia, FR per la Francia, DE per la Germania.';
  }
  const italia = p.stato === STATO_ITALIA;
  if (p.cap !== null && !CAP.test(p.cap)) {
    out.cap = italia
      ? 'Il CAP è fatto di 5 cifre, per esempio 00186: controlla di averlo scritto tutto.'
      : 'Qui si registra solo un CAP di 5 cifre: un codice postale estero di altra forma scrivilo nella località, prima del nome (per esempio «SW1A 1AA London»).';
  }
  if (p.provincia !== null) {
    if (italia && p.provincia === 'EE') {
      out.provincia = 'EE non è una provincia: per un indirizzo all’estero lascia vuota la provincia e scrivi nello stato la sigla del paese.';
    } else if (italia && !isSiglaProvincia(p.provincia)) {
      out.provincia = `«${p.provincia}» non è la sigla di una provincia italiana: scrivi le due lettere della provincia, per esempio RM per Roma, SU per il Sud Sardegna.`;
    } else if (!DUE_LETTERE.test(p.provincia)) {
      out.provincia = 'Scrivi la provincia con la sigla di due lettere, oppure lasciala vuota.';
    }
  }
  if (italia && (p.cap !== null || p.localita !== null || p.provincia !== null)) {
    if (p.cap === null) out.cap ??= 'Con la località serve anche il CAP: 5 cifre, per esempio 00186.';
    if (p.localita === null) out.localita ??= 'Con il CAP serve anche la località: scrivi il comune, per esempio Roma.';
  }
  return out;
}

/** One line for a page: "Via Roma 1, 00100 Roma (RM)", with the stato's sigla when abroad; null when there is nothing. */
export function formatIndirizzo(p: IndirizzoParts): string | null {
  const comune = [p.cap, p.localita, p.provincia ? `(${p.provincia})` : null].filter(Boolean).join(' ');
  const estero = p.stato !== STATO_ITALIA ? p.stato : null;
  const line = [p.indirizzo, comune, estero].filter(Boolean).join(', ');
  return line === '' ? null : line;
}
