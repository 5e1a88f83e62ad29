import { Router, type Response } from 'express';
import type { FattureCaricamento } from '../services/fattureCaricamento.js';
import { currentUser } from '../middleware/auth.js';
import { readUpload } from './upload.js';
import { caricaFatturePage } from '../presenters/caricaFatturePresenter.js';
import { paths } from '../paths.js';

/** The largest upload from the browser: the files of a month, or a zip of a thousand invoices, fit well within it. */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Files chosen at once (a zip counts as one). */
const MAX_FILES = 500;

const MESSAGES = {
  noFile: 'Scegli uno o più file da caricare: fatture .xml o .xml.p7m, i metadati _MT_ dello SdI, o uno .zip che li contiene.',
  tooLarge: `Il caricamento supera ${MAX_UPLOAD_BYTES / 1024 / 1024} MB: una fattura elettronica pesa pochi kB, controlla di aver scelto i file giusti o caricali in più volte. Nulla è stato salvato.`,
  tooMany: `Al massimo ${MAX_FILES} file per volta: raccoglili in uno .zip o caricali in più volte. Nulla è stato salvato.`,
};
const LIMITS = { maxBytes: MAX_UPLOAD_BYTES, maxFiles: MAX_FILES, messages: MESSAGES };

/** Gestisci → Fatture elettroniche → Carica fatture: the upload and its answer, one line per file. */
export function fattureCaricaRouter(service: FattureCaricamento) {
  const router = Router();
  const page = paths.fatture.carica;
  const render = (res: Response, extra: object = {}) =>
    res.render('fatture/carica', { title: 'Carica fatture elettroniche', maxMb: MAX_UPLOAD_BYTES / 1024 / 1024, maxFiles: MAX_FILES, esiti: null, ...extra });

  router.get(page, (_req, res) => render(res));

  router.post(page, async (req, res) => {
    if (!req.is('multipart/form-data')) {
      res.status(422);
      return render(res, { errorMessage: MESSAGES.noFile });
    }
    const upload = await readUpload(req, LIMITS);
    if (!upload.ok) {
      res.status(upload.status);
      if (upload.status === 403) return res.render('errors/403', { title: 'Accesso non consentito' });
      return render(res, { errorMessage: upload.message });
    }
    const user = currentUser(req);
    const esiti = await service.carica(user, upload.files);
    req.log.info({ scuolaId: user.scuolaId, file: esiti.length, esiti: esiti.map((e) => e.esito) }, 'Fatture caricate');
    // Every file refused: the upload as a whole is refused (422), with each file's reason.
    res.status(esiti.every((e) => e.esito === 'rifiutato') ? 422 : 200);
    render(res, caricaFatturePage(esiti));
  });

  return router;
}
