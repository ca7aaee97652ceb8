import type { AgentView } from '../src/engine/agent-views.js';
import { ColumnHeads } from './column-heads.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

/** `cas`: agents may also sign in with their ENT account, through the ENT's CAS server. */
export function SignInPage({
  error,
  name,
  cas,
  retour,
}: {
  error?: string;
  name?: string;
  cas?: boolean;
  /** The ticket link to open once signed in. */
  retour?: string;
}) {
  return (
    <Layout title="Connexion des agents">
      <h1>Connexion des agents</h1>
      <p>Réservée à l’assistance ENT et aux administrateurs PRONOTE des établissements.</p>
      {retour && <p class="notice-info">Une fois connecté·e, le ticket demandé s’ouvrira.</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <form method="post" action="/connexion">
        <CsrfField />
        {retour && <input type="hidden" name="retour" value={retour} />}
        <label for="name">
          Identifiant
          <input id="name" name="name" autocomplete="username" required value={name ?? ''} />
        </label>
        <label for="password">
          Mot de passe
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit">Se connecter</button>
      </form>
      {cas && (
        <p>
          Ou, avec votre compte ENT : <a href="/connexion/cas">Se connecter avec l’ENT</a>
        </p>
      )}
    </Layout>
  );
}

export function SignInLinkPage({ action }: { action: string }) {
  return (
    <Layout title="Lien de connexion">
      <h1>Lien de connexion</h1>
      <p>Ce lien ne sert qu’une fois. Une fois connecté, choisissez un mot de passe sur votre page.</p>
      <form method="post" action={action}>
        <CsrfField />
        <button type="submit">Me connecter</button>
      </form>
    </Layout>
  );
}

export function AccountPage({
  agent,
  message,
  error,
}: {
  agent: AgentView;
  message?: string;
  error?: string;
}) {
  return (
    <Layout title="Mon compte">
      <h1>Mon compte : {agent.name}</h1>
      <p>
        {agent.admin ? 'Administrateur. ' : ''}
        Établissements :{' '}
        {agent.schools === 'all' ? 'tous' : agent.schools.join(', ') || 'aucun pour l’instant'}
      </p>
      {message && <p class="notice-ok">{message}</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <h2>{agent.hasPassword ? 'Changer de mot de passe' : 'Choisir un mot de passe'}</h2>
      <form method="post" action="/compte/mot-de-passe">
        <CsrfField />
        {agent.hasPassword && (
          <label for="current">
            Mot de passe actuel
            <input id="current" name="current" type="password" autocomplete="current-password" required />
          </label>
        )}
        <label for="password">
          Nouveau mot de passe (12 caractères au moins)
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            minlength={12}
            required
          />
        </label>
        <label for="confirm">
          Confirmez-le
          <input
            id="confirm"
            name="confirm"
            type="password"
            autocomplete="new-password"
            minlength={12}
            required
          />
        </label>
        <button type="submit">Enregistrer</button>
      </form>
      <form method="post" action="/deconnexion">
        <CsrfField />
        <button type="submit" class="secondary">
          Se déconnecter
        </button>
      </form>
    </Layout>
  );
}

export interface AgentsPageProps {
  agents: AgentView[];
  created?: { name: string; link: string };
  error?: string;
  /** The UAIs the data holds; null when there is none to compare with. */
  knownSchools?: string[] | null;
}

export function AgentsPage({ agents, created, error, knownSchools = null }: AgentsPageProps) {
  const known = knownSchools ? new Set(knownSchools) : null;
  const unknownOf = (a: AgentView) =>
    known && a.schools !== 'all' ? a.schools.filter((uai) => !known.has(uai)) : [];
  return (
    <Layout title="Agents">
      <h1>Agents</h1>
      {created && (
        <p class="notice-ok" role="status">
          Agent « {created.name} » créé. Transmettez-lui ce lien de connexion, valable 24 heures et une seule
          fois : <code>{created.link}</code>
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <TableScroll label="Agents et établissements autorisés">
        <table>
          <caption>Agents et établissements autorisés</caption>
          <ColumnHeads names={['Identifiant', 'Rôle', 'Établissements (UAI)', 'État', 'Modifier']} />
          <tbody>
            {agents.map((a) => (
              <tr>
                <td>{a.name}</td>
                <td>{a.admin ? 'administrateur' : 'agent'}</td>
                <td>
                  {a.schools === 'all' ? 'tous' : a.schools.join(', ')}
                  {unknownOf(a).length > 0 && (
                    <small class="field-error">
                      {' '}
                      Inconnu des données : {unknownOf(a).join(', ')} (UAI mal saisi, ou établissement pas
                      encore importé).
                    </small>
                  )}
                </td>
                <td>{a.disabled ? 'désactivé' : a.hasPassword ? 'actif' : 'en attente du premier lien'}</td>
                <td>
                  <form method="post" action={`/agents/${encodeURIComponent(a.name)}`} class="inline-form">
                    <CsrfField />
                    <label for={`schools-${a.name}`}>
                      Établissements
                      <input
                        id={`schools-${a.name}`}
                        name="schools"
                        value={a.schools === 'all' ? '*' : a.schools.join(',')}
                      />
                    </label>
                    <label for={`disabled-${a.name}`}>
                      <input
                        id={`disabled-${a.name}`}
                        type="checkbox"
                        name="disabled"
                        value="1"
                        checked={a.disabled}
                      />
                      Désactivé
                    </label>
                    <label for={`cas-${a.name}`}>
                      <input id={`cas-${a.name}`} type="checkbox" name="cas" value="1" checked={a.cas} />
                      Connexion par l’ENT (CAS)
                    </label>
                    <button type="submit" class="secondary">
                      Enregistrer
                    </button>
                  </form>
                  <form
                    method="post"
                    action={`/agents/${encodeURIComponent(a.name)}/lien`}
                    class="inline-form"
                  >
                    <CsrfField />
                    <button type="submit" class="secondary outline">
                      Nouveau lien de connexion
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h2>Ajouter un agent</h2>
      <form method="post" action="/agents">
        <CsrfField />
        <label for="new-name">
          Identifiant (lettres, chiffres, point, tiret)
          <input id="new-name" name="name" required pattern="[a-zA-Z0-9._-]{2,64}" />
        </label>
        <label for="new-schools">
          Établissements : codes UAI séparés par des virgules, ou * pour tous
          <input id="new-schools" name="schools" />
        </label>
        <label for="new-admin">
          <input id="new-admin" type="checkbox" name="admin" value="1" />
          Administrateur (gère les agents)
        </label>
        <label for="new-cas">
          <input id="new-cas" type="checkbox" name="cas" value="1" />
          Connexion par l’ENT (CAS) : l’identifiant ci-dessus est alors son login ENT
        </label>
        <button type="submit">Créer et obtenir un lien de connexion</button>
      </form>
    </Layout>
  );
}
