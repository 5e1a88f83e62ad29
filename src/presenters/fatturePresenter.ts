import { formatDateIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import type { CodiceRow, FatturaRow } from '../repositories/fattureRepository.js';
import type { AuditRow } from '../repositories/auditRepository.js';
import { paths } from '../paths.js';

/** One invoice's page. */
export function fatturaRecordPage(input: { fattura: FatturaRow; codici: CodiceRow[]; file: { nome: string; sha256: string; avvisi: string[] }; history: AuditRow[] }) {
  const { fattura: f } = input;
  return {
    title: `Fattura n. ${f.numero} del ${formatDateIt(f.data)} – ${f.fornitore_denominazione}`,
    fattura: {
      id: f.id,
      numero: f.numero,
      data: formatDateIt(f.data),
      fornitore: f.fornitore_denominazione,
      totale: formatEuro(f.totale_cents),
      stato: f.stato,
    },
    codici: input.codici,
    file: { nome: input.file.nome, sha256: input.file.sha256, avvisi: input.file.avvisi, href: paths.fatture.file(f.id) },
    links: { list: paths.fatture.list() },
  };
}
