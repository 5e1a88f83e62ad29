import { formatDateIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import type { CorpoFattura, Fattura } from '../formats/fatturapa/fattura.js';
import type { CodiceRow, FatturaRow } from '../repositories/fattureRepository.js';
import type { FatturaConCodice, FatturaElencoRow } from '../repositories/fattureElencoRepository.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import type { FattureSearch } from '../validation/fattureSchemas.js';
import type { ListParams } from '../validation/listQuery.js';
import { paths } from '../paths.js';
import { presentHistory, type FieldLabel } from './historyPresenter.js';
import { formatCount, type Column } from './listPresenter.js';
import { labelOptions, registroListParts } from './registroPresenter.js';

/** Gestisci → Fatture: the register of received invoices and one invoice's page. */

/** TipoDocumento of FatturaPA 1.2.x; a code not listed is shown as it is. */
export const TIPI_DOCUMENTO: Record<string, string> = {
  TD01: 'Fattura',
  TD02: 'Acconto/anticipo su fattura',
  TD03: 'Acconto/anticipo su parcella',
  TD04: 'Nota di credito',
  TD05: 'Nota di debito',
  TD06: 'Parcella',
  TD16: 'Integrazione fattura reverse charge interno',
  TD17: 'Integrazione/autofattura per acquisto servizi dall’estero',
  TD18: 'Integrazione per acquisto di beni intracomunitari',
  TD19: 'Integrazione/autofattura per acquisto di beni ex art. 17 c. 2 DPR 633/72',
  TD20: 'Autofattura per regolarizzazione e integrazione delle fatture',
  TD21: 'Autofattura per splafonamento',
  TD22: 'Estrazione beni da Deposito IVA',
  TD23: 'Estrazione beni da Deposito IVA con versamento dell’IVA',
  TD24: 'Fattura differita',
  TD25: 'Fattura differita (art. 21 c. 4 terzo periodo lett. b)',
  TD26: 'Cessione di beni ammortizzabili e passaggi interni',
  TD27: 'Fattura per autoconsumo o cessioni gratuite senza rivalsa',
  TD28: 'Acquisti da San Marino con IVA',
};

/** "TD01 Fattura"; an unknown code as it is. */
export const tipoDocumentoLabel = (tipo: string) => (TIPI_DOCUMENTO[tipo] ? `${tipo} ${TIPI_DOCUMENTO[tipo]}` : tipo);

export const STATO_FATTURA_LABELS: Record<string, string> = {
  da_collegare: 'Da collegare',
  collegata: 'Collegata',
  pagata_in_parte: 'Pagata in parte',
  pagata: 'Pagata',
  nota_credito: 'Nota di credito',
};
const statoLabel = (s: string) => STATO_FATTURA_LABELS[s] ?? s;

export const PROBLEMI_FATTURA_LABELS: Record<string, string> = {
  senza_cig: 'senza CIG',
  codici_da_verificare: 'codici da verificare',
  senza_creditore: 'senza creditore',
};

/** ModalitaPagamento of FatturaPA. */
const MODALITA_PAGAMENTO: Record<string, string> = {
  MP01: 'contanti', MP02: 'assegno', MP03: 'assegno circolare', MP04: 'contanti presso Tesoreria', MP05: 'bonifico',
  MP06: 'vaglia cambiario', MP07: 'bollettino bancario', MP08: 'carta di pagamento', MP09: 'RID', MP10: 'RID utenze',
  MP11: 'RID veloce', MP12: 'RIBA', MP13: 'MAV', MP14: 'quietanza erario', MP15: 'giroconto su conti di contabilità speciale',
  MP16: 'domiciliazione bancaria', MP17: 'domiciliazione postale', MP18: 'bollettino di c/c postale', MP19: 'SEPA Direct Debit',
  MP20: 'SEPA Direct Debit CORE', MP21: 'SEPA Direct Debit B2B', MP22: 'trattenuta su somme già riscosse', MP23: 'PagoPA',
};
const modalitaLabel = (m: string | null) => (m ? (MODALITA_PAGAMENTO[m] ? `${m} ${MODALITA_PAGAMENTO[m]}` : m) : '—');

/** The problems of an invoice as badge texts (the text says it: not colour only). */
function problemiOf(r: FatturaElencoRow): string[] {
  return [
    ...(r.senza_cig ? [PROBLEMI_FATTURA_LABELS.senza_cig!] : []),
    ...(r.codici_da_verificare ? [PROBLEMI_FATTURA_LABELS.codici_da_verificare!] : []),
    ...(r.senza_creditore ? [PROBLEMI_FATTURA_LABELS.senza_creditore!] : []),
    ...(r.avvisi_schema ? ['avvisi di schema'] : []),
  ];
}

/** The list's columns: the page, the column chooser and the exports use this one list. */
export const FATTURE_COLUMNS: Column<FatturaElencoRow>[] = [
  { key: 'fornitore', label: 'Fornitore', kind: 'text', value: (r) => r.fornitore_denominazione, fixed: true },
  { key: 'numero', label: 'Numero', kind: 'text', value: (r) => r.numero, byDefault: true },
  { key: 'data', label: 'Data', kind: 'date', value: (r) => r.data, byDefault: true },
  { key: 'tipo_documento', label: 'Tipo documento', kind: 'text', value: (r) => tipoDocumentoLabel(r.tipo_documento), unsortable: true },
  { key: 'totale', label: 'Totale', kind: 'euro', value: (r) => r.totale_cents, byDefault: true },
  { key: 'imponibile', label: 'Imponibile', kind: 'euro', value: (r) => r.imponibile_cents, unsortable: true },
  { key: 'iva', label: 'IVA', kind: 'euro', value: (r) => r.imposta_cents, unsortable: true },
  { key: 'split_payment', label: 'Split payment', kind: 'text', value: (r) => (r.split_payment ? 'Sì' : 'No'), unsortable: true },
  { key: 'scadenza', label: 'Scadenza', kind: 'date', value: (r) => r.scadenza, byDefault: true },
  { key: 'cig', label: 'CIG', kind: 'codice', value: (r) => r.cig, byDefault: true, unsortable: true },
  { key: 'cup', label: 'CUP', kind: 'codice', value: (r) => r.cup, unsortable: true },
  { key: 'stato', label: 'Stato', kind: 'text', value: (r) => statoLabel(r.stato), byDefault: true },
  { key: 'problemi', label: 'Problemi', kind: 'text', value: (r) => problemiOf(r).join('; '), cell: () => '', badge: problemiOf, byDefault: true, unsortable: true },
];

export function fattureListPage(input: {
  rows: FatturaElencoRow[];
  total: number;
  capped: boolean;
  params: ListParams<string>;
  search: FattureSearch;
  colonne: string[] | null;
}) {
  const { search } = input;
  const parts = registroListParts(FATTURE_COLUMNS, { ...paths.fatture, nuovo: paths.fatture.carica }, input);
  return {
    title: 'Fatture elettroniche',
    ...parts,
    search: { ...parts.search, problemi: search.problemi },
    options: {
      stati: labelOptions(STATO_FATTURA_LABELS),
      tipi: Object.keys(TIPI_DOCUMENTO).map((t) => ({ value: t, label: tipoDocumentoLabel(t) })),
      problemi: labelOptions(PROBLEMI_FATTURA_LABELS),
    },
    empty: input.total === 0 ? (search.active ? 'Nessuna fattura corrisponde alla ricerca: cambia i criteri o azzera la ricerca.' : null) : null,
    vuoto: input.total === 0 && !search.active,
  };
}

/* ------------------------------------------------------------ record page */

/** Lines shown on the page; the rest are in the original file. */
export const LINEE_MOSTRATE = 200;

/** A decimal as written in the file (1234.5) the Italian way (1.234,5). */
function decimaleIt(text: string | null): string {
  if (!text) return '—';
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return text;
  const grouped = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${m[1]}${grouped}${m[3] ? `,${m[3]}` : ''}`;
}

const prezzoIt = (text: string | null) => {
  if (!text) return '—';
  // At least two decimals, and no trailing zeros beyond them: 2.43750000 → 2,4375.
  const m = /^(-?\d+)\.(\d+)$/.exec(text.trim());
  const padded = m ? `${m[1]}.${m[2]!.replace(/0+$/, '').padEnd(2, '0')}` : text;
  return `${decimaleIt(padded)}\u00a0€`;
};

function indirizzo(sede: Fattura['cedente']['sede']): string {
  const via = [sede.indirizzo, sede.numeroCivico].filter(Boolean).join(', ');
  const luogo = [sede.cap, sede.comune, sede.provincia ? `(${sede.provincia})` : null].filter(Boolean).join(' ');
  return [via, luogo, sede.nazione && sede.nazione !== 'IT' ? sede.nazione : null].filter(Boolean).join(' – ') || '—';
}

const idFiscale = (id: { idPaese: string; idCodice: string } | null) => (id ? `${id.idPaese}${id.idCodice}` : null);

function righeLabel(righe: readonly number[]): string {
  if (righe.length === 0) return 'tutta la fattura';
  return righe.length === 1 ? `riga ${righe[0]}` : `righe ${righe.join(', ')}`;
}

const ESITI_CODICE: Record<string, string> = {
  valido: 'valido',
  correzione: 'letto con una correzione',
  non_valido: 'non valido',
  altro_campo: 'scritto nel campo sbagliato',
};

function presentCorpo(corpo: CorpoFattura, f: FatturaRow) {
  const linee = corpo.linee.slice(0, LINEE_MOSTRATE).map((l) => ({
    numero: l.numeroLinea,
    descrizione: l.descrizione,
    quantita: decimaleIt(l.quantita),
    prezzoUnitario: prezzoIt(l.prezzoUnitario),
    importo: formatEuro(l.prezzoTotale),
    aliquota: l.aliquotaIVA ? `${decimaleIt(l.aliquotaIVA)} %` : '—',
  }));
  const nascoste = corpo.linee.length - linee.length;
  return {
    causale: corpo.causale,
    linee,
    totaleLinee: corpo.linee.length,
    nascoste: nascoste > 0 ? `Sono mostrate le prime ${LINEE_MOSTRATE} righe di ${formatCount(corpo.linee.length)}: le altre ${formatCount(nascoste)} sono nel file originale, che puoi scaricare qui sotto.` : null,
    pagamenti: corpo.pagamenti.map((p) => ({
      modalita: modalitaLabel(p.modalita),
      scadenza: formatDateIt(p.scadenza) || '—',
      iban: p.iban ?? '—',
      importo: p.importo === null ? '—' : formatEuro(p.importo),
      beneficiario: p.beneficiario,
    })),
    riferimenti: corpo.riferimenti.map((r) => ({ blocco: r.blocco, idDocumento: r.idDocumento ?? '—', data: formatDateIt(r.data) || '—' })),
    divisa: corpo.divisa !== 'EUR' ? corpo.divisa : null,
    esigibilita: f.split_payment ? 'S' : corpo.esigibilitaIva,
  };
}

const FATTURA_HISTORY_FIELDS: FieldLabel[] = [
  { key: 'impegno', label: 'Impegno' },
  { key: 'motivo_collegamento', label: 'Motivo del collegamento' },
  { key: 'creditore', label: 'Creditore' },
  { key: 'pagato_cents', label: 'Pagato', kind: 'euro' },
  { key: 'stornato_cents', label: 'Stornato da note di credito', kind: 'euro' },
  { key: 'nota_di_credito', label: 'Nota di credito' },
  { key: 'fattura', label: 'Stornata dalla fattura' },
];

type RecordInput = {
  fattura: FatturaRow;
  codici: CodiceRow[];
  file: { nome: string; sha256: string; avvisi: string[] };
  history: AuditRow[];
  /** The stored file read again: null when it cannot be read (the page still shows what was stored). */
  letta: { cedente: Fattura['cedente']; cessionario: Fattura['cessionario']; corpo: CorpoFattura | null; corpi: number } | null;
};

/** One invoice's page. */
export function fatturaRecordPage(input: RecordInput) {
  const { fattura: f, letta } = input;
  const corpo = letta?.corpo ? presentCorpo(letta.corpo, f) : null;
  const cedente = letta?.cedente;
  const cessionario = letta?.cessionario;
  return {
    title: `Fattura n. ${f.numero} del ${formatDateIt(f.data)} – ${f.fornitore_denominazione}`,
    fattura: {
      id: f.id,
      numero: f.numero,
      data: formatDateIt(f.data),
      fornitore: f.fornitore_denominazione,
      totale: formatEuro(f.totale_cents),
      stato: f.stato,
      statoLabel: statoLabel(f.stato),
      tipoDocumento: tipoDocumentoLabel(f.tipo_documento),
      identificativoSdi: f.identificativo_sdi ?? 'non ancora noto (arriva con il file di metadati dello SdI)',
      lotto: letta && letta.corpi > 1 ? `Fattura ${f.corpo} di ${letta.corpi} dello stesso file (lotto)` : null,
    },
    fornitore: {
      denominazione: f.fornitore_denominazione,
      partitaIva: idFiscale(cedente?.idFiscaleIva ?? null) ?? f.fornitore_partita_iva ?? '—',
      codiceFiscale: cedente?.codiceFiscale ?? f.fornitore_codice_fiscale ?? '—',
      indirizzo: cedente ? indirizzo(cedente.sede) : '—',
    },
    cessionario: cessionario
      ? {
          denominazione: cessionario.denominazione ?? '—',
          codiceFiscale: cessionario.codiceFiscale ?? idFiscale(cessionario.idFiscaleIva) ?? '—',
          codiceDestinatario: f.codice_destinatario ?? '—',
        }
      : null,
    riepilogo: {
      imponibile: formatEuro(f.imponibile_cents),
      iva: formatEuro(f.imposta_cents),
      totale: formatEuro(f.totale_cents),
      dovuto: formatEuro(f.importo_dovuto_cents),
      splitPayment: f.split_payment
        ? `Scissione dei pagamenti (split payment): la scuola paga al fornitore ${formatEuro(f.importo_dovuto_cents)} e versa l’IVA di ${formatEuro(f.imposta_cents)} direttamente all’Erario.`
        : null,
    },
    corpo,
    // What the upload stored, when the file cannot be read again.
    condizioniPagamento: corpo
      ? corpo.pagamenti
      : f.scadenza || f.iban || f.modalita_pagamento
        ? [{ modalita: modalitaLabel(f.modalita_pagamento), scadenza: formatDateIt(f.scadenza) || '—', iban: f.iban ?? '—', importo: formatEuro(f.importo_dovuto_cents), beneficiario: null }]
        : [],
    illeggibile: letta === null ? 'Il file originale non si riesce a rileggere: qui sotto ci sono i dati registrati al caricamento. Scarica il file per vederlo.' : null,
    codici: input.codici.map((c) => ({
      tipo: c.tipo.toUpperCase(),
      codice: c.codice ?? c.scritto,
      scritto: c.codice && c.scritto !== c.codice ? c.scritto : null,
      esito: ESITI_CODICE[c.esito] ?? c.esito,
      righe: righeLabel(c.righe),
    })),
    file: { nome: input.file.nome, sha256: input.file.sha256, avvisi: input.file.avvisi, href: paths.fatture.file(f.id) },
    history: presentHistory(input.history, FATTURA_HISTORY_FIELDS),
    links: { list: paths.fatture.list() },
  };
}

/* ------------------------------------------------------------ where used */

/** The CIG and CUP pages' section "Fatture con questo CIG/CUP". */
export type FattureDelCodice = { rows: FatturaConCodice[]; totali: { n: number; fatturato_cents: number; pagato_cents: number } };

export function fattureConCodicePart(input: FattureDelCodice) {
  const { rows, totali } = input;
  return {
    righe: rows.map((r) => ({
      href: paths.fatture.show(r.id),
      label: `n. ${r.numero} del ${formatDateIt(r.data)}`,
      fornitore: r.fornitore_denominazione,
      tipo: tipoDocumentoLabel(r.tipo_documento),
      totale: formatEuro(Number(r.totale_cents)),
      pagato: formatEuro(Number(r.pagato_cents)),
      stato: statoLabel(r.stato),
    })),
    altre: Math.max(0, totali.n - rows.length),
    totali: { n: totali.n, fatturato: formatEuro(totali.fatturato_cents), pagato: formatEuro(totali.pagato_cents) },
  };
}
