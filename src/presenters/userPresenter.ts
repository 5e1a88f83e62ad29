import type { CurrentUser } from '../repositories/utentiRepository.js';

const RUOLI = { segreteria: 'segreteria', admin: 'amministratore' } as const;

/**
 * The header's label for the logged-in user: the name and the role once. A name
 * that already says something in brackets (Maria Rossi (DSGA)) gets no second one.
 */
export function userLabel(user: Pick<CurrentUser, 'nome' | 'ruolo'>): string {
  const nome = user.nome.trim();
  return nome.includes('(') ? nome : `${nome} (${RUOLI[user.ruolo]})`;
}
