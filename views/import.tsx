import type { ComparedField, ImportPreview } from '../src/formats/import-preview.js';
import type { FileReport, ImportSummary } from '../src/formats/school-import.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';

/** What the upload page shows after « Aperçu »: each file, then who comes, goes and changes. */
export interface ImportPreviewView {
  files: FileReport[];
  preview: ImportPreview;
  corrections: { verified: number; contradicted: number; open: number };
  entAccounts: number | null;
  /** Binds « Importer » to exactly what was previewed. */
  fingerprint: string;
  replace: boolean;
  force: boolean;
}

export interface ImportPageProps {
  uai: string;
  school: string | null;
  preview?: ImportPreviewView;
  done?: ImportSummary;
  error?: string;
}

const FIELD_WORDS: Record<ComparedField, string> = {
  nom: 'nom',
  prenom: 'prénom',
  dateNaissance: 'date de naissance',
  casId: 'identifiant CAS',
  pronoteEntId: 'identifiant PRONOTE-ENT',
  classe: 'classe',
  espaceParents: 'accès à l’Espace Parents',
  email: 'adresse e-mail',
};

const SHOWN = 50;
const who = (a: { nom: string; prenom: string; classe?: string | null }) =>
  `${a.nom} ${a.prenom}${a.classe ? ` (${a.classe})` : ''}`;

function People({ title, names }: { title: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <details>
      <summary>
        {title} : {names.length}
      </summary>
      <ul>
        {names.slice(0, SHOWN).map((n) => (
          <li>{n}</li>
        ))}
      </ul>
      {names.length > SHOWN ? <p>… et {names.length - SHOWN} autres.</p> : null}
    </details>
  );
}

function Files({ files }: { files: FileReport[] }) {
  return (
    <ul>
      {files.map((f) => (
        <li>
          <strong>{f.path}</strong> : lu comme {f.label}, {f.people} personne{f.people > 1 ? 's' : ''}
          {f.leftOut ? ` (${f.leftOut})` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The preview and the « Importer » button; swapped into the page by htmx, or in the full page without it. */
export function ImportResult({ uai, preview, done, error }: Omit<ImportPageProps, 'school'>) {
  if (error) {
    return (
      <section id="apercu" class="error-panel" role="alert">
        <h2>Import refusé</h2>
        <p style="white-space: pre-line">{error}</p>
        <p>Rien n’a été importé. Corrigez le fichier puis envoyez-le à nouveau.</p>
      </section>
    );
  }
  if (done) {
    return (
      <section id="apercu" role="status">
        <h2>Import terminé</h2>
        <Files files={done.files} />
        <p>
          Comptes de la copie PRONOTE : {Object.values(done.counts).reduce((a, b) => a + b, 0)} (avant :{' '}
          {Object.values(done.before).reduce((a, b) => a + b, 0)}).
          {done.entAccounts === null ? '' : ` Comptes ENT : ${done.entAccounts}.`}
        </p>
        <p>
          Corrections vérifiées : {done.corrections.verified} ; contredites :{' '}
          {done.corrections.contradicted.length}.
        </p>
        <p>
          Ces données sont la copie de travail de l’assistant : rien n’a été écrit dans PRONOTE.{' '}
          <a href={`/reconciliation/${uai}`}>Voir la réconciliation</a>
        </p>
      </section>
    );
  }
  if (!preview) return <section id="apercu" />;
  const { preview: p } = preview;
  return (
    <section id="apercu">
      <h2>Aperçu</h2>
      <Files files={preview.files} />
      <p>
        {p.added.length} ajout{p.added.length > 1 ? 's' : ''}, {p.removed.length} retrait
        {p.removed.length > 1 ? 's' : ''}, {p.changed.length} modification{p.changed.length > 1 ? 's' : ''},{' '}
        {p.unchanged} sans changement.
        {preview.entAccounts === null ? '' : ` Comptes ENT remplacés : ${preview.entAccounts}.`}
      </p>
      <People title="Ajoutés" names={p.added.map(who)} />
      <People title="Retirés" names={p.removed.map(who)} />
      <People
        title="Modifiés"
        names={p.changed.map((c) => `${who(c.before)} : ${c.fields.map((f) => FIELD_WORDS[f]).join(', ')}`)}
      />
      <p>
        Corrections en cours : {preview.corrections.verified} seraient vérifiées,{' '}
        {preview.corrections.contradicted} contredites, {preview.corrections.open} resteraient ouvertes.
      </p>
      <input type="hidden" name="empreinte" value={preview.fingerprint} form="import-form" />
      <p>
        <button type="submit" name="action" value="importer" form="import-form">
          Importer
        </button>{' '}
        Tout est importé, ou rien. Sans JavaScript, sélectionnez à nouveau les mêmes fichiers avant de
        cliquer.
      </p>
    </section>
  );
}

/** `/import/<UAI>`: the agents of a school load the files it has, see what changes, then import. */
export function ImportPage(props: ImportPageProps) {
  const { uai, school } = props;
  return (
    <Layout title={`Import ${uai}`}>
      <h1>Charger les fichiers de l’établissement</h1>
      <p>
        {school ? <strong>{school}</strong> : 'Nouvel établissement'} ({uai}). Déposez les fichiers que
        l’établissement a : listes exportées de PRONOTE, SIECLE élèves et responsables, STS, export des
        utilisateurs de la console ENT, AAF. Chacun est reconnu à son contenu.
      </p>
      <form
        id="import-form"
        method="post"
        action={`/import/${uai}`}
        enctype="multipart/form-data"
        hx-post={`/import/${uai}`}
        hx-encoding="multipart/form-data"
        hx-target="#apercu"
        hx-swap="outerHTML"
        hx-indicator="#envoi"
      >
        <CsrfField />
        <label>
          Fichiers
          <input type="file" name="fichiers" multiple required />
        </label>
        <label>
          Liste PRONOTE des professeurs (si ses colonnes ne le disent pas)
          <input type="file" name="professeurs" />
        </label>
        <label>
          Liste PRONOTE des personnels
          <input type="file" name="personnels" />
        </label>
        <label>
          <input type="checkbox" name="forcer" value="1" checked={props.preview?.force ?? false} /> Accepter
          de retirer plus de la moitié des comptes
        </label>
        <button type="submit" name="action" value="apercu">
          Aperçu
        </button>
        <p id="envoi" class="running-indicator" aria-hidden="true">
          Envoi et lecture des fichiers… <progress />
        </p>
      </form>
      <ImportResult {...props} />
    </Layout>
  );
}
