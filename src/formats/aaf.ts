import type { Profile } from '../pronote/model.js';
import { dateKey } from '../pronote/normalise.js';
import { noms, type PeopleFile, type SchoolPerson } from './people.js';
import { ExportError } from './pronote-export.js';
import { XmlStream } from './xml-stream.js';

/**
 * AAF feeds (root ficAlimMENESR): the records the ENT is fed from, one `addRequest` per person with
 * its `categoriePersonne` and attributes: `sn` (usage name), `ENTPersonNomPatro` (birth name),
 * `givenName`, `ENTPersonDateNaissance` (JJ/MM/AAAA, often empty for parents), `ENTPersonCodePostal`,
 * `ENTPersonJointure` (the id the ENT console shows as « Identifiant SIECLE »). No login: the ENT makes
 * those, so an AAF file completes an ENT console export, it does not replace it.
 *
 * Read as a stream, one record at a time: a region's delivery holds a million people in files of
 * hundreds of megabytes, and only the record being read is held.
 */

export const AAF_ROOT = 'ficAlimMENESR';

/** One `addRequest` as read: its line, and the values of each attribute by name (empty ones left out). */
interface AafRecord {
  line: number;
  id?: string;
  operational: Map<string, string[]>;
  attributes: Map<string, string[]>;
}

/**
 * A person of an AAF file, with the schools its `ENTPersonStructRattach` names by UAI, and every value
 * it holds: an académie's delivery names structures by their `ENTStructureJointure`, which its
 * `EtabEducNat` file maps to a UAI.
 */
export interface AafPerson {
  person: SchoolPerson;
  schools: string[];
  structures: string[];
}

const UAI = /^\d{7}[A-Z]$/;

const fail = (line: number, element: string, what: string): never => {
  throw new ExportError(`Ligne ${line}, élément <${element}> : ${what}`, line, element);
};

/** `PersEducNat` covers teachers and every other staff: those in front of pupils, or with an ENS function, teach. */
function profileOf(record: AafRecord, categorie: string): Profile | null {
  switch (categorie) {
    case 'Eleve':
      return 'eleve';
    case 'PersRelEleve':
      return 'responsable';
    case 'PersEducNat': {
      const teaches =
        record.attributes.get('PersEducNatPresenceDevantEleves')?.[0] === 'O' ||
        (record.attributes.get('ENTPersonFonctions') ?? []).some((f) => f.split('$')[1] === 'ENS');
      return teaches ? 'professeur' : 'personnel';
    }
    default:
      return null;
  }
}

/** The person a record describes; null for a record without categoriePersonne (a structure). */
function personOf(record: AafRecord): AafPerson | null {
  const categorie = record.operational.get('categoriePersonne')?.[0];
  if (categorie === undefined) return null;
  const first = (name: string) => record.attributes.get(name)?.[0];
  const profile = profileOf(record, categorie);
  if (profile === null) {
    return fail(
      record.line,
      'addRequest',
      `categoriePersonne « ${categorie} » inconnue (attendu Eleve, PersRelEleve ou PersEducNat).`,
    );
  }
  const sourceId = first('ENTPersonJointure') ?? record.id;
  if (!sourceId) return fail(record.line, 'identifier', 'ni ENTPersonJointure ni identifiant.');
  const { nom, nomNaissance } = noms(first('ENTPersonNomPatro'), first('sn'));
  const prenom = first('givenName');
  if (!nom) return fail(record.line, 'sn', `nom absent (${sourceId}).`);
  if (!prenom) return fail(record.line, 'givenName', `prénom absent (${sourceId}).`);
  const rawDate = first('ENTPersonDateNaissance');
  const dateNaissance = rawDate === undefined ? undefined : dateKey(rawDate);
  if (dateNaissance === null) {
    return fail(record.line, 'ENTPersonDateNaissance', `date « ${rawDate} » illisible (attendu JJ/MM/AAAA).`);
  }
  const codePostal = first('ENTPersonCodePostal');
  const eleveIds = record.attributes.get('ENTEleveAutoriteParentale') ?? [];
  return {
    schools: (record.attributes.get('ENTPersonStructRattach') ?? []).filter((s) => UAI.test(s)),
    structures: record.attributes.get('ENTPersonStructRattach') ?? [],
    person: {
      line: record.line,
      sourceId,
      profile,
      nom,
      ...(nomNaissance ? { nomNaissance } : {}),
      prenom,
      ...(dateNaissance ? { dateNaissance } : {}),
      ...(codePostal ? { codePostal } : {}),
      ...(eleveIds.length > 0 ? { eleveIds } : {}),
    },
  };
}

export interface AafTotals {
  people: number;
  /** Records without categoriePersonne: the structures, read by the ENT, not people. */
  structures: number;
}

/**
 * Reads an AAF file fed in chunks (`write`, then `end`), handing each person to `onPerson` as soon as
 * its record closes. A file that is not an AAF one, or a record the format does not allow, is refused
 * with its line and element.
 */
export class AafReader {
  private readonly xml: XmlStream;
  private record: AafRecord | null = null;
  private section: Map<string, string[]> | null = null;
  private values: string[] | null = null;
  /** Text of the `<value>` or `<id>` being read. */
  private text: string | null = null;
  private depth = 0;
  private readonly totals: AafTotals = { people: 0, structures: 0 };

  /** `lines: false`: faster, but a refusal's line is wrong; read the file again with lines to say where. */
  constructor(
    onPerson: (read: AafPerson) => void,
    options: {
      lines?: boolean;
      /** A structure record (`EtabEducNat`): its `ENTStructureJointure` and UAI. */
      onStructure?: (jointure: string, uai: string) => void;
    } = {},
  ) {
    this.xml = new XmlStream(
      {
        open: (name, attributes, line) => {
          this.depth += 1;
          if (this.depth === 1) {
            if (name !== AAF_ROOT)
              fail(line, name, `pas un fichier AAF (élément racine attendu : <${AAF_ROOT}>).`);
            return;
          }
          const record = this.record;
          if (record === null) {
            if (name === 'addRequest' && this.depth === 2) {
              this.record = { line, operational: new Map(), attributes: new Map() };
            }
            return;
          }
          if (name === 'operationalAttributes') this.section = record.operational;
          else if (name === 'attributes') this.section = record.attributes;
          else if (name === 'attr' && this.section) {
            const attrName = attributes.name ?? '';
            // A name given twice keeps its first values, as a directory reads the first attribute.
            const list: string[] = [];
            if (!this.section.has(attrName)) this.section.set(attrName, list);
            this.values = list;
          } else if ((name === 'value' && this.values) || name === 'id') this.text = '';
        },
        text: (text) => {
          if (this.text !== null) this.text += text;
        },
        close: (name) => {
          this.depth -= 1;
          const record = this.record;
          if (record === null) return;
          if (name === 'value' && this.text !== null) {
            const value = this.text.replace(/\s+/g, ' ').trim();
            if (value !== '') this.values?.push(value);
            this.text = null;
          } else if (name === 'id' && this.text !== null) {
            record.id = this.text.trim() || undefined;
            this.text = null;
          } else if (name === 'attr') this.values = null;
          else if (name === 'operationalAttributes' || name === 'attributes') this.section = null;
          else if (name === 'addRequest' && this.depth === 1) {
            this.record = null;
            const read = personOf(record);
            if (read === null) {
              this.totals.structures += 1;
              const jointure = record.attributes.get('ENTStructureJointure')?.[0];
              const uai = record.attributes.get('ENTStructureUAI')?.[0];
              if (jointure && uai && UAI.test(uai)) options.onStructure?.(jointure, uai);
            } else {
              this.totals.people += 1;
              onPerson(read);
            }
          }
        },
      },
      options,
    );
  }

  write(bytes: Uint8Array): void {
    this.xml.write(bytes);
  }

  end(): AafTotals {
    this.xml.end();
    return this.totals;
  }
}

/** A whole AAF file in memory (one school's, from the import or the upload page): its people and school. */
export function readAaf(bytes: Uint8Array): PeopleFile {
  const people: SchoolPerson[] = [];
  const schools = new Set<string>();
  const reader = new AafReader(({ person, schools: named }) => {
    people.push(person);
    for (const s of named) schools.add(s);
  });
  // In slices, as from a disk: the decoder and the parser never copy the file whole.
  const slice = 1 << 20;
  for (let at = 0; at < bytes.length; at += slice) reader.write(bytes.subarray(at, at + slice));
  const { structures } = reader.end();
  // One school named by every person: the file is that school's (a region's file names many).
  const [uai] = schools.size === 1 ? [...schools] : [];
  return {
    ...(uai ? { uai } : {}),
    people,
    ...(structures > 0
      ? { leftOut: { count: structures, why: 'enregistrements sans categoriePersonne (structures) :' } }
      : {}),
  };
}
