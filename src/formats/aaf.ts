import type { Profile } from '../pronote/model.js';
import { dateKey } from '../pronote/normalise.js';
import { noms, type PeopleFile, type SchoolPerson } from './people.js';
import { child, children, elementError, lineOf, textOf, type XmlNode } from './xml.js';

/**
 * AAF feeds (root ficAlimMENESR): the records the ENT is fed from, one `addRequest` per person with
 * its `categoriePersonne` and attributes: `sn` (usage name), `ENTPersonNomPatro` (birth name),
 * `givenName`, `ENTPersonDateNaissance` (JJ/MM/AAAA, often empty for parents), `ENTPersonCodePostal`,
 * `ENTPersonJointure` (the id the ENT console shows as « Identifiant SIECLE »). No login: the ENT makes
 * those, so an AAF file completes an ENT console export, it does not replace it.
 */

/** Values of one attribute (`<attr name="sn"><value>…</value></attr>`), empty ones left out. */
function values(attributes: XmlNode | undefined, name: string): string[] {
  const attr = children(attributes, 'attr').find((a) => textOf(a, '@name') === name);
  const raw = attr?.value;
  const list = Array.isArray(raw) ? raw.map((v) => (typeof v === 'string' ? v : '')) : [raw ?? ''];
  return list.map((v) => String(v).replace(/\s+/g, ' ').trim()).filter((v) => v !== '');
}

const UAI = /^\d{7}[A-Z]$/;

/** `PersEducNat` covers teachers and every other staff: those in front of pupils, or with an ENS function, teach. */
function profileOf(categorie: string, attributes: XmlNode | undefined): Profile | null {
  switch (categorie) {
    case 'Eleve':
      return 'eleve';
    case 'PersRelEleve':
      return 'responsable';
    case 'PersEducNat': {
      const teaches =
        values(attributes, 'PersEducNatPresenceDevantEleves')[0] === 'O' ||
        values(attributes, 'ENTPersonFonctions').some((f) => f.split('$')[1] === 'ENS');
      return teaches ? 'professeur' : 'personnel';
    }
    default:
      return null;
  }
}

export function readAaf(root: XmlNode): PeopleFile {
  const people: SchoolPerson[] = [];
  const schools = new Set<string>();
  let structures = 0;
  for (const request of children(root, 'addRequest')) {
    const categorie = values(child(request, 'operationalAttributes'), 'categoriePersonne')[0];
    const attributes = child(request, 'attributes');
    if (categorie === undefined) {
      structures += 1;
      continue;
    }
    const profile = profileOf(categorie, attributes);
    if (profile === null) {
      throw elementError(
        request,
        'addRequest',
        `categoriePersonne « ${categorie} » inconnue (attendu Eleve, PersRelEleve ou PersEducNat).`,
      );
    }
    const sourceId = values(attributes, 'ENTPersonJointure')[0] ?? textOf(child(request, 'identifier'), 'id');
    if (!sourceId) throw elementError(request, 'identifier', 'ni ENTPersonJointure ni identifiant.');
    const { nom, nomNaissance } = noms(
      values(attributes, 'ENTPersonNomPatro')[0],
      values(attributes, 'sn')[0],
    );
    const prenom = values(attributes, 'givenName')[0];
    if (!nom) throw elementError(request, 'sn', `nom absent (${sourceId}).`);
    if (!prenom) throw elementError(request, 'givenName', `prénom absent (${sourceId}).`);
    const rawDate = values(attributes, 'ENTPersonDateNaissance')[0];
    const dateNaissance = rawDate === undefined ? undefined : dateKey(rawDate);
    if (dateNaissance === null) {
      throw elementError(
        request,
        'ENTPersonDateNaissance',
        `date « ${rawDate} » illisible (attendu JJ/MM/AAAA).`,
      );
    }
    for (const s of values(attributes, 'ENTPersonStructRattach')) if (UAI.test(s)) schools.add(s);
    const codePostal = values(attributes, 'ENTPersonCodePostal')[0];
    const eleveIds = values(attributes, 'ENTEleveAutoriteParentale');
    people.push({
      line: lineOf(request),
      sourceId,
      profile,
      nom,
      ...(nomNaissance ? { nomNaissance } : {}),
      prenom,
      ...(dateNaissance ? { dateNaissance } : {}),
      ...(codePostal ? { codePostal } : {}),
      ...(eleveIds.length > 0 ? { eleveIds } : {}),
    });
  }
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
