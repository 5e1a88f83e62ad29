import { describe, expect, it } from 'vitest';
import { conflictMerge, optionText } from '../../src/presenters/conflittoPresenter.js';

describe('conflictMerge', () => {
  const merge = conflictMerge({
    action: '/impegni/7',
    version: 3,
    storedValues: { data: '2026-03-15', oggetto: 'Loro', importo: '150,00', note: '', version: '3' },
    submitted: { _csrf: 't', data: '15/03/2026', oggetto: 'Mio', importo: '150,00', note: 'mia nota', version: '2', fe_4: '10,00' },
    fields: [
      { name: 'data', label: 'Data', stored: '15/03/2026', submitted: '15/03/2026' },
      { name: 'oggetto', label: 'Oggetto', stored: 'Loro', submitted: 'Mio' },
      { name: 'note', label: 'Note', stored: '', submitted: 'mia nota' },
    ],
  });

  it('asks only about the fields that differ, as the user reads them, with both values to send', () => {
    expect(merge.campi.map((c) => c.name)).toEqual(['oggetto', 'note']);
    expect(merge.campi[0]).toEqual({ name: 'oggetto', label: 'Oggetto', mia: { value: 'Mio', testo: 'Mio' }, altra: { value: 'Loro', testo: 'Loro' } });
    expect(merge.campi[1]!.altra.testo).toBe('—');
  });

  it('sends back the equal fields (a date written two ways too) and what the saved record lacks, with the version now stored', () => {
    expect(merge.nascosti).toEqual([{ name: 'data', value: '15/03/2026' }, { name: 'importo', value: '150,00' }, { name: 'fe_4', value: '10,00' }]);
    expect(merge.version).toBe('3');
    expect(merge.action).toBe('/impegni/7');
  });

  it('names an id by its option, or by its number when no longer offered', () => {
    expect(optionText([{ value: '4', label: 'A02/1 – Funzionamento' }], '4')).toBe('A02/1 – Funzionamento');
    expect(optionText([], '9')).toBe('n. 9');
    expect(optionText([], '')).toBe('');
  });
});
