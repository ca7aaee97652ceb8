import type { HelpRequestView } from '../src/engine/agent-views.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

export interface RequestFormProps {
  sessionId: string;
  schools: Array<{ uai: string; name: string }>;
  /** True when the user typed their identity earlier in the flow: it is joined without being shown again. */
  hasIdentity: boolean;
  errors?: Record<string, string>;
  /** What was just typed in this form, given back with the errors so that nothing is lost. */
  values?: { uai?: string; corrections?: string; email?: string; telephone?: string };
  sent?: boolean;
}

/**
 * The end of a flow for an end user, like PRONOTE's own « Identification impossible » page: a request to
 * their school, with what they saw and the corrections they propose. The identity they typed earlier is
 * never shown back; when a field of this form is refused, what they typed in it comes back with the reason.
 */
export function RequestForm({
  sessionId,
  schools,
  hasIdentity,
  errors = {},
  values = {},
  sent,
}: RequestFormProps) {
  if (sent) {
    return (
      <section class="request-form notice-ok" role="status">
        <h2>Demande envoyée</h2>
        <p>
          Votre établissement a reçu votre demande. Il vous répondra par le moyen de contact que vous avez
          donné.
        </p>
      </section>
    );
  }
  // Each message sits after its field, outside the label, and the field points to it: a screen reader reads
  // the label as the field's name and the message as its description.
  const error = (name: string) =>
    errors[name] ? (
      <small id={`demande-${name}-error`} class="field-error">
        {errors[name]}
      </small>
    ) : null;
  const invalid = (name: string) =>
    errors[name] ? { 'aria-invalid': 'true', 'aria-describedby': `demande-${name}-error` } : {};
  return (
    <section class="request-form" aria-labelledby="demande-title">
      <h2 id="demande-title">Envoyer une demande à votre établissement</h2>
      <p>
        {hasIdentity
          ? 'Les informations que vous avez indiquées plus haut (nom, prénom, date de naissance) seront jointes à la demande.'
          : 'Indiquez ce qui est affiché sous « Données connues » sur la page d’erreur, et ce qu’il faudrait corriger.'}
      </p>
      <form method="post" action={`/s/${sessionId}/demande`}>
        <CsrfField />
        <label for="demande-uai">Votre établissement</label>
        <select id="demande-uai" name="uai" required {...invalid('uai')}>
          <option value="">Choisissez…</option>
          {schools.map((s) => (
            <option value={s.uai} selected={values.uai === s.uai}>
              {s.name} ({s.uai})
            </option>
          ))}
        </select>
        {error('uai')}
        <label for="demande-corrections">Ce qui est faux et ce qu’il faudrait mettre à la place</label>
        <textarea id="demande-corrections" name="corrections" rows={3} required {...invalid('corrections')}>
          {values.corrections ?? ''}
        </textarea>
        {error('corrections')}
        <label for="demande-email">Adresse e-mail pour vous répondre</label>
        <input
          id="demande-email"
          name="email"
          type="email"
          autocomplete="email"
          value={values.email ?? ''}
          {...invalid('email')}
        />
        {error('email')}
        <label for="demande-telephone">Ou téléphone</label>
        <input
          id="demande-telephone"
          name="telephone"
          type="tel"
          autocomplete="tel"
          value={values.telephone ?? ''}
          {...invalid('telephone')}
        />
        {error('telephone')}
        <button type="submit">Envoyer la demande</button>
      </form>
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

function caseOf(r: HelpRequestView): string {
  const name = CASES[r.data.flow] ?? r.data.flow;
  const found = (r.data.verified?.findings ?? []).map((f) => FINDINGS[f.split(':')[1] ?? ''] ?? f);
  return found.length > 0 ? `${name} : ${found.join(', ')}` : name;
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
            <option value="corrigee">Corrigée : la personne peut réessayer</option>
            <option value="en-cours">En cours : réponse d’attente</option>
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
            <thead>
              <tr>
                <th scope="col">Référence</th>
                <th scope="col">Reçue</th>
                <th scope="col">Établissement</th>
                <th scope="col">Cas</th>
                <th scope="col">Personne (données connues)</th>
                <th scope="col">Précisions</th>
                <th scope="col">Contact</th>
                <th scope="col">Statut</th>
                <th scope="col">Responsable</th>
                <th scope="col">Suite</th>
              </tr>
            </thead>
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
                  <td>{[r.data.corrections, r.data.message].filter(Boolean).join(' — ')}</td>
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
