import { z } from 'zod';
import { validateCodiceFiscale, validateIban, validatePartitaIva } from '../domain/anagrafica.js';
import { csrfField, optionalText, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';

export const CREDITORE_FIELDS = ['denominazione', 'codice_fiscale', 'partita_iva', 'indirizzo', 'iban'] as const;
export const IDENTIFICATIVO_MANCANTE = 'Inserisci il codice fiscale o la partita IVA (almeno uno dei due)';

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

/** An optional identifier checked by its official check characters; the validator's reason is the message. */
function checked(validate: (s: string) => { ok: true; value: string } | { ok: false; reason: string }, label: string) {
  return z.preprocess(
    asText,
    z.string({ error: `${label} non valido` }).max(60, `${label}: troppi caratteri`).transform((s, ctx): string | null => {
      if (s.trim() === '') return null;
      const v = validate(s);
      if (!v.ok) {
        ctx.addIssue({ code: 'custom', message: v.reason });
        return null;
      }
      return v.value;
    }),
  );
}

const shape = {
  denominazione: requiredText('Inserisci la denominazione (ragione sociale o cognome e nome)', 300, 'La denominazione è troppo lunga: al massimo 300 caratteri'),
  codice_fiscale: checked(validateCodiceFiscale, 'Codice fiscale'),
  partita_iva: checked(validatePartitaIva, 'Partita IVA'),
  indirizzo: optionalText(500, 'L’indirizzo è troppo lungo: al massimo 500 caratteri'),
  iban: checked(validateIban, 'IBAN'),
  _csrf: csrfField,
};

type Ids = { codice_fiscale: string | null; partita_iva: string | null };
const atLeastOne = (v: Ids, ctx: z.RefinementCtx) => {
  if (v.codice_fiscale === null && v.partita_iva === null) ctx.addIssue({ code: 'custom', path: ['codice_fiscale'], message: IDENTIFICATIVO_MANCANTE });
};

export const creditoreCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS }).superRefine(atLeastOne);
export const creditoreUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS }).superRefine(atLeastOne);
export type CreditoreForm = z.output<typeof creditoreCreateSchema>;
