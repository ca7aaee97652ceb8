import iconv from 'iconv-lite';
import { SaxesParser } from 'saxes';
import { ExportError } from './pronote-export.js';

/**
 * An XML file read chunk by chunk, never held whole (a region's AAF delivery is a gigabyte): decoded with
 * the encoding it declares, checked by a conforming parser as it goes, and refused in French with the
 * line where it goes wrong and the element it was in. What the reader kept before a refusal is the
 * caller's to drop: it writes nothing until the end.
 */

export interface XmlHandlers {
  /** An element opens, with its attributes and the line of its `<`. */
  open(name: string, attributes: Record<string, string>, line: number): void;
  /** Character data inside the element last opened (entities resolved); may come in several pieces. */
  text(text: string): void;
  close(name: string): void;
}

const DECLARED = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i;
/** Enough bytes to hold an XML declaration. */
const HEAD_BYTES = 256;

const countLines = (text: string) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
};

/** Whether the bytes at `at` start a UTF-8 multi-byte sequence (what an editor re-saving as UTF-8 writes). */
function utf8SequenceAt(bytes: Uint8Array, at: number): boolean {
  const lead = bytes[at] ?? 0;
  const size =
    lead >= 0xc2 && lead <= 0xdf
      ? 2
      : lead >= 0xe0 && lead <= 0xef
        ? 3
        : lead >= 0xf0 && lead <= 0xf4
          ? 4
          : 0;
  if (size === 0 || at + size > bytes.length) return false;
  for (let i = 1; i < size; i += 1) if (((bytes[at + i] ?? 0) & 0xc0) !== 0x80) return false;
  return true;
}

export class XmlStream {
  private readonly parser: SaxesParser;
  /** Elements open, outermost first: what a truncated file leaves unclosed. */
  private readonly stack: string[] = [];
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private decode: ((bytes: Uint8Array) => string) | null = null;
  /** For a single-byte encoding, until the first byte above ASCII has been looked at. */
  private checkResaved = false;
  private declared = 'UTF-8';
  /** On a closing tag that skips an element, the parser closes that one first, then complains. */
  private lastClosed = '';

  /**
   * `lines: false` skips counting lines and columns, a tenth of the parsing: for a reader that, refused,
   * reads the file again with them to say where.
   */
  constructor(handlers: XmlHandlers, options: { lines?: boolean } = {}) {
    this.parser = new SaxesParser({ position: options.lines ?? true });
    const p = this.parser;
    p.on('opentag', (tag) => {
      this.stack.push(tag.name);
      handlers.open(tag.name, tag.attributes as Record<string, string>, p.line);
    });
    p.on('text', (text) => handlers.text(text));
    p.on('cdata', (text) => handlers.text(text));
    p.on('closetag', (tag) => {
      this.lastClosed = tag.name;
      this.stack.pop();
      handlers.close(tag.name);
    });
    p.on('error', (err) => {
      throw this.malformed(err.message);
    });
  }

  write(bytes: Uint8Array): void {
    if (this.decode === null) {
      this.head.push(bytes);
      this.headBytes += bytes.length;
      if (this.headBytes < HEAD_BYTES) return;
      this.start();
    } else this.feed(bytes);
  }

  /** The end of the file: a document still open was cut short. */
  end(): void {
    if (this.decode === null) this.start();
    const last = this.parser.line;
    if (this.stack.length > 0) {
      const names = this.stack.map((n) => `<${n}>`).join(', ');
      throw new ExportError(
        `Ligne ${last} : fichier XML tronqué, il s’arrête avant la fermeture de ${names}. Exportez-le à nouveau.`,
        last,
      );
    }
    this.parser.close();
  }

  private start(): void {
    const bytes = Buffer.concat(this.head);
    this.head = [];
    const text = bytes
      .subarray(0, 200)
      .toString('latin1')
      .replace(/^\uFEFF|^ï»¿/, '');
    const declared = (text.match(DECLARED)?.[1] ?? 'UTF-8').toUpperCase();
    this.declared = declared;
    if (declared === 'UTF-8' || declared === 'UTF8') {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      this.decode = (chunk) => {
        try {
          return decoder.decode(chunk, { stream: true });
        } catch {
          const lenient = new TextDecoder('utf-8').decode(chunk);
          const line = this.parser.line + countLines(lenient.slice(0, lenient.indexOf('\uFFFD')));
          throw new ExportError(
            `Ligne ${line} : le fichier annonce l’encodage UTF-8 mais contient des caractères dans un autre encodage (ISO-8859-15 ou Windows-1252 ?). Exportez-le à nouveau sans le modifier.`,
            line,
          );
        }
      };
    } else {
      if (!iconv.encodingExists(declared)) {
        throw new ExportError(`Ligne 1 : encodage « ${declared} » inconnu dans la déclaration XML.`, 1);
      }
      const decoder = iconv.getDecoder(declared);
      this.checkResaved = true;
      this.decode = (chunk) => decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    }
    this.feed(bytes);
  }

  private feed(bytes: Uint8Array): void {
    if (this.checkResaved) {
      const at = bytes.findIndex((b) => b >= 0x80);
      if (at !== -1) {
        this.checkResaved = false;
        // Multi-byte UTF-8 under a single-byte declaration: read as declared, every « é » would be « Ã© ».
        if (utf8SequenceAt(bytes, at)) {
          const line = this.parser.line + countLines(Buffer.from(bytes.subarray(0, at)).toString('latin1'));
          throw new ExportError(
            `Ligne ${line} : le fichier annonce l’encodage ${this.declared} mais son contenu est en UTF-8 (il a été réenregistré). Exportez-le à nouveau sans l’ouvrir dans un éditeur.`,
            line,
          );
        }
      }
    }
    const text = this.decode?.(bytes) ?? '';
    if (text !== '') this.parser.write(text);
  }

  /** The parser speaks English: the person gets the place and the element it was in. */
  private malformed(message: string): ExportError {
    const line = this.parser.line;
    const column = this.parser.column + 1;
    const unclosed = message.includes('unexpected close tag')
      ? this.lastClosed
      : message.match(/unclosed tag: ([^\s.]+)/)?.[1];
    const unmatched = message.match(/unmatched closing tag: ([^\s.]+)/)?.[1];
    const inside = this.stack.at(-1);
    const what = unclosed
      ? ` : <${unclosed}> n’est pas fermé`
      : unmatched
        ? ` : </${unmatched}> ne ferme aucun élément ouvert`
        : inside
          ? ` dans <${inside}>`
          : '';
    return new ExportError(`Ligne ${line}, colonne ${column} : XML mal formé${what}.`, line, String(column));
  }
}
