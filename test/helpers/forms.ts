import { expect } from 'vitest';

/**
 * Reads a server-rendered form as a browser would submit it: the action and
 * the current value of every field (inputs, checked boxes and radios, selected
 * options, textareas). Lets a test change a few fields and post the rest as is.
 */
const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39|#x27|apos);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", apos: "'" })[e]!);

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
};

export type FormFields = { action: string; fields: Record<string, string>; options: Record<string, string[]> };

export function readForm(html: string, selector: { id?: string; action?: string } = {}): FormFields {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms.find((f) => {
    const open = /<form\b[^>]*>/.exec(f)![0];
    return (selector.id === undefined || attr(open, 'id') === selector.id) && (selector.action === undefined || attr(open, 'action') === selector.action) && /method="post"/.test(open);
  });
  if (!form) throw new Error(`Form not found: ${JSON.stringify(selector)}`);
  const fields: Record<string, string> = {};
  const options: Record<string, string[]> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name) continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields[name] = attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
  }
  for (const [, open, body] of form.matchAll(/(<select\b[^>]*>)([\s\S]*?)<\/select>/g)) {
    const name = attr(open!, 'name');
    if (!name) continue;
    const opts = [...body!.matchAll(/<option\b([^>]*)>/g)].map((o) => ({ value: attr(`<option ${o[1]}>`, 'value') ?? '', selected: /\sselected\b/.test(o[1]!) }));
    options[name] = opts.map((o) => o.value);
    fields[name] = (opts.find((o) => o.selected) ?? opts[0])?.value ?? '';
  }
  for (const [, open, body] of form.matchAll(/(<textarea\b[^>]*>)([\s\S]*?)<\/textarea>/g)) {
    const name = attr(open!, 'name');
    if (name) fields[name] = decode(body!.replace(/^\n/, ''));
  }
  return { action: attr(/<form\b[^>]*>/.exec(form)![0], 'action')!, fields, options };
}

/**
 * A refused form: 422, the field's message, and the error summary's link to the
 * field (the page a secretary sees when one field is wrong).
 */
export function expectFieldRefused(res: { status: number; text: string }, field: string, message: RegExp | string) {
  expect(res.status, field).toBe(422);
  expect(res.text).toMatch(message);
  expect(res.text).toContain(`href="#${field}"`);
}
