import { XMLParser, XMLValidator } from 'fast-xml-parser';
import iconv from 'iconv-lite';
import { ExportError } from './pronote-export.js';

/**
 * The XML files schools and ENTs exchange (SIECLE, STS, AAF): decoded with the encoding they declare,
 * checked whole before anything is read (a truncated download is refused, never half read), and parsed
 * into plain objects whose elements keep their line for messages.
 */

/** One element as parsed: child elements by name (always lists), attributes by `@name`, text by `#text`. */
export type XmlNode = { [name: string]: XmlNode[] | string | undefined } & { '#line'?: string };

const DECLARED = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i;

/**
 * Text of an XML file by its declaration. A file that declares ISO-8859-15 (SIECLE's) but holds UTF-8
 * was re-saved by an editor: read as declared it would turn every « é » into « Ã© », so it is refused.
 */
export function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 200))
    .toString('latin1')
    .replace(/^\uFEFF|^ï»¿/, '');
  const declared = (head.match(DECLARED)?.[1] ?? 'UTF-8').toUpperCase();
  const utf8 = (() => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return null;
    }
  })();
  if (declared === 'UTF-8' || declared === 'UTF8') {
    if (utf8 === null) {
      const at = firstInvalidUtf8(bytes);
      throw new ExportError(
        `Ligne ${at.line} : le fichier annonce l’encodage UTF-8 mais contient des caractères dans un autre encodage (ISO-8859-15 ou Windows-1252 ?). Exportez-le à nouveau sans le modifier.`,
        at.line,
      );
    }
    return utf8.replace(/^\uFEFF/, '');
  }
  if (!iconv.encodingExists(declared)) {
    throw new ExportError(`Ligne 1 : encodage « ${declared} » inconnu dans la déclaration XML.`, 1);
  }
  // Valid UTF-8 holding multi-byte sequences under a single-byte declaration: re-saved as UTF-8.
  if (utf8 !== null && /[^\p{ASCII}]/u.test(utf8)) {
    const line = utf8.slice(0, utf8.search(/[^\p{ASCII}]/u)).split('\n').length;
    throw new ExportError(
      `Ligne ${line} : le fichier annonce l’encodage ${declared} mais son contenu est en UTF-8 (il a été réenregistré). Exportez-le à nouveau sans l’ouvrir dans un éditeur.`,
      line,
    );
  }
  return iconv.decode(Buffer.from(bytes), declared);
}

/** The line of the first byte that is not UTF-8: where a lenient decoding puts its first U+FFFD. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number } {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  return { line: lenient.slice(0, lenient.indexOf('\uFFFD')).split('\n').length };
}

/**
 * The name of the root element, read from the start of the file (after the declaration, comments and
 * doctype): which reader a file goes to, before any of them reads it whole.
 */
export function xmlRootName(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096))
    .toString('latin1')
    .replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![^>]*>/g, '');
  return head.match(/<([A-Za-z_][\w.:-]*)/)?.[1];
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

/** The element tree of a whole, well-formed document; a truncated or malformed one is refused with its line. */
export function parseXml(text: string): { root: string; node: XmlNode } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    // Elements still open at the end: the file stops before its end (a cut download, a full disk).
    const open = msg.match(/^Invalid '\[(.*)\]' found/s)?.[1]?.match(/"[^"]+"/g);
    if (open) {
      const last = text.trimEnd().split('\n').length;
      const names = open.map((n) => `<${n.slice(1, -1)}>`).join(', ');
      throw new ExportError(
        `Ligne ${last} : fichier XML tronqué, il s’arrête avant la fermeture de ${names}. Exportez-le à nouveau.`,
        last,
      );
    }
    const last = text.trimEnd().split('\n').length;
    if (line >= last) {
      throw new ExportError(
        `Ligne ${line} : fichier XML tronqué, il s’arrête au milieu d’une balise. Exportez-le à nouveau.`,
        line,
      );
    }
    // The validator speaks English; the person gets the place and the name it quotes.
    const named = msg.match(/'([^']+)'/)?.[1];
    const what = named ? ` autour de « ${named} »` : '';
    throw new ExportError(`Ligne ${line}, colonne ${col} : XML mal formé${what}.`, line, String(col));
  }
  const lineAt = lineIndex(text);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    captureMetaData: true,
    isArray: (_name, _path, isLeaf, isAttribute) => !isAttribute && !isLeaf,
  });
  const doc = parser.parse(text) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('!'));
  if (!root) throw new ExportError('Ligne 1 : aucun élément racine.', 1);
  const annotate = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(annotate);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    const start = (value as Record<symbol, { startIndex?: number }>)[META]?.startIndex;
    if (start !== undefined) out['#line'] = String(lineAt(start));
    for (const [k, v] of Object.entries(value)) out[k] = annotate(v);
    return out;
  };
  const top = doc[root];
  const node = (Array.isArray(top) ? top[0] : top) as unknown;
  return { root, node: (annotate(typeof node === 'object' && node !== null ? node : {}) as XmlNode) ?? {} };
}

function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Child elements by name: always a list, empty when absent. */
export const children = (node: XmlNode | undefined, name: string): XmlNode[] => {
  const value = node?.[name];
  return Array.isArray(value) ? value : [];
};

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  children(node, name)[0];

/** Text of a leaf child (or an attribute with `@name`), trimmed, or undefined when absent or empty. */
export const textOf = (node: XmlNode | undefined, name: string): string | undefined => {
  const value = node?.[name];
  const raw = typeof value === 'string' ? value : Array.isArray(value) ? undefined : undefined;
  const text = raw?.replace(/\s+/g, ' ').trim();
  return text ? text : undefined;
};

export const lineOf = (node: XmlNode | undefined): number => Number(node?.['#line'] ?? 0);

/** An element wrong in its content: the message names the element and its line. */
export function elementError(node: XmlNode | undefined, element: string, what: string): ExportError {
  const line = lineOf(node);
  return new ExportError(`Ligne ${line}, élément <${element}> : ${what}`, line, element);
}
