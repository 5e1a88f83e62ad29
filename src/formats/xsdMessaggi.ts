/**
 * xmllint's schema messages (libxml2, in English) said in Italian for the
 * secretary: the element, then what is wrong with it. The common shapes are
 * translated; an unknown one is kept as xmllint wrote it, never lost.
 */

const elementName = (raw: string) => raw.replace(/^\{[^}]*\}/, '').replace(/^[\w-]+:/, '');

const expected = (list: string) => {
  const names = list.split(',').map((s) => elementName(s.trim())).filter(Boolean);
  return names.length === 1 ? `è atteso ${names[0]}` : `è atteso uno tra ${names.join(', ')}`;
};

const short = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}…` : value);

/** A text pattern of the schema: Latin characters only, up to a length; or a fixed shape. */
function patternMessage(value: string, pattern: string): string {
  const max = /\{(?:\d+),(\d+)\}\)?$/.exec(pattern)?.[1];
  if (/IsBasicLatin|IsLatin/.test(pattern)) {
    const latin1 = pattern.includes('Latin-1');
    const chars = latin1 ? 'solo lettere latine, anche accentate, senza – ’ “ ” €' : 'solo lettere latine senza accenti, cifre e punteggiatura semplice';
    return `il valore «${short(value)}» contiene caratteri non ammessi (${chars})${max ? ` o supera ${max} caratteri` : ''}`;
  }
  return `il valore «${short(value)}» non ha la forma richiesta`;
}

type Rule = [RegExp, (m: RegExpMatchArray) => string];

const RULES: Rule[] = [
  [/^\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\.?$/s, (m) => patternMessage(m[1]!, m[2]!)],
  [/^\[facet 'maxLength'\] The value has a length of '(\d+)'; this exceeds the allowed maximum length of '(\d+)'\.?$/, (m) => `il valore è lungo ${m[1]} caratteri, al massimo ${m[2]}`],
  [/^\[facet 'minLength'\] The value has a length of '(\d+)'; this underruns the allowed minimum length of '(\d+)'\.?$/, (m) => `il valore è lungo ${m[1]} caratteri, almeno ${m[2]}`],
  [/^\[facet 'length'\] The value has a length of '(\d+)'; this differs from the allowed length of '(\d+)'\.?$/, (m) => `il valore è lungo ${m[1]} caratteri, devono essere ${m[2]}`],
  [/^\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{.*\}\.?$/s, (m) => `il valore «${short(m[1]!)}» non è tra quelli ammessi`],
  [/^\[facet '(?:minInclusive|maxInclusive|minExclusive|maxExclusive|totalDigits|fractionDigits)'\] The value '(.*?)'.*$/s, (m) => `il valore «${short(m[1]!)}» è fuori dai limiti ammessi`],
  [/^'(.*)' is not a valid value of the (?:local )?(?:atomic|union|list) type(?: '.*')?\.?$/s, (m) => `il valore «${short(m[1]!)}» non è valido (data aaaa-mm-gg, importo con il punto decimale, …)`],
  [/^This element is not expected\. Expected is (?:one of )?\( (.*) \)\.?$/, (m) => `elemento non previsto in questo punto: ${expected(m[1]!)}`],
  [/^This element is not expected\.?$/, () => 'elemento non previsto in questo punto'],
  [/^Missing child element\(s\)\. Expected is (?:one of )?\( (.*) \)\.?$/, (m) => `manca un elemento: ${expected(m[1]!)}`],
  [/^No matching global declaration available for the validation root\.?$/, () => 'non è l’elemento radice previsto dallo schema'],
  [/^Character content other than whitespace is not allowed because the content type is 'element-only'\.?$/, () => 'contiene testo dove sono ammessi solo altri elementi'],
  [/^The attribute '(.*)' is required but missing\.?$/, (m) => `manca l’attributo ${m[1]}`],
  [/^The attribute '(.*)' is not allowed\.?$/, (m) => `l’attributo ${m[1]} non è ammesso`],
];

/** One xmllint message in Italian: «Elemento X: …». */
export function messaggioSchema(message: string): string {
  const text = message.replace(/^Schemas validity error\s*:\s*/i, '').replace(/\s+/g, ' ').trim();
  const head = /^Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$/s.exec(text);
  if (!head) return text;
  const [, element, attribute, rest] = head;
  const where = attribute ? `Elemento ${elementName(element!)}, attributo ${attribute}` : `Elemento ${elementName(element!)}`;
  for (const [pattern, say] of RULES) {
    const m = pattern.exec(rest!);
    if (m) return `${where}: ${say(m)}.`;
  }
  return text;
}
