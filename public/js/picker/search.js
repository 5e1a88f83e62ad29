// @ts-check
/**
 * Type-to-search: a search field above a picker's <select> hides the options that do not
 * match (every word, in any order, ignoring case and accents). Enter chooses the first match
 * and goes to the select, ArrowDown just goes there. The select stays the submitted field.
 */
import { fireChange } from './select.js';

/** @typedef {import('./select.js').OptionLike} OptionLike */
/** @typedef {import('./select.js').SelectLike} SelectLike */
/** @typedef {import('./announce.js').Announce} Announce */

/**
 * Lower case, without accents: «Attività» and «attivita» are the same word.
 * @param {string} text
 */
export function fold(text) {
  return String(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * The words of a query, folded; none for a blank query.
 * @param {string} query
 * @returns {string[]}
 */
export function queryWords(query) {
  return fold(query).split(/\s+/).filter(Boolean);
}

/**
 * Whether `label` contains every word (folded, anywhere, in any order).
 * @param {string} label
 * @param {readonly string[]} words
 */
export function matches(label, words) {
  const folded = fold(label);
  return words.every((w) => folded.includes(w));
}

/**
 * Hides the options of `select` that do not match `query` and shows the others. The first
 * option, when its value is empty, is the placeholder («— scegli —»): never hidden, not counted.
 * @param {SelectLike} select
 * @param {string} query
 * @returns {number} how many options are shown
 */
export function filterSelect(select, query) {
  const words = queryWords(query);
  let shown = 0;
  Array.prototype.forEach.call(select.options, (/** @type {OptionLike} */ option, /** @type {number} */ i) => {
    if (i === 0 && option.value === '') return;
    const match = matches(option.textContent ?? '', words);
    option.hidden = !match;
    if (match) shown++;
  });
  return shown;
}

/**
 * The first shown option with a value: the one Enter chooses.
 * @template {OptionLike} O
 * @param {{ options: ArrayLike<O> }} select
 * @returns {O | undefined}
 */
export function firstShown(select) {
  return Array.prototype.find.call(select.options, (/** @type {O} */ o) => o.value !== '' && !o.hidden);
}

/**
 * What the live region says after typing: the count, or that the whole list is back.
 * @param {string} query the field's value as typed
 * @param {number} shown
 */
export function resultsMessage(query, shown) {
  if (!query) return 'Elenco completo';
  return shown === 1 ? '1 risultato' : `${shown} risultati`;
}

/**
 * Adds the search field to one picker (`[data-picker]`, views/partials/picker.ejs), between
 * its label and its row; `data-cerca` words the field («Cerca nell’elenco» by default).
 * @param {Element} wrapper
 * @param {Announce} announce
 */
export function enhanceSearch(wrapper, announce) {
  const select = wrapper.querySelector('select');
  const row = wrapper.querySelector('.picker-row');
  if (!select || !row) return;
  const words = wrapper.getAttribute('data-cerca') || 'Cerca nell’elenco';
  const id = `${select.id}-cerca`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.className = 'visually-hidden';
  label.textContent = `${words} (scrivi, poi Invio per scegliere il primo risultato)`;
  const input = document.createElement('input');
  input.type = 'search';
  input.id = id;
  input.className = 'form-control form-control-sm picker-cerca mb-1';
  input.placeholder = `${words}…`;
  input.autocomplete = 'off';
  input.setAttribute('aria-controls', select.id);
  input.setAttribute('data-picker-cerca', '');
  wrapper.insertBefore(label, row);
  wrapper.insertBefore(input, row);
  input.addEventListener('input', () => {
    announce(resultsMessage(input.value, filterSelect(select, input.value)));
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const first = firstShown(select);
      if (first) {
        select.value = first.value;
        fireChange(select);
        announce(`Scelto: ${first.textContent}`);
      }
      select.focus();
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      select.focus();
    }
  });
}

/**
 * Empties a picker's search field, if it has one with text, and shows the whole list again
 * (the + modal does it before choosing the code it registered, which may not match).
 * @param {HTMLSelectElement} select
 */
export function clearSearch(select) {
  const search = select.closest('[data-picker]')?.querySelector('input[data-picker-cerca]');
  if (!(search instanceof window.HTMLInputElement) || !search.value) return;
  search.value = '';
  filterSelect(select, '');
}
