import type { Knex } from 'knex';
import { hashPassword } from '../src/services/passwords.js';
import {
  cigOrdinario,
  cigPcp,
  cigSmart,
  codiceFiscalePersona,
  conControlloErrato,
  ibanItaliano,
  mulberry32,
  partitaIva,
} from './legacyCodes.js';

/**
 * Demo data: two schools, two esercizi, the Piano delle destinazioni, creditori,
 * impegni and mandati carrying CIG and CUP as FREE TEXT, as legacy data does
 * before the one-time import (registers cig/cup and importazioni stay empty).
 *
 * Deterministic: amounts and dates come from a seeded PRNG, the legacy codes
 * are planted at fixed places (see LEGACY_CIG and the templates below).
 */

export type DemoUser = {
  username: string;
  password: string;
  ruolo: 'segreteria' | 'admin';
  scuola: 1 | 2;
  nome: string;
};

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'segreteria', password: 'demo-segreteria', ruolo: 'segreteria', scuola: 1, nome: 'Maria Rossi (DSGA)' },
  { username: 'admin', password: 'demo-admin', ruolo: 'admin', scuola: 1, nome: 'Giuseppe Esposito' },
  { username: 'segreteria2', password: 'demo-segreteria2', ruolo: 'segreteria', scuola: 2, nome: 'Anna Ferri (DSGA)' },
];

export const DEMO_SCUOLE = [
  {
    codice_meccanografico: 'RMIC8ZZ00Q', denominazione: 'Istituto Comprensivo Demo', codice_fiscale: partitaIva('9781234501'),
    // Its identity towards the bank (Impostazioni → Scuola e cassiere): the office code is the one the sample invoices name.
    descrizione_ente: 'Istituto Comprensivo Demo', codice_ipa: 'istsc_rmic8zz00q', codice_univoco_ufficio: 'UF7K2M', codice_istat: '000712345',
    codice_abi: '03069', codice_ente: 'UF7K2M', codice_ente_bt: '0712345', codice_tramite_ente: 'A2A-12345678', codice_tramite_bt: 'A2A-87654321',
    bollo_assoggettamento: 'ESENTE BOLLO', bollo_causale_esenzione: 'Esente ai sensi dell’art. 16 Tabella B DPR 642/1972', spese_soggetto: 'A CARICO ENTE',
  },
  { codice_meccanografico: 'RMPS9ZZ00D', denominazione: 'Liceo Scientifico Demo Due', codice_fiscale: partitaIva('9781234602') },
] as const;

/**
 * The valid CIGs of the demo procurements (one code, many documents), by
 * family. Every one is computed with ANAC's formulas in legacyCodes.ts.
 */
export const LEGACY_CIG = {
  // ordinario (SIMOG, until 2023): multi-year contracts still being paid
  assistenzaIT: cigOrdinario(9050626), // 9050626CD6, ANAC's own example
  fotocopiatrici: cigOrdinario(9734215),
  // SmartCIG (until 2023)
  rspp: cigSmart('Z', 0x3a9f1c2),
  software: cigSmart('X', 0x2e0a5d9),
  assicurazione: cigSmart('Y', 0x1b44e07),
  // PCP (since 2024)
  monitor: cigPcp('A', 0x0f3b21),
  arredi: cigPcp('A', 0x12c7e4),
  pullmanPrec: cigPcp('B', 0x4a7c21),
  viaggioPrec: cigPcp('B', 0x4c0e6a),
  cancelleriaPrec: cigPcp('B', 0x2f1a08),
  formazioneDigitale: cigPcp('B', 0x15e2f0),
  robotica: cigPcp('B', 0x5e21c7),
  connettivita: cigPcp('B', 0x3399aa),
  divari: cigPcp('B', 0x8a4410),
  certificazioniPrec: cigPcp('B', 0x61d0f3),
  libriPrec: cigPcp('B', 0x7e2a19),
  stemPrec: cigPcp('B', 0x6f0b3c),
  agendaSud: cigPcp('B', 0x7a9e51),
  orientamento: cigPcp('B', 0x70c2d8),
  pnFse: cigPcp('B', 0x82f4a6),
  pullman: cigPcp('B', 0x9d2b47),
  viaggio: cigPcp('B', 0x9e6f02),
  cancelleria: cigPcp('B', 0x9a0c13),
  softwareNuovo: cigPcp('B', 0x8f71d2),
  assicurazioneNuova: cigPcp('B', 0x93c448),
  notebook: cigPcp('B', 0x95d7e0),
  supportoPnrr: cigPcp('B', 0x96a1b4),
  ricambiRobotica: cigPcp('B', 0x98e35f),
  certificazioni: cigPcp('B', 0x9c0a77),
  pulizie: cigPcp('B', 0x97ab30),
  libri: cigPcp('B', 0x9f1d8c),
  teatro: cigPcp('B', 0xa04e1b),
  dpo: cigPcp('B', 0xa1b2c3),
  stem: cigPcp('B', 0xa2c9d4),
  pnFseNuovo: cigPcp('B', 0xa3e015),
  sussidi: cigPcp('B', 0xa4f126),
} as const;

const C = LEGACY_CIG;
const spaced = (code: string) => `${code.slice(0, 4)} ${code.slice(4, 7)} ${code.slice(7)}`;
const lower = (code: string) => code.toLowerCase();
const dropChar = (code: string, at: number) => code.slice(0, at) + code.slice(at + 1);
const doubleChar = (code: string, at: number) => code.slice(0, at + 1) + code.slice(at);
/** The code with its first digit 1 typed as a lower-case l (as read from a PDF). */
const lookAlike = (code: string) => code.replace('1', 'l');

/** CUPs written on the schede finanziarie (school 1), as typed. */
const CUP_TESTO = {
  retiCablate: 'CUP: C49J21037560006',
  digitalBoard: 'c49j21048240006',
  scuola40: 'C44D22002780006',
  scuola40Gestione: 'CUP C44D22002780006',
  divari: 'C44D24000950006',
  stem: ' C44D23003810006 ',
  formazioneDigitale: 'C44D 2300 4120 006',
  pnFse: 'C44024D01730006', // malformed: letter in the wrong place
  agendaSud: 'C44D2400212006', // malformed: 14 characters
} as const;

type Motivo =
  | 'SPESE_ECONOMALI'
  | 'CONTRATTI_LAVORO'
  | 'TRASFERIMENTO_FONDI'
  | 'AMMINISTRAZIONE DIRETTA'
  | 'INCARICHI_COLLABORAZIONE'
  | 'RISARCIMENTI_INDENNIZZI';
type Modalita = 'SEPA CREDIT TRANSFER' | 'AVVISO PAGOPA' | 'F24EP' | 'CASSA';

/**
 * Payment plan of an impegno: F one payment, H two halves, T three thirds,
 * Q four quarters, P one partial payment (40%), U unpaid, R (previous
 * esercizio only) 60% in the year and the rest in the next one as a residuo,
 * E compenso netto (80%, SEPA) plus ritenuta (20%, F24EP to the Erario).
 */
type Plan = 'F' | 'H' | 'T' | 'Q' | 'P' | 'U' | 'R' | 'E';

type ImpegnoTpl = {
  voce: string; // 'A03/13' or 'A04'
  conto: string; // '2/1/1'
  cred: CreditoreKey;
  oggetto: string;
  euro: [number, number];
  /** months (1–12) in which the impegno is taken, e.g. [9, 10] for the start of the school year */
  mesi: [number, number];
  cig?: string | null;
  motivo?: Motivo;
  /** undefined: the voce's CUP, normalised, if it has one. */
  cup?: string | null;
  plan: Plan;
  tipo?: 'NON_COMMERCIALE';
  mod?: Modalita;
  /** cig_testo of the mandati by installment (undefined entry: copy the impegno's). */
  mCig?: (string | null | undefined)[];
  mCup?: (string | null | undefined)[];
};

// ---------------------------------------------------------------- school 1

type VoceTpl = [aggregato: 'A' | 'P' | 'G' | 'R', voce: number, sottovoce: number | null, descrizione: string, cup?: string];

const VOCI_1: VoceTpl[] = [
  ['A', 1, null, 'Funzionamento generale e decoro della Scuola'],
  ['A', 1, 1, 'Funzionamento generale – Dotazione ordinaria'],
  ['A', 1, 2, 'Decoro e piccola manutenzione dei locali scolastici'],
  ['A', 1, 5, 'PON FESR Reti cablate e wireless nelle scuole – 13.1.1A-FESRPON-LA-2021-412', CUP_TESTO.retiCablate],
  ['A', 2, null, 'Funzionamento amministrativo'],
  ['A', 2, 1, 'Funzionamento amministrativo generale'],
  ['A', 2, 3, 'PNRR Piano Scuola 4.0 – Spese organizzative e gestionali', CUP_TESTO.scuola40Gestione],
  ['A', 3, null, 'Didattica'],
  ['A', 3, 1, 'Didattica – Dotazione ordinaria'],
  ['A', 3, 10, "PON FESR Digital Board: trasformazione digitale nella didattica e nell'organizzazione", CUP_TESTO.digitalBoard],
  ['A', 3, 13, 'PNRR Piano Scuola 4.0 – Next Generation Classroom – CUP C44D22002780006', CUP_TESTO.scuola40],
  ['A', 3, 14, 'PNRR Riduzione dei divari territoriali (DM 19/2024)', CUP_TESTO.divari],
  ['A', 3, 15, 'PNRR Nuove competenze e nuovi linguaggi – STEM e multilinguismo (DM 65/2023)', CUP_TESTO.stem],
  ['A', 4, null, 'Alternanza Scuola-Lavoro / PCTO'],
  ['A', 5, null, "Visite, viaggi e programmi di studio all'estero"],
  ['A', 5, 1, "Visite guidate e viaggi d'istruzione"],
  ['A', 6, null, 'Attività di orientamento'],
  ['P', 1, null, 'Progetti in ambito "Scientifico, tecnico e professionale"'],
  ['P', 1, 1, 'Laboratorio di robotica educativa e coding'],
  ['P', 1, 2, 'PN Scuola e competenze 2021-2027 – Potenziamento delle competenze di base (FSE+)', CUP_TESTO.pnFse],
  ['P', 2, null, 'Progetti in ambito "Umanistico e sociale"'],
  ['P', 2, 1, 'Inclusione e integrazione degli alunni con cittadinanza non italiana'],
  ['P', 2, 3, 'Progetto lettura', ''],
  ['P', 2, 4, 'PN Scuola e competenze 2021-2027 – Agenda Sud: riduzione della dispersione scolastica', CUP_TESTO.agendaSud],
  ['P', 3, null, 'Progetti per "Certificazioni e corsi professionali"'],
  ['P', 3, 1, 'Certificazioni linguistiche Cambridge English'],
  ['P', 4, null, 'Progetti per "Formazione / aggiornamento del personale"'],
  ['P', 4, 1, 'Formazione sulla sicurezza nei luoghi di lavoro (D.Lgs. 81/2008)'],
  ['P', 4, 2, 'PNRR Formazione del personale scolastico per la transizione digitale (DM 66/2023)', CUP_TESTO.formazioneDigitale],
  ['P', 5, null, 'Progetti per "Gare e concorsi"'],
  ['P', 5, 1, 'Giochi matematici e olimpiadi di problem solving'],
  ['R', 98, null, 'Fondo di riserva'],
];

type ContoTpl = [tipo: number, conto: number, sottoconto: number, descrizione: string];

const CONTI_1: ContoTpl[] = [
  [1, 3, 1, 'Spese di personale: Rimborsi spese per missioni e viaggi'],
  [1, 5, 1, 'Spese di personale: Compensi a esperti esterni'],
  [2, 1, 1, 'Carta, cancelleria e stampati'],
  [2, 1, 2, 'Giornali e pubblicazioni'],
  [2, 2, 1, 'Materiali e accessori: Materiale tecnico-specialistico'],
  [2, 2, 2, 'Materiali e accessori: Materiale igienico e di pulizia'],
  [2, 2, 3, 'Materiali e accessori: Materiale informatico e software'],
  [3, 1, 1, 'Acquisto di servizi: Consulenza tecnico-professionale (RSPP, DPO)'],
  [3, 2, 1, 'Acquisto di servizi ed utilizzo di beni di terzi: Formazione e aggiornamento'],
  [3, 3, 1, 'Acquisto di servizi: Prestazioni professionali e specialistiche'],
  [3, 4, 1, "Noleggi, locazioni e leasing: Noleggio di macchine d'ufficio"],
  [3, 5, 1, 'Utenze e canoni: Telefonia e connettività'],
  [3, 5, 2, 'Utenze e canoni: Canoni software gestionali e servizi web'],
  [3, 6, 1, 'Manutenzione ordinaria: Hardware, impianti e attrezzature'],
  [3, 7, 1, "Servizi ausiliari: Trasporti e viaggi d'istruzione"],
  [3, 7, 2, 'Servizi ausiliari: Ingressi a musei e visite guidate'],
  [3, 9, 1, 'Assicurazioni'],
  [4, 1, 1, "Beni d'investimento: Hardware"],
  [4, 2, 1, "Beni d'investimento: Mobili e arredi"],
  [5, 1, 1, 'Altre spese: Versamenti a istituzioni scolastiche capofila di rete'],
  [5, 2, 1, 'Altre spese: Restituzioni e rimborsi a famiglie'],
];

/**
 * The SIOPE classification of every demo conto (`tipo/conto/sottoconto` → codice
 * gestionale, natura della spesa), what a mandato's OPI carries as `codice_cgu` and
 * `natura_spesa_siope`. The codes are ILLUSTRATIVE: 4 digits as a school's SIOPE
 * codes are, 1xxx for the spese correnti and 2xxx for those in conto capitale, the
 * second digit after the tipo of the piano dei conti; they are not the official
 * codification. Personale, beni di consumo, servizi and altre spese are correnti;
 * beni d'investimento (tipo 4 here) are capitale.
 */
const SIOPE_CONTI: Record<string, [codice: string, natura: 'CORRENTE' | 'CAPITALE']> = {
  '1/3/1': ['1103', 'CORRENTE'],
  '1/5/1': ['1105', 'CORRENTE'],
  '2/1/1': ['1201', 'CORRENTE'],
  '2/1/2': ['1202', 'CORRENTE'],
  '2/2/1': ['1203', 'CORRENTE'],
  '2/2/2': ['1204', 'CORRENTE'],
  '2/2/3': ['1205', 'CORRENTE'],
  '3/1/1': ['1301', 'CORRENTE'],
  '3/2/1': ['1302', 'CORRENTE'],
  '3/3/1': ['1303', 'CORRENTE'],
  '3/4/1': ['1304', 'CORRENTE'],
  '3/5/1': ['1305', 'CORRENTE'],
  '3/5/2': ['1306', 'CORRENTE'],
  '3/6/1': ['1307', 'CORRENTE'],
  '3/7/1': ['1308', 'CORRENTE'],
  '3/7/2': ['1309', 'CORRENTE'],
  '3/9/1': ['1310', 'CORRENTE'],
  '4/1/1': ['2101', 'CAPITALE'],
  '4/2/1': ['2102', 'CAPITALE'],
  '5/1/1': ['1501', 'CORRENTE'],
  '5/2/1': ['1502', 'CORRENTE'],
};

/** A demo conto's row: its school, its code, its description and its SIOPE classification. */
function contoRow(scuolaId: number, [tipo, conto, sottoconto, descrizione]: ContoTpl) {
  const siope = SIOPE_CONTI[`${tipo}/${conto}/${sottoconto}`];
  if (!siope) throw new Error(`Conto demo ${tipo}/${conto}/${sottoconto} senza codice SIOPE`);
  return { scuola_id: scuolaId, tipo, conto, sottoconto, descrizione, codice_siope: siope[0], natura_spesa: siope[1] };
}

type CreditoreTpl = {
  denominazione: string;
  /** 10 digits: the check digit is computed (partita IVA = codice fiscale). */
  piva?: string;
  /** codice fiscale only (enti non commerciali, persone) */
  cf?: string;
  /** "street and number, CAP località (PR)": stored in its parts. */
  indirizzo?: string;
  iban?: [abi: string, cab: string, conto: string];
};

const CREDITORI_1 = {
  rossi: { denominazione: 'Cartoleria Rossi S.r.l.', piva: '0714235058', indirizzo: 'Via del Corso 112, 00186 Roma (RM)', iban: ['03069', '03200', '100000004512'] },
  infoscuola: { denominazione: 'Informatica Scuola S.p.A.', piva: '0932871015', indirizzo: 'Viale Monza 255, 20126 Milano (MI)', iban: ['02008', '01600', '000104522879'] },
  viaggi: { denominazione: 'Viaggi & Cultura S.r.l.', piva: '0618840048', indirizzo: 'Via dei Servi 38, 50122 Firenze (FI)', iban: ['05034', '02801', '000000027731'] },
  bus: { denominazione: 'Autolinee Laziali Bus S.r.l.', piva: '1205563058', indirizzo: 'Via Tiburtina 1180, 00156 Roma (RM)', iban: ['08327', '03239', '000000008841'] },
  tecno: { denominazione: 'Tecnodidattica Italia S.r.l.', piva: '0845177063', indirizzo: 'Centro Direzionale Isola E5, 80143 Napoli (NA)', iban: ['01030', '03400', '000001384522'] },
  copy: { denominazione: 'Office Copy Service S.r.l.', piva: '1377402058', indirizzo: 'Via Casilina 1720, 00133 Roma (RM)' },
  pulizie: { denominazione: 'Splendor Forniture Igieniche Soc. Coop.', piva: '0523918058', indirizzo: 'Via Prenestina 402, 00171 Roma (RM)', iban: ['03069', '05020', '100000061234'] },
  rspp: { denominazione: 'Sicurezza Lavoro Consulting S.r.l.', piva: '1099240058', indirizzo: 'Via Appia Nuova 669, 00179 Roma (RM)', iban: ['03069', '05140', '100000032210'] },
  assic: { denominazione: 'Scuola Sicura Assicurazioni S.p.A.', piva: '0210486015', indirizzo: 'Corso Venezia 44, 20121 Milano (MI)', iban: ['01030', '01600', '000000771234'] },
  minerva: { denominazione: 'Edizioni Didattiche Minerva S.r.l.', piva: '0377120037', indirizzo: 'Via Emilia Ponente 130, 40133 Bologna (BO)', iban: ['02008', '02435', '000100987654'] },
  libreria: { denominazione: 'Libreria Il Segnalibro S.n.c.', piva: '0988314058', indirizzo: 'Piazza Bologna 12, 00162 Roma (RM)', iban: ['02008', '05181', '000401233456'] },
  formaz: { denominazione: 'Formazione Docenti Italia S.r.l.', piva: '1168730058', indirizzo: 'Via Nazionale 230, 00184 Roma (RM)', iban: ['05034', '03201', '000000044120'] },
  robot: { denominazione: 'Robotica Educativa Lab S.r.l.', piva: '1042286001', indirizzo: 'Corso Francia 110, 10143 Torino (TO)', iban: ['03069', '01000', '100000127788'] },
  arredi: { denominazione: 'Arredi Scolastici Moderni S.p.A.', piva: '0279355028', indirizzo: 'Via dell\'Industria 14, 35129 Padova (PD)', iban: ['08728', '62320', '000000015566'] },
  telco: { denominazione: 'Telecomunicazioni Centro Italia S.p.A.', piva: '0886612058', indirizzo: 'Via Cristoforo Colombo 440, 00145 Roma (RM)', iban: ['03069', '03330', '100000078901'] },
  lingue: { denominazione: 'British Language School Roma S.r.l.', piva: '1311007058', indirizzo: 'Via Ottaviano 32, 00192 Roma (RM)', iban: ['02008', '05008', '000103344551'] },
  ferr: { denominazione: 'Ferramenta Colombo & Figli S.n.c.', piva: '0463120058', indirizzo: 'Via Tuscolana 801, 00174 Roma (RM)', iban: ['08327', '03240', '000000012290'] },
  sw: { denominazione: 'Software Gestionale Scuole S.r.l.', piva: '0351784063', indirizzo: 'Via Toledo 156, 80134 Napoli (NA)', iban: ['05034', '03400', '000000005521'] },
  teatro: { denominazione: 'Teatro Ragazzi Società Cooperativa', piva: '0755203058', indirizzo: 'Via Flaminia 58, 00196 Roma (RM)', iban: ['03069', '05061', '100000023340'] },
  museo: { denominazione: 'Museo Civico di Scienze Naturali', piva: '0614372058', indirizzo: 'Via Ulisse Aldrovandi 18, 00197 Roma (RM)', iban: ['01000', '03245', '000000300112'] },
  capofila: { denominazione: 'Istituto Comprensivo "Leonardo da Vinci" – Scuola capofila Rete di ambito RM 7', cf: '9718820058', indirizzo: 'Via Cassia 1260, 00189 Roma (RM)', iban: ['01000', '03245', '000000318845'] },
  erario: { denominazione: 'Erario – versamenti F24EP (ritenute)', cf: '0700000058', indirizzo: 'Via Giorgione 106, 00147 Roma (RM)' },
  bianchi: { denominazione: 'Bianchi Laura (docente)', cf: 'BNCLRA80A41H501', indirizzo: 'Via Appia Pignatelli 21, 00178 Roma (RM)', iban: ['03069', '03207', '100000066781'] },
  verdi: { denominazione: 'Verdi Marco (esperto esterno)', cf: 'VRDMRC75C12F839', indirizzo: 'Via Alessandro Manzoni 45, 80123 Napoli (NA)', iban: ['03069', '03211', '100000099870'] },
  russo: { denominazione: 'Russo Giovanni (genitore)', cf: 'RSSGNN82M20H501', indirizzo: 'Via Latina 95, 00179 Roma (RM)', iban: ['02008', '05364', '000401987612'] },
} satisfies Record<string, CreditoreTpl>;

type CreditoreKey = keyof typeof CREDITORI_1;

/** Impegni of the previous esercizio (Y-1), in no particular order: dates are drawn, then numbered. */
const IMPEGNI_PREC: ImpegnoTpl[] = [
  { voce: 'A02/1', conto: '3/6/1', cred: 'infoscuola', oggetto: 'Servizio di assistenza tecnica sistemistica uffici e laboratori – canone 1° semestre', euro: [2400, 2400], cig: C.assistenzaIT, mesi: [1, 2], plan: 'H', mCig: ['CIG 9050626CD6', '9050626cd6'] },
  { voce: 'A02/1', conto: '3/6/1', cred: 'infoscuola', oggetto: 'Servizio di assistenza tecnica sistemistica uffici e laboratori – canone 2° semestre', euro: [2400, 2400], cig: '9050 626 CD6', mesi: [7, 8], plan: 'H', mCig: [undefined, '9O50626CD6'] },
  { voce: 'A02/1', conto: '3/4/1', cred: 'copy', oggetto: 'Noleggio fotocopiatrici multifunzione uffici di segreteria (convenzione Consip) – canoni trimestrali', euro: [1850, 1850], cig: `  ${C.fotocopiatrici} `, mesi: [1, 1], plan: 'Q', mCig: [C.fotocopiatrici, C.fotocopiatrici, '', null] },
  { voce: 'A01/1', conto: '3/1/1', cred: 'rspp', oggetto: 'Incarico RSPP e servizio di prevenzione e protezione – annualità', euro: [1600, 1600], cig: `CIG ${C.rspp}`, mesi: [9, 10], plan: 'F' },
  { voce: 'A02/1', conto: '3/5/2', cred: 'sw', oggetto: 'Canone annuale software gestionale di segreteria digitale e registro elettronico', euro: [3900, 3900], cig: C.software, mesi: [1, 2], plan: 'F' },
  { voce: 'A01/1', conto: '3/9/1', cred: 'assic', oggetto: 'Polizza assicurativa infortuni e responsabilità civile alunni e personale', euro: [2950, 3300], cig: C.assicurazione, mesi: [9, 10], plan: 'F' },
  { voce: 'A02/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Acquisto materiale di cancelleria per uffici', euro: [380, 820], cig: C.cancelleriaPrec, mesi: [1, 3], plan: 'F' },
  { voce: 'A03/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Acquisto materiale di cancelleria e di facile consumo per la didattica', euro: [900, 1600], cig: lower(C.cancelleriaPrec), mesi: [9, 10], plan: 'H' },
  { voce: 'A02/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Fornitura carta A4 per fotocopie (risme da 500 fogli)', euro: [600, 950], cig: `CIG: ${C.cancelleriaPrec}`, mesi: [2, 4], plan: 'F' },
  { voce: 'A03/13', conto: '4/1/1', cred: 'tecno', oggetto: 'Fornitura monitor interattivi 75" – PNRR Scuola 4.0 Next Generation Classroom', euro: [38000, 44500], cig: C.monitor, mesi: [3, 5], plan: 'R', mCig: [spaced(C.monitor), lower(C.monitor)], mCup: [undefined, ''] },
  { voce: 'A03/13', conto: '4/2/1', cred: 'arredi', oggetto: 'Fornitura arredi modulari per ambienti di apprendimento innovativi – PNRR Scuola 4.0', euro: [21000, 26000], cig: C.arredi, cup: 'c44d22002780006', mesi: [4, 6], plan: 'R' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: 'Noleggio pullman uscita didattica a Firenze – classi terze secondaria', euro: [1450, 1900], cig: C.pullmanPrec, mesi: [3, 4], plan: 'F', mCig: [C.pullmanPrec.slice(1)] },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: 'Noleggio pullman uscita didattica a Orvieto – classi seconde', euro: [900, 1300], cig: `cig ${lower(C.pullmanPrec)}`, mesi: [4, 5], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: 'Noleggio pullman visita a Napoli – Città della Scienza', euro: [1300, 1700], cig: C.pullmanPrec, mesi: [2, 3], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'viaggi', oggetto: "Viaggio d'istruzione in Sicilia orientale (4 giorni) – pacchetto completo", euro: [14500, 18500], cig: C.viaggioPrec, mesi: [1, 3], plan: 'T' },
  { voce: 'P04/2', conto: '3/2/1', cred: 'formaz', oggetto: 'Percorsi formativi per la transizione digitale del personale – PNRR DM 66/2023', euro: [9000, 12000], cig: C.formazioneDigitale, mesi: [2, 4], plan: 'H', mCup: [null, 'c44d23004120006'] },
  { voce: 'P01/1', conto: '2/2/1', cred: 'robot', oggetto: 'Acquisto kit di robotica educativa e schede programmabili', euro: [2200, 3400], cig: C.robotica, mesi: [1, 3], plan: 'F' },
  { voce: 'A02/1', conto: '3/5/1', cred: 'telco', oggetto: 'Servizio di connettività in fibra e telefonia fissa – canoni', euro: [1200, 1500], cig: C.connettivita, mesi: [1, 1], plan: 'T' },
  { voce: 'P03/1', conto: '3/3/1', cred: 'lingue', oggetto: "Corsi di preparazione e quote d'esame certificazioni Cambridge (A2 Key, B1 Preliminary)", euro: [3800, 5200], cig: C.certificazioniPrec, mesi: [1, 2], plan: 'H' },
  { voce: 'A03/14', conto: '3/3/1', cred: 'formaz', oggetto: 'Percorsi di mentoring e potenziamento delle competenze – PNRR DM 19/2024', euro: [12000, 16000], cig: C.divari, mesi: [3, 5], plan: 'T' },
  { voce: 'A01/2', conto: '2/2/2', cred: 'pulizie', oggetto: 'Acquisto materiale igienico-sanitario e di pulizia', euro: [700, 1300], cig: 'V123456789', mesi: [9, 9], plan: 'F' },
  { voce: 'P02/3', conto: '2/1/2', cred: 'libreria', oggetto: 'Acquisto libri per la biblioteca scolastica – Progetto lettura', euro: [600, 1100], cig: dropChar(C.libriPrec, 9), mesi: [10, 11], plan: 'F', mCig: [C.libriPrec] },
  { voce: 'A01/2', conto: '2/2/1', cred: 'ferr', oggetto: 'Acquisto minuterie e materiale di ferramenta per piccola manutenzione', euro: [60, 180], cig: null, motivo: 'SPESE_ECONOMALI', mesi: [1, 12], plan: 'F', mod: 'CASSA' },
  { voce: 'P02/1', conto: '3/3/1', cred: 'teatro', oggetto: 'Spettacolo teatrale in lingua inglese per le classi della primaria', euro: [750, 1200], cig: 'B123456789', mesi: [11, 12], plan: 'F' },
  { voce: 'P04/1', conto: '5/1/1', cred: 'capofila', oggetto: 'Quota di adesione alla rete di scopo per la formazione sulla sicurezza – versamento alla scuola capofila', euro: [400, 900], cig: '', motivo: 'TRASFERIMENTO_FONDI', tipo: 'NON_COMMERCIALE', mesi: [5, 6], plan: 'F' },
  { voce: 'P02/1', conto: '1/5/1', cred: 'verdi', oggetto: 'Incarico a esperto esterno per il laboratorio di italiano L2 (prestazione occasionale)', euro: [1200, 1800], cig: null, motivo: 'INCARICHI_COLLABORAZIONE', tipo: 'NON_COMMERCIALE', mesi: [10, 11], plan: 'E' },
  { voce: 'A05/1', conto: '1/3/1', cred: 'bianchi', oggetto: "Rimborso spese al docente accompagnatore – viaggio d'istruzione in Sicilia", euro: [85, 240], cig: '', motivo: 'CONTRATTI_LAVORO', tipo: 'NON_COMMERCIALE', mesi: [4, 5], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/2', cred: 'museo', oggetto: 'Ingressi e laboratori didattici al Museo civico di scienze naturali', euro: [180, 420], cig: null, motivo: 'TRASFERIMENTO_FONDI', mesi: [3, 5], plan: 'F', mod: 'AVVISO PAGOPA' },
  { voce: 'A01/2', conto: '2/2/1', cred: 'ferr', oggetto: 'Materiali per la tinteggiatura delle aule eseguita in amministrazione diretta dai collaboratori scolastici', euro: [350, 700], cig: null, motivo: 'AMMINISTRAZIONE DIRETTA', mesi: [7, 8], plan: 'F' },
  { voce: 'A02/1', conto: '3/5/2', cred: 'sw', oggetto: 'Canone di manutenzione e hosting del sito web istituzionale', euro: [480, 720], cig: conControlloErrato(C.software), mesi: [3, 3], plan: 'F' },
  { voce: 'A03/13', conto: '3/6/1', cred: 'tecno', oggetto: 'Installazione, configurazione e collaudo dei monitor interattivi – PNRR Scuola 4.0', euro: [1800, 2600], cig: doubleChar(C.monitor, 4), cup: 'C44D 2200 2780 006', mesi: [6, 7], plan: 'F', mCig: [`CIG:${C.monitor}`] },
  { voce: 'A05/1', conto: '5/2/1', cred: 'russo', oggetto: "Restituzione quota del viaggio d'istruzione non fruito per malattia", euro: [120, 320], cig: null, motivo: 'RISARCIMENTI_INDENNIZZI', tipo: 'NON_COMMERCIALE', mesi: [5, 6], plan: 'F' },
  { voce: 'A02/1', conto: '3/6/1', cred: 'infoscuola', oggetto: 'Intervento di assistenza tecnica straordinaria sul server di segreteria', euro: [350, 600], cig: '9050626CD7', mesi: [1, 12], plan: 'F', mCig: ['9050626CD6'] },
  { voce: 'A02/1', conto: '2/2/3', cred: 'rossi', oggetto: `Acquisto toner per le stampanti degli uffici – ordine MePA, CIG ${C.cancelleriaPrec}`, euro: [240, 480], cig: '', mesi: [1, 12], plan: 'F' },
  { voce: 'A02/1', conto: '2/1/2', cred: 'minerva', oggetto: 'Abbonamento annuale a rivista di legislazione scolastica', euro: [150, 260], cig: 'CIG esente – spese economali', mesi: [1, 2], plan: 'F' },
  { voce: 'A03/15', conto: '2/2/1', cred: 'robot', oggetto: 'Acquisto strumenti e kit per attività STEM – PNRR DM 65/2023', euro: [6000, 9000], cig: C.stemPrec, mesi: [4, 6], plan: 'H' },
  { voce: 'P02/4', conto: '3/3/1', cred: 'formaz', oggetto: 'Laboratori pomeridiani contro la dispersione scolastica – Agenda Sud', euro: [5000, 8000], cig: C.agendaSud, mesi: [2, 3], plan: 'R' },
  { voce: 'A06', conto: '3/3/1', cred: 'formaz', oggetto: 'Percorso di orientamento per le classi terze della secondaria di primo grado', euro: [900, 1400], cig: C.orientamento, mesi: [10, 12], plan: 'F' },
  { voce: 'P01/2', conto: '3/3/1', cred: 'formaz', oggetto: 'Moduli di potenziamento delle competenze di base in matematica e scienze (FSE+)', euro: [4000, 6000], cig: C.pnFse, mesi: [2, 3], plan: 'H' },
];

/** Impegni of the current esercizio (Y). */
const IMPEGNI_CORR: ImpegnoTpl[] = [
  { voce: 'A02/1', conto: '3/6/1', cred: 'infoscuola', oggetto: 'Servizio di assistenza tecnica sistemistica – canone 1° semestre (proroga contrattuale)', euro: [2450, 2450], cig: C.assistenzaIT, mesi: [1, 2], plan: 'H', mCig: [undefined, ' 9050626CD6 '] },
  { voce: 'A02/1', conto: '3/4/1', cred: 'copy', oggetto: 'Noleggio fotocopiatrici multifunzione uffici di segreteria (convenzione Consip) – canoni trimestrali', euro: [1850, 1850], cig: C.fotocopiatrici, mesi: [1, 1], plan: 'Q', mCig: [` ${C.fotocopiatrici}`, `CIG:${C.fotocopiatrici}`, null, ''] },
  { voce: 'A01/1', conto: '3/1/1', cred: 'rspp', oggetto: 'Incarico RSPP e servizio di prevenzione e protezione – annualità', euro: [1600, 1600], cig: lower(C.rspp), mesi: [9, 10], plan: 'F', mCig: [lookAlike(C.rspp)] },
  { voce: 'A02/1', conto: '3/5/2', cred: 'sw', oggetto: 'Canone annuale software gestionale di segreteria digitale (nuovo contratto triennale)', euro: [4100, 4100], cig: C.softwareNuovo, mesi: [1, 2], plan: 'F' },
  { voce: 'A01/1', conto: '3/9/1', cred: 'assic', oggetto: 'Polizza assicurativa infortuni e responsabilità civile alunni e personale', euro: [3100, 3400], cig: C.assicurazioneNuova, mesi: [9, 10], plan: 'F' },
  { voce: 'A02/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Acquisto materiale di cancelleria per uffici', euro: [420, 880], cig: C.cancelleria, mesi: [1, 3], plan: 'F' },
  { voce: 'A03/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Acquisto materiale di cancelleria e di facile consumo per la didattica', euro: [950, 1700], cig: spaced(C.cancelleria), mesi: [9, 10], plan: 'H' },
  { voce: 'A02/1', conto: '2/1/1', cred: 'rossi', oggetto: 'Fornitura carta A4 per fotocopie (risme da 500 fogli)', euro: [650, 980], cig: C.cancelleria, mesi: [2, 4], plan: 'P' },
  { voce: 'A03/13', conto: '4/1/1', cred: 'tecno', oggetto: 'Fornitura notebook e carrelli di ricarica – PNRR Scuola 4.0 Next Generation Classroom', euro: [15000, 19000], cig: C.notebook, mesi: [3, 5], plan: 'H', mCup: [undefined, 'C44D22002780006 '] },
  { voce: 'A02/3', conto: '3/3/1', cred: 'infoscuola', oggetto: 'Supporto tecnico-amministrativo alla rendicontazione – PNRR Scuola 4.0', euro: [2500, 3800], cig: `CIG:${C.supportoPnrr}`, mesi: [4, 6], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: "Noleggio pullman uscita didattica a Tivoli – Villa d'Este e Villa Adriana", euro: [980, 1350], cig: C.pullman, mesi: [3, 4], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: 'Noleggio pullman uscita didattica a Paestum – classi quinte primaria', euro: [1500, 1950], cig: ` ${C.pullman}`, mesi: [4, 5], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'bus', oggetto: 'Noleggio pullman visita al Planetario e al Museo Astronomico', euro: [450, 700], cig: C.pullman, mesi: [10, 11], plan: 'U' },
  { voce: 'A05/1', conto: '3/7/1', cred: 'viaggi', oggetto: "Viaggio d'istruzione a Torino e Museo Egizio (3 giorni) – pacchetto completo", euro: [11000, 14500], cig: C.viaggio, mesi: [2, 3], plan: 'H' },
  { voce: 'P04/2', conto: '3/2/1', cred: 'formaz', oggetto: 'Secondo modulo dei percorsi formativi per la transizione digitale – PNRR DM 66/2023', euro: [7000, 9500], cig: C.formazioneDigitale, cup: 'C44D 2300 4120 006', mesi: [2, 4], plan: 'H' },
  { voce: 'P01/1', conto: '2/2/1', cred: 'robot', oggetto: 'Acquisto ricambi e sensori per i kit di robotica educativa', euro: [480, 950], cig: `cig: ${lower(C.ricambiRobotica)}`, mesi: [1, 3], plan: 'F' },
  { voce: 'A02/1', conto: '3/5/1', cred: 'telco', oggetto: 'Servizio di connettività in fibra e telefonia fissa – canoni', euro: [1250, 1550], cig: C.connettivita, mesi: [1, 1], plan: 'T' },
  { voce: 'P03/1', conto: '3/3/1', cred: 'lingue', oggetto: "Corsi di preparazione e quote d'esame certificazioni Cambridge (A2 Key, B1 Preliminary)", euro: [4000, 5400], cig: C.certificazioni, mesi: [1, 2], plan: 'H' },
  { voce: 'A03/14', conto: '3/3/1', cred: 'formaz', oggetto: 'Seconda annualità dei percorsi di mentoring e potenziamento – PNRR DM 19/2024', euro: [10000, 14000], cig: C.divari, cup: '', mesi: [2, 4], plan: 'T' },
  { voce: 'A01/2', conto: '2/2/2', cred: 'pulizie', oggetto: 'Acquisto materiale igienico-sanitario e di pulizia', euro: [750, 1350], cig: C.pulizie, mesi: [9, 9], plan: 'F' },
  { voce: 'P02/3', conto: '2/1/2', cred: 'libreria', oggetto: 'Acquisto libri e albi illustrati per la biblioteca – Progetto lettura', euro: [500, 950], cig: C.libri, cup: 'non previsto', mesi: [10, 11], plan: 'F' },
  { voce: 'A01/2', conto: '2/2/1', cred: 'ferr', oggetto: 'Acquisto lampadine, prese e minuterie elettriche per piccola manutenzione', euro: [45, 160], cig: null, motivo: 'SPESE_ECONOMALI', mesi: [1, 12], plan: 'F', mod: 'CASSA' },
  { voce: 'P02/1', conto: '3/3/1', cred: 'teatro', oggetto: 'Laboratorio teatrale sull\'inclusione per le classi della secondaria', euro: [1100, 1600], cig: conControlloErrato(C.teatro), mesi: [10, 11], plan: 'F', mCig: [C.teatro] },
  { voce: 'P04/1', conto: '5/1/1', cred: 'capofila', oggetto: 'Quota di adesione alla rete di scopo per la formazione sulla sicurezza – versamento alla scuola capofila', euro: [400, 900], cig: null, motivo: 'TRASFERIMENTO_FONDI', tipo: 'NON_COMMERCIALE', mesi: [5, 6], plan: 'F' },
  { voce: 'P02/1', conto: '1/5/1', cred: 'verdi', oggetto: 'Incarico a esperto esterno per il laboratorio di italiano L2 (prestazione occasionale)', euro: [1300, 1900], cig: null, motivo: 'INCARICHI_COLLABORAZIONE', tipo: 'NON_COMMERCIALE', mesi: [3, 5], plan: 'E' },
  { voce: 'A05/1', conto: '1/3/1', cred: 'bianchi', oggetto: "Rimborso spese al docente accompagnatore – viaggio d'istruzione a Torino", euro: [90, 260], cig: '', motivo: 'CONTRATTI_LAVORO', tipo: 'NON_COMMERCIALE', mesi: [4, 5], plan: 'F' },
  { voce: 'A05/1', conto: '3/7/2', cred: 'museo', oggetto: 'Ingressi e laboratori didattici al Museo civico di scienze naturali', euro: [200, 450], cig: null, motivo: 'TRASFERIMENTO_FONDI', mesi: [3, 5], plan: 'F', mod: 'AVVISO PAGOPA' },
  { voce: 'A01/2', conto: '2/2/1', cred: 'ferr', oggetto: 'Materiali per il ripristino degli arredi eseguito in amministrazione diretta', euro: [300, 650], cig: null, motivo: 'AMMINISTRAZIONE DIRETTA', mesi: [7, 8], plan: 'F' },
  { voce: 'A02/1', conto: '3/1/1', cred: 'rspp', oggetto: 'Servizio di Responsabile della protezione dei dati (DPO) – annualità', euro: [900, 1300], cig: doubleChar(C.dpo, 5), mesi: [9, 10], plan: 'F', mCig: [C.dpo] },
  { voce: 'A03/1', conto: '2/1/1', cred: 'rossi', oggetto: "Fornitura di materiale di facile consumo per la scuola dell'infanzia", euro: [350, 700], cig: dropChar(C.cancelleria, 4), mesi: [9, 10], plan: 'F', mCig: [C.cancelleria] },
  { voce: 'A01/1', conto: '3/1/1', cred: 'rspp', oggetto: 'Corso di aggiornamento per addetti al primo soccorso', euro: [400, 650], cig: conControlloErrato(C.rspp), mesi: [5, 6], plan: 'F' },
  { voce: 'A01/2', conto: '2/2/2', cred: 'pulizie', oggetto: 'Acquisto dispenser e ricariche di sapone per i servizi igienici', euro: [300, 550], cig: `W${C.pulizie.slice(1)}`, mesi: [1, 12], plan: 'F' },
  { voce: 'A03/15', conto: '2/2/1', cred: 'robot', oggetto: 'Acquisto microscopi digitali e sensori per il laboratorio STEM – PNRR DM 65/2023', euro: [4000, 6500], cig: C.stem, cup: 'c44d23003810006', mesi: [9, 11], plan: 'U' },
  { voce: 'P01/2', conto: '3/3/1', cred: 'formaz', oggetto: 'Moduli di potenziamento delle competenze di base in italiano e matematica (FSE+)', euro: [4500, 6500], cig: C.pnFseNuovo, mesi: [2, 4], plan: 'P' },
  { voce: 'A03/1', conto: '2/2/3', cred: 'tecno', oggetto: 'Acquisto sussidi didattici e software per alunni con disabilità (L. 104/1992)', euro: [1200, 2400], cig: C.sussidi, mesi: [10, 11], plan: 'U' },
  { voce: 'P02/4', conto: '3/3/1', cred: 'formaz', oggetto: 'Laboratori pomeridiani contro la dispersione scolastica – Agenda Sud (seconda annualità)', euro: [5000, 8000], cig: C.agendaSud, mesi: [2, 3], plan: 'H' },
];

// ---------------------------------------------------------------- school 2

const VOCI_2: VoceTpl[] = [
  ['A', 1, null, 'Funzionamento generale e decoro della Scuola'],
  ['A', 1, 1, 'Funzionamento generale – Dotazione ordinaria'],
  ['A', 2, null, 'Funzionamento amministrativo'],
  ['A', 2, 1, 'Funzionamento amministrativo generale'],
  ['A', 3, null, 'Didattica'],
  ['A', 3, 1, 'Didattica – Dotazione ordinaria'],
  ['A', 3, 2, 'PNRR Piano Scuola 4.0 – Next Generation Labs', 'C54D22001450006'],
  ['P', 1, null, 'Progetti in ambito "Scientifico, tecnico e professionale"'],
  ['P', 1, 1, 'Laboratorio di fisica sperimentale'],
  ['R', 98, null, 'Fondo di riserva'],
];

const CONTI_2: ContoTpl[] = [
  [2, 1, 1, 'Carta, cancelleria e stampati'],
  [2, 2, 1, 'Materiali e accessori: Materiale tecnico-specialistico'],
  [3, 6, 1, 'Manutenzione ordinaria: Hardware, impianti e attrezzature'],
  [3, 7, 1, "Servizi ausiliari: Trasporti e viaggi d'istruzione"],
  [4, 1, 1, "Beni d'investimento: Hardware"],
];

const CREDITORI_2: CreditoreTpl[] = [
  { denominazione: 'Cartolibreria Bianchi S.n.c.', piva: '0899341058', indirizzo: 'Via Nomentana 540, 00141 Roma (RM)' },
  { denominazione: 'Laboratori Scientifici Italia S.r.l.', piva: '0622874048', indirizzo: 'Via Pistoiese 77, 50145 Firenze (FI)', iban: ['03069', '02887', '100000041175'] },
  { denominazione: 'Autoservizi Tiburtina S.r.l.', piva: '1142085058', indirizzo: 'Via di Casal Bruciato 30, 00159 Roma (RM)' },
  { denominazione: 'Digital School Solutions S.r.l.', piva: '0987215015', indirizzo: 'Via Tortona 21, 20144 Milano (MI)' },
  { denominazione: 'Manutenzioni Edili Romane S.r.l.', piva: '1258844058', indirizzo: 'Via Salaria 1022, 00138 Roma (RM)' },
];

// ---------------------------------------------------------------- helpers

const DAY_MS = 86_400_000;
const utcDate = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
const iso = (d: Date) => d.toISOString().slice(0, 10);
const italian = (d: Date) => `${iso(d).slice(8, 10)}/${iso(d).slice(5, 7)}/${iso(d).slice(0, 4)}`;

/** The CUP a voce's text means: trimmed, upper-case, without 'CUP' prefix nor spaces ('' if none). */
function normalizeCup(text: string | undefined | null): string {
  return (text ?? '').trim().toUpperCase().replace(/^CUP\s*:?\s*/, '').replace(/\s+/g, '');
}

/** A template's "Via del Corso 112, 00186 Roma (RM)" in the register's parts: street and number, CAP, località, provincia. */
function indirizzoParts(indirizzo: string | undefined) {
  if (!indirizzo) return { indirizzo: null, cap: null, localita: null, provincia: null };
  const m = /^(.+), ([0-9]{5}) (.+) \(([A-Z]{2})\)$/.exec(indirizzo);
  if (!m) throw new Error(`Indirizzo di esempio senza CAP, località e provincia: ${indirizzo}`);
  return { indirizzo: m[1]!, cap: m[2]!, localita: m[3]!, provincia: m[4]! };
}

function creditoreRow(scuolaId: number, t: CreditoreTpl, userId: number) {
  const piva = t.piva ? partitaIva(t.piva) : null;
  let cf: string | null = piva;
  if (t.cf) cf = /^[0-9]{10}$/.test(t.cf) ? partitaIva(t.cf) : codiceFiscalePersona(t.cf);
  return {
    scuola_id: scuolaId,
    denominazione: t.denominazione,
    codice_fiscale: cf,
    partita_iva: piva,
    ...indirizzoParts(t.indirizzo),
    stato: 'IT',
    iban: t.iban ? ibanItaliano(...t.iban) : null,
    created_by: userId,
    updated_by: userId,
  };
}

function vociRows(scuolaId: number, esercizi: number[], voci: VoceTpl[], userId: number) {
  return esercizi.flatMap((esercizio) =>
    voci.map(([aggregato, voce, sottovoce, descrizione, cup]) => ({
      scuola_id: scuolaId,
      esercizio,
      aggregato,
      voce,
      sottovoce,
      descrizione,
      cup_testo: cup ?? null,
      created_by: userId,
      updated_by: userId,
    })),
  );
}

const voceKey = (esercizio: number, aggregato: string, voce: number, sottovoce: number | null) =>
  `${esercizio}:${aggregato}${String(voce).padStart(2, '0')}${sottovoce === null ? '' : `/${sottovoce}`}`;

/** 'A03/13' → key for the esercizio. */
function voceKeyFromCode(esercizio: number, code: string): string {
  const m = /^([APGR])(\d{2})(?:\/(\d+))?$/.exec(code);
  if (!m) throw new Error(`Codice voce non valido: ${code}`);
  return voceKey(esercizio, m[1] as string, Number(m[2]), m[3] === undefined ? null : Number(m[3]));
}

type PlannedImpegno = {
  tpl: ImpegnoTpl;
  esercizio: number;
  numero: number;
  data: Date;
  importoCents: number;
  cigTesto: string | null;
  cupTesto: string | null;
};

type PlannedMandato = {
  impegno: PlannedImpegno;
  esercizio: number;
  numero: number;
  data: Date;
  importoCents: number;
  beneficiario: CreditoreKey;
  causale: string;
  modalita: Modalita;
  tipo: 'COMMERCIALE' | 'NON_COMMERCIALE';
  motivo: Motivo | null;
  cigTesto: string | null;
  cupTesto: string | null;
  order: number;
  /** The (analog) invoice a commercial mandato pays: the supplier's (tpl.cred) numero and date. */
  fattura: { numero: string; data: Date; emittente: CreditoreKey };
};

const SPLITS: Record<Exclude<Plan, 'E'>, number[]> = {
  F: [1],
  H: [0.5, 0.5],
  T: [1 / 3, 1 / 3, 1 / 3],
  Q: [0.25, 0.25, 0.25, 0.25],
  P: [0.4],
  U: [],
  R: [0.6, 0.4],
};
const FULLY_PAID: Plan[] = ['F', 'H', 'T', 'Q', 'R', 'E'];

/** Plans the documents of school 1 (pure: no database). */
function planDocuments(today: Date) {
  const rng = mulberry32(20_261_127);
  const year = today.getFullYear();
  const todayUtc = utcDate(year, today.getMonth(), today.getDate());
  const prev = year - 1;
  const endOf = (esercizio: number) => (esercizio === year ? todayUtc : utcDate(esercizio, 11, 31));
  const between = (from: Date, to: Date) => {
    const span = Math.max(0, Math.round((to.getTime() - from.getTime()) / DAY_MS));
    return new Date(from.getTime() + Math.floor(rng() * (span + 1)) * DAY_MS);
  };
  const daysBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / DAY_MS));
  /** A date after `from`, gap in [minDays, maxDays] shrunk so that `share` of the days left to `limit` is not exceeded. */
  const later = (from: Date, minDays: number, maxDays: number, limit: Date, share = 1) => {
    const max = Math.min(maxDays, Math.floor(daysBetween(from, limit) * share));
    const min = Math.min(minDays, max);
    const d = new Date(from.getTime() + (min + Math.floor(rng() * (max - min + 1))) * DAY_MS);
    return d > limit ? limit : d;
  };
  const inMonths = (esercizio: number, [from, to]: [number, number]) => {
    const limit = endOf(esercizio);
    let start = utcDate(esercizio, from - 1, 1);
    let end = utcDate(esercizio, to, 0); // last day of month `to`
    if (end > limit) end = limit;
    if (start > end) start = utcDate(esercizio, 0, 1);
    return between(start, end);
  };

  const impegni: PlannedImpegno[] = [];
  for (const [esercizio, templates] of [
    [prev, IMPEGNI_PREC],
    [year, IMPEGNI_CORR],
  ] as const) {
    const planned = templates.map((tpl) => {
      const [min, max] = tpl.euro;
      const importoCents = min === max ? min * 100 : min * 100 + Math.floor(rng() * (max - min) * 100);
      const voceCup = normalizeCup(VOCI_1.find((v) => voceKey(0, v[0], v[1], v[2]) === voceKeyFromCode(0, tpl.voce))?.[4]);
      return {
        tpl,
        esercizio,
        numero: 0,
        data: inMonths(esercizio, tpl.mesi),
        importoCents,
        cigTesto: tpl.cig ?? null,
        cupTesto: tpl.cup !== undefined ? tpl.cup : voceCup || null,
      };
    });
    // Numbered in date order, like a real register.
    planned.sort((a, b) => a.data.getTime() - b.data.getTime());
    planned.forEach((p, i) => (p.numero = i + 1));
    impegni.push(...planned);
  }

  const mandati: PlannedMandato[] = [];
  let order = 0;
  for (const imp of impegni) {
    const { tpl } = imp;
    const tipo = tpl.tipo ?? 'COMMERCIALE';
    const fattura = `${1 + Math.floor(rng() * 480)}/${imp.esercizio}`;
    const base = {
      impegno: imp,
      tipo,
      motivo: tpl.motivo ?? null,
      numero: 0,
    } as const;
    const cigAt = (i: number) => {
      const override = tpl.mCig?.[i];
      return override === undefined ? imp.cigTesto : override;
    };
    const cupAt = (i: number) => {
      const override = tpl.mCup?.[i];
      return override === undefined ? imp.cupTesto : override;
    };

    if (tpl.plan === 'E') {
      const netto = Math.round(imp.importoCents * 0.8);
      const data = later(imp.data, 20, 60, endOf(imp.esercizio));
      // The professional's notula: the net to them, the ritenuta to the Erario.
      const notula = { numero: fattura, data: imp.data, emittente: tpl.cred };
      mandati.push(
        { ...base, esercizio: imp.esercizio, data, importoCents: netto, beneficiario: tpl.cred, causale: `Compenso netto – ${tpl.oggetto}`, modalita: 'SEPA CREDIT TRANSFER', cigTesto: cigAt(0), cupTesto: cupAt(0), order: order++, fattura: notula },
        { ...base, esercizio: imp.esercizio, data, importoCents: imp.importoCents - netto, beneficiario: 'erario', causale: `Ritenuta d'acconto 20% (F24EP) – ${tpl.oggetto}`, modalita: 'F24EP', cigTesto: cigAt(1), cupTesto: cupAt(1), order: order++, fattura: notula },
      );
      continue;
    }

    const splits = SPLITS[tpl.plan];
    const fullyPaid = FULLY_PAID.includes(tpl.plan);
    let paid = 0;
    let last = imp.data;
    splits.forEach((share, i) => {
      const isLast = i === splits.length - 1;
      const importoCents = isLast && fullyPaid ? imp.importoCents - paid : Math.floor(imp.importoCents * share);
      paid += importoCents;
      let esercizio = imp.esercizio;
      let data: Date;
      if (tpl.plan === 'R' && i === 1 && imp.esercizio === prev) {
        // residuo passivo: paid in the next esercizio
        esercizio = year;
        data = between(utcDate(year, 0, 1), endOf(year));
      } else {
        data = later(last, i === 0 ? 5 : 25, i === 0 ? 45 : 90, endOf(esercizio), 1 / (splits.length - i));
      }
      const fatturaDel = between(imp.data, data);
      last = data;
      let causale: string;
      if (splits.length === 1 && fullyPaid) {
        causale = tipo === 'COMMERCIALE' ? `Pagamento fattura n. ${fattura} del ${italian(fatturaDel)} – ${tpl.oggetto}` : tpl.oggetto;
      } else if (isLast && fullyPaid) {
        causale = `Saldo – ${tpl.oggetto}`;
      } else {
        causale = `Acconto ${i + 1} – ${tpl.oggetto}`;
      }
      mandati.push({
        ...base,
        esercizio,
        data,
        importoCents,
        beneficiario: tpl.cred,
        causale,
        modalita: tpl.mod ?? 'SEPA CREDIT TRANSFER',
        cigTesto: cigAt(i),
        cupTesto: cupAt(i),
        order: order++,
        fattura: { numero: splits.length === 1 ? fattura : `${fattura}-${i + 1}`, data: fatturaDel, emittente: tpl.cred },
      });
    });
  }

  for (const esercizio of [prev, year]) {
    mandati
      .filter((m) => m.esercizio === esercizio)
      .sort((a, b) => a.data.getTime() - b.data.getTime() || a.order - b.order)
      .forEach((m, i) => (m.numero = i + 1));
  }
  return { year, prev, impegni, mandati };
}

// ---------------------------------------------------------------- seed

/**
 * Inserts the demo data in one transaction, only into an empty database (no
 * school yet); otherwise writes nothing and returns zeros.
 */
export async function seedDemo(
  knex: Knex,
  options: { today?: Date } = {},
): Promise<{ scuole: number; impegni: number; mandati: number }> {
  const today = options.today ?? new Date();
  const plan = planDocuments(today);
  const esercizi = [plan.prev, plan.year];

  return knex.transaction(async (trx) => {
    // Two seeds at once on a server: the second waits, then finds the school.
    await trx.raw('lock table scuole in share row exclusive mode');
    const existing = await trx('scuole').count<{ n: string | number }[]>({ n: '*' }).first();
    if (Number(existing?.n ?? 0) > 0) return { scuole: 0, impegni: 0, mandati: 0 };

    const hashes = await Promise.all(DEMO_USERS.map((u) => hashPassword(u.password)));

    const scuole = await trx('scuole').insert([...DEMO_SCUOLE]).returning<{ id: number; codice_meccanografico: string }[]>(['id', 'codice_meccanografico']);
    const scuolaId = (n: 1 | 2) => {
      const row = scuole.find((s) => s.codice_meccanografico === DEMO_SCUOLE[n - 1]?.codice_meccanografico);
      if (!row) throw new Error('Scuola demo non inserita');
      return row.id;
    };
    const s1 = scuolaId(1);
    const s2 = scuolaId(2);

    const utenti = await trx('utenti')
      .insert(DEMO_USERS.map((u, i) => ({ scuola_id: scuolaId(u.scuola), username: u.username, nome: u.nome, password_hash: hashes[i], ruolo: u.ruolo })))
      .returning<{ id: number; username: string }[]>(['id', 'username']);
    const userId = (username: string) => {
      const row = utenti.find((u) => u.username === username);
      if (!row) throw new Error(`Utente demo ${username} non inserito`);
      return row.id;
    };
    const u1 = userId('segreteria');
    const u2 = userId('segreteria2');

    const conti = await trx('piano_conti')
      .insert([
        ...CONTI_1.map((t) => contoRow(s1, t)),
        ...CONTI_2.map((t) => contoRow(s2, t)),
      ])
      .returning<{ id: number; scuola_id: number; tipo: number; conto: number; sottoconto: number }[]>(['id', 'scuola_id', 'tipo', 'conto', 'sottoconto']);
    const contoId = new Map(conti.filter((c) => c.scuola_id === s1).map((c) => [`${c.tipo}/${c.conto}/${c.sottoconto}`, c.id]));

    const creditoriKeys = Object.keys(CREDITORI_1) as CreditoreKey[];
    const creditori = await trx('creditori')
      .insert([
        ...creditoriKeys.map((k) => creditoreRow(s1, CREDITORI_1[k], u1)),
        ...CREDITORI_2.map((t) => creditoreRow(s2, t, u2)),
      ])
      .returning<{ id: number; scuola_id: number; denominazione: string }[]>(['id', 'scuola_id', 'denominazione']);
    const creditoreId = new Map(
      creditoriKeys.map((k) => {
        const row = creditori.find((c) => c.scuola_id === s1 && c.denominazione === CREDITORI_1[k].denominazione);
        if (!row) throw new Error(`Creditore demo ${k} non inserito`);
        return [k, row.id] as const;
      }),
    );

    const voci = await trx('voci_destinazione')
      .insert([...vociRows(s1, esercizi, VOCI_1, u1), ...vociRows(s2, esercizi, VOCI_2, u2)])
      .returning<{ id: number; scuola_id: number; esercizio: number; aggregato: string; voce: number; sottovoce: number | null }[]>(['id', 'scuola_id', 'esercizio', 'aggregato', 'voce', 'sottovoce']);
    const voceId = new Map(voci.filter((v) => v.scuola_id === s1).map((v) => [voceKey(v.esercizio, v.aggregato, v.voce, v.sottovoce), v.id]));

    const need = <T>(value: T | undefined, what: string): T => {
      if (value === undefined) throw new Error(`Riferimento demo mancante: ${what}`);
      return value;
    };

    const impegni = await trx('impegni')
      .insert(
        plan.impegni.map((p) => ({
          scuola_id: s1,
          esercizio: p.esercizio,
          numero: p.numero,
          data: iso(p.data),
          voce_id: need(voceId.get(voceKeyFromCode(p.esercizio, p.tpl.voce)), p.tpl.voce),
          conto_id: need(contoId.get(p.tpl.conto), p.tpl.conto),
          creditore_id: need(creditoreId.get(p.tpl.cred), p.tpl.cred),
          oggetto: p.tpl.oggetto,
          importo_cents: p.importoCents,
          motivo_esclusione_cig: p.tpl.motivo ?? null,
          cig_testo: p.cigTesto,
          cup_testo: p.cupTesto,
          created_by: u1,
          updated_by: u1,
        })),
      )
      .returning<{ id: number; esercizio: number; numero: number }[]>(['id', 'esercizio', 'numero']);
    const impegnoId = new Map(impegni.map((i) => [`${i.esercizio}/${i.numero}`, i.id]));

    const mandatiIds = await trx('mandati').insert(
      plan.mandati.map((m) => ({
        scuola_id: s1,
        esercizio: m.esercizio,
        numero: m.numero,
        data: iso(m.data),
        impegno_id: need(impegnoId.get(`${m.impegno.esercizio}/${m.impegno.numero}`), 'impegno'),
        beneficiario_id: need(creditoreId.get(m.beneficiario), m.beneficiario),
        causale: m.causale,
        importo_cents: m.importoCents,
        modalita_pagamento: m.modalita,
        tipo_debito: m.tipo,
        motivo_esclusione_cig: m.motivo,
        cig_testo: m.cigTesto,
        cup_testo: m.cupTesto,
        created_by: u1,
        updated_by: u1,
      })),
    ).returning<{ id: number }[]>('id');
    // A commercial mandato pays at least one invoice (issue 15): the demo's are analog, described by hand.
    const commerciali = plan.mandati.flatMap((m, i) => {
      const emittente = creditoreRow(s1, CREDITORI_1[m.fattura.emittente], u1);
      const cf = emittente.codice_fiscale ?? emittente.partita_iva;
      return m.tipo === 'COMMERCIALE' && cf
        ? [{
          scuola_id: s1, mandato_id: mandatiIds[i]!.id, importo_cents: m.importoCents, analogica_numero: m.fattura.numero, analogica_data: iso(m.fattura.data),
          analogica_importo_cents: m.importoCents, analogica_codice_fiscale: cf, analogica_tipo: 'FATT_ANALOGICA',
        }]
        : [];
    });
    for (let i = 0; i < commerciali.length; i += 500) await trx('mandati_fatture').insert(commerciali.slice(i, i + 500));

    const ultimo = (docs: { esercizio: number; numero: number }[], esercizio: number) =>
      Math.max(0, ...docs.filter((d) => d.esercizio === esercizio).map((d) => d.numero));
    await trx('contatori_numerazione').insert(
      esercizi.flatMap((esercizio) => [
        { scuola_id: s1, tipo: 'impegno', esercizio, ultimo: ultimo(plan.impegni, esercizio) },
        { scuola_id: s1, tipo: 'mandato', esercizio, ultimo: ultimo(plan.mandati, esercizio) },
      ]),
    );

    return { scuole: scuole.length, impegni: plan.impegni.length, mandati: plan.mandati.length };
  });
}
