import { z } from 'zod';
import { MODALITA_PAGAMENTO, TIPI_DEBITO } from '../domain/opi.js';
import { optionalId, requiredDate, requiredText, UNKNOWN_FIELDS, versionField } from './fields.js';
import type { RighePagamento } from './pagamentiSchemas.js';
import { refuseCigAndMotivo, codiciShape, requiredChoice, requiredId, requiredPositiveEuro } from './documentFields.js';

export const TRACCIABILITA = 'Debito commerciale: scegli il CIG oppure il motivo di esclusione (tracciabilità, L. 136/2010)';

export const MANDATO_FIELDS = [
  'data', 'impegno_id', 'beneficiario_id', 'causale', 'importo', 'modalita_pagamento', 'tipo_debito', 'cig_id', 'motivo_esclusione_cig', 'cup_id', 'note',
] as const;

const shape = {
  data: requiredDate('Data'),
  impegno_id: requiredId('Scegli l’impegno su cui emettere il mandato'),
  beneficiario_id: optionalId('Scegli il beneficiario dall’elenco'),
  causale: requiredText('Inserisci la causale del mandato', 2000, 'La causale è troppo lunga: al massimo 2.000 caratteri'),
  importo: requiredPositiveEuro('Importo'),
  modalita_pagamento: requiredChoice(MODALITA_PAGAMENTO.map((m) => m.value), 'Scegli la modalità di pagamento', 'Scegli la modalità di pagamento dall’elenco'),
  tipo_debito: requiredChoice(TIPI_DEBITO.map((t) => t.value), 'Scegli il tipo di debito', 'Scegli il tipo di debito dall’elenco: commerciale o non commerciale, oppure IVA per l’IVA in scissione dei pagamenti'),
  ...codiciShape,
  /** The invoices it pays, read by the service from the form's `fe_`/`fa_` fields (validation/pagamentiSchemas.ts), never sent as such. */
  pagamenti: z.custom<RighePagamento>((v) => typeof v === 'object' && v !== null && 'elettroniche' in v, { error: UNKNOWN_FIELDS }).optional(),
};

type Tracciato = { tipo_debito: string; cig_id: number | null; motivo_esclusione_cig: string | null };

/** Tracciabilità (L. 136/2010, OPI): a commercial debt carries a CIG or a motivo di esclusione, never both. */
const rules = (v: Tracciato, ctx: z.RefinementCtx) => {
  refuseCigAndMotivo(v, ctx);
  if (v.tipo_debito === 'COMMERCIALE' && v.cig_id === null && v.motivo_esclusione_cig === null) {
    ctx.addIssue({ code: 'custom', path: ['cig_id'], message: TRACCIABILITA });
  }
};

export const mandatoCreateSchema = z.strictObject(shape, { error: UNKNOWN_FIELDS }).superRefine(rules);
export const mandatoUpdateSchema = z.strictObject({ ...shape, version: versionField }, { error: UNKNOWN_FIELDS }).superRefine(rules);
export type MandatoForm = z.output<typeof mandatoCreateSchema>;
