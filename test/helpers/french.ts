/**
 * French typography as the pages print it: one apostrophe (’), a narrow non-breaking space (U+202F) before
 * ? ! ; and a non-breaking space (U+00A0) before : and » and after «, so that no sign starts a line alone.
 */

const NARROW = '\u202f';
const NBSP = '\u00a0';

/**
 * The string a page prints for French typed with plain spaces and straight apostrophes: tests write what a
 * person reads, `fr('Correction : Annulée')`, and match the real characters.
 */
export function fr(plain: string): string {
  return plain
    .replace(/(?<![\p{L}])((?:[ldnscjmt]|qu|jusqu|lorsqu|puisqu|quelqu|aujourd))'(?=\p{L})/giu, '$1’')
    .replace(/ ([?!;])/g, `${NARROW}$1`)
    .replace(/ ([:»])/g, `${NBSP}$1`)
    .replace(/« /g, `«${NBSP}`);
}

const NB = '[\\u00a0\\u202f]';

/** Each typographic fault of a French text, told with the words around it. */
export function typographyFaults(text: string): string[] {
  const found: string[] = [];
  const around = (i: number) => JSON.stringify(text.slice(Math.max(0, i - 30), i + 5));
  for (const m of text.matchAll(/'/g)) found.push(`straight apostrophe in ${around(m.index)}`);
  for (const m of text.matchAll(new RegExp(`(?<!${NB})[?!;»]`, 'g')))
    found.push(`no non-breaking space before « ${m[0]} » in ${around(m.index)}`);
  for (const m of text.matchAll(new RegExp(`(?<!${NB}):(?=\\s|$)`, 'g')))
    found.push(`no non-breaking space before « : » in ${around(m.index)}`);
  for (const m of text.matchAll(new RegExp(`«(?!${NB})`, 'g')))
    found.push(`no non-breaking space after « « » in ${around(m.index)}`);
  return found;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: NBSP, '#39': "'" };
const decode = (s: string) =>
  s.replace(/&(#x[\da-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });

/** Attributes a person reads or hears: tooltips, accessible names, placeholders, button captions. */
const READ_ATTRIBUTES = /\s(?:title|aria-label|alt|placeholder)="([^"]*)"/g;

/**
 * The French a person reads on an HTML page: its text (scripts, styles and code left out) and the attributes
 * above, as separate pieces so that a fault is told where it is. The HTML is the server's own, attributes
 * quoted and escaped, which a few patterns read reliably.
 */
export function readableTexts(html: string): string[] {
  const body = html.replace(/<(script|style|code|pre|textarea)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ');
  const pieces: string[] = [];
  for (const tag of body.matchAll(/<[^>]+>/g)) {
    for (const a of tag[0].matchAll(READ_ATTRIBUTES)) pieces.push(decode(a[1] ?? ''));
    const button =
      /^<input\b[^>]*\stype="(?:submit|button)"/.test(tag[0]) && /\svalue="([^"]*)"/.exec(tag[0]);
    if (button) pieces.push(decode(button[1] ?? ''));
  }
  // Tags join the text around them without a space: a sign right after an element is still checked.
  pieces.push(decode(body.replace(/<[^>]+>/g, '')));
  return pieces;
}

/** The faults of a page's French text. */
export function pageTypographyFaults(html: string): string[] {
  return readableTexts(html).flatMap(typographyFaults);
}
