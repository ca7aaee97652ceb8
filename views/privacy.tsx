import { Layout } from './layout.js';

/** Who processes the data (configuration: `DATA_CONTROLLER_NAME`, `DATA_CONTROLLER_CONTACT`). */
export interface PrivacyProps {
  controller: string;
  contact: string;
  /** Days a request is kept after it was sent. */
  requestDays: number;
}

/**
 * The information RGPD article 13 asks for where data is collected: who, why, on what basis, for how long,
 * who receives it, and the person's rights. Shown on the request form and the check page.
 */
export function PrivacyNotice({ controller, contact, requestDays }: PrivacyProps) {
  return (
    <aside class="privacy-notice" aria-labelledby="rgpd-title">
      <h2 id="rgpd-title">Vos données</h2>
      <p>
        Responsable du traitement : {controller}. Finalité : rétablir votre connexion à PRONOTE depuis l’ENT
        (mission d’intérêt public de l’établissement). Seuls les agents de votre établissement et de son
        assistance lisent votre demande. Une vérification par l’ENT est gardée 30 minutes ; une demande,
        {` ${requestDays} `}jours après son envoi. Vous pouvez y accéder, la faire corriger ou effacer en
        écrivant à : {contact}. <a href="/donnees-personnelles">En savoir plus sur vos données</a>.
      </p>
    </aside>
  );
}

export function PersonalDataPage({ controller, contact, requestDays }: PrivacyProps) {
  return (
    <Layout title="Données personnelles">
      <h1>Données personnelles</h1>
      <h2>Qui traite vos données</h2>
      <p>
        Le responsable du traitement est {controller}. Pour toute question ou pour exercer vos droits :{' '}
        {contact}.
      </p>
      <h2>Pourquoi</h2>
      <p>
        L’assistant aide à résoudre les problèmes de connexion entre l’ENT et PRONOTE. Il compare l’identité
        que l’ENT transmet à PRONOTE (nom, prénom, date de naissance, profil) avec les données de votre
        établissement, et transmet à l’établissement les demandes que vous envoyez. Base légale : la mission
        d’intérêt public de l’établissement (RGPD, article 6-1-e).
      </p>
      <h2>Ce qui est gardé, et combien de temps</h2>
      <ul>
        <li>
          Vérification par l’ENT : son résultat 30 minutes, le temps de le lire ; les tickets de connexion
          déjà utilisés un jour, sous une forme qui ne permet pas de les retrouver.
        </li>
        <li>
          Demande à l’établissement : ce que vous avez envoyé et votre moyen de contact, {requestDays} jours
          après l’envoi ; le lien de suivi cesse alors de fonctionner.
        </li>
        <li>
          Aucune donnée personnelle n’apparaît dans les adresses des pages ; les journaux techniques n’en
          contiennent pas.
        </li>
      </ul>
      <h2>Qui y a accès</h2>
      <p>
        Les agents de votre établissement et de son assistance, chacun pour les établissements dont il a la
        charge. Rien n’est transmis à un tiers ni hors de l’Union européenne.
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire rectifier ou effacer, vous opposer au traitement ou en
        demander la limitation, en écrivant à : {contact}. Si vous estimez que vos droits ne sont pas
        respectés, vous pouvez adresser une réclamation à la CNIL (cnil.fr).
      </p>
    </Layout>
  );
}

export function LegalPage({ controller, contact }: PrivacyProps) {
  return (
    <Layout title="Mentions légales">
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Ce service est mis à disposition par {controller}. Contact : {contact}.
      </p>
      <h2>Hébergement</h2>
      <p>
        Le service est hébergé par l’organisme qui l’exploite pour le compte de l’éditeur, dans l’Union
        européenne.
      </p>
      <h2>PRONOTE et l’ENT</h2>
      <p>
        PRONOTE est une marque d’Index Éducation. Cet assistant n’est ni édité ni validé par Index Éducation
        ni par l’éditeur de votre ENT ; il travaille sur une copie des données de l’établissement et ne
        modifie jamais PRONOTE lui-même.
      </p>
    </Layout>
  );
}

/** The RGAA accessibility statement: what was checked, how, and how to report a barrier. */
export function AccessibilityPage({ contact }: PrivacyProps) {
  return (
    <Layout title="Accessibilité">
      <h1>Déclaration d’accessibilité</h1>
      <p>
        L’éditeur s’engage à rendre ce service accessible, conformément à l’article 47 de la loi n° 2005-102
        du 11 février 2005.
      </p>
      <h2>État de conformité</h2>
      <p>
        Ce service est <strong>partiellement conforme</strong> au référentiel général d’amélioration de
        l’accessibilité (RGAA 4.1) : aucun audit complet n’a encore été mené par un organisme indépendant.
      </p>
      <h2>Ce qui est vérifié</h2>
      <ul>
        <li>
          Chaque étape des parcours est contrôlée automatiquement (axe, WCAG 2.1 niveaux A et AA) à chaque
          modification.
        </li>
        <li>
          Les parcours se suivent au clavier seul et sans JavaScript ; les messages d’erreur sont reliés à
          leur champ.
        </li>
        <li>Technologies utilisées : HTML, CSS, et JavaScript en complément (htmx).</li>
      </ul>
      <h2>Signaler un défaut</h2>
      <p>
        Si vous ne pouvez pas accéder à un contenu ou à un service, écrivez à : {contact}. Vous recevrez une
        réponse ou une alternative accessible.
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous n’obtenez pas de réponse satisfaisante, vous pouvez saisir le Défenseur des droits (formulaire
        en ligne sur defenseurdesdroits.fr, ou par courrier gratuit : Défenseur des droits, Libre réponse
        71120, 75342 Paris CEDEX 07).
      </p>
    </Layout>
  );
}
