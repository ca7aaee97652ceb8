import type { HelpRequestView } from '../src/engine/agent-views.js';
import type { ProfileDiagnosis, SelfDiagnosis, SelfFinding } from '../src/engine/self-diagnosis.js';
import type { CasIdentity } from '../src/ent/cas-identity.js';
import { CsrfField } from './csrf.js';
import { RequestSent, type RequestSentInfo } from './help-requests.js';
import { Layout } from './layout.js';
import { PrivacyNotice, type PrivacyProps } from './privacy.js';

/** « Vérifier mon compte »: the person's own diagnosis, in their words, and the request to their school. */

const PROFILE_NAMES: Record<string, string> = {
  eleve: 'élève',
  responsable: 'parent',
  professeur: 'professeur',
  personnel: 'personnel',
};

const ESPACE_NAMES: Record<string, string> = {
  eleve: 'l’Espace Élèves',
  responsable: 'l’Espace Parents',
  professeur: 'l’Espace Professeurs',
  personnel: 'l’Espace Vie scolaire',
};

const FIELD_NAMES = { nom: 'votre nom', prenom: 'votre prénom', dateNaissance: 'votre date de naissance' };

export const findingTitle = (f: SelfFinding): string => {
  switch (f.kind) {
    case 'linked':
      return 'Votre compte PRONOTE est bien relié à votre identifiant ENT.';
    case 'match':
      return f.toCheck
        ? 'Votre identité correspond, mais l’établissement doit confirmer le rattachement de votre compte.'
        : 'Votre identité ENT correspond à votre compte PRONOTE.';
    case 'mismatch':
      return 'Votre identité dans l’ENT ne correspond pas exactement à celle que PRONOTE connaît.';
    case 'ambiguous':
      return 'PRONOTE ne peut pas relier votre compte automatiquement : l’établissement doit vérifier votre fiche.';
    case 'login-held':
      return 'Votre identifiant ENT est déjà associé à un autre compte PRONOTE ; l’établissement doit vérifier.';
    case 'old-login':
      return 'Votre compte PRONOTE est encore relié à un autre identifiant ENT, sans doute un ancien compte.';
    case 'none':
      return 'Aucun compte PRONOTE de cet établissement ne correspond à votre identité ENT.';
  }
};

const ADVICE: Record<SelfFinding['kind'], string> = {
  linked: '',
  match: '',
  mismatch:
    'L’établissement doit corriger votre fiche dans PRONOTE (ou dans l’ENT) pour que les deux disent la même chose.',
  ambiguous: 'Envoyez ce diagnostic : l’établissement saura quoi vérifier.',
  'login-held': 'Envoyez ce diagnostic : l’établissement saura quoi vérifier.',
  'old-login':
    'L’établissement doit supprimer cet ancien identifiant de votre fiche (« Supprimer l’identifiant CAS ») ; vous pourrez ensuite vous connecter.',
  none: 'Vérifiez que vous avez choisi le bon établissement. Sinon, l’établissement doit vérifier votre inscription.',
};

/** Where PRONOTE.net goes by the « Identifiant PRONOTE-ENT »: the code, never whose it is. */
const CODE_SENTENCES: Record<NonNullable<ProfileDiagnosis['code']>, string> = {
  same: 'Dans votre établissement, PRONOTE vous reconnaît par un code que l’ENT lui transmet : ce code est bien celui de votre compte.',
  different:
    'Dans votre établissement, PRONOTE vous reconnaît par un code que l’ENT lui transmet : l’ENT ne transmet pas celui de votre compte. L’établissement doit le corriger dans l’ENT.',
  missing:
    'Dans votre établissement, PRONOTE vous reconnaît par un code que l’ENT lui transmet : l’assistant ne le connaît pas pour votre compte et ne peut pas le vérifier.',
};

/** Nothing for the school to do: the person tries the usual remedies first. */
export const isAllFine = (p: ProfileDiagnosis) =>
  (p.finding.kind === 'linked' || (p.finding.kind === 'match' && !p.finding.toCheck) || !p.identityBlocks) &&
  p.code !== 'different' &&
  !p.parentAccessMissing &&
  p.espacePublished;

function ProfileResult({ p, several }: { p: ProfileDiagnosis; several: boolean }) {
  const fine = isAllFine(p);
  const heading = fine ? 'Tout est en ordre' : 'Ce qui bloque';
  return (
    <section class={fine ? 'notice-ok' : 'notice-warn'} aria-labelledby={`diag-${p.profile}`}>
      <h2 id={`diag-${p.profile}`}>
        {several ? `En tant que ${PROFILE_NAMES[p.profile]} : ${heading.toLowerCase()}` : heading}
      </h2>
      <p>
        <strong>{findingTitle(p.finding)}</strong>
      </p>
      {p.finding.kind === 'mismatch' && (
        <ul>
          {p.finding.differences.map((d) => (
            <li>
              {FIELD_NAMES[d.field]} : {d.label}
            </li>
          ))}
        </ul>
      )}
      {!p.identityBlocks && p.code === undefined && (
        <p>
          Dans votre établissement, cette différence ne bloque pas : à votre première connexion depuis l’ENT,
          PRONOTE vous demande une fois votre identifiant et votre mot de passe PRONOTE.
        </p>
      )}
      {p.code && <p>{CODE_SENTENCES[p.code]}</p>}
      {p.identityBlocks && ADVICE[p.finding.kind] && <p>{ADVICE[p.finding.kind]}</p>}
      {p.parentAccessMissing && (
        <p>
          L’accès à l’Espace Parents n’est pas ouvert pour vous : l’établissement doit cocher « Accès à
          l’Espace Parents » sur votre fiche de responsable.
        </p>
      )}
      {!p.espacePublished && (
        <p>
          {ESPACE_NAMES[p.profile]} de l’établissement n’est pas publié pour l’instant : personne ne peut s’y
          connecter. L’établissement doit le publier.
        </p>
      )}
      {fine && (
        <>
          <p>
            {p.finding.kind === 'match'
              ? 'PRONOTE vous reconnaîtra à votre prochaine connexion depuis l’ENT. '
              : ''}
            Rien n’est à corriger du côté de l’établissement. Si la connexion échoue encore :
          </p>
          <ul>
            <li>ouvrez PRONOTE par son lien dans l’ENT, pas par une adresse gardée en favori ;</li>
            <li>
              déconnectez-vous de l’ENT, fermez le navigateur et recommencez, ou essayez une fenêtre privée ;
            </li>
            <li>si vous avez plusieurs comptes ENT (parent et professeur…), vérifiez lequel est connecté.</li>
          </ul>
        </>
      )}
    </section>
  );
}

const frDate = (iso?: string) => (iso ? iso.split('-').reverse().join('/') : 'non transmise');

export interface VerifyResultProps {
  uai: string;
  identity: CasIdentity;
  diagnosis: SelfDiagnosis;
  privacy: PrivacyProps;
  /** The request already sent from this check. */
  sent?: RequestSentInfo | undefined;
  errors?: Record<string, string>;
  values?: { email?: string | undefined; telephone?: string | undefined; message?: string | undefined };
}

/** The person's diagnosis, what the ENT sent about them, and the request to their school. */
export function VerifyResultPage({
  uai,
  identity,
  diagnosis,
  privacy,
  sent,
  errors = {},
  values = {},
}: VerifyResultProps) {
  const several = diagnosis.profiles.length > 1;
  return (
    <Layout title="Vérifier mon compte">
      <h1>Votre compte à {diagnosis.school}</h1>
      <details>
        <summary>Ce que l’ENT transmet à PRONOTE à votre sujet</summary>
        <dl>
          <dt>Nom</dt>
          <dd>{identity.nom}</dd>
          <dt>Prénom</dt>
          <dd>{identity.prenom}</dd>
          <dt>Date de naissance</dt>
          <dd>{frDate(identity.dateNaissance)}</dd>
          <dt>Profil</dt>
          <dd>{identity.profiles.map((p) => PROFILE_NAMES[p]).join(', ')}</dd>
        </dl>
      </details>
      {diagnosis.profiles.map((p) => (
        <ProfileResult p={p} several={several} />
      ))}
      {sent ? (
        <RequestSent {...sent} />
      ) : (
        <section class="request-form" aria-labelledby="demande-title">
          <h2 id="demande-title">Envoyer ce diagnostic à votre établissement</h2>
          <p>
            Votre établissement recevra ce diagnostic avec votre identité ENT, et ouvrira directement la
            correction qui convient. Indiquez comment vous répondre.
          </p>
          <form method="post" action={`/verifier/${uai}/demande`}>
            <CsrfField />
            <label for="demande-email">Adresse e-mail pour vous répondre</label>
            <input
              id="demande-email"
              name="email"
              type="email"
              autocomplete="email"
              value={values.email ?? ''}
              {...(errors.email ? { 'aria-invalid': 'true', 'aria-describedby': 'demande-email-error' } : {})}
            />
            {errors.email && (
              <small id="demande-email-error" class="field-error">
                {errors.email}
              </small>
            )}
            <label for="demande-telephone">Ou téléphone</label>
            <input
              id="demande-telephone"
              name="telephone"
              type="tel"
              autocomplete="tel"
              value={values.telephone ?? ''}
              {...(errors.telephone
                ? { 'aria-invalid': 'true', 'aria-describedby': 'demande-telephone-error' }
                : {})}
            />
            {errors.telephone && (
              <small id="demande-telephone-error" class="field-error">
                {errors.telephone}
              </small>
            )}
            <label for="demande-message">Précisions (facultatif)</label>
            <textarea id="demande-message" name="message" rows={3} maxlength={1000}>
              {values.message ?? ''}
            </textarea>
            <button type="submit">Envoyer à l’établissement</button>
          </form>
        </section>
      )}
      <PrivacyNotice {...privacy} />
    </Layout>
  );
}

/** Where the person picks their school before going to their ENT. */
export function VerifyStartPage({
  schools,
  privacy,
}: {
  schools: Array<{ uai: string; name: string }>;
  privacy: PrivacyProps;
}) {
  return (
    <Layout title="Vérifier mon compte">
      <h1>Vérifier mon compte</h1>
      <p>
        Connectez-vous à votre ENT comme d’habitude : l’assistant reçoit ce que l’ENT transmet à PRONOTE (nom,
        prénom, date de naissance, profil), le compare avec les données de votre établissement et vous dit ce
        qui bloque, pour votre compte seulement.
      </p>
      <form method="get" action="/verifier">
        <label for="verifier-uai">Votre établissement</label>
        <select id="verifier-uai" name="uai" required>
          <option value="">Choisissez…</option>
          {schools.map((s) => (
            <option value={s.uai}>
              {s.name} ({s.uai})
            </option>
          ))}
        </select>
        <button type="submit">Me connecter avec l’ENT</button>
      </form>
      <PrivacyNotice {...privacy} />
    </Layout>
  );
}

const STATUS_WORDS: Record<HelpRequestView['status'], { title: string; text: string }> = {
  nouvelle: {
    title: 'Reçue',
    text: 'Votre établissement a bien reçu votre demande ; il ne l’a pas encore ouverte.',
  },
  'en-cours': { title: 'En cours', text: 'Votre établissement s’occupe de votre demande.' },
  corrigee: {
    title: 'Corrigée — réessayez',
    text: 'Votre établissement a fait la correction. Réessayez de vous connecter à PRONOTE depuis l’ENT.',
  },
  close: { title: 'Close', text: 'Votre établissement a clos votre demande.' },
};

/** What the person sees at their follow-up link: the state of their request, nothing about them. */
export function FollowPage({ request }: { request: HelpRequestView }) {
  const words = STATUS_WORDS[request.status];
  return (
    <Layout title="Suivi de votre demande">
      <h1>Suivi de votre demande {request.reference}</h1>
      <section class={request.status === 'corrigee' ? 'notice-ok' : 'notice-info'} role="status">
        <h2>{words.title}</h2>
        <p>{words.text}</p>
        {request.answer && (
          <>
            <h3>Réponse de l’établissement</h3>
            <p>{request.answer}</p>
          </>
        )}
      </section>
      <p>
        Envoyée le {new Date(request.createdAt).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' })}.
      </p>
    </Layout>
  );
}
