import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';

export interface HomeProps {
  flows: Array<{ id: string; title: string }>;
}

/** The welcome page: start from the triage, or straight into one of the four cases. */
export function HomePage({ flows }: HomeProps) {
  return (
    <Layout title="Accueil">
      <h1>Un problème de connexion entre l’ENT et PRONOTE ?</h1>
      <p>
        Cet assistant vous guide pas à pas, du message d’erreur jusqu’à la solution, et vérifie ce qui peut
        l’être.
      </p>
      <form method="post" action="/s">
        <CsrfField />
        <button type="submit">Commencer</button>
      </form>
      <h2>Ou allez directement à votre cas</h2>
      <ul class="flow-list">
        {flows.map((f) => (
          <li>
            <form method="post" action="/s">
              <CsrfField />
              <input type="hidden" name="flow" value={f.id} />
              <button type="submit" class="secondary">
                {f.title}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
