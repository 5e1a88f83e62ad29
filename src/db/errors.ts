/**
 * PostgreSQL error checks that work on both drivers: PGlite's errors are not
 * pg.DatabaseError instances, so the SQLSTATE code is tested, not the class.
 */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  if (!e || e.code !== '23505') return false;
  return constraint === undefined || e.constraint === undefined || e.constraint === constraint;
}

export function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '23503';
}
