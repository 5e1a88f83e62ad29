import type { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormErrors = { errorList: { field: string; text: string }[]; fieldErrors: FieldErrors };

/** One converter from zod issues to what the layout shows: a summary and a message per field. */
export function toFormErrors(error: z.ZodError): FormErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (!(field in fieldErrors)) fieldErrors[field] = issue.message;
  }
  return fromFieldErrors(fieldErrors);
}

export function fromFieldErrors(fieldErrors: FieldErrors): FormErrors {
  return { errorList: Object.entries(fieldErrors).map(([field, text]) => ({ field, text })), fieldErrors };
}

