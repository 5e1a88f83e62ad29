/**
 * The rules of the Flussi pre-flight check: which ones block the export
 * (errore) and which only warn (avviso). Pure data, shared by the service
 * that applies them and the pages that show them.
 */
export type Severita = 'errore' | 'avviso';

export const REGOLE = {
  cig_senza_data_generazione: { severita: 'errore', titolo: 'CIG usato da un impegno o da un mandato senza data di generazione' },
  testo_non_collegato: { severita: 'errore', titolo: 'CIG o CUP scritto nel documento ma non collegato al registro' },
  codice_annullato: { severita: 'errore', titolo: 'Codice annullato usato nel periodo' },
  mandato_senza_cig_ne_motivo: { severita: 'errore', titolo: 'Mandato per debito commerciale senza CIG né motivo di esclusione' },
  codice_non_valido: { severita: 'errore', titolo: 'Codice che non supera la validazione' },
  cig_senza_scadenza_offerte: { severita: 'avviso', titolo: 'CIG senza data di scadenza presentazione offerte' },
  mandato_diverso_da_impegno: { severita: 'avviso', titolo: 'Mandato con CIG o CUP diverso dal suo impegno' },
  fattura_cig_diverso_da_impegno: { severita: 'avviso', titolo: 'Impegno pagato per una fattura con CIG diverso dal suo' },
  impegno_cup_diverso_da_voce: { severita: 'avviso', titolo: 'Impegno con CUP diverso da quello della sua voce' },
  codice_non_usato: { severita: 'avviso', titolo: 'Codice registrato non usato da alcun documento' },
  modificato_dopo_invio: { severita: 'avviso', titolo: 'Codice modificato dopo l’invio' },
} as const satisfies Record<string, { severita: Severita; titolo: string }>;

export type RegolaFlussi = keyof typeof REGOLE;
/** The rules decided in SQL; codice_non_valido is decided by the domain validators. */
export type RegolaSql = Exclude<RegolaFlussi, 'codice_non_valido'>;

/** One impegno of the period on a listed code. */
export type ImpegnoRef = { id: number; numero: number; data: string; importo_cents: number };

/** A CIG of the period's list, with the impegni that use it. */
export type CigElenco = {
  id: number;
  codice: string;
  famiglia: string;
  oggetto: string;
  data_generazione: string | null;
  data_scadenza_offerte: string | null;
  importo_cents: number | null;
  stato: string;
  updated_at: Date;
  impegnato_cents: number;
  impegni: ImpegnoRef[];
};

/** A CUP of the period's list, with the impegni that use it. */
export type CupElenco = {
  id: number;
  codice: string;
  descrizione: string;
  anno_decisione: number | null;
  importo_finanziato_cents: number | null;
  fonte_finanziamento: string | null;
  stato: string;
  updated_at: Date;
  impegnato_cents: number;
  impegni: ImpegnoRef[];
};
