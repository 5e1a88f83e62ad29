import { describe, expect, it } from 'vitest';
import { proposalMessage, proposalsOf } from '../../public/js/picker/proposals.js';

describe('picker proposals', () => {
  it('reads the data-propone-* attributes of the chosen option, leaving out the empty ones', () => {
    const attributes = [
      { name: 'value', value: '5' },
      { name: 'data-propone-cup_id', value: '12' },
      { name: 'data-propone-cig_id', value: '' },
      { name: 'data-propone-beneficiario_id', value: '4' },
      { name: 'data-other', value: 'x' },
    ];
    expect(proposalsOf(attributes)).toEqual([{ field: 'cup_id', value: '12' }, { field: 'beneficiario_id', value: '4' }]);
    expect(proposalsOf([])).toEqual([]);
  });
  it('says what was chosen for the user, nothing when nothing was', () => {
    expect(proposalMessage(['C44D22002780006 – PNRR', 'Tecnodidattica'])).toBe('Proposto dalla scelta: C44D22002780006 – PNRR; Tecnodidattica');
    expect(proposalMessage([])).toBe('');
  });
});
