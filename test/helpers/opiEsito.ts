/**
 * A schema-valid OPI esito applicativo (messaggi_esito_applicativo 1.6.1) as
 * the bank would send it, for tests: one esito_mandati per entry, accepted
 * (ACQUISITO) or refused (NON ACQUISITO with its error). The signature is a
 * structurally complete placeholder: nothing checks it cryptographically.
 */

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const SIGNATURE =
  '  <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">\n' +
  '    <ds:SignedInfo>\n' +
  '      <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>\n' +
  '      <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>\n' +
  '      <ds:Reference URI="">\n' +
  '        <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>\n' +
  '        <ds:DigestValue>AA==</ds:DigestValue>\n' +
  '      </ds:Reference>\n' +
  '    </ds:SignedInfo>\n' +
  '    <ds:SignatureValue>AA==</ds:SignatureValue>\n' +
  '  </ds:Signature>\n';

interface EsitoXmlOptions {
  identificativoFlusso: string;
  esercizio: number;
  codiceAbi: string;
  codiceEnte: string;
  esiti: { numero: number; accettato: boolean; codice?: string; descrizione?: string }[];
}

/** The esito XML text; a refused entry gets codice_errore (default 100) and a descrizione. */
export function esitoXml(opts: EsitoXmlOptions): string {
  const dataOra = `${opts.esercizio}-12-07T10:30:00`;
  const esiti = opts.esiti.map((e) => {
    const errore = e.accettato
      ? ''
      : '    <lista_errori>\n' +
        `      <codice_errore>${e.codice ?? '100'}</codice_errore>\n` +
        `      <descrizione>${escape(e.descrizione ?? 'Ordinativo non acquisito')}</descrizione>\n` +
        '    </lista_errori>\n';
    return (
      '  <esito_mandati>\n' +
      `    <identificativo_flusso>${escape(opts.identificativoFlusso)}</identificativo_flusso>\n` +
      `    <esercizio>${opts.esercizio}</esercizio>\n` +
      `    <numero_mandato>${e.numero}</numero_mandato>\n` +
      `    <esito_operazione>${e.accettato ? 'ACQUISITO' : 'NON ACQUISITO'}</esito_operazione>\n` +
      `    <data_ora_esito_operazione>${dataOra}</data_ora_esito_operazione>\n` +
      errore +
      '  </esito_mandati>\n'
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<messaggi_esito_applicativo>\n' +
    '  <testata_messaggio>\n' +
    `    <codice_ABI_BT>${escape(opts.codiceAbi)}</codice_ABI_BT>\n` +
    `    <data_ora_creazione_flusso>${dataOra}</data_ora_creazione_flusso>\n` +
    `    <codice_ente>${escape(opts.codiceEnte)}</codice_ente>\n` +
    '    <descrizione_ente>Istituto Comprensivo di prova</descrizione_ente>\n' +
    '    <codice_istat_ente>000712345</codice_istat_ente>\n' +
    '    <codice_fiscale_ente>80012345678</codice_fiscale_ente>\n' +
    '    <codice_tramite_ente>A2A-12345678</codice_tramite_ente>\n' +
    '    <codice_tramite_BT>A2A-87654321</codice_tramite_BT>\n' +
    '    <codice_ente_BT>1234567</codice_ente_BT>\n' +
    '  </testata_messaggio>\n' +
    `  <identificativo_flusso_BT>BT-${escape(opts.identificativoFlusso)}</identificativo_flusso_BT>\n` +
    esiti.join('') +
    SIGNATURE +
    '</messaggi_esito_applicativo>\n'
  );
}
