import { Router, type Request, type Response } from 'express';
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { DatiApertiService, Proposals } from '../services/datiApertiService.js';
import { currentUser, requireRole } from '../middleware/auth.js';
import { csrfTokenMatches } from '../middleware/csrf.js';
import { flash } from '../middleware/locals.js';
import { esitoMessage, proposalsView } from '../presenters/datiApertiPresenter.js';
import { parseScelte } from '../validation/datiApertiSchemas.js';
import { paths } from '../paths.js';

/** The largest open-data file accepted from the browser (a national monthly ANAC file is a few hundred MB). */
export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

type Upload =
  | { ok: true; fileName: string; result: Proposals }
  | { ok: false; status: 403 | 413 | 422; message: string };

const MESSAGES = {
  csrf: 'Token CSRF non valido',
  noFile: 'Scegli il file CSV dei dati aperti da caricare.',
  notCsv: 'Il file deve essere un CSV (estensione .csv o .txt), come quelli dei dati aperti ANAC e OpenCUP. Nulla è stato salvato.',
  tooLarge: `Il file supera il limite di ${MAX_UPLOAD_BYTES / 1024 / 1024} MB per il caricamento dal browser: usa il comando npm run dati-aperti. Nulla è stato salvato.`,
  malformed: 'Il caricamento non è arrivato intero: riprova. Nulla è stato salvato.',
};

/**
 * Streams the multipart upload: the `_csrf` field (first in the form) is checked
 * before the file is read; the file goes straight into the CSV reader.
 */
function readUpload(req: Request, propose: (file: Readable) => Promise<Proposals>): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: MAX_UPLOAD_BYTES, fields: 5, fieldSize: 1024, parts: 8 } });
    } catch {
      resolve({ ok: false, status: 422, message: MESSAGES.noFile });
      return;
    }
    let token: string | undefined;
    let outcome: Promise<Upload> | null = null;
    let truncated = false;
    bb.on('field', (name, value) => {
      if (name === '_csrf') token = value;
    });
    bb.on('file', (name, file, info) => {
      if (outcome || name !== 'file') {
        file.resume();
        return;
      }
      if (!csrfTokenMatches(req, token)) {
        file.resume();
        outcome = Promise.resolve({ ok: false, status: 403, message: MESSAGES.csrf });
        return;
      }
      if (!info.filename) {
        file.resume();
        outcome = Promise.resolve({ ok: false, status: 422, message: MESSAGES.noFile });
        return;
      }
      if (!/\.(csv|txt)$/i.test(info.filename)) {
        file.resume();
        outcome = Promise.resolve({ ok: false, status: 422, message: MESSAGES.notCsv });
        return;
      }
      file.on('limit', () => {
        truncated = true;
      });
      outcome = propose(file).then((result): Upload => {
        file.resume();
        if (truncated) return { ok: false, status: 413, message: MESSAGES.tooLarge };
        return { ok: true, fileName: info.filename.replace(/^.*[\\/]/, '').slice(0, 255), result };
      });
      // A failure reading the file is answered once the request is over.
      outcome.catch(() => file.resume());
    });
    bb.on('error', () => resolve({ ok: false, status: 422, message: MESSAGES.malformed }));
    bb.on('close', () => {
      if (!outcome) {
        resolve({ ok: false, status: csrfTokenMatches(req, token) ? 422 : 403, message: csrfTokenMatches(req, token) ? MESSAGES.noFile : MESSAGES.csrf });
        return;
      }
      outcome.then(resolve, reject);
    });
    req.pipe(bb);
  });
}

/** Impostazioni → Dati aperti CIG/CUP (admin only): upload a file, choose the proposals, apply them. */
export function datiApertiRouter(service: DatiApertiService) {
  const router = Router();
  const base = paths.impostazioni.datiAperti;
  router.use(base, requireRole('admin'));

  const renderForm = (res: Response, message?: string) =>
    res.render('impostazioni/dati-aperti', { title: 'Dati aperti CIG/CUP', errorMessage: message, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 });

  router.get(base, (_req, res) => renderForm(res));

  router.post(base, async (req, res) => {
    const user = currentUser(req);
    if (!req.is('multipart/form-data')) {
      res.status(422);
      return renderForm(res, MESSAGES.noFile);
    }
    const upload = await readUpload(req, (file) => service.proposals(user.scuolaId, file));
    if (!upload.ok) {
      res.status(upload.status);
      if (upload.status === 403) return res.render('errors/403', { title: 'Accesso non consentito' });
      return renderForm(res, upload.message);
    }
    if (!upload.result.ok) {
      res.status(422);
      return renderForm(res, upload.result.message);
    }
    req.log.info({ scuolaId: user.scuolaId, righe: upload.result.righe, codici: upload.result.records.length }, 'Dati aperti: proposte calcolate');
    res.render('impostazioni/dati-aperti-proposte', { title: 'Dati aperti: proposte', view: proposalsView(upload.result, upload.fileName) });
  });

  router.post(paths.impostazioni.datiApertiApplica, async (req, res) => {
    const user = currentUser(req);
    const { file, scelte, rifiutate } = parseScelte(req.body);
    if (!scelte.length) {
      flash(req, 'warning', rifiutate ? `Nessun valore applicato: ${rifiutate} valori non validi.` : 'Nessuna proposta selezionata: nulla è stato aggiornato.');
      return res.redirect(base);
    }
    const esito = await service.apply(user, file, scelte);
    flash(req, esito.saltati.length || rifiutate ? 'warning' : 'success', esitoMessage(esito, rifiutate));
    res.redirect(base);
  });

  return router;
}
