/**
 * The load test's floor: a bare Express app rendering the product's own layout
 * (views/in-arrivo.ejs with a fake logged-in user), no database, no session.
 *   PORT=3950 node --import tsx bench/floorServer.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { setUpViews } from '../src/views.js';
import { paths } from '../src/paths.js';
import { formatEuro } from '../src/domain/money.js';
import { formatDateIt } from '../src/domain/dates.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const app = express();
app.set('view cache', true);
setUpViews(app, path.join(root, 'views'));
Object.assign(app.locals, { paths, fmt: { euro: formatEuro, data: formatDateIt }, flash: [], errorList: [], fieldErrors: {} });
const user = { id: 1, username: 'bench', nome: 'Segreteria', ruolo: 'segreteria', scuolaId: 1, scuolaDenominazione: 'Istituto di prova', scuolaCodice: 'BNIC000001', preferenze: {} };
app.get('/', (_req, res) => res.render('in-arrivo', { title: 'Gestione CIG', user, csrfToken: 'x'.repeat(43), currentPath: '/cig', esercizio: 2026 }));
app.listen(Number(process.env.PORT ?? 3950), '127.0.0.1');
