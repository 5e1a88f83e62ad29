import { describe, expect, it } from 'vitest';
import { messaggioSchema } from '../../src/formats/xsdMessaggi.js';

// Messages as xmllint-wasm (libxml2) writes them for broken copies of test/fixtures/fatturapa/semplice.xml.
const NS = '{http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2}';

describe('messaggioSchema', () => {
  it.each([
    [
      "Element 'Numero': [facet 'pattern'] The value 'FPA 12/25 numero lunghissimo oltre venti' is not accepted by the pattern '(\\p{IsBasicLatin}{1,20})'.",
      'Elemento Numero: il valore «FPA 12/25 numero lunghissimo oltre venti» contiene caratteri non ammessi (solo lettere latine senza accenti, cifre e punteggiatura semplice) o supera 20 caratteri.',
    ],
    [
      "Element 'Causale': [facet 'pattern'] The value 'Caffè – Fornitura' is not accepted by the pattern '[\\p{IsBasicLatin}\\p{IsLatin-1Supplement}]{1,200}'.",
      'Elemento Causale: il valore «Caffè – Fornitura» contiene caratteri non ammessi (solo lettere latine, anche accentate, senza – ’ “ ” €) o supera 200 caratteri.',
    ],
    ["Element 'CAP': [facet 'pattern'] The value '156' is not accepted by the pattern '[0-9][0-9][0-9][0-9][0-9]'.", 'Elemento CAP: il valore «156» non ha la forma richiesta.'],
    [
      "Element 'TipoDocumento': [facet 'enumeration'] The value 'TD99' is not an element of the set {'TD01', 'TD02', 'TD04'}.",
      'Elemento TipoDocumento: il valore «TD99» non è tra quelli ammessi.',
    ],
    [
      `Element 'Data': '14/03/2025' is not a valid value of the atomic type '${NS}DataFatturaType'.`,
      'Elemento Data: il valore «14/03/2025» non è valido (data aaaa-mm-gg, importo con il punto decimale, …).',
    ],
    ["Element 'Data': This element is not expected. Expected is ( Divisa ).", 'Elemento Data: elemento non previsto in questo punto: è atteso Divisa.'],
    ["Element 'X': This element is not expected. Expected is one of ( Numero, Data ).", 'Elemento X: elemento non previsto in questo punto: è atteso uno tra Numero, Data.'],
    ["Element 'DatiGeneraliDocumento': Missing child element(s). Expected is ( Numero ).", 'Elemento DatiGeneraliDocumento: manca un elemento: è atteso Numero.'],
    [
      `Element '${NS}FatturaElettronica', attribute 'versione': [facet 'enumeration'] The value 'FPA13' is not an element of the set {'FPA12', 'FPR12'}.`,
      'Elemento FatturaElettronica, attributo versione: il valore «FPA13» non è tra quelli ammessi.',
    ],
    [
      "Element 'IdDocumento': [facet 'maxLength'] The value has a length of '25'; this exceeds the allowed maximum length of '20'.",
      'Elemento IdDocumento: il valore è lungo 25 caratteri, al massimo 20.',
    ],
  ])('%s', (message, italiano) => {
    expect(messaggioSchema(message)).toBe(italiano);
  });

  it('keeps a message it does not know as xmllint wrote it', () => {
    expect(messaggioSchema("Schemas validity error : Element 'Y': Some new libxml2 wording.")).toBe("Element 'Y': Some new libxml2 wording.");
    expect(messaggioSchema('internal error')).toBe('internal error');
  });
});
