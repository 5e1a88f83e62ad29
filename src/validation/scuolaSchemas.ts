import { z } from 'zod';
import { validateCodiceFiscale } from '../domain/anagrafica.js';
import { ASSOGGETTAMENTI_BOLLO, SOGGETTI_SPESE } from '../domain/opi.js';
import { csrfField, optionalChoice, optionalText, UNKNOWN_FIELDS, versionField } from './fields.js';

/**
 * Impostazioni → Scuola e cassiere: the school's identity in the SIOPE+ OPI
 * flow (`testata_flusso`, lengths and patterns of the OPI 1.7.1 schema) and the
 * defaults of its mandati. Every field may be left empty until the school
 * sends mandati to its bank; what is written must be right.
 */
export const SCUOLA_FIELDS = [
  'codice_fiscale', 'descrizione_ente', 'codice_ipa', 'codice_univoco_ufficio', 'codice_istat', 'codice_abi', 'codice_ente', 'codice_ente_bt',
  'codice_tramite_ente', 'codice_tramite_bt', 'bollo_assoggettamento', 'bollo_causale_esenzione', 'spese_soggetto',
] as const;

export const CAUSALE_ESENZIONE_MANCANTE = 'Per l’esenzione dal bollo scrivi la causale, per esempio «Esente ai sensi dell’art. 16 Tabella B DPR 642/1972»';
export const CAUSALE_SENZA_ESENZIONE = 'La causale di esenzione vale solo se scegli «Esente da bollo»: svuota il campo o cambia la scelta';

const asText = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : v);

/** An optional code: spaces removed, upper- or lower-cased, then its shape, or the message that says what to write. */
function code(shape: RegExp, message: string, kase: 'upper' | 'lower' = 'upper') {
  return z.preprocess(
    asText,
    z.string({ error: message }).transform((s, ctx): string | null => {
      const compact = s.replace(/\s+/g, '');
      if (compact === '') return null;
      const value = kase === 'upper' ? compact.toUpperCase() : compact.toLowerCase();
      if (shape.test(value)) return value;
      ctx.addIssue({ code: 'custom', message });
      return null;
    }),
  );
}

/** The school's codice fiscale: the 11 digits of an ente, checked by its check digit. */
const codiceFiscaleScuola = z.preprocess(
  asText,
  z.string({ error: 'Codice fiscale non valido' }).transform((s, ctx): string | null => {
    if (s.trim() === '') return null;
    const v = validateCodiceFiscale(s);
    if (!v.ok) ctx.addIssue({ code: 'custom', message: v.reason });
    else if (!/^\d{11}$/.test(v.value)) ctx.addIssue({ code: 'custom', message: 'Una scuola ha il codice fiscale numerico di 11 cifre, per esempio 97812345011' });
    else return v.value;
    return null;
  }),
);

export const scuolaSchema = z
  .strictObject(
    {
      codice_fiscale: codiceFiscaleScuola,
      descrizione_ente: optionalText(300, 'La descrizione è troppo lunga: al massimo 300 caratteri'),
      codice_ipa: code(/^[a-z0-9_]{2,30}$/, 'Il codice IPA dell’ente è fatto di lettere minuscole, cifre e trattino basso, per esempio istsc_rmic81200x', 'lower'),
      codice_univoco_ufficio: code(/^[A-Z0-9]{6}$/, 'Il codice univoco ufficio ha 6 caratteri, lettere maiuscole e cifre, per esempio UF7K2M'),
      codice_istat: code(/^[0-9]{9,15}$/, 'Il codice ISTAT dell’ente (codice SIOPE) ha da 9 a 15 cifre, per esempio 000712345'),
      codice_abi: code(/^[0-9]{5}$/, 'Il codice ABI ha 5 cifre, per esempio 03069'),
      codice_ente: code(/^[A-Z0-9]{6}$/, 'Il codice ente ha 6 caratteri, lettere maiuscole e cifre (il codice IPA dell’ufficio che invia i mandati), per esempio UF7K2M'),
      codice_ente_bt: code(/^[A-Z0-9./-]{1,30}$/, 'Il codice ente BT (quello che la banca ha dato alla scuola) ha fino a 30 lettere o cifre, per esempio 0123456'),
      codice_tramite_ente: code(/^A2A-[0-9]{8}$/, 'Il codice tramite ente si scrive A2A- seguito da 8 cifre, per esempio A2A-12345678'),
      codice_tramite_bt: code(/^A2A-[0-9]{8}$/, 'Il codice tramite BT si scrive A2A- seguito da 8 cifre, per esempio A2A-87654321'),
      bollo_assoggettamento: optionalChoice(ASSOGGETTAMENTI_BOLLO.map((o) => o.value), 'Scegli il bollo dall’elenco'),
      bollo_causale_esenzione: optionalText(300, 'La causale di esenzione è troppo lunga: al massimo 300 caratteri'),
      spese_soggetto: optionalChoice(SOGGETTI_SPESE.map((o) => o.value), 'Scegli chi paga le spese bancarie dall’elenco'),
      version: versionField,
      _csrf: csrfField,
    },
    { error: UNKNOWN_FIELDS },
  )
  .superRefine((v, ctx) => {
    const esente = v.bollo_assoggettamento === 'ESENTE BOLLO';
    if (esente && v.bollo_causale_esenzione === null) ctx.addIssue({ code: 'custom', path: ['bollo_causale_esenzione'], message: CAUSALE_ESENZIONE_MANCANTE });
    if (!esente && v.bollo_causale_esenzione !== null) ctx.addIssue({ code: 'custom', path: ['bollo_causale_esenzione'], message: CAUSALE_SENZA_ESENZIONE });
  });

export type ScuolaForm = z.output<typeof scuolaSchema>;
