// @ts-check
/**
 * Type-to-search: a search field above a picker's <select> hides the options that do not
 * match (every word, in any order, ignoring case and accents). Enter chooses the first match
 * and goes to the select, ArrowDown just goes there. The select stays the submitted field.
 * No silent choices: Enter in an empty field does nothing, and a search that matches nothing
 * says so under the field (and to screen readers) instead of choosing anything.
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
 * What Enter chooses: the first shown option with a value, but nothing for a blank query
 * (the whole list is shown: its first entry would be a choice the user never made).
 * @template {OptionLike} O
 * @param {{ options: ArrayLike<O> }} select
 * @param {string} query
 * @returns {O | undefined}
 */
export function choiceOnEnter(select, query) {
  return queryWords(query).length ? firstShown(select) : undefined;
}

/** What a picker calls its entries when it does not say (`data-nessuno`). */
export const DEFAULT_NONE = 'Nessuna voce dell’elenco';

/**
 * The sentence for a search that matches nothing: «Nessun CIG corrisponde a «xyz»».
 * @param {string} query the field's value as typed
 * @param {string} [none] the picker's «Nessun CIG», «Nessuna voce»…
 */
export function noMatchMessage(query, none = DEFAULT_NONE) {
  return `${none} corrisponde a «${query.trim()}»`;
}

/**
 * What the live region says after typing: the count, that nothing matches, or that the whole list is back.
 * @param {string} query the field's value as typed
 * @param {number} shown
 * @param {string} [none] the picker's «Nessun CIG», «Nessuna voce»…
 */
export function resultsMessage(query, shown, none = DEFAULT_NONE) {
  if (!queryWords(query).length) return 'Elenco completo';
  if (shown === 0) return noMatchMessage(query, none);
  return shown === 1 ? '1 risultato' : `${shown} risultati`;
}

/**
 * Adds the search field to one picker (`[data-picker]`, views/partials/picker.ejs), between
 * its label and its row; `data-cerca` words the field («Cerca nell’elenco» by default),
 * `data-nessuno` the no-match sentence («Nessun CIG», see DEFAULT_NONE).
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
  const none = wrapper.getAttribute('data-nessuno') || DEFAULT_NONE;
  // The no-match sentence, on screen under the field; the live region reads it out.
  const noMatch = document.createElement('p');
  noMatch.id = `${select.id}-nessuno`;
  noMatch.className = 'form-text picker-nessuno mb-1';
  noMatch.hidden = true;
  noMatch.setAttribute('data-picker-nessuno', '');
  wrapper.insertBefore(label, row);
  wrapper.insertBefore(input, row);
  wrapper.insertBefore(noMatch, row);
  /** @param {number} shown */
  const showNoMatch = (shown) => {
    const nothing = shown === 0 && queryWords(input.value).length > 0;
    noMatch.hidden = !nothing;
    noMatch.textContent = nothing ? noMatchMessage(input.value, none) : '';
    if (nothing) input.setAttribute('aria-describedby', noMatch.id);
    else input.removeAttribute('aria-describedby');
  };
  input.addEventListener('input', () => {
    const shown = filterSelect(select, input.value);
    showNoMatch(shown);
    announce(resultsMessage(input.value, shown, none));
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      // Never a submit of the document from the search field; nothing at all when it is blank.
      event.preventDefault();
      if (!queryWords(input.value).length) return;
      const first = choiceOnEnter(select, input.value);
      if (!first) {
        // Nothing matches: say it again and stay in the field to correct the search.
        announce(noMatchMessage(input.value, none));
        return;
      }
      select.value = first.value;
      fireChange(select);
      announce(`Scelto: ${first.textContent}`);
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
  const noMatch = select.closest('[data-picker]')?.querySelector('[data-picker-nessuno]');
  if (noMatch instanceof window.HTMLElement) {
    noMatch.hidden = true;
    noMatch.textContent = '';
    search.removeAttribute('aria-describedby');
  }
}
