import { z } from 'zod';
import { CODICE_SIOPE, NATURE_SPESA } from '../domain/siope.js';
import { csrfField, optionalChoice, UNKNOWN_FIELDS, versionField } from './fields.js';

/**
 * Impostazioni → Piano dei conti: a conto's SIOPE classification, as the
 * SIOPE+ OPI wants it (`codice_cgu`: digits only, 4 to 10; `natura_spesa_siope`:
 * CORRENTE or CAPITALE). Both may stay empty until the school records them.
 */
export const CONTO_FIELDS = ['codice_siope', 'natura_spesa'] as const;

export const CODICE_SIOPE_NON_VALIDO = 'Il codice SIOPE è fatto di sole cifre, di solito 4 per una scuola (al massimo 10): per esempio 2301';
export const NATURA_NON_VALIDA = 'Scegli la natura della spesa dall’elenco: corrente o in conto capitale';

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

/** The codice gestionale SIOPE: spaces removed, then digits only, 4 to 10. */
const codiceSiope = z.preprocess(
  asText,
  z.string({ error: CODICE_SIOPE_NON_VALIDO }).transform((s, ctx): string | null => {
    const compact = s.replace(/\s+/g, '');
    if (compact === '') return null;
    if (CODICE_SIOPE.test(compact)) return compact;
    ctx.addIssue({ code: 'custom', message: CODICE_SIOPE_NON_VALIDO });
    return null;
  }),
);

export const contoSchema = z.strictObject(
  {
    codice_siope: codiceSiope,
    natura_spesa: optionalChoice(NATURE_SPESA.map((o) => o.value), NATURA_NON_VALIDA),
    version: versionField,
    _csrf: csrfField,
  },
  { error: UNKNOWN_FIELDS },
);
