import type { Option } from './opi.js';

/**
 * The SIOPE classification of a conto of the piano dei conti, as the SIOPE+ OPI
 * asks it of a mandato: the codice gestionale (`classificazione/codice_cgu`,
 * `stCodiceGestionaleSIOPE` of OPI_GLOBAL_V_1_6_1.xsd: 4 to 10 digits; a school
 * uses the 4-digit codes of its own SIOPE codification) and the natura of the
 * expense (`natura_spesa_siope` of each invoice paid).
 */
export const CODICE_SIOPE = /^[0-9]{4,10}$/;

export const NATURE_SPESA = [
  { value: 'CORRENTE', label: 'Spesa corrente' },
  { value: 'CAPITALE', label: 'Spesa in conto capitale' },
] as const satisfies readonly Option[];

export type NaturaSpesa = (typeof NATURE_SPESA)[number]['value'];
