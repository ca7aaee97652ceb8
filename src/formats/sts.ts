import { dateKey } from '../pronote/normalise.js';
import { noms, type PeopleFile, type SchoolPerson } from './people.js';
import { child, children, elementError, textOf, type XmlNode } from './xml.js';

/**
 * STS « sts_emp_<UAI>_<année>.xml » (root STS_EDT): the school's staff as STS-Web exports them for
 * timetabling, with both noms and the birth date (AAAA-MM-JJ). FONCTION ENS is a teacher; every other
 * function (direction, éducation, documentation…) is a personnel.
 */
export function readSts(root: XmlNode): PeopleFile {
  const uaj = child(child(root, 'PARAMETRES'), 'UAJ');
  const uai = textOf(uaj, '@CODE') ?? textOf(child(root, 'PARAMETRES'), 'UAJ');
  const people: SchoolPerson[] = [];
  for (const i of children(child(child(root, 'DONNEES'), 'INDIVIDUS'), 'INDIVIDU')) {
    const sourceId = textOf(i, '@ID');
    if (!sourceId) throw elementError(i, 'INDIVIDU', 'attribut ID absent.');
    const { nom, nomNaissance } = noms(textOf(i, 'NOM_PATRONYMIQUE'), textOf(i, 'NOM_USAGE'));
    const prenom = textOf(i, 'PRENOM');
    if (!nom) throw elementError(i, 'NOM_USAGE', `nom absent (INDIVIDU ${sourceId}).`);
    if (!prenom) throw elementError(i, 'PRENOM', `prénom absent (INDIVIDU ${sourceId}).`);
    const rawDate = textOf(i, 'DATE_NAISSANCE');
    const dateNaissance = rawDate === undefined ? undefined : dateKey(rawDate);
    if (dateNaissance === null) {
      throw elementError(i, 'DATE_NAISSANCE', `date « ${rawDate} » illisible (attendu AAAA-MM-JJ).`);
    }
    people.push({
      line: Number(i['#line'] ?? 0),
      sourceId,
      profile: textOf(i, 'FONCTION') === 'ENS' ? 'professeur' : 'personnel',
      nom,
      ...(nomNaissance ? { nomNaissance } : {}),
      prenom,
      ...(dateNaissance ? { dateNaissance } : {}),
    });
  }
  return { ...(uai ? { uai } : {}), people };
}
