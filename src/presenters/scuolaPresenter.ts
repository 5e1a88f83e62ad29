import { ASSOGGETTAMENTI_BOLLO, labelOf, SOGGETTI_SPESE } from '../domain/opi.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { ScuolaRow } from '../repositories/scuolaRepository.js';
import { paths } from '../paths.js';
import { SCUOLA_FIELDS } from '../validation/scuolaSchemas.js';
import { conflictRow } from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';

type Field = (typeof SCUOLA_FIELDS)[number];

/** Each field's label, in the order of the form, the conflict page and the history. */
const LABELS: Record<Field, string> = {
  codice_fiscale: 'Codice fiscale della scuola',
  descrizione_ente: 'Descrizione dell’ente (denominazione IPA)',
  codice_ipa: 'Codice IPA dell’ente',
  codice_univoco_ufficio: 'Codice univoco ufficio (fatturazione elettronica)',
  codice_istat: 'Codice ISTAT dell’ente (codice SIOPE)',
  codice_abi: 'Codice ABI della banca cassiera',
  codice_ente: 'Codice ente',
  codice_ente_bt: 'Codice ente BT',
  codice_tramite_ente: 'Codice tramite ente',
  codice_tramite_bt: 'Codice tramite BT',
  bollo_assoggettamento: 'Bollo',
  bollo_causale_esenzione: 'Causale di esenzione dal bollo',
  spese_soggetto: 'Spese bancarie',
};

const HISTORY_FIELDS: FieldLabel[] = SCUOLA_FIELDS.map((key) => ({ key, label: LABELS[key] }));

const shown = (field: Field, value: string | null): string => {
  if (!value) return '';
  if (field === 'bollo_assoggettamento') return labelOf(ASSOGGETTAMENTI_BOLLO, value);
  if (field === 'spese_soggetto') return labelOf(SOGGETTI_SPESE, value);
  return value;
};

export function scuolaFormValues(r: ScuolaRow): Record<string, string> {
  return { ...Object.fromEntries(SCUOLA_FIELDS.map((f) => [f, r[f] ?? ''])), version: String(r.version) };
}

/** The page: the form (values as stored or as sent back with errors), the choices, the history. */
export function scuolaPage(input: { scuola: ScuolaRow; history: AuditRow[]; values?: Record<string, string> }) {
  const s = input.scuola;
  return {
    title: 'Scuola e cassiere',
    scuola: { denominazione: s.denominazione, codice_meccanografico: s.codice_meccanografico },
    labels: LABELS,
    values: input.values ?? scuolaFormValues(s),
    bollo: ASSOGGETTAMENTI_BOLLO.map((o) => ({ value: o.value, label: o.label })),
    spese: SOGGETTI_SPESE.map((o) => ({ value: o.value, label: o.label })),
    action: paths.impostazioni.scuola,
    history: presentHistory(input.history, HISTORY_FIELDS),
  };
}

export function scuolaConflictPage(stored: ScuolaRow, submitted: Record<string, string>) {
  return {
    title: 'Scuola e cassiere: modificati da un altro utente',
    cosa: 'i dati della scuola e del cassiere',
    rows: SCUOLA_FIELDS.map((f) => conflictRow(LABELS[f], shown(f, stored[f]), shown(f, (submitted[f] ?? '').trim() || null))),
    links: { show: paths.impostazioni.scuola, edit: paths.impostazioni.scuola },
  };
}
