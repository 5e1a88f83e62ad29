import { Router } from 'express';
import type { FattureService } from '../services/fattureService.js';
import { withRecord } from './helpers.js';
import { listRoutes } from './registro.js';
import { FATTURE_COLUMNS, fattureListPage, fatturaRecordPage } from '../presenters/fatturePresenter.js';
import { FATTURE_SORTS, type FattureSortKey } from '../repositories/fattureElencoRepository.js';
import { parseFattureSearch } from '../validation/fattureSchemas.js';
import { paths } from '../paths.js';

/** Gestisci → Fatture elettroniche: the register (search, sort, pages, exports, columns), one invoice's page and its original file. */
export function fattureRouter(service: FattureService) {
  const router = Router();

  listRoutes(router, service, {
    nome: 'Fatture',
    views: 'fatture',
    paths: paths.fatture,
    columns: FATTURE_COLUMNS,
    sortKeys: Object.keys(FATTURE_SORTS) as FattureSortKey[],
    defaults: { ordina: 'data', verso: 'desc' },
    parseSearch: parseFattureSearch,
    listPage: fattureListPage,
  });

  router.get(paths.fatture.route.show, withRecord(service.record, (_req, res, page) => res.render('fatture/show', fatturaRecordPage(page))));

  router.get(paths.fatture.route.file, withRecord(service.originalFile, (_req, res, file) => {
    res.attachment(file.nome).type(file.busta === 'xml' ? 'application/xml' : 'application/pkcs7-mime').send(file.contenuto);
  }));

  return router;
}
