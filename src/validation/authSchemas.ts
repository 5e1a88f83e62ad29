import { z } from 'zod';
import { isPlainText, TESTO_NON_AMMESSO } from '../domain/text.js';

export const loginSchema = z.object({
  username: z.string({ error: 'Inserisci il nome utente' }).trim().min(1, 'Inserisci il nome utente').max(60, 'Nome utente troppo lungo').refine(isPlainText, TESTO_NON_AMMESSO),
  password: z.string({ error: 'Inserisci la password' }).min(1, 'Inserisci la password').max(200, 'Password troppo lunga').refine(isPlainText, TESTO_NON_AMMESSO),
});

export const esercizioSchema = z.object({
  esercizio: z.coerce.number({ error: 'Esercizio non valido' }).int().min(2000).max(2100),
});
