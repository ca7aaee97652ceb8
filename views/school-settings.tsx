import { IDENTIFICATION_MODE_LABELS } from '../src/pronote/correction-words.js';
import {
  IDENTIFICATION_MODES,
  type IdentificationMode,
  type SchoolSettings,
} from '../src/pronote/school-settings.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { SchoolLinks } from './school-links.js';

/** What each mode means for the person connecting, and so which checks the assistant makes. */
const MODE_HELP: Record<IdentificationMode, string> = {
  identity:
    'L’ENT transmet le nom, le prénom et la date de naissance ; à la première connexion, PRONOTE les compare à ses fiches. Une identité qui diffère donne « Identification impossible ».',
  'pronote-ent-id':
    'L’ENT transmet l’« Identifiant PRONOTE-ENT » qu’il a reçu d’un export de PRONOTE : c’est ce code, pas le nom ni la date, qui doit être celui de la bonne fiche.',
  'double-auth':
    'À la première connexion, l’utilisateur saisit une fois son identifiant et son mot de passe PRONOTE : une identité qui diffère ne bloque pas.',
};

/** The schools whose settings an agent may describe. */
export function SchoolSettingsIndexPage({ schools }: { schools: Array<{ uai: string; name: string }> }) {
  return (
    <Layout title="Réglages des établissements">
      <h1>Réglages des établissements</h1>
      <p>Comment le PRONOTE.net de chaque établissement reconnaît un utilisateur venant de l’ENT.</p>
      <SchoolLinks schools={schools} base="/reglages" />
    </Layout>
  );
}

export interface SchoolSettingsPageProps {
  school: { uai: string; name: string };
  settings: SchoolSettings;
  /** The change just recorded: its audit entry, which « Annuler » reverts. */
  saved?: { entryId: string };
  undone?: boolean;
  /** Why the last change was refused (changed meanwhile). */
  error?: string;
}

/** One school's identification mode: what it is, what it decides, and the form to describe it. */
export function SchoolSettingsPage({ school, settings, saved, undone, error }: SchoolSettingsPageProps) {
  const { uai } = school;
  return (
    <Layout title={`Réglages ${uai}`}>
      <h1>Mode d’identification de l’établissement</h1>
      <p>
        <strong>{school.name}</strong> ({uai}). <a href="/reglages">Autres établissements</a>
      </p>
      {error ? (
        <p class="notice-warn" role="alert">
          {error}
        </p>
      ) : null}
      {saved ? (
        <div class="notice-ok" role="status">
          <p>
            Mode enregistré dans l’assistant : {IDENTIFICATION_MODE_LABELS[settings.identificationMode]}. Rien
            n’a été modifié dans PRONOTE.
          </p>
          <form method="post" action={`/audit/${saved.entryId}/annuler`}>
            <CsrfField />
            <input type="hidden" name="retour" value={`/reglages/${uai}?annule=1`} />
            <button type="submit" class="secondary">
              Annuler ce changement
            </button>
          </form>
        </div>
      ) : null}
      {undone ? (
        <p class="notice-info" role="status">
          Changement annulé : l’assistant reprend le mode précédent.
        </p>
      ) : null}
      <p>
        PRONOTE.net reconnaît un utilisateur venant de l’ENT d’une des trois manières choisies par
        l’établissement dans sa console : <strong>Intégration dans un ENT › Interconnexion CAS</strong>.
        Indiquez ici celle qui y est choisie. Ce réglage décrit PRONOTE sans le modifier : il décide des
        vérifications de l’assistant (réconciliation, parcours « Identification impossible », « Vérifier mon
        compte »).
      </p>
      <form method="post" action={`/reglages/${uai}`}>
        <CsrfField />
        <input type="hidden" name="version" value={String(settings.version)} />
        <fieldset>
          <legend>Mode choisi dans PRONOTE.net</legend>
          {IDENTIFICATION_MODES.map((mode) => (
            <label>
              <input
                type="radio"
                name="identificationMode"
                value={mode}
                checked={mode === settings.identificationMode}
                aria-describedby={`mode-${mode}`}
              />
              {IDENTIFICATION_MODE_LABELS[mode]}
              <small id={`mode-${mode}`}>{MODE_HELP[mode]}</small>
            </label>
          ))}
        </fieldset>
        <button type="submit">Enregistrer dans l’assistant</button>
      </form>
    </Layout>
  );
}
