import type { FieldValue } from '../pronote/audit.js';
import { ESPACE_LABELS, fieldLabel, frenchDate, valueLabel } from '../pronote/correction-words.js';
import type { Correction, CorrectionChange, CorrectionPerson } from '../pronote/corrections.js';
import { defuseFormula } from '../pronote/formula-cell.js';
import type { Profile } from '../pronote/model.js';

/**
 * What to do in PRONOTE for one fix (one correction, or a batch of the same kind): the steps in the
 * client or the PRONOTE.net console, and the rows to paste where pasting can do it. Undoing a correction
 * already done in PRONOTE asks for the reverse, built from the same changes swapped.
 */

/** Rows for one list of the client (one tab of Ressources): the columns that find each person, then the changed one. */
export interface PasteBlock {
  profile: Profile;
  list: string;
  columns: string[];
  rows: string[][];
}

export interface Procedure {
  /** Where it is done: the client's list, or the PRONOTE.net console. */
  where: string;
  steps: string[];
  /** One block per list of the client; empty when pasting cannot do it (see `noPaste`). */
  pastes: PasteBlock[];
  /** Why there are no rows to paste, and what to do instead. */
  noPaste?: string;
}

const LISTS: Record<Profile, string> = {
  eleve: 'Ressources › Élèves › Liste',
  responsable: 'Ressources › Responsables › Liste',
  professeur: 'Ressources › Professeurs › Liste',
  personnel: 'Ressources › Personnels › Liste',
};

/** The person as PRONOTE knows them when the step is done: before the change, or after it for a reverse. */
interface Target {
  person: CorrectionPerson;
  /** Field → the value to put in PRONOTE. */
  to: Record<string, FieldValue>;
  /** Field → the value PRONOTE has now. */
  from: Record<string, FieldValue>;
  /** « NOM Prénom, NOM Prénom »: a responsable's children, what tells two homonym parents apart. */
  children: string;
}

const who = (p: CorrectionPerson) =>
  `${p.nom} ${p.prenom}${p.profile === 'eleve' && p.dateNaissance ? ` (né(e) le ${frenchDate(p.dateNaissance)})` : ''}`;

const swap = (changes: readonly CorrectionChange[]) =>
  changes.map((c) => ({ field: c.field, before: c.after, after: c.before }));

/** The person as PRONOTE shows them once the forward change is done (a reverse starts from there). */
function personAfter(person: CorrectionPerson, changes: readonly CorrectionChange[]): CorrectionPerson {
  const p = { ...person };
  for (const c of changes) {
    if (c.field === 'nom' && typeof c.after === 'string') p.nom = c.after;
    if (c.field === 'prenom' && typeof c.after === 'string') p.prenom = c.after;
    if (c.field === 'dateNaissance') p.dateNaissance = typeof c.after === 'string' ? c.after : null;
  }
  return p;
}

/** Cells that find a person in a list: Nom, Prénom, then what tells homonyms apart in that list. */
function identifying(profile: Profile, withEntId: boolean): string[] {
  const columns = ['Nom', 'Prénom'];
  if (profile === 'eleve') columns.push('Né(e) le');
  if (profile === 'responsable') columns.push('Élèves');
  if (withEntId) columns.push('Identifiant PRONOTE-ENT');
  return columns;
}

function identifyingCells(t: Target, columns: readonly string[]): string[] {
  const cells: Record<string, string> = {
    Nom: t.person.nom,
    Prénom: t.person.prenom,
    'Né(e) le': frenchDate(t.person.dateNaissance),
    Élèves: t.children,
    'Identifiant PRONOTE-ENT': t.person.pronoteEntId ?? '',
  };
  return columns.map((c) => cells[c] ?? '');
}

/** One block per list, each person once, for a change pasting can make (a value to set, not to clear). */
function blocks(targets: readonly Target[], field: 'casId' | 'espaceParents'): PasteBlock[] {
  const byProfile = new Map<Profile, Target[]>();
  for (const t of targets) byProfile.set(t.person.profile, [...(byProfile.get(t.person.profile) ?? []), t]);
  return [...byProfile].map(([profile, list]) => {
    const columns = identifying(
      profile,
      list.some((t) => t.person.pronoteEntId),
    );
    return {
      profile,
      list: LISTS[profile],
      columns: [...columns, fieldLabel(field)],
      rows: list.map((t) => [...identifyingCells(t, columns), valueLabel(field, t.to[field] ?? null)]),
    };
  });
}

const pasteStep = (by: string) =>
  `Ou copiez les lignes ci-dessous, puis dans la liste : clic droit › Importer depuis le presse-papier (Ctrl+V) ; associez chaque colonne au champ de même nom et laissez PRONOTE retrouver chaque fiche par ${by}.`;

const names = (targets: readonly Target[]) => targets.map((t) => who(t.person)).join(', ');

function casIdProcedure(targets: Target[]): Procedure {
  const profile = targets[0]?.person.profile ?? 'eleve';
  const setting = targets.filter((t) => t.to.casId !== null && t.to.casId !== undefined);
  if (setting.length === 0) {
    return {
      where: `Client PRONOTE, ${LISTS[profile]}`,
      steps: [
        `Ouvrez ${LISTS[profile]}.`,
        `Sélectionnez ${names(targets)} (Ctrl+clic pour en prendre plusieurs).`,
        'Clic droit sur la sélection › Modifier la sélection › CAS et ENT › Supprimer l’identifiant CAS (ENT).',
      ],
      pastes: [],
      noPaste:
        'Coller une cellule vide n’efface pas une valeur dans PRONOTE : la suppression passe par le menu ci-dessus.',
    };
  }
  const pastes = blocks(setting, 'casId');
  const one = setting.length === 1 ? setting[0] : undefined;
  return {
    where: `Client PRONOTE, ${[...new Set(pastes.map((b) => b.list))].join(' ; ')}`,
    steps: [
      `Ouvrez ${[...new Set(pastes.map((b) => b.list))].join(', puis ')}.`,
      one
        ? `Sur la ligne de ${who(one.person)}, saisissez « ${one.to.casId} » dans la colonne « Identifiant CAS ».`
        : `Pour chaque personne ci-dessous, saisissez son identifiant ENT dans la colonne « Identifiant CAS ».`,
      pasteStep(pastes[0]?.columns.slice(0, -1).join(', ') ?? 'Nom, Prénom'),
    ],
    pastes,
  };
}

function espaceParentsProcedure(targets: Target[]): Procedure {
  const granted = targets[0]?.to.espaceParents === true;
  const pastes = blocks(targets, 'espaceParents');
  return {
    where: `Client PRONOTE, ${LISTS.responsable}`,
    steps: [
      `Ouvrez ${LISTS.responsable}.`,
      `Cliquez sur la ligne de ${targets.map((t) => `${t.person.nom} ${t.person.prenom}${t.children ? ` (responsable de ${t.children})` : ''}`).join(', ')} : sa fiche s’ouvre à droite.`,
      granted
        ? 'Cochez « Accès à l’Espace Parents » sur la fiche (la colonne « Esp. par. » de la liste se coche aussi).'
        : 'Décochez « Accès à l’Espace Parents » sur la fiche (colonne « Esp. par. »).',
      pasteStep(pastes[0]?.columns.slice(0, -1).join(', ') ?? 'Nom, Prénom, Élèves'),
    ],
    pastes,
  };
}

function identityProcedure(targets: Target[]): Procedure {
  const profile = targets[0]?.person.profile ?? 'eleve';
  const steps = [`Ouvrez ${LISTS[profile]}.`];
  for (const t of targets) {
    const edits = Object.entries(t.to).map(
      ([field, value]) =>
        `« ${fieldLabel(field)} » : remplacez « ${valueLabel(field, t.from[field] ?? null)} » par « ${valueLabel(field, value)} »`,
    );
    steps.push(
      `Sur la ligne de ${who(t.person)}, cliquez dans chaque cellule à changer : ${edits.join(' ; ')}.`,
    );
  }
  if (profile === 'eleve')
    steps.push(
      'Faites aussi corriger SIECLE par le secrétariat : la prochaine mise à jour des élèves depuis SIECLE remettrait l’ancienne valeur.',
    );
  const withEntId = targets.filter((t) => t.person.pronoteEntId);
  if (withEntId.length === 0) {
    return {
      where: `Client PRONOTE, ${LISTS[profile]}`,
      steps,
      pastes: [],
      noPaste:
        'Pas de lignes à coller : c’est justement le nom, le prénom ou la date de naissance qui permettrait à PRONOTE de retrouver la fiche, et l’export ne donne pas son « Identifiant PRONOTE-ENT ». Corrigez les cellules à la main.',
    };
  }
  steps.push(pasteStep('son « Identifiant PRONOTE-ENT »'));
  const columns = ['Identifiant PRONOTE-ENT', 'Nom', 'Prénom', 'Né(e) le'];
  return {
    where: `Client PRONOTE, ${LISTS[profile]}`,
    steps,
    pastes: [
      {
        profile,
        list: LISTS[profile],
        columns,
        rows: withEntId.map((t) => {
          const after = personAfter(
            t.person,
            Object.entries(t.to).map(([field, after]) => ({ field, before: null, after })),
          );
          return [t.person.pronoteEntId ?? '', after.nom, after.prenom, frenchDate(after.dateNaissance)];
        }),
      },
    ],
  };
}

function publicationProcedure(changes: readonly CorrectionChange[]): Procedure {
  const espace = changes.find((c) => c.field.startsWith('espaces.'));
  const name = espace ? (ESPACE_LABELS[espace.field.slice('espaces.'.length)] ?? espace.field) : 'l’espace';
  const opening = espace ? espace.after === true : true;
  return {
    where: 'Console de gestion de PRONOTE.net',
    steps: [
      'Ouvrez la console de gestion de PRONOTE.net (sur le serveur de l’établissement, ou la console d’hébergement).',
      'Dépubliez la base.',
      opening
        ? `Dans la liste des espaces, cochez « ${name} ».`
        : `Dans la liste des espaces, décochez « ${name} ».`,
      'Publiez de nouveau la base.',
    ],
    pastes: [],
    noPaste:
      'La publication se règle dans la console PRONOTE.net seulement : il n’y a pas de ligne à coller.',
  };
}

/**
 * The procedure for corrections of one fix (one kind), or the reverse of it when `reverse` (an undo of a
 * correction already done in PRONOTE). `childrenOf` names a responsable's children.
 */
export function procedureOf(
  corrections: readonly Correction[],
  childrenOf: (accountId: string) => string,
  reverse = false,
): Procedure | null {
  const first = corrections[0];
  if (!first) return null;
  if (first.kind === 'publish-espace')
    return publicationProcedure(reverse ? swap(first.changes) : first.changes);
  const targets: Target[] = corrections.flatMap((c) => {
    if (!c.person) return [];
    const changes = reverse ? swap(c.changes) : c.changes;
    return [
      {
        person: reverse ? personAfter(c.person, c.changes) : c.person,
        to: Object.fromEntries(changes.map((ch) => [ch.field, ch.after])),
        from: Object.fromEntries(changes.map((ch) => [ch.field, ch.before])),
        children: c.person.profile === 'responsable' && c.accountId ? childrenOf(c.accountId) : '',
      },
    ];
  });
  if (targets.length === 0) return null;
  if (first.kind === 'identity') return identityProcedure(targets);
  if (first.kind === 'espace-parents') return espaceParentsProcedure(targets);
  return casIdProcedure(targets);
}

/** The rows of one block as the client takes them from the clipboard: tab-separated, CRLF, header first. */
export function pasteText(block: Pick<PasteBlock, 'columns' | 'rows'>): string {
  const cell = (value: string) => defuseFormula(value.replace(/[\t\r\n]+/g, ' ').trim());
  return [block.columns, ...block.rows].map((r) => `${r.map(cell).join('\t')}\r\n`).join('');
}
