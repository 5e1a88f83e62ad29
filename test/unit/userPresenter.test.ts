import { describe, expect, it } from 'vitest';
import { userLabel } from '../../src/presenters/userPresenter.js';

describe('userLabel', () => {
  it('adds the role in Italian after a plain name', () => {
    expect(userLabel({ nome: 'Maria Rossi', ruolo: 'segreteria' })).toBe('Maria Rossi (segreteria)');
    expect(userLabel({ nome: 'Luca Bianchi', ruolo: 'admin' })).toBe('Luca Bianchi (amministratore)');
  });

  it('says the role once: a name with its own bracket gets no second one', () => {
    expect(userLabel({ nome: 'Maria Rossi (DSGA)', ruolo: 'segreteria' })).toBe('Maria Rossi (DSGA)');
    expect(userLabel({ nome: ' Anna Ferri (DSGA) ', ruolo: 'admin' })).toBe('Anna Ferri (DSGA)');
  });
});
