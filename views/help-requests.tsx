import type { HelpRequestView } from '../src/engine/agent-views.js';
import { ColumnHeads } from './column-heads.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { PrivacyNotice, type PrivacyProps } from './privacy.js';
import { TableScroll } from './table-scroll.js';

/** The confirmation the person reads once the request is sent, and again if they try to send it twice. */
export interface RequestSentInfo {
  reference: string;
  /** Absolute follow-up link: signed, expiring, no personal data. */
  followUrl: string;
  /** The person tried to send the same request again. */
  again: boolean;
}

export interface RequestFormProps {
  sessionId: string;
  /** The flow the request comes from: the form asks what that flow needs, nothing else. */
  flow: string;
  schools: Array<{ uai: string; name: string }>;
  /** True when the user typed their identity earlier in the flow: it is joined without being shown again. */
  hasIdentity: boolean;
  /** The espaces to choose from (profile-wide), with their names. */
  espaces?: Array<{ value: string; label: string }>;
  errors?: Record<string, string>;
  /** What was just typed in this form, given back with the errors so that nothing is lost. */
  values?: Record<string, string | undefined>;
  sent?: RequestSentInfo;
  privacy?: PrivacyProps;
}

/** The confirmation, with a heading and the reference number. */
export function RequestSent({ reference, followUrl, again }: RequestSentInfo) {
  return (
    <section class="request-form notice-ok" role="status" aria-labelledby="envoi-title">
      <h2 id="envoi-title">{again ? 'Demande déjà envoyée' : 'Demande envoyée'}</h2>
      <p>
        {again
          ? 'Votre établissement a déjà reçu cette demande ; inutile de la renvoyer.'
          : 'Votre établissement a reçu votre demande. Il vous répondra par le moyen de contact que vous avez donné.'}{' '}
        Référence : <strong>{reference}</strong>.
      </p>
      <p>
        Suivez-la à cette adresse (gardez-la : elle ne contient aucune donnée personnelle) :{' '}
        <a href={followUrl}>{followUrl}</a>
      </p>
    </section>
  );
}

interface FieldProps {
  name: string;
  label: string;
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
  required?: boolean;
  type?: 'text' | 'email' | 'tel' | 'textarea';
  autocomplete?: string;
}

/** One field, its label, and its message after it (outside the label, pointed to by the field). */
function Field({ name, label, errors, values, required, type = 'text', autocomplete }: FieldProps) {
  const id = `demande-${name}`;
  const invalid = errors[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};
  return (
    <>
      <label for={id}>{label}</label>
      {type === 'textarea' ? (
        <textarea id={id} name={name} rows={3} required={required} {...invalid}>
          {values[name] ?? ''}
        </textarea>
      ) : (
        <input
          id={id}
          name={name}
          type={type}
          value={values[name] ?? ''}
          required={required}
          {...(autocomplete ? { autocomplete } : {})}
          {...invalid}
        />
      )}
      {errors[name] && (
        <small id={`${id}-error`} class="field-error">
          {errors[name]}
        </small>
      )}
    </>
  );
}

/** What each flow's request asks for, besides the school and a way to answer. */
function FlowFields({
  flow,
  hasIdentity,
  espaces = [],
  errors,
  values,
}: Pick<RequestFormProps, 'flow' | 'hasIdentity' | 'espaces'> & {
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
}) {
  const props = { errors, values };
  switch (flow) {
    case 'auth-error':
      return hasIdentity ? (
        <Field
          name="corrections"
          type="textarea"
          label="Ce qui est faux, si vous le savez (facultatif)"
          {...props}
        />
      ) : (
        <Field
          name="corrections"
          type="textarea"
          required
          label="Ce que la page d’erreur affiche sous « Données connues »"
          {...props}
        />
      );
    case 'single-parent':
      return (
        <>
          <Field name="eleve" required label="Nom et prénom de votre enfant" {...props} />
          <Field name="classe" label="Sa classe (facultatif)" {...props} />
        </>
      );
    case 'profile-wide':
      return (
        <>
          <label for="demande-espace">L’espace où vous n’arrivez pas à entrer</label>
          <select
            id="demande-espace"
            name="espace"
            required
            {...(errors.espace ? { 'aria-invalid': 'true', 'aria-describedby': 'demande-espace-error' } : {})}
          >
            <option value="">Choisissez…</option>
            {espaces.map((e) => (
              <option value={e.value} selected={values.espace === e.value}>
                {e.label}
              </option>
            ))}
          </select>
          {errors.espace && (
            <small id="demande-espace-error" class="field-error">
              {errors.espace}
            </small>
          )}
        </>
      );
    case 'changed-account':
      return (
        <>
          <Field name="ancien" label="Votre ancien identifiant ENT" {...props} />
          <Field name="nouveau" label="Votre nouvel identifiant ENT" {...props} />
        </>
      );
    default:
      return <Field name="corrections" type="textarea" label="Ce qui se passe (facultatif)" {...props} />;
  }
}

/**
 * The end of a flow for an end user: a request to their school, asking what that flow needs (the pupil
 * for Espace Parents, the espace for a whole profile, the logins for a changed account). The identity they
 * typed earlier is never shown back; when a field is refused, what they typed comes back with the reason.
 */
export function RequestForm({
  sessionId,
  flow,
  schools,
  hasIdentity,
  espaces,
  errors = {},
  values = {},
  sent,
  privacy,
}: RequestFormProps) {
  if (sent) return <RequestSent {...sent} />;
  return (
    <section class="request-form" aria-labelledby="demande-title">
      <h2 id="demande-title">Envoyer une demande à votre établissement</h2>
      {hasIdentity && (
        <p>
          Les informations que vous avez indiquées plus haut (nom, prénom, date de naissance) seront jointes à
          la demande.
        </p>
      )}
      <form method="post" action={`/s/${sessionId}/demande`}>
        <CsrfField />
        <label for="demande-uai">Votre établissement</label>
        <select
          id="demande-uai"
          name="uai"
          required
          {...(errors.uai ? { 'aria-invalid': 'true', 'aria-describedby': 'demande-uai-error' } : {})}
        >
          <option value="">Choisissez…</option>
          {schools.map((s) => (
            <option value={s.uai} selected={values.uai === s.uai}>
              {s.name} ({s.uai})
            </option>
          ))}
        </select>
        {errors.uai && (
          <small id="demande-uai-error" class="field-error">
            {errors.uai}
          </small>
        )}
        <FlowFields flow={flow} hasIdentity={hasIdentity} espaces={espaces} errors={errors} values={values} />
        <Field
          name="email"
          type="email"
          autocomplete="email"
          label="Adresse e-mail pour vous répondre"
          errors={errors}
          values={values}
        />
        <Field
          name="telephone"
          type="tel"
          autocomplete="tel"
          label="Ou téléphone"
          errors={errors}
          values={values}
        />
        <button type="submit">Envoyer la demande</button>
      </form>
      {privacy && <PrivacyNotice {...privacy} />}
    </section>
  );
}

const frDate = (iso?: string) => (iso ? iso.split('-').reverse().join('/') : '');

const CASES: Record<string, string> = {
  verifier: 'Vérifier mon compte (identité ENT vérifiée)',
  'auth-error': 'Identification impossible',
  'changed-account': 'Changement de compte ENT',
  'profile-wide': 'Tout un profil bloqué',
  'single-parent': 'Un parent sans accès',
  triage: 'Autre problème',
};

/** What « Vérifier mon compte » found, in the agent's words. */
const FINDINGS: Record<string, string> = {
  linked: 'déjà relié',
  match: 'identité conforme, pas encore reliée',
  mismatch: 'identité différente',
  ambiguous: 'plusieurs comptes possibles',
  'login-held': 'identifiant ENT tenu par un autre compte',
  'old-login': 'ancien identifiant CAS sur son compte',
  none: 'aucun compte PRONOTE',
};

const STATUSES: Record<HelpRequestView['status'], string> = {
  nouvelle: 'Reçue',
  'en-cours': 'En cours',
  corrigee: 'Corrigée',
  close: 'Close',
};

/** « il y a 3 h », « il y a 2 j »: how long the person has been waiting. */
function age(createdAt: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(createdAt).getTime()) / 60_000));
  if (minutes < 60) return `il y a ${minutes} min`;
  if (minutes < 48 * 60) return `il y a ${Math.floor(minutes / 60)} h`;
  return `il y a ${Math.floor(minutes / 1440)} j`;
}

/** The flow's own fields, named for the agent. */
function detailsOf(r: HelpRequestView): string[] {
  const d = r.data.details ?? {};
  return [
    d.eleve ? `Élève : ${d.eleve}${d.classe ? ` (${d.classe})` : ''}` : '',
    d.espace ? `Espace : ${d.espace}` : '',
    d.ancien ? `Ancien identifiant ENT : ${d.ancien}` : '',
    d.nouveau ? `Nouvel identifiant ENT : ${d.nouveau}` : '',
  ];
}

function caseOf(r: HelpRequestView): string {
  const name = CASES[r.data.flow] ?? r.data.flow;
  const found = (r.data.verified?.findings ?? []).map((f) => FINDINGS[f.split(':')[1] ?? ''] ?? f);
  return found.length > 0 ? `${name} : ${found.join(', ')}` : name;
}

function RequestActions({ r }: { r: HelpRequestView }) {
  return (
    <>
      {r.openedSession ? (
        <a href={`/s/${r.openedSession}`}>Session ouverte par {r.openedBy}</a>
      ) : (
        <form method="post" action={`/demandes/${r.id}/ouvrir`}>
          <CsrfField />
          <button type="submit">{r.data.verified?.target ? 'Ouvrir à la correction' : 'Ouvrir'}</button>
        </form>
      )}
      {r.status === 'nouvelle' && (
        <form method="post" action={`/demandes/${r.id}/prendre`}>
          <CsrfField />
          <button type="submit" class="secondary">
            Prendre en charge
          </button>
        </form>
      )}
      <details>
        <summary>Répondre ou clore</summary>
        <form method="post" action={`/demandes/${r.id}/repondre`}>
          <CsrfField />
          <label for={`statut-${r.id}`}>Suite</label>
          <select id={`statut-${r.id}`} name="status">
            <option value="corrigee">Corrigée : la personne peut réessayer</option>
            <option value="en-cours">En cours : réponse d’attente</option>
            <option value="close">Close sans correction</option>
          </select>
          <label for={`reponse-${r.id}`}>Réponse montrée à la personne (facultatif)</label>
          <textarea id={`reponse-${r.id}`} name="answer" rows={2}>
            {r.answer ?? ''}
          </textarea>
          <button type="submit">Enregistrer</button>
        </form>
      </details>
    </>
  );
}

/** The queue agents of a school see: each request opens a session with its data filled in. */
export function RequestsPage({ requests, now }: { requests: HelpRequestView[]; now: Date }) {
  return (
    <Layout title="Demandes des utilisateurs">
      <h1>Demandes des utilisateurs</h1>
      {requests.length === 0 ? (
        <p>Aucune demande pour vos établissements.</p>
      ) : (
        <TableScroll label="Demandes envoyées depuis l’assistant">
          <table>
            <caption>Demandes envoyées depuis l’assistant, des plus récentes aux plus anciennes</caption>
            <ColumnHeads
              names={[
                'Référence',
                'Reçue',
                'Établissement',
                'Cas',
                'Personne (données connues)',
                'Précisions',
                'Contact',
                'Statut',
                'Responsable',
                'Suite',
              ]}
            />
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{r.reference}</td>
                  <td>
                    <time
                      datetime={r.createdAt}
                      title={new Date(r.createdAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}
                    >
                      {age(r.createdAt, now)}
                    </time>
                  </td>
                  <td>{r.uai}</td>
                  <td>{caseOf(r)}</td>
                  <td>
                    {r.data.identity
                      ? `${r.data.identity.nom ?? ''} ${r.data.identity.prenom ?? ''} ${frDate(r.data.identity.dateNaissance)}`
                      : '—'}
                    {r.data.identity?.login ? ` (${r.data.identity.login})` : ''}
                  </td>
                  <td>{[...detailsOf(r), r.data.corrections, r.data.message].filter(Boolean).join(' — ')}</td>
                  <td>{[r.data.contact.email, r.data.contact.telephone].filter(Boolean).join(' · ')}</td>
                  <td>{STATUSES[r.status]}</td>
                  <td>{r.owner ?? '—'}</td>
                  <td>
                    <RequestActions r={r} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Layout>
  );
}
