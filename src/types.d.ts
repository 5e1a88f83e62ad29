import 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    esercizio: number;
    flash: { tipo: 'success' | 'info' | 'warning' | 'danger'; testo: string }[];
  }
}
