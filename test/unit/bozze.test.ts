import { describe, expect, it } from 'vitest';
import { draftValues, findBozza, isBozzaToken, MAX_BOZZE, withBozza, type Bozza } from '../../src/domain/bozze.js';

const bozza = (over: Partial<Bozza> = {}): Bozza => ({ scuolaId: 1, documento: 'impegni', id: null, values: { oggetto: 'x' }, creata: 1, ...over });
const T = 'abcdefghijklmnop';

describe('drafts of a document form', () => {
  it('keep the form’s text fields, never the CSRF token or the + button', () => {
    expect(draftValues({ _csrf: 't', nuovo_registro: 'cig', oggetto: 'Toner', fe_3: '10,00', strano: ['a'] }, ['nuovo_registro'])).toEqual({ oggetto: 'Toner', fe_3: '10,00' });
  });

  it('are found only by their school, document and record', () => {
    const store = withBozza(undefined, T, bozza());
    expect(findBozza(store, T, { scuolaId: 1, documento: 'impegni', id: null })?.values.oggetto).toBe('x');
    expect(findBozza(store, T, { scuolaId: 2, documento: 'impegni', id: null })).toBeNull();
    expect(findBozza(store, T, { scuolaId: 1, documento: 'mandati', id: null })).toBeNull();
    expect(findBozza(store, T, { scuolaId: 1, documento: 'impegni', id: 4 })).toBeNull();
    expect(findBozza(store, 'ponmlkjihgfedcba', { scuolaId: 1, documento: 'impegni', id: null })).toBeNull();
    expect(findBozza(store, '__proto__', { scuolaId: 1, documento: 'impegni', id: null })).toBeNull();
    expect(isBozzaToken(['x'])).toBe(false);
  });

  it('keep only the newest few in a session', () => {
    let store = {};
    for (let i = 0; i < MAX_BOZZE + 2; i++) store = withBozza(store, `token${String(i).padStart(11, '0')}`, bozza({ creata: i }));
    expect(Object.keys(store)).toHaveLength(MAX_BOZZE);
    expect(findBozza(store, 'token00000000000', { scuolaId: 1, documento: 'impegni', id: null })).toBeNull();
    expect(findBozza(store, `token${String(MAX_BOZZE + 1).padStart(11, '0')}`, { scuolaId: 1, documento: 'impegni', id: null })).not.toBeNull();
  });
});
