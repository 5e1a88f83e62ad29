import { z } from 'zod';
import { validateCodiceFiscale, validateIban, validatePartitaIva } from '../domain/anagrafica.js';
import { indirizzoProblems, STATO_ITALIA, type IndirizzoField } from '../domain/indirizzo.js';
import { isPlainText, TESTO_NON_AMMESSO } from '../domain/text.js';
import { csrfField, optionalText, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';

export const CREDITORE_FIELDS = ['denominazione', 'codice_fiscale', 'partita_iva', 'indirizzo', 'cap', 'localita', 'provincia', 'stato', 'iban'] as const;
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

/** A short code of the address (CAP, provincia, stato): trimmed, upper case, '' → null; its rules are domain/indirizzo.ts's. */
function code(label: string, max: number) {
  return z.preprocess(
    asText,
    z.string({ error: `${label} non valido` }).trim().max(max, `${label}: troppi caratteri, al massimo ${max}`).refine(isPlainText, TESTO_NON_AMMESSO)
      .transform((s) => (s === '' ? null : s.toUpperCase())),
  );
}

const shape = {
  denominazione: requiredText('Inserisci la denominazione (ragione sociale o cognome e nome)', 300, 'La denominazione è troppo lunga: al massimo 300 caratteri'),
  codice_fiscale: checked(validateCodiceFiscale, 'Codice fiscale'),
  partita_iva: checked(validatePartitaIva, 'Partita IVA'),
  indirizzo: optionalText(500, 'L’indirizzo è troppo lungo: al massimo 500 caratteri'),
  cap: code('CAP', 16),
  localita: optionalText(200, 'La località è troppo lunga: al massimo 200 caratteri'),
  provincia: code('Provincia', 16),
  stato: code('Stato', 16).transform((s) => s ?? STATO_ITALIA),
  iban: checked(validateIban, 'IBAN'),
  _csrf: csrfField,
};

type Checked = { codice_fiscale: string | null; partita_iva: string | null; cap: string | null; localita: string | null; provincia: string | null; stato: string };
const rules = (v: Checked, ctx: z.RefinementCtx) => {
  if (v.codice_fiscale === null && v.partita_iva === null) ctx.addIssue({ code: 'custom', path: ['codice_fiscale'], message: IDENTIFICATIVO_MANCANTE });
  const problems = indirizzoProblems(v);
  for (const field of Object.keys(problems) as IndirizzoField[]) ctx.addIssue({ code: 'custom', path: [field], message: problems[field]! });
};

export const creditoreCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS }).superRefine(rules);
export const creditoreUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS }).superRefine(rules);
export type CreditoreForm = z.output<typeof creditoreCreateSchema>;
