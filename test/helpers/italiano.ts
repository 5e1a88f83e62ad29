import { expect } from 'vitest';

/** The text a reader sees in a page's <main> (tags dropped, entities of the templates decoded, white space single). */
export function mainText(html: string): string {
  const main = /<main\b[^>]*>([\s\S]*?)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: '\u00a0' })[e]!)
    .replace(/[ \t\r\n]+/g, ' ');
}

/**
 * Every date of the page reads dd/mm/yyyy (none YYYY-MM-DD) and every amount 1.234,56 € (the
 * thousands grouped with dots, two decimals after a comma, the euro after a non-breaking space).
 */
export function expectItalianDatesAndAmounts(html: string) {
  const text = mainText(html);
  expect(text, 'an ISO date on the page').not.toMatch(/\b\d{4}-\d{2}-\d{2}\b/);
  expect(text).toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/);
  const amounts = [...text.matchAll(/(\S*)\s?€/g)].map((m) => m[0]);
  expect(amounts.length).toBeGreaterThan(0);
  for (const a of amounts) expect(a, 'an amount not written 1.234,56 €').toMatch(/^-?\d{1,3}(\.\d{3})*,\d{2}\u00a0€$/);
}
