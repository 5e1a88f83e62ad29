import { formatDateIt } from '../domain/dates.js';
import { centsToInputValue, formatEuro } from '../domain/money.js';
import type { FatturaRow } from '../repositories/fattureRepository.js';
import type { FatturaDaPagare, PagamentoDiFattura, PagamentoRow } from '../repositories/fatturePagamentiRepository.js';
import type { ImpegnoRow } from '../repositories/impegniRepository.js';
import { CAMPI_ANALOGICA, MAX_ANALOGICHE, TIPI_ANALOGICI } from '../validation/pagamentiSchemas.js';
import { paths } from '../paths.js';

/** Pure views of the invoices a mandato pays (issue 15): the form's rows, the mandato's and the invoice's pages. */

const residuo = (f: Pick<FatturaDaPagare, 'importo_dovuto_cents' | 'stornato_cents' | 'pagato_cents'>) => f.importo_dovuto_cents - f.stornato_cents - f.pagato_cents;
const nome = (f: { numero: string; data: string }) => `n. ${f.numero} del ${formatDateIt(f.data)}`;

/** The IVA a split-payment invoice leaves to the school, said where the amount is. */
const splitNote = (f: { split_payment: boolean; imposta_cents: number }) =>
  f.split_payment ? `Scissione dei pagamenti (split payment): si paga al fornitore solo l’imponibile; l’IVA di ${formatEuro(f.imposta_cents)} la versa la scuola all’Erario.` : null;

/** FatturaPA's ModalitaPagamento → the OPI modalità closest to it (a bank transfer when unsure). */
const MODALITA: Record<string, string> = { MP01: 'CASSA', MP02: 'ASSEGNO BANCARIO E POSTALE', MP03: 'ASSEGNO CIRCOLARE', MP05: 'SEPA CREDIT TRANSFER', MP23: 'AVVISO PAGOPA' };

/** Paga: the new mandato's fields from the invoice and its impegno, paying what is left of the invoice. */
export function mandatoDaFattura(input: { fattura: FatturaRow; impegno: ImpegnoRow; cigId: number | null; cupId: number | null }): Record<string, string> {
  const { fattura: f, impegno: i } = input;
  const daPagare = Math.max(0, residuo(f));
  const fornitore = f.creditore ?? f.fornitore_denominazione;
  return {
    impegno_id: String(i.id),
    beneficiario_id: String(f.creditore_id ?? i.creditore_id ?? ''),
    causale: `Pagamento fattura n. ${f.numero} del ${formatDateIt(f.data)} – ${fornitore}`.slice(0, 2000),
    importo: daPagare > 0 ? centsToInputValue(daPagare) : '',
    modalita_pagamento: MODALITA[f.modalita_pagamento ?? ''] ?? 'SEPA CREDIT TRANSFER',
    tipo_debito: 'COMMERCIALE',
    cig_id: input.cigId === null ? '' : String(input.cigId),
    motivo_esclusione_cig: input.cigId === null ? (i.motivo_esclusione_cig ?? '') : '',
    cup_id: input.cupId === null ? '' : String(input.cupId),
    [`fe_${f.id}`]: daPagare > 0 ? centsToInputValue(daPagare) : '',
  };
}

/** The form's values of what a stored mandato pays. */
export function pagamentiValues(pagati: PagamentoRow[]): Record<string, string> {
  const values: Record<string, string> = {};
  let n = 0;
  for (const p of pagati) {
    if (p.fattura_id !== null) values[`fe_${p.fattura_id}`] = centsToInputValue(p.importo_cents);
    else {
      values[`fa_${n}_tipo`] = p.analogica_tipo ?? '';
      values[`fa_${n}_numero`] = p.analogica_numero ?? '';
      values[`fa_${n}_data`] = formatDateIt(p.analogica_data);
      values[`fa_${n}_importo`] = centsToInputValue(p.importo_cents);
      values[`fa_${n}_cf`] = p.analogica_codice_fiscale ?? '';
      n++;
    }
  }
  return values;
}

/** The form's "Fatture pagate" part: one amount field per payable invoice, and the analog rows (those filled, then one or two empty). */
export function pagamentiFormPart(input: { fatture: FatturaDaPagare[]; pagati: PagamentoRow[]; values: Record<string, string>; impegnoScelto: boolean }) {
  const propri = new Map(input.pagati.flatMap((p) => (p.fattura_id === null ? [] : [[p.fattura_id, p.importo_cents] as const])));
  const elettroniche = input.fatture.map((f) => {
    const name = `fe_${f.id}`;
    return {
      name,
      label: `Fattura ${nome(f)} – ${f.fornitore_denominazione}`,
      href: paths.fatture.show(f.id),
      value: input.values[name] ?? '',
      dettaglio: `Da pagare ${formatEuro(residuo(f) + (propri.get(f.id) ?? 0))} su ${formatEuro(f.importo_dovuto_cents)}${f.stornato_cents > 0 ? ` (stornati ${formatEuro(f.stornato_cents)} da note di credito)` : ''}${f.scadenza ? ` · scadenza ${formatDateIt(f.scadenza)}` : ''}${f.iban ? ` · IBAN in fattura ${f.iban}` : ''}`,
      split: splitNote(f),
    };
  });
  const usate = new Set<number>();
  for (const key of Object.keys(input.values)) {
    const m = /^fa_(\d)_(tipo|numero|data|importo|cf)$/.exec(key);
    if (m && (m[2] !== 'tipo') && input.values[key]?.trim()) usate.add(Number(m[1]));
  }
  const piene = [...usate].sort((a, b) => a - b);
  const vuote: number[] = [];
  for (let n = 0; n < MAX_ANALOGICHE && piene.length + vuote.length < Math.max(2, piene.length + 1); n++) if (!usate.has(n)) vuote.push(n);
  const analogiche = [...piene, ...vuote].map((n, i) => ({
    numero: i + 1,
    campi: Object.fromEntries(CAMPI_ANALOGICA.map((c) => [c, { name: `fa_${n}_${c}`, value: input.values[`fa_${n}_${c}`] ?? '' }])),
  }));
  return { elettroniche, analogiche, tipi: TIPI_ANALOGICI, impegnoScelto: input.impegnoScelto };
}

/** The mandato page's list of the invoices it pays. */
export function pagamentiMandato(pagati: PagamentoRow[]) {
  return pagati.map((p) => (p.fattura_id !== null
    ? { descrizione: `Fattura elettronica n. ${p.fattura_numero} del ${formatDateIt(p.fattura_data)} – ${p.fattura_fornitore}`, href: paths.fatture.show(p.fattura_id), importo: formatEuro(p.importo_cents) }
    : {
      descrizione: `${TIPI_ANALOGICI.find((t) => t.value === p.analogica_tipo)?.label ?? 'Documento'} n. ${p.analogica_numero} del ${formatDateIt(p.analogica_data)} – emesso da ${p.analogica_codice_fiscale}`,
      href: null,
      importo: formatEuro(p.importo_cents),
    }));
}

/** The invoice page's "Pagamenti" part (views/fatture/_pagamenti.ejs). */
export function fatturaPagamentiPart(input: {
  fattura: FatturaDaPagare;
  mandati: PagamentoDiFattura[];
  note: { id: number; numero: string; data: string; totale_cents: number }[];
  stornabili: FatturaDaPagare[];
  rettificata: FatturaDaPagare | null;
}) {
  const f = input.fattura;
  const nota = f.tipo_documento === 'TD04';
  const daPagare = residuo(f);
  return {
    id: f.id,
    notaDiCredito: nota,
    dovuto: formatEuro(f.importo_dovuto_cents),
    stornato: f.stornato_cents > 0 ? formatEuro(f.stornato_cents) : null,
    pagato: formatEuro(f.pagato_cents),
    residuo: formatEuro(Math.max(0, daPagare)),
    split: splitNote(f),
    mandati: input.mandati.map((m) => ({ label: `Mandato n. ${m.numero}/${m.esercizio}`, href: paths.mandati.show(m.mandato_id), data: formatDateIt(m.data), importo: formatEuro(m.importo_cents) })),
    note: input.note.map((n) => ({ label: `Nota di credito ${nome(n)}`, href: paths.fatture.show(n.id), importo: formatEuro(n.totale_cents) })),
    paga: !nota && f.impegno_id !== null && daPagare > 0 ? paths.mandati.nuovo({ fattura: f.id }) : null,
    senzaImpegno: !nota && f.impegno_id === null && daPagare > 0,
    rettificata: input.rettificata ? { label: `Fattura ${nome(input.rettificata)}`, href: paths.fatture.show(input.rettificata.id) } : null,
    storna: nota && !input.rettificata
      ? {
        action: paths.fatture.storna(f.id),
        fatture: input.stornabili.map((s) => ({ value: String(s.id), label: `n. ${s.numero} del ${formatDateIt(s.data)} – da pagare ${formatEuro(residuo(s))}` })),
      }
      : null,
  };
}
