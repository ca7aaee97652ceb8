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

/** The queue agents of a school see: each request opens a session with its data filled in. */
export function RequestsPage({ requests }: { requests: HelpRequestView[] }) {
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
                <th scope="col">Reçue le</th>
                <th scope="col">Établissement</th>
                <th scope="col">Personne (données connues)</th>
                <th scope="col">Corrections proposées</th>
                <th scope="col">Contact</th>
                <th scope="col">Suite</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr>
                  <td>{new Date(r.createdAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</td>
                  <td>{r.uai}</td>
                  <td>
                    {r.data.identity
                      ? `${r.data.identity.nom ?? ''} ${r.data.identity.prenom ?? ''} ${frDate(r.data.identity.dateNaissance)}`
                      : '—'}
                    {r.data.identity?.login ? ` (${r.data.identity.login})` : ''}
                  </td>
                  <td>{r.data.corrections}</td>
                  <td>{[r.data.contact.email, r.data.contact.telephone].filter(Boolean).join(' · ')}</td>
                  <td>
                    {r.openedSession ? (
                      <a href={`/s/${r.openedSession}`}>Session ouverte par {r.openedBy}</a>
                    ) : (
                      <form method="post" action={`/demandes/${r.id}/ouvrir`}>
                        <CsrfField />
                        <button type="submit">Ouvrir</button>
                      </form>
                    )}
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
