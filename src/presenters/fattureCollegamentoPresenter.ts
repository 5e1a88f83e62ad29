import { codiciValidi, descrizioneDalleRighe, senzaCigDaSegnalare } from '../domain/fatturaCollegamento.js';
import { formatIndirizzo } from '../domain/indirizzo.js';
import { formatDateIt } from '../domain/dates.js';
import { formatEuro } from '../domain/money.js';
import { MOTIVI_ESCLUSIONE_CIG } from '../domain/opi.js';
import { shortened } from '../domain/text.js';
import type { CodiceRow } from '../repositories/fattureRepository.js';
import type { ImpegnoPerFattura } from '../repositories/fattureCollegamentoRepository.js';
import type { CollegamentoPage, EsitoAzione } from '../services/fattureCollegamento.js';
import { addQuery, paths } from '../paths.js';

/**
 * The invoice page's part on its codes, its supplier and its impegno
 * (views/fatture/_collegamento.ejs): each code against the registers with the
 * one-click registration, the "senza CIG" flag explained, the creditore to
 * link or create, the impegno tied or the ones to propose with their residuo.
 */

type Link = { href: string; text: string };

export type CodicePresentato = {
  tipo: 'CIG' | 'CUP';
  scritto: string;
  codice: string | null;
  /** registrato | da_registrare | correzione | non_valido */
  stato: 'registrato' | 'da_registrare' | 'correzione' | 'non_valido';
  /** What it is, in a few words (the badge). */
  etichetta: string;
  /** The validator's message, the note on the other field, the supplier's mistake. */
  nota: string | null;
  link: Link | null;
  righe: string | null;
};

const motivoLabel = (value: string | null) => (value === null ? null : (MOTIVI_ESCLUSIONE_CIG.find((m) => m.value === value)?.label ?? value));

function registraLink(page: CollegamentoPage, c: CodiceRow, codice: string): Link {
  const f = page.fattura;
  const descrizione = page.linee ? descrizioneDalleRighe(page.linee, c.righe) : '';
  const scrittoMale = c.esito === 'correzione' ? ` Il fornitore ha scritto «${c.scritto}».` : '';
  const note = `Dalla fattura n. ${f.numero} del ${formatDateIt(f.data)} di ${f.fornitore_denominazione.replace(/\.$/, '')}.${scrittoMale}`;
  const ritorno = paths.fatture.show(f.id);
  const href = c.tipo === 'cig'
    ? addQuery(paths.cig.nuovo, { codice, oggetto: descrizione, fornitore_id: f.creditore_id ?? undefined, note, ritorno })
    : addQuery(paths.cup.nuovo, { codice, descrizione, note, ritorno });
  return { href, text: `Registra il ${c.tipo.toUpperCase()} ${codice}` };
}

export function presentCodice(page: CollegamentoPage, c: CodiceRow): CodicePresentato {
  const tipo = c.tipo === 'cig' ? 'CIG' : 'CUP';
  const righe = c.righe.length > 0 ? `Righe ${c.righe.join(', ')}` : null;
  const base = { tipo, scritto: c.scritto, codice: c.codice, righe } as const;
  const registered = (codice: string): Pick<CodicePresentato, 'stato' | 'link'> =>
    c.registro_id !== null
      ? { stato: 'registrato', link: { href: (c.tipo === 'cig' ? paths.cig : paths.cup).show(c.registro_id), text: `${tipo} ${codice} nel registro` } }
      : { stato: 'da_registrare', link: registraLink(page, c, codice) };
  const annullato = c.registro_stato === 'annullato' ? ` È annullato nel registro: controlla.` : '';

  switch (c.esito) {
    case 'valido': {
      const r = registered(c.codice!);
      return { ...base, ...r, etichetta: r.stato === 'registrato' ? 'Nel registro' : 'Valido, non nel registro', nota: annullato.trim() || null };
    }
    case 'altro_campo': {
      const r = registered(c.codice!);
      const campo = c.campo === 'cig' ? 'CIG' : 'CUP';
      return {
        ...base, ...r,
        etichetta: `${tipo} scritto nel campo del ${campo}`,
        nota: `${c.motivo ?? `Il fornitore ha scritto un ${tipo} nel campo del ${campo}: vale come ${tipo}.`}${annullato}`,
      };
    }
    case 'correzione': {
      const link = c.registro_id !== null
        ? { href: (c.tipo === 'cig' ? paths.cig : paths.cup).show(c.registro_id), text: `${tipo} ${c.codice} nel registro` }
        : registraLink(page, c, c.codice!);
      return {
        ...base, stato: 'correzione', link,
        etichetta: 'Scritto male dal fornitore',
        nota: `${c.motivo ?? ''} Il fornitore ha scritto il codice in modo sbagliato: per pagare serve il codice giusto, controllalo sul contratto.`.trim(),
      };
    }
    default:
      return { ...base, stato: 'non_valido', link: null, etichetta: 'Non valido', nota: c.motivo };
  }
}

function impegnoLabel(i: ImpegnoPerFattura) {
  return `n. ${i.numero}/${i.esercizio} – ${shortened(i.oggetto, 70)}`;
}

function presentImpegno(i: ImpegnoPerFattura, cigFattura: string[]) {
  return {
    id: i.id,
    label: impegnoLabel(i),
    href: paths.impegni.show(i.id),
    data: formatDateIt(i.data),
    creditore: i.creditore ?? '—',
    cig: i.cig,
    cup: i.cup,
    motivoEsclusione: motivoLabel(i.motivo_esclusione_cig),
    importo: formatEuro(i.importo_cents),
    residuo: formatEuro(i.importo_cents - i.pagato_cents),
    stessoCig: i.cig !== null && cigFattura.includes(i.cig),
  };
}

export function fatturaCollegamentoPart(page: CollegamentoPage, esito?: EsitoAzione) {
  const f = page.fattura;
  const validi = codiciValidi(page.codici);
  const nessunCig = page.codici.every((c) => c.tipo !== 'cig');
  const fornitore = (() => {
    if (f.creditore_id !== null) return { tipo: 'associato' as const, denominazione: f.creditore ?? '', href: paths.creditori.show(f.creditore_id) };
    if (page.fornitore?.trovato) return { tipo: 'trovato' as const, denominazione: page.fornitore.trovato.denominazione, href: paths.creditori.show(page.fornitore.trovato.id) };
    const p = page.fornitore?.proposto ?? null;
    if (p && (p.partita_iva || p.codice_fiscale)) {
      return {
        tipo: 'da_creare' as const,
        denominazione: p.denominazione,
        campi: [
          { label: 'Denominazione', value: p.denominazione },
          { label: 'Partita IVA', value: p.partita_iva ?? '—' },
          { label: 'Codice fiscale', value: p.codice_fiscale ?? '—' },
          { label: 'Indirizzo', value: formatIndirizzo(p) ?? '—' },
          { label: 'IBAN', value: p.iban ?? '—' },
        ],
      };
    }
    return { tipo: 'a_mano' as const, denominazione: f.fornitore_denominazione, href: paths.creditori.nuovo() };
  })();
  const conferma = esito && !esito.ok && esito.kind === 'conferma' ? esito : null;
  const impegno = page.impegno;
  return {
    id: f.id,
    version: f.version,
    actions: { collega: paths.fatture.collega(f.id), scollega: paths.fatture.scollega(f.id), creditore: paths.fatture.creditore(f.id) },
    codici: page.codici.map((c) => presentCodice(page, c)),
    nessunCodice: page.codici.length === 0,
    senzaCig: senzaCigDaSegnalare(f.senza_cig, impegno?.motivo_esclusione_cig)
      ? {
          testo: nessunCig
            ? 'La fattura non riporta nessun CIG.'
            : 'La fattura non riporta nessun CIG valido (i codici scritti nel campo CIG non lo sono).',
          spiegazione:
            'Per legge (art. 25 DL 66/2014) una fattura senza il CIG del contratto non si può pagare, salvo le spese escluse dal CIG. ' +
            'La segnalazione scompare quando colleghi la fattura a un impegno che indica il motivo di esclusione del CIG; altrimenti chiedi al fornitore una nota di credito e una nuova fattura con il CIG.',
        }
      : null,
    esclusioneCig: f.senza_cig && impegno?.motivo_esclusione_cig ? motivoLabel(impegno.motivo_esclusione_cig) : null,
    fornitore,
    impegno: impegno
      ? {
          ...presentImpegno(impegno, validi.cig),
          motivoCollegamento: f.motivo_collegamento,
          scollegabile: f.pagato_cents === 0,
          pagato: formatEuro(f.pagato_cents),
        }
      : null,
    proposte: page.proposte.map((i) => presentImpegno(i, validi.cig)),
    cercaImpegno: {
      esercizio: String(page.esercizio),
      hint: `Qualsiasi impegno della scuola: per esempio numero 12, esercizio ${page.esercizio}.`,
    },
    esercizi: `${page.esercizio - 1} e ${page.esercizio}`,
    conferma: conferma
      ? {
          rifiuti: conferma.rifiuti,
          avvisi: conferma.avvisi,
          impegno: impegnoLabel(conferma.impegno),
          impegnoId: String(conferma.impegno.id),
          motivo: conferma.values.motivo ?? '',
        }
      : null,
    conflitto: esito !== undefined && !esito.ok && esito.kind === 'conflict',
    valori: esito && !esito.ok && esito.kind === 'invalid' ? esito.values : {},
  };
}
