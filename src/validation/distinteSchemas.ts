import { z } from 'zod';
import { csrfField, optionalDate, optionalId, UNKNOWN_FIELDS } from './fields.js';

/** A mandato number of the filters: 1–9,999,999 as OPI numbers them. */
const numero = (label: string) =>
  optionalId(`${label}: scrivi un numero di mandato, per esempio 15`).refine((n) => n === null || (n >= 1 && n <= 9_999_999), `${label}: scrivi un numero di mandato da 1 a 9.999.999`);

const filtri = {
  data_da: optionalDate('Data dal'),
  data_a: optionalDate('Data al'),
  numero_da: numero('Numero dal'),
  numero_a: numero('Numero al'),
};

type Filtri = { data_da: string | null; data_a: string | null; numero_da: number | null; numero_a: number | null };

const inOrdine = (v: Filtri, ctx: z.RefinementCtx) => {
  if (v.data_da && v.data_a && v.data_da > v.data_a) ctx.addIssue({ code: 'custom', path: ['data_a'], message: 'Data al: deve venire dopo la data dal' });
  if (v.numero_da !== null && v.numero_a !== null && v.numero_da > v.numero_a) ctx.addIssue({ code: 'custom', path: ['numero_a'], message: 'Numero al: deve essere maggiore o uguale al numero dal' });
};

const camel = (v: Filtri) => ({ dataDa: v.data_da, dataA: v.data_a, numeroDa: v.numero_da, numeroA: v.numero_a });

/** The filters of Flussi → Mandati al cassiere (query string; other parameters such as esercizio are the page's). */
export const filtriDistintaSchema = z.object(filtri).superRefine(inOrdine).transform(camel);

/** Crea distinta: the filters the page showed and the signature of the list it showed. */
export const creaDistintaSchema = z
  .strictObject({ ...filtri, firma: z.string({ error: 'Ricarica la pagina e riprova' }).regex(/^[0-9a-f]{32}$/, 'Ricarica la pagina e riprova'), _csrf: csrfField }, { error: UNKNOWN_FIELDS })
  .superRefine(inOrdine)
  .transform((v) => ({ ...camel(v), firma: v.firma }));
