// @ts-check
/** The native <select> under every picker: what the other modules do to it, in one place. */

/** @typedef {{ value: string, textContent: string | null, hidden: boolean }} OptionLike */
/** @typedef {{ options: ArrayLike<OptionLike> }} SelectLike */

/**
 * The option with `value`, if the select has it.
 * @template {OptionLike} O
 * @param {{ options: ArrayLike<O> }} select
 * @param {string} value
 * @returns {O | undefined}
 */
export function optionByValue(select, value) {
  return Array.prototype.find.call(select.options, (/** @type {O} */ o) => o.value === value);
}

/**
 * Tells the page the choice changed, as the user's own choice would (the proposals listen).
 * @param {EventTarget} select
 */
export function fireChange(select) {
  select.dispatchEvent(new window.Event('change', { bubbles: true }));
}
