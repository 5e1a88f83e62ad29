import { Router } from 'express';
import type { FattureService } from '../services/fattureService.js';
import { withRecord } from './helpers.js';
import { fatturaRecordPage } from '../presenters/fatturePresenter.js';
import { paths } from '../paths.js';

/** Gestisci → Fatture elettroniche: one invoice's page and its original file. */
export function fattureRouter(service: FattureService) {
  const router = Router();

  router.get(paths.fatture.route.show, withRecord(service.record, (_req, res, page) => res.render('fatture/show', fatturaRecordPage(page))));

  router.get(paths.fatture.route.file, withRecord(service.originalFile, (_req, res, file) => {
    res.attachment(file.nome).type(file.busta === 'xml' ? 'application/xml' : 'application/pkcs7-mime').send(file.contenuto);
  }));

  return router;
}
