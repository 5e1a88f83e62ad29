import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { cigCsv, cupCsv, elenchiXml } from '../../src/domain/flussiTracciato.js';
import type { CigElenco, CupElenco } from '../../src/repositories/flussiRepository.js';

const h = { codiceMeccanografico: 'RMIC8ZZ00Q', denominazione: 'Istituto "Demo" & C.', esercizio: 2026, mese: null, generatoIl: new Date('2026-07-02T08:15:00Z') };
const cig: CigElenco = {
  id: 1,
  codice: '9050626CD6',
  famiglia: 'ordinario',
  oggetto: '=SOMMA(A1); "rischio"\nformula',
  data_generazione: '2026-03-15',
  data_scadenza_offerte: null,
  importo_cents: 480000,
  stato: 'attivo',
  updated_at: new Date(),
  impegnato_cents: 123456789,
  impegni: [
    { id: 7, numero: 3, data: '2026-03-20', importo_cents: 100 },
    { id: 9, numero: 12, data: '2026-05-04', importo_cents: 123456689 },
  ],
};
const cup: CupElenco = {
  id: 2,
  codice: 'C44D22002780006',
  descrizione: 'PNRR <Scuola 4.0>\u0001',
  anno_decisione: 2022,
  importo_finanziato_cents: null,
  fonte_finanziamento: 'PNRR',
  stato: 'attivo',
  updated_at: new Date(),
  impegnato_cents: 5,
  impegni: [{ id: 7, numero: 3, data: '2026-03-20', importo_cents: 5 }],
};

describe('tracciato bilancio-scuola-elenchi v1', () => {
  it('writes the CIG CSV for Excel: BOM, ;, CRLF, Italian dates and amounts, formulas neutralised', () => {
    const text = cigCsv([cig], h);
    expect(text.startsWith('\uFEFFcodice_cig;famiglia;')).toBe(true);
    expect(text.split('\r\n')[1]).toBe('9050626CD6;CIG ordinario;"\'=SOMMA(A1); ""rischio""\nformula";15/03/2026;;4800,00;attivo;3/2026 12/2026;1234567,89');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('writes the CUP CSV with empty cells for missing values', () => {
    expect(cupCsv([cup], h).split('\r\n')[1]).toBe('C44D22002780006;PNRR <Scuola 4.0>\u0001;2022;;PNRR;attivo;3/2026;0,05');
  });

  it('writes well-formed XML, escaping text and dropping characters XML forbids', () => {
    const xml = elenchiXml([cig], [cup], { ...h, mese: 6 });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('denominazione="Istituto &quot;Demo&quot; &amp; C."');
    expect(xml).toContain('<Periodo esercizio="2026" meseFine="6"/>');
    expect(xml).toContain('<DataScadenzaOfferte/>');
    expect(xml).toContain('<Descrizione>PNRR &lt;Scuola 4.0&gt;</Descrizione>');
    expect(xml).toContain('<Impegno numero="12" data="2026-05-04" importo="1234566.89"/>');
    expect(xml).toContain('ufficialeMIM="false"');
    expect(elenchiXml([], [], h)).toContain('<ElencoCIG numero="0">');
  });
});
