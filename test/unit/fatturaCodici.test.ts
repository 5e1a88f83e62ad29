import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codiciDelCorpo, fornitoreKey } from '../../src/domain/fatturaCodici.js';
import { readFattura, type Fattura, type Riferimento } from '../../src/formats/fatturapa/fattura.js';

function read(name: string): Fattura {
  const r = readFattura(readFileSync(`test/fixtures/fatturapa/${name}`));
  if (!r.ok) throw new Error(r.motivo);
  return r.fattura;
}

const rif = (over: Partial<Riferimento>): Riferimento => ({
  blocco: 'DatiOrdineAcquisto',
  idDocumento: 'ODA 1',
  data: null,
  righe: [],
  codiceCIG: null,
  codiceCUP: null,
  ...over,
});

describe('codiciDelCorpo', () => {
  it('a clean invoice: one valid CIG and one valid CUP, no flags', () => {
    const r = codiciDelCorpo(read('semplice.xml').corpi[0]!);
    expect(r).toEqual({
      codici: [
        { tipo: 'cig', campo: 'cig', scritto: '9050626CD6', codice: '9050626CD6', esito: 'valido', motivo: null, righe: [] },
        { tipo: 'cup', campo: 'cup', scritto: 'C44D22002780006', codice: 'C44D22002780006', esito: 'valido', motivo: null, righe: [] },
      ],
      senzaCig: false,
      cigMultipli: false,
      cupMultipli: false,
    });
  });

  it('codes as suppliers write them: prefix and lower case, spaces, a look-alike, a wrong check, each kind in the other field', () => {
    const r = codiciDelCorpo(read('codici-sporchi.xml').corpi[0]!);
    expect(r.codici.map((c) => [c.esito, c.tipo, c.campo, c.scritto, c.codice])).toEqual([
      ['valido', 'cig', 'cig', 'cig: 9050626cd6', '9050626CD6'], // «9050626 CD6» in the next block is the same code: once
      ['valido', 'cup', 'cup', 'c44d22002780006', 'C44D22002780006'],
      ['correzione', 'cig', 'cig', '731245l974', '7312451974'],
      ['non_valido', 'cig', 'cig', '9050626CD7', null],
      ['altro_campo', 'cup', 'cig', 'J51B21004560007', 'J51B21004560007'],
      ['altro_campo', 'cig', 'cup', 'B123456659', 'B123456659'],
    ]);
    const [, , correzione, nonValido, cupInCig, cigInCup] = r.codici;
    expect(correzione?.motivo).toMatch(/correzione proposta: 7312451974 \(lettera l minuscola al posto della cifra 1 in posizione 7\)/);
    expect(nonValido?.motivo).toBe(
      'Carattere di controllo errato: atteso CD6 (ultimi 3 caratteri), trovato CD7. Con questo progressivo il codice sarebbe 9050626CD6. ' +
        'Probabilmente il CIG è stato copiato male: ricontrollalo sul documento o sul portale ANAC.',
    );
    expect(cupInCig?.motivo).toBe('È un CUP, ma era scritto nel campo CIG.');
    expect(cigInCup?.motivo).toBe('È un CIG, ma era scritto nel campo CUP.');
    expect(r).toMatchObject({ senzaCig: false, cigMultipli: true, cupMultipli: true });
  });

  it('several CIG/CUP pairs tied to lines', () => {
    const r = codiciDelCorpo(read('righe-cig-cup.xml').corpi[0]!);
    expect(r.codici.map((c) => [c.tipo, c.codice, c.righe])).toEqual([
      ['cig', '7312451974', [1, 2]],
      ['cup', 'C44D22002780006', [1, 2]],
      ['cig', '81234578C7', [3]],
      ['cup', 'J51B21004560007', [3]],
      ['cig', '9050626CD6', []],
    ]);
    expect(r).toMatchObject({ senzaCig: false, cigMultipli: true, cupMultipli: true });
  });

  it('an invoice without CIG is flagged senzaCig; so is one with only a CUP, or only a correction to confirm', () => {
    expect(codiciDelCorpo(read('senza-cig.xml').corpi[0]!)).toEqual({ codici: [], senzaCig: true, cigMultipli: false, cupMultipli: false });
    expect(codiciDelCorpo({ riferimenti: [rif({ codiceCUP: 'C44D22002780006' })] }).senzaCig).toBe(true);
    expect(codiciDelCorpo({ riferimenti: [rif({ codiceCIG: '731245l974' })] }).senzaCig).toBe(true);
    // a CIG written in the CUP field is still a CIG
    expect(codiciDelCorpo({ riferimenti: [rif({ codiceCUP: '9050626CD6' })] }).senzaCig).toBe(false);
  });

  it('the same code in several blocks: once, with the lines merged (no lines = the whole document)', () => {
    const lines = codiciDelCorpo({ riferimenti: [rif({ codiceCIG: '9050626CD6', righe: [3] }), rif({ codiceCIG: 'CIG 9050626CD6', righe: [1] })] });
    expect(lines.codici).toEqual([expect.objectContaining({ codice: '9050626CD6', righe: [1, 3], scritto: '9050626CD6' })]);
    const whole = codiciDelCorpo({ riferimenti: [rif({ codiceCIG: '9050626CD6', righe: [3] }), rif({ codiceCIG: '9050626CD6' })] });
    expect(whole.codici[0]?.righe).toEqual([]);
    // a valid writing wins over a correction proposing the same code
    const best = codiciDelCorpo({ riferimenti: [rif({ codiceCIG: '731245l974' }), rif({ codiceCIG: '7312451974' })] });
    expect(best.codici).toEqual([expect.objectContaining({ esito: 'valido', codice: '7312451974' })]);
  });

  it('placeholders are ignored, an exclusion phrase is not a code, rubbish gets the validator’s reason', () => {
    expect(codiciDelCorpo({ riferimenti: [rif({ codiceCIG: 'N.D.' })] }).codici).toEqual([]);
    const esente = codiciDelCorpo({ riferimenti: [rif({ codiceCIG: 'CIG esente' })] }).codici;
    expect(esente).toEqual([expect.objectContaining({ esito: 'non_valido', codice: null, motivo: expect.stringMatching(/non è dovuto/) })]);
    const corto = codiciDelCorpo({ riferimenti: [rif({ codiceCIG: '9050626C' })] }).codici;
    expect(corto).toEqual([expect.objectContaining({ esito: 'non_valido', tipo: 'cig', motivo: expect.stringMatching(/Lunghezza errata: il CIG ha 10 caratteri/) })]);
  });

  it('each body of a lotto is checked on its own', () => {
    const [a, b] = read('lotto.xml').corpi.map(codiciDelCorpo);
    expect(a?.codici.map((c) => c.codice)).toEqual(['B123456659']);
    expect(b?.codici.map((c) => c.codice)).toEqual(['B123456659']);
  });
});

describe('fornitoreKey', () => {
  it('the partita IVA when it passes its check', () => {
    expect(fornitoreKey(read('semplice.xml').cedente)).toEqual({ tipo: 'partita_iva', valore: '01234567897' });
    expect(fornitoreKey(read('codici-sporchi.xml').cedente)).toEqual({ tipo: 'partita_iva', valore: '09321456783' });
  });

  it('else the codice fiscale; a foreign supplier by its VAT number; nothing usable gives null', () => {
    expect(fornitoreKey({ idFiscaleIva: { idPaese: 'IT', idCodice: '01234567890' }, codiceFiscale: 'RSSMRA75C12H501H' })).toEqual({
      tipo: 'codice_fiscale',
      valore: 'RSSMRA75C12H501H',
    });
    expect(fornitoreKey(read('estero.xml').cedente)).toEqual({ tipo: 'id_fiscale_estero', valore: 'DE123456789' });
    expect(fornitoreKey({ idFiscaleIva: { idPaese: 'IT', idCodice: '01234567890' }, codiceFiscale: null })).toBeNull();
  });
});
