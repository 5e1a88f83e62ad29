// @ts-check
// Bilancio Scuola: the records' Stampa button (hidden in the page, shown here) prints the page with
// its print stylesheet. No inline handler: the CSP allows only scripts from this origin.
const buttons = /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll('button[data-stampa]'));
for (const button of buttons) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
