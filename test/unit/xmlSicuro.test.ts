import { describe, expect, it } from 'vitest';
import { child, isNode, list, parseXmlSicuro, text } from '../../src/formats/xmlSicuro.js';

const OPTS = { what: 'un documento di prova', maxBytes: 1024 };

function parsed(xml: Buffer | string, opts: Parameters<typeof parseXmlSicuro>[1] = OPTS): { root: string; node: Record<string, unknown> } {
  const r = parseXmlSicuro(xml, opts);
  if (!r.ok) throw new Error(r.motivo);
  return r;
}

function refusal(xml: Buffer | string, opts: Parameters<typeof parseXmlSicuro>[1] = OPTS): string {
  const r = parseXmlSicuro(xml, opts);
  if (r.ok) throw new Error('expected a refusal');
  return r.motivo;
}

const BILLION_LAUGHS = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  '  <!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `  <!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
  '<lolz>&lol9;</lolz>',
].join('\n');

describe('parseXmlSicuro: what is refused before parsing', () => {
  it('a DOCTYPE, naming the document expected and ending with the reader’s advice', () => {
    const xml = '<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "file:///etc/passwd">\n<a>x</a>';
    expect(refusal(xml)).toBe('Il file contiene una dichiarazione DOCTYPE o ENTITY, che un documento di prova non ha mai: per sicurezza non viene letto.');
    expect(refusal(xml, { ...OPTS, consiglio: { dtd: 'Chiedine una copia.' } })).toBe(
      'Il file contiene una dichiarazione DOCTYPE o ENTITY, che un documento di prova non ha mai: per sicurezza non viene letto. Chiedine una copia.',
    );
  });

  it('an ENTITY declaration, in any case, even without a DOCTYPE before it', () => {
    expect(refusal('<a><!entity x "y"></a>')).toMatch(/DOCTYPE o ENTITY/);
  });

  it('a billion-laughs payload, at once and without expanding anything', () => {
    const started = performance.now();
    expect(refusal(BILLION_LAUGHS, { ...OPTS, maxBytes: 1024 * 1024 })).toMatch(/DOCTYPE o ENTITY/);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('an empty file, with or without advice', () => {
    expect(refusal('')).toBe('Il file è vuoto.');
    expect(refusal(Buffer.alloc(0), { ...OPTS, consiglio: { vuoto: 'caricalo di nuovo.' } })).toBe('Il file è vuoto: caricalo di nuovo.');
  });

  it('a file over the cap, counted in bytes (not characters)', () => {
    expect(refusal(Buffer.alloc(2 * 1024 * 1024, 0x20), { ...OPTS, maxBytes: 1024 * 1024 })).toBe(
      'Il file è troppo grande per essere un documento di prova (2.0 MB, al massimo 1 MB).',
    );
    const accented = `<a>${'è'.repeat(600)}</a>`;
    expect(accented.length).toBeLessThan(1024);
    expect(refusal(accented, { ...OPTS, consiglio: { troppoGrande: 'scegli il file giusto.' } })).toMatch(/^Il file è troppo grande .*MB\): scegli il file giusto\.$/);
  });
});

describe('parseXmlSicuro: well formed, one root', () => {
  it('a file that is not well formed, with the line of the error', () => {
    expect(refusal('<a>\n<b></a>')).toMatch(/^Il file non è un XML leggibile \(riga 2: .+\)\.$/);
    expect(refusal('%PDF-1.7', { ...OPTS, consiglio: { illeggibile: 'Se è firmato caricalo come .p7m.' } })).toMatch(
      /^Il file non è un XML leggibile \(riga 1: .+\)\. Se è firmato caricalo come \.p7m\.$/,
    );
  });

  it('two root elements', () => {
    expect(refusal('<a>1</a><b>2</b>')).toBe('Il file non è un XML leggibile (riga 1: Multiple possible root nodes found.).');
  });

  it('the root’s local name and content, the namespace prefix and the declaration left out', () => {
    const r = parsed('<?xml version="1.0"?><p:Radice xmlns:p="urn:x" versione="1"><p:Figlio>testo</p:Figlio></p:Radice>');
    expect(r.root).toBe('Radice');
    expect(text(r.node, 'Figlio')).toBe('testo');
    expect(r.node['@_versione']).toBeUndefined();
  });

  it('attributes, as @_name, only when asked', () => {
    const r = parsed('<Radice versione="FPA12"><Figlio>x</Figlio></Radice>', { ...OPTS, attributes: true });
    expect(r.node['@_versione']).toBe('FPA12');
  });

  it('an empty root element gives an empty node', () => {
    const r = parsed('<Radice/>');
    expect([r.root, r.node]).toEqual(['Radice', {}]);
  });

  it('numbers are kept as text', () => {
    expect(text(parsed('<a><n>0012.50</n></a>').node, 'n')).toBe('0012.50');
  });
});

describe('parseXmlSicuro: encodings', () => {
  it('windows-1252 (and its ISO-8859 kin) when the declaration says so', () => {
    for (const encoding of ['windows-1252', 'ISO-8859-1', 'iso-8859-15']) {
      const bytes = Buffer.from(`<?xml version="1.0" encoding="${encoding}"?><a><b>Attività più è</b></a>`, 'latin1');
      expect(bytes).toHaveLength(Buffer.byteLength(`<?xml version="1.0" encoding="${encoding}"?><a><b>Attività più è</b></a>`) - 3);
      expect(text(parsed(bytes).node, 'b')).toBe('Attività più è');
    }
  });

  it('UTF-8 when the declaration says so or says nothing', () => {
    expect(text(parsed(Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a><b>città</b></a>')).node, 'b')).toBe('città');
    expect(text(parsed(Buffer.from('<a><b>città</b></a>')).node, 'b')).toBe('città');
  });

  it('a BOM, in bytes or in a string', () => {
    expect(parsed(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0"?><a><b>x</b></a>')])).root).toBe('a');
    expect(parsed('\uFEFF<a><b>x</b></a>').root).toBe('a');
  });
});

describe('text, child, list, isNode', () => {
  const node = parsed(
    '<a><b>Rossi &amp; Figli &lt;srl&gt; &quot;x&quot; &apos;y&apos;</b><c>&#233; &#xE8; &#x1F600;</c><d>&amp;amp; &foo; &#0;</d>' +
      '<e>  </e><r>1</r><r>2</r><s k="v">con attributo</s></a>',
    { ...OPTS, attributes: true },
  ).node;

  it('decodes the five predefined entities and character references', () => {
    expect(text(node, 'b')).toBe('Rossi & Figli <srl> "x" \'y\'');
    expect(text(node, 'c')).toBe('é è 😀');
  });

  it('decodes once, and leaves unknown or invalid references as written', () => {
    expect(text(node, 'd')).toBe('&amp; &foo; &#0;');
  });

  it('null when absent or blank; the first when repeated; the text of an element with attributes', () => {
    expect(text(node, 'z')).toBeNull();
    expect(text(node, 'e')).toBeNull();
    expect(text(node, 'r')).toBe('1');
    expect(text(node, 's')).toBe('con attributo');
    expect(text(undefined, 'b')).toBeNull();
  });

  it('list, child and isNode take one, many or none alike', () => {
    expect(list(node['r'])).toEqual(['1', '2']);
    expect(list(node['b'])).toHaveLength(1);
    expect(list(node['z'])).toEqual([]);
    expect(child(node, 's')).toMatchObject({ '@_k': 'v' });
    expect(child(node, 'b')).toBeUndefined();
    expect(isNode(node)).toBe(true);
    expect(isNode([])).toBe(false);
    expect(isNode(null)).toBe(false);
  });
});
