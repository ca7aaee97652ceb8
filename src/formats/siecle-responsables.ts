import { noms, type PeopleFile, type SchoolPerson } from './people.js';
import { child, children, elementError, textOf, type XmlNode } from './xml.js';

/**
 * SIECLE « ResponsablesAvecAdresses.xml » (root BEE_RESPONSABLES, ISO-8859-15): the pupils'
 * responsables (PERSONNE), who is responsible for whom (RESPONSABLE_ELEVE) and their addresses, whose
 * CODE_POSTAL PRONOTE compares when a responsable has no birth date. A person responsible for no pupil
 * is not PRONOTE's.
 */
export function readSiecleResponsables(root: XmlNode): PeopleFile {
  const uai = textOf(child(root, 'PARAMETRES'), 'UAJ');
  const donnees = child(root, 'DONNEES');
  const postcodes = new Map<string, string>();
  for (const a of children(child(donnees, 'ADRESSES'), 'ADRESSE')) {
    const id = textOf(a, '@ADRESSE_ID');
    const code = textOf(a, 'CODE_POSTAL');
    if (id && code) postcodes.set(id, code);
  }
  const eleves = new Map<string, string[]>();
  for (const r of children(child(donnees, 'RESPONSABLES'), 'RESPONSABLE_ELEVE')) {
    const personne = textOf(r, 'PERSONNE_ID');
    const eleve = textOf(r, 'ELEVE_ID');
    if (!personne || !eleve) throw elementError(r, 'RESPONSABLE_ELEVE', 'ELEVE_ID ou PERSONNE_ID absent.');
    eleves.set(personne, [...(eleves.get(personne) ?? []), eleve]);
  }
  const people: SchoolPerson[] = [];
  let alone = 0;
  for (const p of children(child(donnees, 'PERSONNES'), 'PERSONNE')) {
    const sourceId = textOf(p, '@PERSONNE_ID');
    if (!sourceId) throw elementError(p, 'PERSONNE', 'attribut PERSONNE_ID absent.');
    const eleveIds = eleves.get(sourceId);
    if (!eleveIds) {
      alone += 1;
      continue;
    }
    const { nom, nomNaissance } = noms(
      textOf(p, 'NOM_DE_FAMILLE') ?? textOf(p, 'NOM'),
      textOf(p, 'NOM_USAGE'),
    );
    const prenom = textOf(p, 'PRENOM');
    if (!nom) throw elementError(p, 'NOM_DE_FAMILLE', `nom absent (PERSONNE_ID ${sourceId}).`);
    if (!prenom) throw elementError(p, 'PRENOM', `prénom absent (PERSONNE_ID ${sourceId}).`);
    const adresse = textOf(p, 'ADRESSE_ID') ?? textOf(child(p, 'ADRESSE'), '@ADRESSE_ID');
    const codePostal = (adresse && postcodes.get(adresse)) || textOf(child(p, 'ADRESSE'), 'CODE_POSTAL');
    people.push({
      line: Number(p['#line'] ?? 0),
      sourceId,
      profile: 'responsable',
      nom,
      ...(nomNaissance ? { nomNaissance } : {}),
      prenom,
      ...(codePostal ? { codePostal } : {}),
      eleveIds,
    });
  }
  return {
    ...(uai ? { uai } : {}),
    people,
    ...(alone > 0 ? { leftOut: { count: alone, why: 'personnes responsables d’aucun élève :' } } : {}),
  };
}
