/**
 * Closed lists used on impegni/mandati and in the SIOPE+ OPI payment order
 * (docs/dominio.md §4; OPI XSD 1.3.1–1.7.1 of consiglionazionaledellericerche/siopeplus).
 * Values are stored and sent exactly as written here (note the one value with
 * a space: 'AMMINISTRAZIONE DIRETTA'); labels are short Italian texts for the UI.
 *
 * Pure module: no I/O, no imports from the rest of the application.
 */

export interface Option<T extends string = string> {
  readonly value: T;
  readonly label: string;
}

/** Reasons a payment carries no CIG (`motivo_esclusione_cig_siope`): 27 values. */
export const MOTIVI_ESCLUSIONE_CIG = [
  { value: 'ACCORDO_AMM_AGGIUDICATRICI', label: 'Accordi tra amministrazioni aggiudicatrici' },
  { value: 'ACQUISTO_LOCAZIONE', label: 'Acquisto o locazione di terreni e immobili' },
  { value: 'AFFIDAMENTI_IN_HOUSE', label: 'Affidamenti in house' },
  { value: 'AMMINISTRAZIONE DIRETTA', label: 'Amministrazione diretta' },
  { value: 'APPALTI_ENERGIA_ACQUA', label: "Appalti nei settori dell'energia e dell'acqua" },
  { value: 'ARBITRATO', label: 'Servizi di arbitrato e conciliazione' },
  { value: 'ATTIVITA_CONCORRENZA', label: 'Attività direttamente esposte alla concorrenza' },
  { value: 'CONCESSIONI_PAESI_TERZI', label: 'Concessioni in Paesi terzi' },
  { value: 'CONTRATTI_ASSOCIAZIONE', label: 'Contratti di associazione' },
  { value: 'CONTRATTI_AUTORITA_GIUDIZIARIA', label: "Contratti disposti dall'autorità giudiziaria" },
  { value: 'CONTRATTI_DIFESA', label: 'Contratti nel settore della difesa' },
  { value: 'CONTRATTI_ESTERO', label: "Contratti eseguiti all'estero" },
  { value: 'CONTRATTI_LAVORO', label: 'Contratti di lavoro' },
  { value: 'DIRITTO_ESCLUSIVO', label: 'Affidamento in base a un diritto esclusivo' },
  { value: 'EROGAZIONI_LIBERALITA', label: 'Erogazioni liberali' },
  { value: 'IMPRESA_COLLEGATA', label: "Affidamento a un'impresa collegata" },
  { value: 'INCARICHI_COLLABORAZIONE', label: 'Incarichi di collaborazione' },
  { value: 'JOINT_VENTURE', label: 'Affidamento a una joint venture' },
  { value: 'PRESTAZIONI', label: 'Prestazioni escluse dalla tracciabilità' },
  { value: 'RIASSICURAZIONE', label: 'Riassicurazione' },
  { value: 'RISARCIMENTI_INDENNIZZI', label: 'Risarcimenti e indennizzi' },
  { value: 'SERVIZI_BANCHE_CENTRALI_EFSF', label: 'Servizi delle banche centrali e del FESF' },
  { value: 'SERVIZI_CAMPAGNE_POLITICHE', label: 'Servizi per campagne politiche' },
  { value: 'SPESE_ECONOMALI', label: 'Spese economali' },
  { value: 'SPONSORIZZAZIONE_PURA', label: 'Sponsorizzazione pura' },
  { value: 'TRASFERIMENTO_FONDI', label: 'Trasferimento di fondi' },
  { value: 'TRASPORTO_AEREO', label: 'Trasporto aereo' },
] as const satisfies readonly Option[];

export type MotivoEsclusioneCig = (typeof MOTIVI_ESCLUSIONE_CIG)[number]['value'];

/** OPI `tipo_pagamento` (modalità di pagamento): 14 values. */
export const MODALITA_PAGAMENTO = [
  { value: 'SEPA CREDIT TRANSFER', label: 'Bonifico SEPA' },
  { value: 'ACCREDITO CONTO CORRENTE POSTALE', label: 'Accredito su conto corrente postale' },
  { value: 'ACCREDITO TESORERIA PROVINCIALE STATO', label: 'Accredito su tesoreria provinciale dello Stato' },
  { value: 'ASSEGNO BANCARIO E POSTALE', label: 'Assegno bancario o postale' },
  { value: 'ASSEGNO CIRCOLARE', label: 'Assegno circolare' },
  { value: 'AVVISO PAGOPA', label: 'Avviso pagoPA' },
  { value: 'BONIFICO ESTERO EURO', label: 'Bonifico estero in euro' },
  { value: 'CASSA', label: 'Pagamento in contanti allo sportello (cassa)' },
  { value: 'COMPENSAZIONE', label: 'Compensazione' },
  { value: 'F24EP', label: 'Modello F24 Enti pubblici (F24EP)' },
  { value: 'REGOLARIZZAZIONE', label: 'Regolarizzazione di un pagamento già eseguito' },
  { value: 'ADDEBITO PREAUTORIZZATO', label: 'Addebito preautorizzato (domiciliazione)' },
  { value: 'DISPOSIZIONE DOCUMENTO ESTERNO', label: 'Disposizione con documento esterno' },
  { value: 'SOSTITUZIONE', label: 'Sostituzione di un mandato' },
] as const satisfies readonly Option[];

export type ModalitaPagamento = (typeof MODALITA_PAGAMENTO)[number]['value'];

/**
 * OPI `tipo_debito_siope`: a commercial debt (`tipo_debito_siope_c`) requires a CIG or
 * a motivo di esclusione and pays invoices; the others are `tipo_debito_siope_nc`:
 * NON_COMMERCIALE, or IVA, the IVA of an invoice under split payment (scissione dei
 * pagamenti, art. 17-ter DPR 633/1972) that the school pays to the Erario.
 */
export const TIPI_DEBITO = [
  { value: 'COMMERCIALE', label: 'Commerciale' },
  { value: 'NON_COMMERCIALE', label: 'Non commerciale' },
  { value: 'IVA', label: 'IVA (scissione dei pagamenti, versata all’Erario)' },
] as const satisfies readonly Option[];

export type TipoDebito = (typeof TIPI_DEBITO)[number]['value'];

/**
 * Scelta del contraente (type of procurement procedure), after ANAC's list,
 * reduced to what a school uses. Stored values are this app's own codes.
 */
export const SCELTE_CONTRAENTE = [
  { value: 'AFFIDAMENTO_DIRETTO', label: 'Affidamento diretto' },
  { value: 'MEPA_ODA', label: 'Ordine diretto MePA' },
  { value: 'MEPA_TD', label: 'Trattativa diretta MePA' },
  { value: 'MEPA_RDO', label: 'Richiesta di offerta MePA' },
  { value: 'ADESIONE_CONVENZIONE', label: 'Adesione a convenzione Consip' },
  { value: 'ACCORDO_QUADRO', label: 'Adesione ad accordo quadro' },
  { value: 'PROCEDURA_NEGOZIATA_SENZA_BANDO', label: 'Procedura negoziata senza previa pubblicazione' },
  { value: 'PROCEDURA_APERTA', label: 'Procedura aperta' },
  { value: 'PROCEDURA_RISTRETTA', label: 'Procedura ristretta' },
  { value: 'PROCEDURA_COMPETITIVA_NEGOZIAZIONE', label: 'Procedura competitiva con negoziazione' },
  { value: 'DIALOGO_COMPETITIVO', label: 'Dialogo competitivo' },
  { value: 'ALTRO', label: 'Altro' },
] as const satisfies readonly Option[];

export type SceltaContraente = (typeof SCELTE_CONTRAENTE)[number]['value'];

/** A mandato's `bollo/assoggettamento_bollo` (OPI 1.7.1): the school's default, exempt with a causale or charged to someone. */
export const ASSOGGETTAMENTI_BOLLO = [
  { value: 'ESENTE BOLLO', label: 'Esente da bollo (indica la causale di esenzione)' },
  { value: 'ASSOGGETTATO BOLLO A CARICO ENTE', label: 'Assoggettato, bollo a carico della scuola' },
  { value: 'ASSOGGETTATO BOLLO A CARICO BENEFICIARIO', label: 'Assoggettato, bollo a carico del beneficiario' },
] as const satisfies readonly Option[];

/** A mandato's `spese/soggetto_destinatario_delle_spese` (OPI 1.7.1): who bears the bank's charges. */
export const SOGGETTI_SPESE = [
  { value: 'A CARICO ENTE', label: 'A carico della scuola' },
  { value: 'A CARICO BENEFICIARIO', label: 'A carico del beneficiario' },
  { value: 'ESENTE', label: 'Esente da spese' },
] as const satisfies readonly Option[];

function isIn<T extends string>(list: readonly Option<T>[], value: unknown): value is T {
  return typeof value === 'string' && list.some((o) => o.value === value);
}

export function isMotivoEsclusioneCig(value: unknown): value is MotivoEsclusioneCig {
  return isIn(MOTIVI_ESCLUSIONE_CIG, value);
}

export function isModalitaPagamento(value: unknown): value is ModalitaPagamento {
  return isIn(MODALITA_PAGAMENTO, value);
}

export function isTipoDebito(value: unknown): value is TipoDebito {
  return isIn(TIPI_DEBITO, value);
}

export function isSceltaContraente(value: unknown): value is SceltaContraente {
  return isIn(SCELTE_CONTRAENTE, value);
}

/**
 * Label of `value` in `list`. '' for null/undefined/''; an unknown value is
 * returned as is (e.g. a legacy value), so it is still visible.
 */
export function labelOf(list: readonly Option[], value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return list.find((o) => o.value === value)?.label ?? value;
}
