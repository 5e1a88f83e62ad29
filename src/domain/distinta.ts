/**
 * Mandati al cassiere: which operation a mandato needs in the next distinta,
 * what stops it from going (the pre-flight check), and the plain data the
 * OPI builder (formats/opi/flusso.ts) turns into XML.
 *
 * Pure module: plain data in, plain data out; no I/O.
 */
import type { FatturaOpi, MandatoOpi, TestataOpi, TipoOperazione } from '../formats/opi/flusso.js';
import { AGGREGATI } from './piano.js';

/** One earlier sending of the mandato, oldest first. */
export interface Invio {
  flussoId: number;
  flussoNumero: number;
  tipoOperazione: TipoOperazione;
  mandatoVersion: number;
  esito: 'accettato' | 'rifiutato' | null;
  dati: MandatoOpi;
}

/** An invoice the mandato pays, as the flow needs it. */
export interface FatturaPagata {
  fatturaId: number | null;
  numero: string;
  importoCents: number;
  /** The invoice's date (analog: the document's) and its payment term when it states one. */
  data: string;
  scadenza: string | null;
  /** Electronic: the SdI identifier (null until its metadata file is uploaded), the office it was addressed to and the CIGs it carries. */
  elettronica: { identificativoSdi: string | null; codiceDestinatario: string | null; cig: string[] } | null;
  /** Analog: the document's kind, its issuer's codice fiscale and date. */
  analogica: { tipo: 'FATT_ANALOGICA' | 'DOC_EQUIVALENTE'; codiceFiscale: string } | null;
}

/** A mandato of the esercizio with everything the flow and its check need. */
export interface Candidato {
  id: number;
  version: number;
  esercizio: number;
  numero: number;
  data: string;
  importoCents: number;
  causale: string;
  modalitaPagamento: string;
  tipoDebito: string;
  annullato: boolean;
  cig: { id: number; codice: string; daCompletare: boolean; annullato: boolean } | null;
  motivoEsclusione: string | null;
  cup: string | null;
  impegno: { id: number; esercizio: number; numero: number };
  conto: { id: number; codiceSiope: string | null; naturaSpesa: string | null } | null;
  voce: { aggregato: string; voce: number; descrizione: string };
  beneficiario: {
    id: number; denominazione: string; codiceFiscale: string | null; partitaIva: string | null;
    indirizzo: string | null; cap: string | null; localita: string | null; provincia: string | null; stato: string | null; iban: string | null;
  } | null;
  fatture: FatturaPagata[];
  invii: Invio[];
}

/** The school's identity towards its bank (Impostazioni → Scuola e cassiere). */
export type IdentitaEnte = {
  codice_fiscale: string | null;
  codice_ipa: string | null;
  descrizione_ente: string | null;
  codice_univoco_ufficio: string | null;
  codice_istat: string | null;
  codice_abi: string | null;
  codice_ente: string | null;
  codice_ente_bt: string | null;
  codice_tramite_ente: string | null;
  codice_tramite_bt: string | null;
  bollo_assoggettamento: string | null;
  bollo_causale_esenzione: string | null;
  spese_soggetto: string | null;
};

/** The fields a flow cannot go without, with their labels on the settings page. */
const IDENTITA_RICHIESTA: { key: keyof IdentitaEnte; label: string }[] = [
  { key: 'codice_fiscale', label: 'codice fiscale' },
  { key: 'descrizione_ente', label: 'descrizione della scuola' },
  { key: 'codice_univoco_ufficio', label: 'codice univoco ufficio' },
  { key: 'codice_istat', label: 'codice ISTAT' },
  { key: 'codice_abi', label: 'codice ABI del cassiere' },
  { key: 'codice_ente', label: 'codice ente' },
  { key: 'codice_ente_bt', label: 'codice ente BT' },
  { key: 'codice_tramite_ente', label: 'codice tramite ente' },
  { key: 'codice_tramite_bt', label: 'codice tramite BT' },
  { key: 'bollo_assoggettamento', label: 'bollo' },
];

/** The school settings a flow still needs (labels), empty when complete. */
export function identitaMancante(ente: IdentitaEnte): string[] {
  return IDENTITA_RICHIESTA.filter((f) => !ente[f.key]).map((f) => f.label);
}

/** The last sending the bank did not refuse (it is what the bank knows of the mandato). */
function ultimoValido(invii: Invio[]): Invio | undefined {
  return invii.filter((i) => i.esito !== 'rifiutato').at(-1);
}

/**
 * What the next distinta must say about the mandato: INSERIMENTO when the bank
 * does not know it, VARIAZIONE when it was edited after it was sent, ANNULLO
 * when it was annulled after it was sent; null when the bank is up to date.
 */
export function prossimaOperazione(m: { version: number; annullato: boolean; invii: Invio[] }): TipoOperazione | null {
  const ultimo = ultimoValido(m.invii);
  if (!ultimo) return m.annullato ? null : 'INSERIMENTO';
  if (ultimo.tipoOperazione === 'ANNULLO') return null;
  if (m.annullato) return 'ANNULLO';
  return m.version > ultimo.mandatoVersion ? 'VARIAZIONE' : null;
}

/** The state shown on the mandato and in lists. */
export type StatoInvio = 'da_inviare' | 'trasmesso' | 'accettato' | 'rifiutato' | 'da_variare' | 'da_annullare' | 'annullato';

export function statoInvio(m: { version: number; annullato: boolean; invii: Invio[] }): StatoInvio {
  const ultimo = m.invii.at(-1);
  const prossima = prossimaOperazione(m);
  if (prossima === 'VARIAZIONE') return 'da_variare';
  if (prossima === 'ANNULLO') return 'da_annullare';
  if (prossima === 'INSERIMENTO') return ultimo?.esito === 'rifiutato' ? 'rifiutato' : 'da_inviare';
  if (m.annullato) return 'annullato';
  return ultimo?.esito === 'accettato' ? 'accettato' : 'trasmesso';
}

/** Why a mandato cannot go: a kind (the presenter adds the words' link) and the details. */
export type Problema =
  | { tipo: 'senza_beneficiario' }
  | { tipo: 'senza_iban'; creditoreId: number }
  | { tipo: 'senza_codice_fiscale'; creditoreId: number }
  | { tipo: 'senza_conto'; impegnoId: number }
  | { tipo: 'conto_senza_siope'; contoId: number }
  | { tipo: 'conto_senza_natura'; contoId: number }
  | { tipo: 'senza_cig_ne_motivo' }
  | { tipo: 'cig_da_completare'; cigId: number; codice: string }
  | { tipo: 'cig_annullato'; cigId: number; codice: string }
  | { tipo: 'commerciale_senza_fattura' }
  | { tipo: 'fattura_cig_diverso'; fatturaId: number; numero: string; cig: string[] }
  | { tipo: 'fattura_senza_sdi'; fatturaId: number; numero: string };

/** Every reason the mandato cannot go in a distinta as it is (an ANNULLO resends what the bank knows, so it has none). */
export function problemiMandato(c: Candidato, operazione: TipoOperazione): Problema[] {
  if (operazione === 'ANNULLO') return [];
  const out: Problema[] = [];
  const b = c.beneficiario;
  if (!b) out.push({ tipo: 'senza_beneficiario' });
  else {
    if (!b.codiceFiscale && !b.partitaIva) out.push({ tipo: 'senza_codice_fiscale', creditoreId: b.id });
    if (c.modalitaPagamento === 'SEPA CREDIT TRANSFER' && !b.iban) out.push({ tipo: 'senza_iban', creditoreId: b.id });
  }
  if (!c.conto) out.push({ tipo: 'senza_conto', impegnoId: c.impegno.id });
  else if (!c.conto.codiceSiope) out.push({ tipo: 'conto_senza_siope', contoId: c.conto.id });
  if (c.tipoDebito === 'COMMERCIALE') {
    if (c.cig) {
      if (c.cig.annullato) out.push({ tipo: 'cig_annullato', cigId: c.cig.id, codice: c.cig.codice });
      else if (c.cig.daCompletare) out.push({ tipo: 'cig_da_completare', cigId: c.cig.id, codice: c.cig.codice });
    } else if (!c.motivoEsclusione) out.push({ tipo: 'senza_cig_ne_motivo' });
    if (c.fatture.length === 0) out.push({ tipo: 'commerciale_senza_fattura' });
    else if (c.conto?.codiceSiope && !c.conto.naturaSpesa) out.push({ tipo: 'conto_senza_natura', contoId: c.conto.id });
    for (const f of c.fatture) {
      if (!f.elettronica || f.fatturaId === null) continue;
      if (!f.elettronica.identificativoSdi) out.push({ tipo: 'fattura_senza_sdi', fatturaId: f.fatturaId, numero: f.numero });
      if (c.cig && f.elettronica.cig.length > 0 && !f.elettronica.cig.includes(c.cig.codice)) {
        out.push({ tipo: 'fattura_cig_diverso', fatturaId: f.fatturaId, numero: f.numero, cig: f.elettronica.cig });
      }
    }
  }
  return out;
}

const descrizioneAggregato = (a: string) => AGGREGATI.find((x) => x.value === a)?.label ?? a;

/** An IPA office code (cod_uni_ou): 6 letters and digits. */
const UFFICIO = /^[A-Z0-9]{6}$/;

/** The payment term when the invoice states none: 30 days from its date (D.Lgs. 231/2002, art. 4). */
export function scadenzaLegale(data: string): string {
  const d = new Date(`${data}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 30);
  return d.toISOString().slice(0, 10);
}

function fatturaOpi(f: FatturaPagata, ufficioScuola: string, naturaSpesa: 'CORRENTE' | 'CAPITALE'): FatturaOpi {
  const destinatario = f.elettronica?.codiceDestinatario;
  const comune = {
    codiceIpaEnte: destinatario && UFFICIO.test(destinatario) ? destinatario : ufficioScuola,
    numero: f.numero,
    importoCents: f.importoCents,
    dataScadenza: f.scadenza ?? scadenzaLegale(f.data),
    motivoScadenza: f.scadenza ? ('SCAD_FATTURA' as const) : null,
    naturaSpesa,
  };
  if (f.elettronica) {
    return { ...comune, tipo: 'ELETTRONICO', identificativoSdi: f.elettronica.identificativoSdi, tipoAnalogico: null, codiceFiscaleEmittente: null, annoEmissione: null };
  }
  const a = f.analogica!;
  return { ...comune, tipo: 'ANALOGICO', identificativoSdi: null, tipoAnalogico: a.tipo, codiceFiscaleEmittente: a.codiceFiscale, annoEmissione: Number(f.data.slice(0, 4)) };
}

/**
 * The mandato as the flow carries it: one beneficiary with one classification.
 * An ANNULLO repeats what the bank last accepted (or was sent), with the new operation.
 * Call only for a mandato without problems (`problemiMandato` empty) and a complete identity.
 */
export function mandatoOpi(c: Candidato, operazione: TipoOperazione, ente: IdentitaEnte): MandatoOpi {
  if (operazione === 'ANNULLO') {
    const ultimo = ultimoValido(c.invii)!;
    return { ...ultimo.dati, tipoOperazione: 'ANNULLO' };
  }
  const b = c.beneficiario!;
  const natura = c.conto!.naturaSpesa === 'CAPITALE' ? 'CAPITALE' : 'CORRENTE';
  const debito = c.tipoDebito === 'COMMERCIALE'
    ? {
      tipo: 'COMMERCIALE' as const,
      cig: c.cig?.codice ?? null,
      motivoEsclusione: c.cig ? null : c.motivoEsclusione,
      fatture: c.fatture.map((f) => fatturaOpi(f, ente.codice_univoco_ufficio!, natura)),
    }
    : { tipo: c.tipoDebito === 'IVA' ? ('IVA' as const) : ('NON_COMMERCIALE' as const) };
  return {
    tipoOperazione: operazione,
    numero: c.numero,
    data: c.data,
    importoCents: c.importoCents,
    beneficiari: [{
      progressivo: 1,
      importoCents: c.importoCents,
      tipoPagamento: c.modalitaPagamento,
      classificazioni: [{ codiceCgu: c.conto!.codiceSiope!, codiceCup: c.cup, importoCents: c.importoCents, debito }],
      bollo: { assoggettamento: ente.bollo_assoggettamento!, causaleEsenzione: ente.bollo_causale_esenzione },
      spese: ente.spese_soggetto,
      anagrafica: b.denominazione,
      codiceFiscale: b.codiceFiscale,
      partitaIva: b.partitaIva,
      indirizzo: b.indirizzo,
      cap: b.cap,
      localita: b.localita,
      provincia: b.provincia,
      stato: b.stato,
      iban: c.modalitaPagamento === 'SEPA CREDIT TRANSFER' ? b.iban : null,
      causale: c.causale,
    }],
    miur: {
      aggregato: c.voce.aggregato,
      descrizioneAggregato: descrizioneAggregato(c.voce.aggregato),
      voce: c.voce.voce,
      descrizioneVoce: c.voce.descrizione,
      annoProvenienza: c.impegno.esercizio,
      numeroImpegno: c.impegno.numero,
    },
  };
}

/** The flow's header from the school's identity (complete: `identitaMancante` empty). */
export function testataOpi(ente: IdentitaEnte, identificativoFlusso: string, dataOraCreazione: string): TestataOpi {
  return {
    codiceAbi: ente.codice_abi!,
    codiceEnte: ente.codice_ente!,
    codiceEnteBt: ente.codice_ente_bt!,
    codiceTramiteEnte: ente.codice_tramite_ente!,
    codiceTramiteBt: ente.codice_tramite_bt!,
    identificativoFlusso,
    dataOraCreazione,
    codiceIpa: ente.codice_ipa ?? '',
    codiceIstat: ente.codice_istat!,
    codiceFiscale: ente.codice_fiscale!,
    descrizioneEnte: ente.descrizione_ente!,
  };
}
