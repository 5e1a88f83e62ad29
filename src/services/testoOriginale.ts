import type { Knex } from 'knex';
import { CUP_DESCRIZIONE_IMPORTATA, validateCup } from '../domain/cup.js';
import { legacyAdvice, oggettoProposto, type LegacyOption } from '../domain/harvest.js';
import { findCodes, insertImportedCig, insertImportedCup } from '../repositories/importazioneRepository.js';
import { updateAtVersion } from '../repositories/versionedRows.js';
import { testoOriginaleSchema, TESTO_ORIGINALE_FIELDS, type TestoOriginaleForm } from '../validation/testoOriginaleSchemas.js';
import { audited, type AuditedRecord } from './audited.js';
import { invalid, parseForm, type Actor, type Result } from './results.js';

/** What a document row must carry for its legacy texts to be decided from its page. */
export type LegacyDocument = {
  id: number;
  version: number;
  cig_id: number | null;
  cup_id: number | null;
  motivo_esclusione_cig: string | null;
  cig_testo: string | null;
  cup_testo: string | null;
  cig_testo_nessun_codice: boolean;
  cup_testo_nessun_codice: boolean;
};

const STALE = 'Questa scelta non vale più per il testo originale del documento: ricarica la pagina.';
const FROM_DOCUMENT = { nota: 'Registrato dal testo originale di un documento.', origine: 'testo originale' };

/** The option the click names, checked against a fresh reading of the stored text: nothing else can be written. */
function chosen(form: TestoOriginaleForm, text: string): LegacyOption | undefined {
  return legacyAdvice(text, form.campo).opzioni.find((o) =>
    o.azione === 'collega' ? form.azione === 'collega' && form.codice === o.code.codice
      : o.azione === 'motivo' ? form.azione === 'motivo' && form.motivo === o.motivo
        : form.azione === 'nessun_codice');
}

/**
 * The one click on a document's page for a legacy CIG/CUP text (issue 14):
 * link the code read in it (registering it, as the import would, when the
 * register does not have it), set the motivo di esclusione its phrase names,
 * or mark it «nessun codice». The text itself is never changed. Audited, at
 * the version the page showed, in one transaction.
 */
export function legacyTextResolver<R extends LegacyDocument>(knex: Knex, spec: AuditedRecord<R> & { entita: 'impegno' | 'mandato' }) {
  const records = audited(spec);
  const table = spec.entita === 'impegno' ? 'impegni' : 'mandati';

  return async function resolveLegacyText(actor: Actor, id: number, body: unknown): Promise<Result<R>> {
    const form = parseForm(testoOriginaleSchema, body, TESTO_ORIGINALE_FIELDS);
    if (!form.ok) return records.refused(knex, actor, id, form.invalid);
    const { campo } = form.data;
    const refuse = (message: string) => invalid<R>(form.submitted, { campo: message });

    return knex.transaction(async (trx) =>
      records.update(trx, actor, id, form.data.version, form.submitted, async (before) => {
        const text = before[`${campo}_testo`];
        if (!text?.trim() || before[`${campo}_testo_nessun_codice`]) return refuse(STALE);
        const option = chosen(form.data, text);
        if (!option) return refuse(STALE);
        const write = (values: object) => updateAtVersion(trx, table, actor.scuolaId, id, before.version, actor.id, values);

        if (option.azione === 'nessun_codice') return write({ [`${campo}_testo_nessun_codice`]: true });
        if (option.azione === 'motivo') {
          if (before.cig_id !== null || before.motivo_esclusione_cig !== null) return refuse('Il documento ha già un CIG o un motivo di esclusione.');
          return write({ motivo_esclusione_cig: option.motivo, [`${campo}_testo_nessun_codice`]: true });
        }
        const { code } = option;
        if (before[`${code.type}_id`] !== null) return refuse(`Il documento è già collegato a un ${code.type.toUpperCase()}: cambialo dal modulo.`);
        if (code.type === 'cig' && before.motivo_esclusione_cig !== null) return refuse('Il documento ha un motivo di esclusione: toglilo dal modulo prima di collegare un CIG.');
        // Registered as the import registers a code: a CIG waits for its data di generazione.
        if (code.type === 'cig') {
          await insertImportedCig(trx, actor.scuolaId, actor.id, [{ codice: code.codice, famiglia: code.famiglia, oggetto: oggettoProposto(oggettoOf(before)) ?? 'CIG registrato dal testo originale di un documento' }], FROM_DOCUMENT);
        } else {
          const descrizione = oggettoProposto(oggettoOf(before));
          const annoDecisione = (validateCup(code.codice) as { annoDecisione: number | null }).annoDecisione;
          // Without the document's own words the CUP waits in Da completare for its description.
          await insertImportedCup(
            trx, actor.scuolaId, actor.id,
            [{ codice: code.codice, descrizione: descrizione ?? CUP_DESCRIZIONE_IMPORTATA, anno_decisione: annoDecisione, da_completare: descrizione === null }],
            FROM_DOCUMENT,
          );
        }
        const [registered] = await findCodes(trx, code.type, actor.scuolaId, [code.codice]);
        if (!registered) return refuse(STALE);
        if (registered.stato !== 'attivo') return refuse(`Il ${code.type.toUpperCase()} ${code.codice} è ${registered.stato} nel registro: non si può collegare.`);
        return write({ [`${code.type}_id`]: registered.id });
      }),
    );
  };
}

/** The document's own words for an imported code's oggetto: an impegno's oggetto, a mandato's causale. */
function oggettoOf(row: object): string | null {
  const r = row as { oggetto?: string | null; causale?: string | null };
  return r.oggetto ?? r.causale ?? null;
}
