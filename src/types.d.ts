import 'express-session';
import type { Bozze } from './domain/bozze.js';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    esercizio: number;
    flash: { tipo: 'success' | 'info' | 'warning' | 'danger'; testo: string }[];
    /** The Flussi period last seen and its errors ("2 errori in meno" on the next visit). */
    flussiVisti: { periodo: string; errori: number };
    /** Document forms left for a register's form by the + without JavaScript (domain/bozze.ts). */
    bozze: Bozze;
  }
}
