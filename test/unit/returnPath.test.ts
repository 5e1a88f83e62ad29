import { describe, expect, it } from 'vitest';
import { returnWithin, safeReturnPath } from '../../src/paths.js';

describe('safeReturnPath: the one guard for a return address from the request', () => {
  it.each([
    '/',
    '/cig',
    '/cig?q=arredi&stato=attivo&pagina=2',
    '/impegni/nuovo?cig_id=3&oggetto=Arredi+aula',
    '/cig?q=caff%C3%A8',
    '/mandati/12/modifica',
  ])('keeps the same-site path %s', (value) => {
    expect(safeReturnPath(value)).toBe(value);
  });

  it.each([
    ['protocol-relative', '//evil.com'],
    ['backslash after the slash', '/\\evil.com'],
    ['backslash later on', '/cig\\..\\\\evil.com'],
    ['encoded backslash', '/%5Cevil.com'],
    ['encoded backslash, lower case', '/%5cevil.com'],
    ['encoded slash', '/%2Fevil.com'],
    ['tab between the slashes', '/\t/evil.com'],
    ['newline between the slashes', '/\n/evil.com'],
    ['encoded tab', '/%09/evil.com'],
    ['carriage return', '/cig\r\nSet-Cookie: x=1'],
    ['space', '/ /evil.com'],
    ['absolute URL', 'https://evil.com'],
    ['scheme without slashes', 'https:evil.com'],
    ['javascript', 'javascript:alert(1)'],
    ['javascript with a comment', 'javascript:alert(1)//'],
    ['full-width solidus', '/\uFF0Fevil.com'],
    ['full-width reverse solidus', '/\uFF3Cevil.com'],
    ['ideographic full stop', '/evil\u3002com'],
    ['division slash', '/\u2215evil.com'],
    ['fraction slash', '/\u2044evil.com'],
    ['broken percent encoding', '/cig?q=%E0'],
    ['empty', ''],
    ['too long', `/${'a'.repeat(600)}`],
    ['not a string', ['/cig']],
  ])('refuses a %s (%j)', (_label, value) => {
    expect(safeReturnPath(value)).toBeNull();
  });

  it('keeps a return inside its base, else the base', () => {
    expect(returnWithin('/cig', '/cig?q=x')).toBe('/cig?q=x');
    expect(returnWithin('/cig', '/cup?q=x')).toBe('/cig');
    expect(returnWithin('/cig', '/cigevil')).toBe('/cig');
    expect(returnWithin('/cig', '/cig?q=a\\b')).toBe('/cig');
    expect(returnWithin('/cig', undefined)).toBe('/cig');
  });
});
