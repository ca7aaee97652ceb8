import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';

export interface HomeProps {
  flows: Array<{ id: string; title: string }>;
  /** For an agent: the schools whose data they may check and fix; the first is chosen by default. */
  schools?: Array<{ uai: string; name: string }>;
}

/**
 * The welcome page: start from the triage, or straight into one of the four cases. One form, so that an
 * agent's choice of school goes with whichever button they press.
 */
export function HomePage({ flows, schools }: HomeProps) {
  return (
    <Layout title="Accueil">
      <h1>Un problème de connexion entre l’ENT et PRONOTE ?</h1>
      <p class="lead">
        Cet assistant vous guide pas à pas, du message d’erreur jusqu’à la solution, et vérifie ce qui peut
        l’être.
      </p>
      <form method="post" action="/s" class="start-form">
        <CsrfField />
        {schools && schools.length > 0 && (
          <label for="uai">
            Établissement
            <select id="uai" name="uai" aria-describedby="uai-hint">
              {schools.map((s) => (
                <option value={s.uai}>{`${s.name} (${s.uai})`}</option>
              ))}
              <option value="">Aucun : questions de la FAQ seulement, sans vérification</option>
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
