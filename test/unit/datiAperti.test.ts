import { describe, expect, it } from 'vitest';
import {
  cigFieldsOf, cupFieldsOf, detectSeparator, normalizeHeaderName, parseOpenDataAmount, parseOpenDataDate, readHeader, sceltaContraenteOf,
} from '../../src/domain/datiAperti.js';

describe('intestazione', () => {
  it('detects the separator of the header line, or none', () => {
    expect(detectSeparator('cig;oggetto_lotto;importo_lotto')).toBe(';');
    expect(detectSeparator('CUP,DESCRIZIONE_SINTETICA_CUP,ANNO_DECISIONE')).toBe(',');
    expect(detectSeparator('"a,b";c;d')).toBe(';');
    expect(detectSeparator('cig\toggetto_lotto')).toBeNull();
    expect(detectSeparator('cig|oggetto_lotto')).toBeNull();
  });

  it('matches columns in lower case, upper case, with prefixes and a BOM, naming each as written', () => {
    for (const names of [
      ['\uFEFFcig', 'oggetto_lotto', 'data_pubblicazione'],
      ['CIG', 'OGGETTO_LOTTO', 'DATA_PUBBLICAZIONE'],
      ['bando_CIG', 'bando_OGGETTO_LOTTO', 'pubblicazioni_DATA_PUBBLICAZIONE'],
    ]) {
      const h = readHeader(names, ';');
      expect(h.ok && h.kind).toBe('cig');
      if (!h.ok || h.kind !== 'cig') continue;
      expect(h.columns.codice).toEqual({ index: 0, name: names[0]!.replace('\uFEFF', '') });
      expect(h.columns.oggetto_lotto?.name).toBe(names[1]);
      expect(h.columns.data_pubblicazione?.index).toBe(2);
    }
    expect(normalizeHeaderName(' "DATA_CREAZIONE" ')).toBe('data_creazione');
  });

  it('prefers the exact name to a prefixed one, and does not mistake cig_accordo_quadro for the code', () => {
    const h = readHeader(['cig_accordo_quadro', 'bando_cig', 'cig'], ';');
    expect(h.ok && h.kind === 'cig' && h.columns.codice?.index).toBe(2);
  });

  it('recognises an OpenCUP header and refuses a header with neither code', () => {
    const cup = readHeader(['CUP', 'DESCRIZIONE_SINTETICA_CUP', 'ANNO_DECISIONE', 'FINANZIAMENTO_PROGETTO'], ',');
    expect(cup.ok && cup.kind).toBe('cup');
    const none = readHeader(['nome', 'cognome'], ';');
    expect(none.ok).toBe(false);
    expect(!none.ok && none.message).toMatch(/punto e virgola.*«cig».*«CUP»/);
    expect(readHeader(['cig\toggetto'], null).ok).toBe(false);
  });
});

describe('valori', () => {
  it('reads the dates ANAC writes', () => {
    expect(parseOpenDataDate('2024-03-12')).toBe('2024-03-12');
    expect(parseOpenDataDate('2024-03-12T00:00:00')).toBe('2024-03-12');
    expect(parseOpenDataDate('2024-03-12 10:30:00.000')).toBe('2024-03-12');
    expect(parseOpenDataDate('12/03/2024')).toBe('2024-03-12');
    expect(parseOpenDataDate('31/02/2024')).toBeNull();
    expect(parseOpenDataDate('ieri')).toBeNull();
    expect(parseOpenDataDate('')).toBeNull();
  });

  it('reads amounts into cents, never negative', () => {
    expect(parseOpenDataAmount('1234.56')).toBe(123456);
    expect(parseOpenDataAmount('1.234,56')).toBe(123456);
    expect(parseOpenDataAmount('39900')).toBe(3990000);
    expect(parseOpenDataAmount('-5')).toBeNull();
    expect(parseOpenDataAmount('n.d.')).toBeNull();
  });

  it('maps the scelta del contraente only when it is unambiguous', () => {
    expect(sceltaContraenteOf('AFFIDAMENTO DIRETTO')).toBe('AFFIDAMENTO_DIRETTO');
    expect(sceltaContraenteOf('PROCEDURA NEGOZIATA SENZA PREVIA PUBBLICAZIONE DEL BANDO')).toBe('PROCEDURA_NEGOZIATA_SENZA_BANDO');
    expect(sceltaContraenteOf('AFFIDAMENTO DIRETTO IN ADESIONE AD ACCORDO QUADRO/CONVENZIONE')).toBeNull();
    expect(sceltaContraenteOf('SISTEMA DINAMICO DI ACQUISIZIONE')).toBeNull();
  });
});

describe('proposte da una riga', () => {
  const names = ['cig', 'oggetto_gara', 'oggetto_lotto', 'importo_lotto', 'data_pubblicazione', 'data_scadenza_offerta'];
  const header = readHeader(names, ';');
  const columns = header.ok && header.kind === 'cig' ? header.columns : {};

  it('takes oggetto_lotto, else oggetto_gara, and the publication date when there is no creation date, saying so', () => {
    const f = cigFieldsOf(['9050626CD6', 'Gara', '  Lotto   unico ', '1.234,56', '2024-03-12T00:00:00', '30/03/2024'], columns);
    expect(f.oggetto).toEqual({ value: 'Lotto unico', column: 'oggetto_lotto' });
    expect(f.importo_cents).toEqual({ value: 123456, column: 'importo_lotto' });
    expect(f.data_generazione).toEqual({ value: '2024-03-12', column: 'data_pubblicazione', from: 'pubblicazione' });
    expect(f.data_scadenza_offerte).toEqual({ value: '2024-03-30', column: 'data_scadenza_offerta' });
    expect(cigFieldsOf(['9050626CD6', 'Gara', '', '', '', ''], columns)).toEqual({ oggetto: { value: 'Gara', column: 'oggetto_gara' } });
  });

  it('uses the creation date when the file has one', () => {
    const h = readHeader(['CIG', 'DATA_CREAZIONE', 'DATA_PUBBLICAZIONE'], ';');
    const f = cigFieldsOf(['9050626CD6', '05/02/2024', '2024-03-12'], h.ok && h.kind === 'cig' ? h.columns : {});
    expect(f.data_generazione).toEqual({ value: '2024-02-05', column: 'DATA_CREAZIONE', from: 'creazione' });
  });

  it('maps an OpenCUP row: descrizione, anno di decisione, finanziamento', () => {
    const h = readHeader(['CUP', 'DESCRIZIONE_SINTETICA_CUP', 'ANNO_DECISIONE', 'COSTO_PROGETTO', 'FINANZIAMENTO_PROGETTO'], ',');
    const f = cupFieldsOf(['C44D22002780006', 'LABORATORI', '2022', '100000', '75000.5'], h.ok && h.kind === 'cup' ? h.columns : {});
    expect(f).toEqual({
      descrizione: { value: 'LABORATORI', column: 'DESCRIZIONE_SINTETICA_CUP' },
      anno_decisione: { value: 2022, column: 'ANNO_DECISIONE' },
      importo_finanziato_cents: { value: 7500050, column: 'FINANZIAMENTO_PROGETTO' },
    });
  });
});
