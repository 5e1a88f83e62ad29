/**
 * Sample received invoices for the demo school (Istituto Comprensivo Demo), so
 * that a new user can try «Carica fatture» at once: the files in
 * seeds/fatture-esempio/ are written by this script from the demo's own
 * suppliers and CIGs, and each shows one case the secretary meets every month.
 *
 *   npm run fatture:esempio        (writes seeds/fatture-esempio/ again)
 *
 * The files are plain FatturaPA 1.2.2 (FPA12), valid against the schema (a test
 * checks it), as the SdI delivers them with its metadata file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_SCUOLE, LEGACY_CIG } from './demo.js';
import { ibanItaliano, partitaIva } from './legacyCodes.js';

type Linea = { descrizione: string; quantita: number; prezzo: number; aliquota: number };
type Riferimento = { blocco: 'DatiOrdineAcquisto' | 'DatiContratto' | 'DatiFattureCollegate'; id: string; data?: string; cig?: string; cup?: string; linee?: number[] };

type Esempio = {
  file: string;
  caso: string;
  fornitore: { denominazione: string; piva: string; indirizzo: string; civico: string; cap: string; comune: string; provincia: string; iban?: string };
  tipo: 'TD01' | 'TD04';
  numero: string;
  data: string;
  causale: string;
  riferimenti: Riferimento[];
  linee: Linea[];
  scadenza: string;
};

const SCUOLA = DEMO_SCUOLE[0];
const ANNO = 2026;

const FORNITORI = {
  infoscuola: { denominazione: 'Informatica Scuola S.p.A.', piva: partitaIva('0932871015'), indirizzo: 'Viale Monza', civico: '255', cap: '20126', comune: 'Milano', provincia: 'MI', iban: ibanItaliano('02008', '01600', '000104522879') },
  rossi: { denominazione: 'Cartoleria Rossi S.r.l.', piva: partitaIva('0714235058'), indirizzo: 'Via del Corso', civico: '112', cap: '00186', comune: 'Roma', provincia: 'RM', iban: ibanItaliano('03069', '03200', '100000004512') },
  robot: { denominazione: 'Robotica Educativa Lab S.r.l.', piva: partitaIva('1042286001'), indirizzo: 'Corso Francia', civico: '110', cap: '10143', comune: 'Torino', provincia: 'TO', iban: ibanItaliano('03069', '01000', '100000127788') },
  tecno: { denominazione: 'Tecnodidattica Italia S.r.l.', piva: partitaIva('0845177063'), indirizzo: 'Centro Direzionale Isola E5', civico: 'snc', cap: '80143', comune: 'Napoli', provincia: 'NA', iban: ibanItaliano('01030', '03400', '000001384522') },
  libreria: { denominazione: 'Libreria Il Segnalibro S.n.c.', piva: partitaIva('0988314058'), indirizzo: 'Piazza Bologna', civico: '12', cap: '00162', comune: 'Roma', provincia: 'RM', iban: ibanItaliano('02008', '05181', '000401233456') },
  copy: { denominazione: 'Office Copy Service S.r.l.', piva: partitaIva('1377402058'), indirizzo: 'Via Casilina', civico: '1720', cap: '00133', comune: 'Roma', provincia: 'RM' },
} as const;

/** The CIG with its first 1 typed as a lower-case l, as copied from a PDF. */
const lookAlike = (code: string) => code.replace('1', 'l');

export const ESEMPI: readonly Esempio[] = [
  {
    file: `IT${FORNITORI.infoscuola.piva}_00412.xml`, caso: 'CIG corretto, split payment, con i metadati SdI',
    fornitore: FORNITORI.infoscuola, tipo: 'TD01', numero: 'FT 2026/0412', data: `${ANNO}-11-30`,
    causale: 'Canone di assistenza tecnica sistemistica uffici e laboratori - novembre',
    riferimenti: [{ blocco: 'DatiContratto', id: 'Contratto 3/2026', data: `${ANNO}-01-15`, cig: LEGACY_CIG.assistenzaIT }],
    linee: [{ descrizione: 'Canone mensile di assistenza tecnica sistemistica - novembre', quantita: 1, prezzo: 400, aliquota: 22 }],
    scadenza: `${ANNO}-12-30`,
  },
  {
    file: `IT${FORNITORI.rossi.piva}_0125P.xml`, caso: 'CIG scritto in minuscolo con il prefisso «cig:»',
    fornitore: FORNITORI.rossi, tipo: 'TD01', numero: '125/PA', data: `${ANNO}-11-18`,
    causale: 'Fornitura materiale di cancelleria per gli uffici',
    riferimenti: [{ blocco: 'DatiOrdineAcquisto', id: 'Ordine 88/2026', data: `${ANNO}-11-04`, cig: `cig: ${LEGACY_CIG.cancelleria.toLowerCase()}` }],
    linee: [
      { descrizione: 'Risme carta A4 80 g/m², confezione da 500 fogli', quantita: 60, prezzo: 4.1, aliquota: 22 },
      { descrizione: 'Toner per stampante laser, nero', quantita: 4, prezzo: 52.5, aliquota: 22 },
    ],
    scadenza: `${ANNO}-12-18`,
  },
  {
    file: `IT${FORNITORI.rossi.piva}_0131N.xml`, caso: 'nota di credito collegata alla fattura 125/PA',
    fornitore: FORNITORI.rossi, tipo: 'TD04', numero: 'NC 7/PA', data: `${ANNO}-11-25`,
    causale: 'Storno parziale della fattura 125/PA per merce resa',
    riferimenti: [{ blocco: 'DatiFattureCollegate', id: '125/PA', data: `${ANNO}-11-18`, cig: LEGACY_CIG.cancelleria }],
    linee: [{ descrizione: 'Reso di 10 risme carta A4 danneggiate nel trasporto', quantita: 10, prezzo: 4.1, aliquota: 22 }],
    scadenza: `${ANNO}-12-25`,
  },
  {
    file: `IT${FORNITORI.robot.piva}_00088.xml`, caso: 'CIG e CUP validi, riferiti alle righe, non ancora nei registri',
    fornitore: FORNITORI.robot, tipo: 'TD01', numero: '2026/88', data: `${ANNO}-11-20`,
    causale: 'Fornitura kit STEM - PNRR DM 65/2023',
    riferimenti: [{ blocco: 'DatiOrdineAcquisto', id: 'Ordine 91/2026', data: `${ANNO}-10-28`, cig: LEGACY_CIG.stem, cup: 'C44D23003810006', linee: [1, 2] }],
    linee: [
      { descrizione: 'Kit di robotica educativa per la scuola primaria', quantita: 6, prezzo: 389, aliquota: 22 },
      { descrizione: 'Schede programmabili con sensori', quantita: 12, prezzo: 48.9, aliquota: 22 },
    ],
    scadenza: `${ANNO}-12-20`,
  },
  {
    file: `IT${FORNITORI.tecno.piva}_01907.xml`, caso: 'CUP scritto nel campo del CIG',
    fornitore: FORNITORI.tecno, tipo: 'TD01', numero: '1907/E', data: `${ANNO}-11-10`,
    causale: 'Manutenzione dei monitor interattivi - PNRR Scuola 4.0',
    riferimenti: [{ blocco: 'DatiContratto', id: 'Contratto 14/2026', data: `${ANNO}-03-02`, cig: 'C44D22002780006' }],
    linee: [{ descrizione: 'Intervento di manutenzione su 8 monitor interattivi', quantita: 8, prezzo: 95, aliquota: 22 }],
    scadenza: `${ANNO}-12-10`,
  },
  {
    file: `IT${FORNITORI.libreria.piva}_00311.xml`, caso: 'senza CIG',
    fornitore: FORNITORI.libreria, tipo: 'TD01', numero: '311', data: `${ANNO}-11-27`,
    causale: 'Libri per la biblioteca scolastica - Progetto lettura',
    riferimenti: [],
    linee: [{ descrizione: 'Libri di narrativa per ragazzi (elenco allegato all\'ordine)', quantita: 25, prezzo: 14.5, aliquota: 4 }],
    scadenza: `${ANNO}-12-27`,
  },
  {
    file: `IT${FORNITORI.copy.piva}_00907.xml`, caso: 'CIG con una «l» al posto di «1»: correzione proposta',
    fornitore: FORNITORI.copy, tipo: 'TD01', numero: 'PA/907', data: `${ANNO}-11-30`,
    causale: 'Noleggio fotocopiatrici - canone di novembre',
    riferimenti: [{ blocco: 'DatiContratto', id: 'Noleggio 12/2024', data: `${ANNO - 2}-09-01`, cig: lookAlike(LEGACY_CIG.fotocopiatrici) }],
    linee: [{ descrizione: 'Canone mensile noleggio 3 fotocopiatrici multifunzione', quantita: 1, prezzo: 210, aliquota: 22 }],
    scadenza: `${ANNO}-12-30`,
  },
];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const amount = (n: number) => n.toFixed(2);
const cents = (n: number) => Math.round(n * 100);

function riferimento(r: Riferimento): string {
  return [
    `      <${r.blocco}>`,
    ...(r.linee ?? []).map((l) => `        <RiferimentoNumeroLinea>${l}</RiferimentoNumeroLinea>`),
    `        <IdDocumento>${escape(r.id)}</IdDocumento>`,
    ...(r.data ? [`        <Data>${r.data}</Data>`] : []),
    ...(r.cup ? [`        <CodiceCUP>${escape(r.cup)}</CodiceCUP>`] : []),
    ...(r.cig ? [`        <CodiceCIG>${escape(r.cig)}</CodiceCIG>`] : []),
    `      </${r.blocco}>`,
  ].join('\n');
}

/** One sample as the supplier's software writes it: split payment (EsigibilitaIVA S), as for every PA purchase. */
export function fatturaXml(e: Esempio): string {
  const righe = e.linee.map((l, i) => ({ ...l, n: i + 1, totale: cents(l.quantita * l.prezzo) }));
  const aliquote = [...new Set(righe.map((r) => r.aliquota))];
  const riepiloghi = aliquote.map((a) => {
    const imponibile = righe.filter((r) => r.aliquota === a).reduce((s, r) => s + r.totale, 0);
    return { aliquota: a, imponibile, imposta: Math.round((imponibile * a) / 100) };
  });
  const totale = riepiloghi.reduce((s, r) => s + r.imponibile + r.imposta, 0);
  const imponibile = riepiloghi.reduce((s, r) => s + r.imponibile, 0);
  const f = e.fornitore;
  return `<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica versione="FPA12" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <FatturaElettronicaHeader>
    <DatiTrasmissione>
      <IdTrasmittente>
        <IdPaese>IT</IdPaese>
        <IdCodice>${f.piva}</IdCodice>
      </IdTrasmittente>
      <ProgressivoInvio>${e.file.split('_')[1]!.replace('.xml', '')}</ProgressivoInvio>
      <FormatoTrasmissione>FPA12</FormatoTrasmissione>
      <CodiceDestinatario>UF7K2M</CodiceDestinatario>
    </DatiTrasmissione>
    <CedentePrestatore>
      <DatiAnagrafici>
        <IdFiscaleIVA>
          <IdPaese>IT</IdPaese>
          <IdCodice>${f.piva}</IdCodice>
        </IdFiscaleIVA>
        <CodiceFiscale>${f.piva}</CodiceFiscale>
        <Anagrafica>
          <Denominazione>${escape(f.denominazione)}</Denominazione>
        </Anagrafica>
        <RegimeFiscale>RF01</RegimeFiscale>
      </DatiAnagrafici>
      <Sede>
        <Indirizzo>${escape(f.indirizzo)}</Indirizzo>
        <NumeroCivico>${f.civico}</NumeroCivico>
        <CAP>${f.cap}</CAP>
        <Comune>${f.comune}</Comune>
        <Provincia>${f.provincia}</Provincia>
        <Nazione>IT</Nazione>
      </Sede>
    </CedentePrestatore>
    <CessionarioCommittente>
      <DatiAnagrafici>
        <CodiceFiscale>${SCUOLA.codice_fiscale}</CodiceFiscale>
        <Anagrafica>
          <Denominazione>${SCUOLA.denominazione}</Denominazione>
        </Anagrafica>
      </DatiAnagrafici>
      <Sede>
        <Indirizzo>Via della Scuola 1</Indirizzo>
        <CAP>00100</CAP>
        <Comune>Roma</Comune>
        <Provincia>RM</Provincia>
        <Nazione>IT</Nazione>
      </Sede>
    </CessionarioCommittente>
  </FatturaElettronicaHeader>
  <FatturaElettronicaBody>
    <DatiGenerali>
      <DatiGeneraliDocumento>
        <TipoDocumento>${e.tipo}</TipoDocumento>
        <Divisa>EUR</Divisa>
        <Data>${e.data}</Data>
        <Numero>${escape(e.numero)}</Numero>
        <ImportoTotaleDocumento>${amount(totale / 100)}</ImportoTotaleDocumento>
        <Causale>${escape(e.causale)}</Causale>
      </DatiGeneraliDocumento>
${e.riferimenti.map(riferimento).join('\n')}
    </DatiGenerali>
    <DatiBeniServizi>
${righe.map((r) => `      <DettaglioLinee>
        <NumeroLinea>${r.n}</NumeroLinea>
        <Descrizione>${escape(r.descrizione)}</Descrizione>
        <Quantita>${amount(r.quantita)}</Quantita>
        <PrezzoUnitario>${amount(r.prezzo)}</PrezzoUnitario>
        <PrezzoTotale>${amount(r.totale / 100)}</PrezzoTotale>
        <AliquotaIVA>${amount(r.aliquota)}</AliquotaIVA>
      </DettaglioLinee>`).join('\n')}
${riepiloghi.map((r) => `      <DatiRiepilogo>
        <AliquotaIVA>${amount(r.aliquota)}</AliquotaIVA>
        <ImponibileImporto>${amount(r.imponibile / 100)}</ImponibileImporto>
        <Imposta>${amount(r.imposta / 100)}</Imposta>
        <EsigibilitaIVA>S</EsigibilitaIVA>
      </DatiRiepilogo>`).join('\n')}
    </DatiBeniServizi>
    <DatiPagamento>
      <CondizioniPagamento>TP02</CondizioniPagamento>
      <DettaglioPagamento>
        <Beneficiario>${escape(f.denominazione)}</Beneficiario>
        <ModalitaPagamento>MP05</ModalitaPagamento>
        <DataScadenzaPagamento>${e.scadenza}</DataScadenzaPagamento>
        <ImportoPagamento>${amount(imponibile / 100)}</ImportoPagamento>${'iban' in f && f.iban ? `\n        <IBAN>${f.iban}</IBAN>` : ''}
      </DettaglioPagamento>
    </DatiPagamento>
  </FatturaElettronicaBody>
</p:FatturaElettronica>
`;
}

/** The SdI's metadata file of the first sample: its IdentificativoSdI is what the OPI flow names. */
export function metadatiXml(e: Esempio, identificativoSdi: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ns3:MetadatiInvioFile xmlns:ns3="http://www.fatturapa.gov.it/sdi/messaggi/v1.0" versione="1.0">
  <IdentificativoSdI>${identificativoSdi}</IdentificativoSdI>
  <NomeFile>${e.file}</NomeFile>
  <CodiceDestinatario>UF7K2M</CodiceDestinatario>
  <Formato>FPA12</Formato>
  <TentativiInvio>1</TentativiInvio>
  <MessageId>${Number(identificativoSdi) + 1}</MessageId>
</ns3:MetadatiInvioFile>
`;
}

/** Every sample file, by name. */
export function fileEsempio(): { nome: string; contenuto: string }[] {
  const primo = ESEMPI[0]!;
  return [
    ...ESEMPI.map((e) => ({ nome: e.file, contenuto: fatturaXml(e) })),
    { nome: primo.file.replace('.xml', '_MT_001.xml'), contenuto: metadatiXml(primo, '11223344556') },
  ];
}

export const CARTELLA_ESEMPI = fileURLToPath(new URL('./fatture-esempio/', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(CARTELLA_ESEMPI, { recursive: true });
  for (const f of fileEsempio()) writeFileSync(CARTELLA_ESEMPI + f.nome, f.contenuto);
  console.log(`Scritte ${fileEsempio().length} fatture di esempio in ${CARTELLA_ESEMPI}`);
}
