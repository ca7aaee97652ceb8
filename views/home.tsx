import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';

export interface HomeProps {
  flows: Array<{ id: string; title: string }>;
  /** For an agent: the schools whose data they may check and fix; the first is chosen by default. */
  schools?: Array<{ uai: string; name: string }>;
  /** For an end user when the ENT's CAS is configured: « Vérifier mon compte » comes first. */
  verify?: boolean;
}

/**
 * The welcome page: start from the triage, or straight into one of the four cases. One form, so that an
 * agent's choice of school goes with whichever button they press.
 */
export function HomePage({ flows, schools, verify }: HomeProps) {
  return (
    <Layout title="Accueil">
      <h1>Un problème de connexion entre l’ENT et PRONOTE ?</h1>
      <p class="lead">
        Cet assistant vous guide pas à pas, du message d’erreur jusqu’à la solution, et vérifie ce qui peut
        l’être.
      </p>
      {verify && (
        <section class="notice-info" aria-labelledby="verifier-title">
          <h2 id="verifier-title">Vous arrivez à vous connecter à l’ENT, mais pas à PRONOTE ?</h2>
          <p>
            Connectez-vous à l’ENT : l’assistant compare ce que l’ENT transmet à PRONOTE avec les données de
            votre établissement, et vous dit ce qui bloque pour votre compte.
          </p>
          <a href="/verifier" class="new-problem">
            Vérifier mon compte
          </a>
        </section>
      )}
      <form method="post" action="/s" class="start-form">
        <CsrfField />
        {schools && schools.length > 0 && (
          <label for="uai">
            Établissement
            <select id="uai" name="uai" aria-describedby="uai-hint">
              {schools.map((s) => (
                <option value={s.uai}>{`${s.name} (${s.uai})`}</option>
              ))}
              <option value="">Aucun : questions de la FAQ seulement, sans vérification</option>
            </select>
            <small id="uai-hint">
              Les vérifications et corrections portent sur les données de cet établissement.
            </small>
          </label>
        )}
        <button type="submit" class="start-button">
          Commencer
        </button>
        <h2>Ou allez directement à votre cas</h2>
        <ul class="flow-list">
          {flows.map((f) => (
            <li>
              <button type="submit" name="flow" value={f.id} class="secondary outline">
                {f.title}
              </button>
            </li>
          ))}
        </ul>
      </form>
    </Layout>
  );
}
