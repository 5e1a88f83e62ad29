import { FONTI_FINANZIAMENTO } from '../domain/cup.js';
import { formatDateIt } from '../domain/dates.js';
import { centsToInputValue } from '../domain/money.js';
import { paths } from '../paths.js';
import type { CigDaCompletare, CupDaCompletare } from '../repositories/daCompletareRepository.js';
import type { EsitoCompletamento, RigaRifiutata } from '../services/daCompletareService.js';
import { rowFieldName, type Registro } from '../validation/daCompletareSchemas.js';

/** One input of a row: its name (also its id), the visible label and the code after it for screen readers. */
export type Campo = {
  name: string;
  label: string;
  /** Read after the label, hidden on screen: " del CIG B9A0C13F31". */
  del: string;
  value: string;
  required: boolean;
  kind: 'text' | 'textarea' | 'select';
  inputmode?: string;
  placeholder?: string;
  hint?: string;
  options?: { value: string; label: string }[];
  error?: string;
};

export type Riga = {
  registro: Registro;
  id: number;
  codice: string;
  href: string;
  usi: number;
  usiHref: string;
  version: string;
  campi: Campo[];
  /** A message about the whole row (someone else saved it meanwhile). */
  errore?: string;
  /** The record as it is now, after a conflict. */
  ora?: string;
};

const FONTI = FONTI_FINANZIAMENTO.map((f) => ({ value: f.value, label: f.label }));
const cents = (v: number | null) => (v === null ? '' : centsToInputValue(v));

/** The page's values of a stored row (dates dd/mm/yyyy, amounts 1.234,56), as the fields show them. */
export function cigRowValues(r: Pick<CigDaCompletare, 'data_generazione' | 'data_scadenza_offerte' | 'oggetto' | 'importo_cents' | 'version'>) {
  return {
    data_generazione: formatDateIt(r.data_generazione),
    data_scadenza_offerte: formatDateIt(r.data_scadenza_offerte),
    oggetto: r.oggetto,
    importo: cents(r.importo_cents),
    version: String(r.version),
  };
}

export function cupRowValues(r: Pick<CupDaCompletare, 'descrizione' | 'importo_finanziato_cents' | 'fonte_finanziamento' | 'version'>) {
  return {
    descrizione: r.descrizione,
    importo_finanziato: cents(r.importo_finanziato_cents),
    fonte_finanziamento: r.fonte_finanziamento ?? '',
    version: String(r.version),
  };
}

type FieldSpec = Omit<Campo, 'name' | 'del' | 'value' | 'error'> & { field: string };

const CIG_SPECS: FieldSpec[] = [
  { field: 'data_generazione', label: 'Data generazione', required: true, kind: 'text', placeholder: 'gg/mm/aaaa', hint: 'gg/mm/aaaa' },
  { field: 'data_scadenza_offerte', label: 'Data scadenza presentazione offerte', required: false, kind: 'text', placeholder: 'gg/mm/aaaa' },
  { field: 'oggetto', label: 'Oggetto', required: true, kind: 'textarea' },
  { field: 'importo', label: 'Importo (euro)', required: false, kind: 'text', inputmode: 'decimal', placeholder: '1.234,56' },
];

const CUP_SPECS: FieldSpec[] = [
  { field: 'descrizione', label: 'Descrizione del progetto', required: true, kind: 'textarea' },
  { field: 'importo_finanziato', label: 'Importo finanziato (euro)', required: false, kind: 'text', inputmode: 'decimal', placeholder: '1.234,56' },
  { field: 'fonte_finanziamento', label: 'Fonte di finanziamento', required: false, kind: 'select', options: FONTI },
];

function storedNow(r: RigaRifiutata): string | undefined {
  if (!r.stored) return undefined;
  if (r.registro === 'cig') {
    const v = cigRowValues(r.stored);
    return `Data generazione ${v.data_generazione || '—'} · Scadenza offerte ${v.data_scadenza_offerte || '—'} · Oggetto «${v.oggetto}» · Importo ${v.importo || '—'}`;
  }
  const v = cupRowValues(r.stored);
  return `Descrizione «${v.descrizione}» · Importo finanziato ${v.importo_finanziato || '—'} · Fonte ${v.fonte_finanziamento || '—'}`;
}

function riga(
  registro: Registro, row: { id: number; codice: string; usi: number }, stored: Record<string, string>, refused: RigaRifiutata | undefined,
): Riga {
  const specs = registro === 'cig' ? CIG_SPECS : CUP_SPECS;
  const nome = registro.toUpperCase();
  const values = refused ? refused.values : stored;
  const show = registro === 'cig' ? paths.cig.show(row.id) : paths.cup.show(row.id);
  return {
    registro,
    id: row.id,
    codice: row.codice,
    href: show,
    usi: row.usi,
    usiHref: `${show}#uso-titolo`,
    // After a conflict the row carries the version now stored: saving again is a choice made seeing it.
    version: refused?.stored ? String(refused.stored.version) : (values.version ?? stored.version ?? ''),
    campi: specs.map(({ field, ...spec }) => ({
      ...spec,
      name: rowFieldName(registro, row.id, field),
      del: ` del ${nome} ${row.codice}`,
      value: values[field] ?? '',
      ...(refused?.errors[field] ? { error: refused.errors[field] } : {}),
    })),
    ...(refused?.errors.version ? { errore: refused.errors.version } : {}),
    ...(refused?.stored ? { ora: storedNow(refused) } : {}),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The flash after a save: "7 CIG e 1 CUP completati". */
export function completatiMessage(salvati: { cig: number; cup: number }): string {
  const parts = [salvati.cig ? `${salvati.cig} CIG` : '', salvati.cup ? `${salvati.cup} CUP` : ''].filter(Boolean);
  if (!parts.length) return 'Nessuna modifica da salvare.';
  return `${parts.join(' e ')} ${salvati.cig + salvati.cup === 1 ? 'completato' : 'completati'}.`;
}

/** The message of a partial save: "5 salvati, 2 da correggere". */
export function esitoMessage(esito: EsitoCompletamento): string {
  const salvati = esito.salvati.cig + esito.salvati.cup;
  return `${plural(salvati, 'salvato', 'salvati')}, ${esito.rifiutate.length} da correggere`;
}

/** Where `ritorno` leads, in the words of the save button: "Salva e torna ai Flussi". */
export function ritornoLabel(ritorno: string): string {
  if (ritorno === paths.flussi() || ritorno.startsWith(`${paths.flussi()}?`) || ritorno.startsWith(`${paths.flussi()}/`)) return 'ai Flussi';
  if (ritorno.startsWith(`${paths.impostazioni.importazione}/`)) return 'al report dell’importazione';
  if (ritorno === paths.home) return 'al Riepilogo';
  return 'alla pagina di prima';
}

/** The "Da completare" page: the rows (what was typed where a save refused them), the errors, the buttons. */
export function daCompletarePage(input: {
  cig: CigDaCompletare[];
  cup: CupDaCompletare[];
  altre: boolean;
  ritorno: string | null;
  esito?: EsitoCompletamento;
}) {
  const refused = new Map((input.esito?.rifiutate ?? []).map((r) => [`${r.registro}_${r.id}`, r]));
  const take = (registro: Registro, id: number) => {
    const r = refused.get(`${registro}_${id}`);
    refused.delete(`${registro}_${id}`);
    return r;
  };
  const cig = input.cig.map((r) => riga('cig', r, cigRowValues(r), take('cig', r.id)));
  const cup = input.cup.map((r) => riga('cup', r, cupRowValues(r), take('cup', r.id)));
  // Refused rows no longer on the list: someone else completed them meanwhile.
  const altrove = [...refused.values()].map((r) => ({
    testo: `Il ${r.registro.toUpperCase()} ${r.codice} è stato completato da un altro utente nel frattempo: quanto avevi scritto non è stato salvato.`,
    href: r.registro === 'cig' ? paths.cig.show(r.id) : paths.cup.show(r.id),
  }));
  const errorList = [...cig, ...cup].flatMap((r) => {
    const label = `${r.registro.toUpperCase()} ${r.codice}`;
    const first = r.campi[0]!.name;
    return [
      ...(r.errore ? [{ field: first, text: `${label}: ${r.errore}` }] : []),
      ...r.campi.filter((c) => c.error).map((c) => ({ field: c.name, text: `${label}: ${c.error}` })),
    ];
  });
  const ritorno = input.ritorno;
  return {
    title: 'Da completare',
    cig,
    cup,
    altrove,
    altre: input.altre,
    vuota: cig.length === 0 && cup.length === 0,
    conteggio: `${plural(cig.length, 'CIG', 'CIG')} e ${plural(cup.length, 'CUP', 'CUP')} da completare${input.altre ? ' (i primi; gli altri compaiono dopo il salvataggio)' : ''}`,
    esito: input.esito ? esitoMessage(input.esito) : null,
    errorList,
    ritorno,
    salva: ritorno ? `Salva e torna ${ritornoLabel(ritorno)}` : 'Salva',
    action: paths.daCompletare(),
    links: { flussi: paths.flussi(), cig: paths.cig.list(), cup: paths.cup.list(), indietro: ritorno },
  };
}
