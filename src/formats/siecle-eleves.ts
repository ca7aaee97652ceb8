import { dateKey } from '../pronote/normalise.js';
import { noms, type PeopleFile, type SchoolPerson } from './people.js';
import { child, children, elementError, textOf, type XmlNode } from './xml.js';

/**
 * SIECLE « ElevesSansAdresses.xml » / « ElevesAvecAdresses.xml » (root BEE_ELEVES, ISO-8859-15): the
 * pupils PRONOTE is fed from. Older exports name the birth name NOM, newer ones NOM_DE_FAMILLE; the
 * class is the structure of type D (division). Pupils with a leaving date are not PRONOTE's any more.
 */
export function readSiecleEleves(root: XmlNode): PeopleFile {
  const uai = textOf(child(root, 'PARAMETRES'), 'UAJ');
  const donnees = child(root, 'DONNEES');
  const classes = new Map<string, string>();
  for (const s of children(child(donnees, 'STRUCTURES'), 'STRUCTURES_ELEVE')) {
    const id = textOf(s, '@ELEVE_ID');
    const division = children(s, 'STRUCTURE').find((x) => textOf(x, 'TYPE_STRUCTURE') === 'D');
    const code = textOf(division, 'CODE_STRUCTURE');
    if (id && code) classes.set(id, code);
  }
  const people: SchoolPerson[] = [];
  let left = 0;
  for (const e of children(child(donnees, 'ELEVES'), 'ELEVE')) {
    const sourceId = textOf(e, '@ELEVE_ID') ?? textOf(e, '@ELENOET');
    if (!sourceId) throw elementError(e, 'ELEVE', 'attribut ELEVE_ID absent.');
    if (textOf(e, 'DATE_SORTIE')) {
      left += 1;
      continue;
    }
    const { nom, nomNaissance } = noms(
      textOf(e, 'NOM_DE_FAMILLE') ?? textOf(e, 'NOM'),
      textOf(e, 'NOM_USAGE'),
    );
    const prenom = textOf(e, 'PRENOM');
    if (!nom) throw elementError(e, 'NOM_DE_FAMILLE', `nom absent (ELEVE_ID ${sourceId}).`);
    if (!prenom) throw elementError(e, 'PRENOM', `prénom absent (ELEVE_ID ${sourceId}).`);
    const rawDate = textOf(e, 'DATE_NAISS');
    const dateNaissance = rawDate === undefined ? undefined : dateKey(rawDate);
    if (dateNaissance === null) {
      throw elementError(e, 'DATE_NAISS', `date « ${rawDate} » illisible (attendu JJ/MM/AAAA).`);
    }
    people.push({
      line: Number(e['#line'] ?? 0),
      sourceId,
      profile: 'eleve',
      nom,
      ...(nomNaissance ? { nomNaissance } : {}),
      prenom,
      ...(dateNaissance ? { dateNaissance } : {}),
      ...(classes.has(sourceId) ? { classe: classes.get(sourceId) } : {}),
    });
  }
  return {
    ...(uai ? { uai } : {}),
    people,
    ...(left > 0
      ? { leftOut: { count: left, why: 'élèves sortis de l’établissement (DATE_SORTIE) :' } }
      : {}),
  };
}
