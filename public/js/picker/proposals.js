// @ts-check
/**
 * Proposals: choosing an option that carries `data-propone-<field>="<value>"` (a voce its
 * CUP; an impegno its CIG, CUP, beneficiario) fills those fields of the form while they are
 * still empty, and says so. A field already filled is never touched; a select gets only a
 * value it offers.
 */
import { optionByValue } from './select.js';

/** @typedef {import('./announce.js').Announce} Announce */

const PREFIX = 'data-propone-';

/**
 * The proposals an option's attributes carry: the field's name and the value, empty ones left out.
 * @param {ArrayLike<{ name: string, value: string }>} attributes
 * @returns {{ field: string, value: string }[]}
 */
export function proposalsOf(attributes) {
  return Array.from(attributes)
    .filter((a) => a.name.startsWith(PREFIX) && a.value !== '')
    .map((a) => ({ field: a.name.slice(PREFIX.length), value: a.value }));
}

/**
 * What the live region says about the choices made for the user (none: nothing).
 * @param {readonly string[]} labels
 */
export function proposalMessage(labels) {
  return labels.length ? `Proposto dalla scelta: ${labels.join('; ')}` : '';
}

/**
 * Applies one proposal to `form` if its field is there and empty. Returns the label of the
 * option chosen in a select (said aloud), null for a text field or nothing done.
 * @param {HTMLFormElement} form
 * @param {{ field: string, value: string }} proposal
 * @returns {string | null}
 */
function propose(form, { field: name, value }) {
  const field = form.elements.namedItem(name);
  if (!field || !('value' in field) || field.value !== '') return null;
  if (field instanceof window.HTMLSelectElement) {
    const match = optionByValue(field, value);
    if (!match) return null;
    field.value = value;
    return match.textContent ?? '';
  }
  field.value = value;
  return null;
}

/**
 * The visible note next to a field filled by a proposal («Dalla voce scelta: …»), also read by
 * screen readers with the field; it goes when the user changes the field.
 * @param {HTMLSelectElement | HTMLInputElement} field
 * @param {string} text
 */
export function showProposalNote(field, text) {
  const id = `${field.id || field.name}-proposta`;
  let note = document.getElementById(id);
  if (!note) {
    note = document.createElement('p');
    note.id = id;
    note.className = 'small mb-1 proposta-nota';
    note.setAttribute('data-proposta-nota', field.name);
    const wrapper = field.closest('[data-picker]') ?? field.parentElement;
    wrapper?.appendChild(note);
    const described = (field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    field.setAttribute('aria-describedby', [...described, id].join(' '));
    field.addEventListener('change', () => {
      note?.remove();
      field.setAttribute('aria-describedby', described.join(' '));
      if (!described.length) field.removeAttribute('aria-describedby');
    }, { once: true });
  }
  note.textContent = text;
}

/**
 * The words of the note: where the value came from («Voce del Piano delle destinazioni»), and the choice there.
 * @param {string} sourceLabel
 * @param {string} sourceChoice
 */
export function proposalNote(sourceLabel, sourceChoice) {
  return `Proposto dalla scelta in «${sourceLabel}» (${sourceChoice}): controlla prima di salvare.`;
}

/**
 * Listens to one `select[data-propone]`.
 * @param {HTMLSelectElement} select
 * @param {Announce} announce
 */
export function enhanceProposals(select, announce) {
  select.addEventListener('change', () => {
    const option = select.options[select.selectedIndex];
    const form = select.form;
    if (!option || !form) return;
    /** @type {string[]} */
    const labels = [];
    const sourceLabel = (select.labels?.[0]?.textContent ?? select.name).replace('*', '').trim();
    for (const proposal of proposalsOf(option.attributes)) {
      const label = propose(form, proposal);
      if (label !== null) labels.push(label);
      const field = form.elements.namedItem(proposal.field);
      if (label !== null && (field instanceof window.HTMLSelectElement || field instanceof window.HTMLInputElement)) {
        showProposalNote(field, proposalNote(sourceLabel, (option.textContent ?? '').trim()));
      }
    }
    const message = proposalMessage(labels);
    if (message) announce(message);
  });
}
