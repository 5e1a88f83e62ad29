import { inviiView } from './distintePresenter.js';
import type { InvioMandatoRow } from '../repositories/distinteRepository.js';
import { formatDateIt, formatDateTimeIt } from '../domain/dates.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import { labelOf, MODALITA_PAGAMENTO, MOTIVI_ESCLUSIONE_CIG, TIPI_DEBITO } from '../domain/opi.js';
import { shortened } from '../domain/text.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { ImpegnoOption } from '../repositories/impegniRepository.js';
import type { MandatoRow } from '../repositories/mandatiRepository.js';
import type { PagamentoRow } from '../repositories/fatturePagamentiRepository.js';
import { pagamentiMandato } from './pagamentiPresenter.js';
import type { CigRef, CupRef } from '../repositories/pickerRepository.js';
import { paths } from '../paths.js';
import type { CupConflict } from '../domain/documenti.js';
import { formatVoceCodice } from '../domain/piano.js';
import { mandatoWarnings } from '../domain/documenti.js';
import {
  cigOption, cigPicker, codiciCampi, codiciColumns, conflictRow, creditoreOption, cupOption, cupPicker, dateAsSent, documentFormParts, documentListParts, idValue, nuovoLink, numeroDocumento, withBozza, options,
  voceLabel, withIsoDate, type Picker, type PickerOption,
} from './documentiPresenter.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { conflictMerge, optionText, type ConflictField } from './conflittoPresenter.js';
import { formatCount, type Column } from './listPresenter.js';


export const MANDATI_COLUMNS: Column<MandatoRow>[] = [
  { key: 'numero', label: 'Numero', kind: 'text', value: (r) => numeroDocumento(r), fixed: true },
  { key: 'data', label: 'Data', kind: 'date', value: (r) => r.data, byDefault: true },
  { key: 'impegno', label: 'Impegno', kind: 'text', value: (r) => `${r.impegno_numero}/${r.impegno_esercizio}`, byDefault: true },
  { key: 'beneficiario', label: 'Beneficiario', kind: 'text', value: (r) => r.beneficiario, byDefault: true },
  { key: 'causale', label: 'Causale', kind: 'text', value: (r) => r.causale, byDefault: true },
  { key: 'importo', label: 'Importo', kind: 'euro', value: (r) => r.importo_cents, byDefault: true },
  ...codiciColumns<MandatoRow>(),
];

/** Gestisci → Mandati: the search's page, with how many mandati it finds and what they pay (all pages; annulled ones pay nothing). */
export function mandatiListPage(input: Parameters<typeof documentListParts<MandatoRow>>[3] & { totals: { n: number; annullati: number; importoCents: number } }) {
  const { totals } = input;
  const annullati = totals.annullati === 0 ? '' : totals.annullati === 1 ? ' (1 annullato, escluso dal totale)' : ` (${formatCount(totals.annullati)} annullati, esclusi dal totale)`;
  return {
    title: 'Mandati',
    ...documentListParts(MANDATI_COLUMNS, paths.mandati, 'mandato', input),
    totali: {
      mandati: (totals.n === 1 ? '1 mandato' : `${formatCount(totals.n)} mandati`) + annullati,
      importo: formatEuro(totals.importoCents),
    },
  };
}

export function mandatoFormValues(r: MandatoRow): Record<string, string> {
  return {
    data: r.data,
    impegno_id: String(r.impegno_id),
    beneficiario_id: idValue(r.beneficiario_id),
    causale: r.causale,
    importo: centsToInputValue(r.importo_cents),
    modalita_pagamento: r.modalita_pagamento,
    tipo_debito: r.tipo_debito,
    cig_id: idValue(r.cig_id),
    motivo_esclusione_cig: r.motivo_esclusione_cig ?? '',
    cup_id: idValue(r.cup_id),
    note: r.note ?? '',
    version: String(r.version),
  };
}

/** A new mandato on an impegno starts from the impegno: beneficiario, CIG (or motivo), CUP, the residual as importo. */
export function mandatoDefaults(impegno: ImpegnoOption | undefined): Record<string, string> {
  const base = { modalita_pagamento: 'SEPA CREDIT TRANSFER', tipo_debito: 'COMMERCIALE' };
  if (!impegno) return base;
  const residuo = impegno.importo_cents - impegno.pagato_cents;
  return {
    ...base,
    impegno_id: String(impegno.id),
    beneficiario_id: idValue(impegno.creditore_id),
    cig_id: idValue(impegno.cig_id),
    motivo_esclusione_cig: impegno.motivo_esclusione_cig ?? '',
    cup_id: idValue(impegno.cup_id),
    causale: impegno.oggetto,
    importo: residuo > 0 ? centsToInputValue(residuo) : '',
  };
}

function impegnoOption(i: ImpegnoOption): PickerOption {
  const residuo = i.importo_cents - i.pagato_cents;
  return {
    value: String(i.id),
    label: `n. ${i.numero}/${i.esercizio} – ${shortened(i.oggetto, 70)} – residuo ${formatEuro(residuo)}`,
    data: {
      'propone-beneficiario_id': idValue(i.creditore_id),
      'propone-cig_id': idValue(i.cig_id),
      'propone-motivo_esclusione_cig': i.motivo_esclusione_cig ?? '',
      'propone-cup_id': idValue(i.cup_id),
    },
  };
}

export function mandatoFormPage(input: {
  record?: MandatoRow;
  values: Record<string, string>;
  esercizio: number;
  opts: { impegni: ImpegnoOption[]; creditori: { id: number; denominazione: string }[]; cig: CigRef[]; cup: CupRef[] };
  cupConflict?: CupConflict;
  /** The page the edit came from (a Flussi error), where the form goes back to. */
  ritorno?: string | null;
}) {
  const { record, opts } = input;
  const values = withIsoDate(input.values);
  const self = record ? paths.mandati.edit(record.id) : paths.mandati.nuovo(values.impegno_id ? { impegno_id: values.impegno_id } : undefined);
  const pickers: Record<string, Picker> = {
    impegno: {
      name: 'impegno_id', label: 'Impegno', value: values.impegno_id ?? '', required: true, propone: true, options: opts.impegni.map(impegnoOption),
      emptyLabel: '— scegli l’impegno —', cerca: 'Cerca tra gli impegni', nessuno: 'Nessun impegno', hint: 'Impegni con un residuo da pagare, di questo esercizio e del precedente.',
    },
    beneficiario: {
      name: 'beneficiario_id', label: 'Beneficiario', value: values.beneficiario_id ?? '', options: opts.creditori.map(creditoreOption), emptyLabel: '— nessuno —',
      cerca: 'Cerca tra i creditori', nessuno: 'Nessun creditore', hint: 'Di norma il creditore dell’impegno.', ...nuovoLink('creditore', self),
    },
    cig: cigPicker(values.cig_id ?? '', opts.cig, self, 'Per un debito commerciale serve il CIG oppure il motivo di esclusione.'),
    cup: cupPicker(values.cup_id ?? '', opts.cup, self, 'Salvando, il CUP viene scritto anche sulla voce dell’impegno.'),
  };
  return {
    title: record ? `Modifica mandato n. ${numeroDocumento(record)}` : `Nuovo mandato (esercizio ${input.esercizio})`,
    ...documentFormParts(paths.mandati, { ...input, creditori: opts.creditori }),
    values,
    pickers: withBozza(pickers, paths.mandati.bozza(record?.id)),
    modalita: options.modalita,
    tipiDebito: options.tipiDebito,
  };
}

const HISTORY_FIELDS: FieldLabel[] = [
  { key: 'numero', label: 'Numero' },
  { key: 'data', label: 'Data', kind: 'date' },
  { key: 'impegno', label: 'Impegno' },
  { key: 'beneficiario', label: 'Beneficiario' },
  { key: 'causale', label: 'Causale' },
  { key: 'importo_cents', label: 'Importo', kind: 'euro' },
  { key: 'modalita_pagamento', label: 'Modalità di pagamento', format: (v) => labelOf(MODALITA_PAGAMENTO, String(v)) },
  { key: 'tipo_debito', label: 'Tipo di debito', format: (v) => labelOf(TIPI_DEBITO, String(v)) },
  { key: 'cig', label: 'CIG' },
  { key: 'motivo_esclusione_cig', label: 'Motivo esclusione CIG', format: (v) => labelOf(MOTIVI_ESCLUSIONE_CIG, String(v)) },
  { key: 'cup', label: 'CUP' },
  { key: 'fatture', label: 'Fatture pagate' },
  { key: 'note', label: 'Note' },
];

/** Under the mandato's impegno: what the impegno has left to pay with this mandato paid (an annulled mandato pays nothing). */
export function residuoDopoMandato(residuoCents: number, annullato: boolean): string {
  return annullato
    ? `Residuo dell’impegno: ${formatEuro(residuoCents)} (questo mandato annullato non paga nulla)`
    : `Residuo dopo questo mandato: ${formatEuro(residuoCents)}`;
}

export function mandatoRecordPage(input: {
  mandato: MandatoRow; history: AuditRow[]; pagamenti?: PagamentoRow[]; invii?: InvioMandatoRow[];
  /** The impegno's importo less all its mandati not annulled (services/mandatiService.ts record). */
  residuoImpegno?: number;
}) {
  const r = input.mandato;
  const cassiere = inviiView({ id: r.id, version: r.version, annullato: r.annullato_at !== null }, input.invii ?? []);
  return {
    cassiere,
    annullato: r.annullato_at ? { il: formatDateTimeIt(r.annullato_at), motivo: r.annullato_motivo ?? '' } : null,
    fatture: pagamentiMandato(input.pagamenti ?? []),
    title: `Mandato n. ${numeroDocumento(r)}${r.annullato_at ? ' (annullato)' : ''}`,
    mandato: { id: r.id, numero: numeroDocumento(r) },
    campi: [
      { label: 'Esercizio', value: String(r.esercizio) },
      { label: 'Numero', value: String(r.numero) },
      { label: 'Data', value: formatDateIt(r.data) },
      {
        label: 'Impegno', value: `n. ${r.impegno_numero}/${r.impegno_esercizio} – ${r.impegno_oggetto}`, href: paths.impegni.show(r.impegno_id),
        nota: input.residuoImpegno === undefined ? undefined : residuoDopoMandato(input.residuoImpegno, r.annullato_at !== null),
      },
      { label: 'Voce', value: voceLabel({ aggregato: r.voce_aggregato, voce: r.voce_voce, sottovoce: r.voce_sottovoce, descrizione: r.voce_descrizione }) },
      { label: 'Beneficiario', value: r.beneficiario ?? '—', href: r.beneficiario_id ? paths.creditori.show(r.beneficiario_id) : undefined },
      { label: 'Causale', value: r.causale },
      { label: 'Importo', value: formatEuro(r.importo_cents) },
      { label: 'Modalità di pagamento', value: labelOf(MODALITA_PAGAMENTO, r.modalita_pagamento) },
      { label: 'Tipo di debito', value: labelOf(TIPI_DEBITO, r.tipo_debito) },
    ],
    codici: codiciCampi(r),
    note: r.note,
    warnings: mandatoWarnings(r),
    voce: formatVoceCodice({ aggregato: r.voce_aggregato, voce: r.voce_voce, sottovoce: r.voce_sottovoce }),
    history: presentHistory(input.history, HISTORY_FIELDS),
    links: { edit: paths.mandati.edit(r.id), list: paths.mandati.list(), impegno: paths.impegni.show(r.impegno_id), elimina: paths.mandati.elimina(r.id) },
    version: r.version,
  };
}

/** The form's lists, for the names of the ids on the conflict page. */
type MandatoOpts = { impegni: ImpegnoOption[]; creditori: { id: number; denominazione: string }[]; cig: CigRef[]; cup: CupRef[] };

/** The conflict page (409): every field that differs between the saved mandato and the user's, to keep field by field. */
export function mandatoConflictPage(stored: MandatoRow, submitted: Record<string, string>, opts: MandatoOpts) {
  const v = mandatoFormValues(stored);
  const both = (name: string, label: string, text: (value: string) => string): ConflictField => ({ name, label, stored: text(v[name] ?? ''), submitted: text(submitted[name] ?? '') });
  const fields: ConflictField[] = [
    both('impegno_id', 'Impegno', (x) => optionText(opts.impegni.map(impegnoOption), x)),
    { name: 'data', label: 'Data', stored: formatDateIt(stored.data), submitted: dateAsSent(submitted.data ?? '') },
    both('importo', 'Importo', (x) => x),
    both('beneficiario_id', 'Beneficiario', (x) => optionText(opts.creditori.map(creditoreOption), x)),
    both('causale', 'Causale', (x) => x),
    both('modalita_pagamento', 'Modalità di pagamento', (x) => labelOf(MODALITA_PAGAMENTO, x)),
    both('tipo_debito', 'Tipo di debito', (x) => labelOf(TIPI_DEBITO, x)),
    both('cig_id', 'CIG', (x) => optionText(opts.cig.map(cigOption), x)),
    both('motivo_esclusione_cig', 'Motivo di esclusione del CIG', (x) => labelOf(MOTIVI_ESCLUSIONE_CIG, x)),
    both('cup_id', 'CUP', (x) => optionText(opts.cup.map(cupOption), x)),
    both('note', 'Note', (x) => x),
  ];
  return {
    title: `Mandato n. ${numeroDocumento(stored)}: modificato da un altro utente`,
    cosa: `il mandato n. ${numeroDocumento(stored)}`,
    rows: fields.map((f) => conflictRow(f.label, f.stored, f.submitted)),
    merge: conflictMerge({ action: paths.mandati.update(stored.id), version: stored.version, storedValues: v, submitted, fields }),
    links: { show: paths.mandati.show(stored.id), edit: paths.mandati.edit(stored.id) },
  };
}
