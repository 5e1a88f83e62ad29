/**
 * The CIG and CUP of a received invoice, checked with the app's own rules
 * (issue 15, DOMAIN.md §5.1). The schema accepts any 1–15 characters in
 * CodiceCIG and CodiceCUP, so each one is read like a field written by a
 * person, with the import's scanner (harvest.ts `scanField`): prefixes, spaces,
 * lower case, a CUP in the CIG field and the reverse, look-alike characters
 * proposed as corrections, never fixed silently.
 *
 * Pure module: no I/O; it reads the plain records of src/formats/fatturapa.
 */
import { validateCodiceFiscale, validatePartitaIva } from './anagrafica.js';
import type { Cedente, CorpoFattura } from '../formats/fatturapa/fattura.js';
import { scanField, type CodeType, type HarvestItem } from './harvest.js';

/**
 * - `valido`: a valid code of the field's kind;
 * - `correzione`: not valid as written, valid with one reading of look-alike
 *   characters: `codice` is the proposal, to confirm;
 * - `non_valido`: no code can be read: `motivo` is the validator's reason;
 * - `altro_campo`: a valid code of the other kind (a CUP in the CIG field or
 *   the reverse): `tipo` says what it really is.
 */
type EsitoCodice = 'valido' | 'correzione' | 'non_valido' | 'altro_campo';

type CodiceFattura = {
  /** What the code is (for `non_valido`: the field it was written in). */
  tipo: CodeType;
  /** The field it was written in. */
  campo: CodeType;
  scritto: string;
  /** Normalised code; the proposal for `correzione`; null for `non_valido`. */
  codice: string | null;
  esito: EsitoCodice;
  /** Italian, for the user: the reason, the corrections made, or the note on the other field. */
  motivo: string | null;
  /** The invoice lines the code concerns (RiferimentoNumeroLinea); empty = the whole document. */
  righe: number[];
};

type CodiciCorpo = {
  codici: CodiceFattura[];
  /** No valid CIG anywhere in the body (a correction to confirm does not count). */
  senzaCig: boolean;
  cigMultipli: boolean;
  cupMultipli: boolean;
};

/** When one code is written twice, the stronger reading is kept. */
const PRIORITY: Record<EsitoCodice, number> = { valido: 0, altro_campo: 1, correzione: 2, non_valido: 3 };

function fromItem(item: HarvestItem, campo: CodeType, scritto: string, righe: number[]): CodiceFattura | null {
  switch (item.kind) {
    case 'trovato':
      return item.code.type === campo
        ? { tipo: campo, campo, scritto, codice: item.code.codice, esito: 'valido', motivo: null, righe }
        : { tipo: item.code.type, campo, scritto, codice: item.code.codice, esito: 'altro_campo', motivo: item.note, righe };
    case 'proposta':
      return {
        tipo: item.code.type,
        campo,
        scritto,
        codice: item.code.codice,
        esito: 'correzione',
        motivo: `Codice non valido come scritto; correzione proposta: ${item.code.codice} (${item.changes.join(', ')}). Va confermata sul documento.`,
        righe,
      };
    case 'non_valido':
      return { tipo: item.type, campo, scritto, codice: null, esito: 'non_valido', motivo: item.reason, righe };
    case 'esclusione':
      return {
        tipo: campo,
        campo,
        scritto,
        codice: null,
        esito: 'non_valido',
        motivo: `«${scritto}» non è un codice: il fornitore dichiara che il ${campo.toUpperCase()} non è dovuto. Se è così, indica il motivo di esclusione quando colleghi la fattura all'impegno.`,
        righe,
      };
    case 'segnaposto':
    case 'suggerimento':
      return null;
  }
}

/** Lines of two occurrences of one code: the whole document wins over a list of lines. */
function mergeRighe(a: number[], b: number[]): number[] {
  if (a.length === 0 || b.length === 0) return [];
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** Every CIG and CUP of a body's riferimento blocks, checked and deduplicated, with the body's flags. */
export function codiciDelCorpo(corpo: Pick<CorpoFattura, 'riferimenti'>): CodiciCorpo {
  const byKey = new Map<string, CodiceFattura>();
  for (const r of corpo.riferimenti) {
    const fields: [CodeType, string | null][] = [
      ['cig', r.codiceCIG],
      ['cup', r.codiceCUP],
    ];
    for (const [campo, scritto] of fields) {
      if (scritto === null) continue;
      for (const item of scanField(scritto, campo)) {
        const c = fromItem(item, campo, scritto, r.righe);
        if (!c) continue;
        const key = c.codice === null ? `${c.campo}:?:${scritto.toUpperCase().replace(/\s+/g, '')}` : `${c.tipo}:${c.codice}`;
        const seen = byKey.get(key);
        if (!seen) byKey.set(key, c);
        else {
          const keep = PRIORITY[c.esito] < PRIORITY[seen.esito] ? c : seen;
          byKey.set(key, { ...keep, righe: mergeRighe(seen.righe, c.righe) });
        }
      }
    }
  }
  const codici = [...byKey.values()];
  const valid = (tipo: CodeType) => new Set(codici.filter((c) => c.tipo === tipo && (c.esito === 'valido' || c.esito === 'altro_campo')).map((c) => c.codice));
  const cig = valid('cig');
  const cup = valid('cup');
  return { codici, senzaCig: cig.size === 0, cigMultipli: cig.size > 1, cupMultipli: cup.size > 1 };
}

type ChiaveFornitore = { tipo: 'partita_iva' | 'codice_fiscale' | 'id_fiscale_estero'; valore: string };

/**
 * How to find the supplier among the Creditori: the Italian partita IVA when
 * it passes its check, else the codice fiscale when it passes its check, else
 * a foreign VAT number as written (country code + code, e.g. DE123456789).
 * Null when nothing usable is there.
 */
export function fornitoreKey(cedente: Pick<Cedente, 'idFiscaleIva' | 'codiceFiscale'>): ChiaveFornitore | null {
  const id = cedente.idFiscaleIva;
  if (id && id.idPaese === 'IT') {
    const piva = validatePartitaIva(id.idCodice);
    if (piva.ok) return { tipo: 'partita_iva', valore: piva.value };
  }
  if (cedente.codiceFiscale) {
    const cf = validateCodiceFiscale(cedente.codiceFiscale);
    if (cf.ok) return { tipo: 'codice_fiscale', valore: cf.value };
  }
  if (id && id.idPaese !== 'IT') {
    const valore = `${id.idPaese}${id.idCodice.replace(/\s+/g, '').toUpperCase()}`;
    return { tipo: 'id_fiscale_estero', valore };
  }
  return null;
}
