import { formatCentsPlain } from './money.js';
import { formatDateIt } from './dates.js';
import { CIG_FAMILY_LABELS, type CigFamily } from './cig.js';
import { csvDocument } from './csv.js';
import type { CigElenco, CupElenco } from './flussi.js';

/**
 * THE file layout of the CIG/CUP lists: Bilancio Scuola's own format
 * ("bilancio-scuola-elenchi", version 1), documented in docs/flussi.md.
 * The MIM's official record layout is published only inside SIDI; when it is
 * available, it replaces this module and nothing else.
 */
export const FORMATO = { nome: 'bilancio-scuola-elenchi', versione: '1' } as const;

export type Intestazione = { codiceMeccanografico: string; denominazione: string; esercizio: number; mese: number | null; generatoIl: Date };

const csv = csvDocument;
const impegniCell = (impegni: { numero: number }[], esercizio: number) => impegni.map((i) => `${i.numero}/${esercizio}`).join(' ');
const euro = (cents: number | null) => (cents === null ? '' : formatCentsPlain(Number(cents)));

export function cigCsv(elenco: CigElenco[], h: Intestazione): string {
  return csv([
    ['codice_cig', 'famiglia', 'oggetto', 'data_generazione', 'data_scadenza_offerte', 'importo', 'stato', 'impegni', 'importo_impegnato'],
    ...elenco.map((c) => [
      c.codice,
      CIG_FAMILY_LABELS[c.famiglia as CigFamily] ?? c.famiglia,
      c.oggetto,
      formatDateIt(c.data_generazione),
      formatDateIt(c.data_scadenza_offerte),
      euro(c.importo_cents),
      c.stato,
      impegniCell(c.impegni, h.esercizio),
      euro(c.impegnato_cents),
    ]),
  ]);
}

export function cupCsv(elenco: CupElenco[], h: Intestazione): string {
  return csv([
    ['codice_cup', 'descrizione', 'anno_decisione', 'importo_finanziato', 'fonte_finanziamento', 'stato', 'impegni', 'importo_impegnato'],
    ...elenco.map((c) => [
      c.codice,
      c.descrizione,
      c.anno_decisione === null ? '' : String(c.anno_decisione),
      euro(c.importo_finanziato_cents),
      c.fonte_finanziamento ?? '',
      c.stato,
      impegniCell(c.impegni, h.esercizio),
      euro(c.impegnato_cents),
    ]),
  ]);
}

const XML_CHARS = /[&<>"']/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 does not allow at all: dropped rather than producing a broken file.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const x = (value: string | number | null | undefined) => String(value ?? '').replace(XML_INVALID, '').replace(XML_CHARS, (ch) => XML_ESCAPES[ch]!);
const amount = (cents: number | null) => (cents === null ? '' : (Number(cents) / 100).toFixed(2));
const element = (name: string, value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? `<${name}/>` : `<${name}>${x(value)}</${name}>`);

function impegniXml(impegni: CigElenco['impegni']) {
  return `<Impegni>${impegni.map((i) => `<Impegno numero="${i.numero}" data="${x(i.data)}" importo="${amount(i.importo_cents)}"/>`).join('')}</Impegni>`;
}

export function elenchiXml(cig: CigElenco[], cup: CupElenco[], h: Intestazione): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ElenchiCigCup xmlns="urn:bilancio-scuola:elenchi:${FORMATO.versione}" formato="${FORMATO.nome}" versione="${FORMATO.versione}" ufficialeMIM="false">`,
    `  <Scuola codiceMeccanografico="${x(h.codiceMeccanografico)}" denominazione="${x(h.denominazione)}"/>`,
    `  <Periodo esercizio="${h.esercizio}"${h.mese ? ` meseFine="${h.mese}"` : ''}/>`,
    `  <GeneratoIl>${h.generatoIl.toISOString()}</GeneratoIl>`,
    `  <ElencoCIG numero="${cig.length}">`,
    ...cig.map(
      (c) =>
        `    <CIG codice="${x(c.codice)}" famiglia="${x(c.famiglia)}" stato="${x(c.stato)}">` +
        element('Oggetto', c.oggetto) +
        element('DataGenerazione', c.data_generazione) +
        element('DataScadenzaOfferte', c.data_scadenza_offerte) +
        element('Importo', amount(c.importo_cents)) +
        element('ImportoImpegnato', amount(c.impegnato_cents)) +
        impegniXml(c.impegni) +
        '</CIG>',
    ),
    '  </ElencoCIG>',
    `  <ElencoCUP numero="${cup.length}">`,
    ...cup.map(
      (c) =>
        `    <CUP codice="${x(c.codice)}" stato="${x(c.stato)}">` +
        element('Descrizione', c.descrizione) +
        element('AnnoDecisione', c.anno_decisione) +
        element('ImportoFinanziato', amount(c.importo_finanziato_cents)) +
        element('FonteFinanziamento', c.fonte_finanziamento) +
        element('ImportoImpegnato', amount(c.impegnato_cents)) +
        impegniXml(c.impegni) +
        '</CUP>',
    ),
    '  </ElencoCUP>',
    '</ElenchiCigCup>',
  ];
  return lines.join('\n') + '\n';
}
