import { Layout } from './layout.js';

export interface ErrorPanelProps {
  status: number;
  message: string;
  fieldErrors?: Record<string, string>;
  /** Where the person can go on from here. */
  back?: { href: string; label: string };
}

const TITLES: Record<number, string> = {
  400: 'Demande incomplète',
  403: 'Accès refusé',
  404: 'Page introuvable',
  409: 'La session a changé',
  410: 'Session trop ancienne',
  413: 'Envoi trop volumineux',
  415: 'Format non pris en charge',
  422: 'Réponse à corriger',
  429: 'Trop de demandes',
  500: 'Erreur inattendue',
  502: 'Service distant en erreur',
  503: 'Service momentanément indisponible',
};

export function errorTitle(status: number): string {
  return TITLES[status] ?? 'Erreur';
}

export function ErrorPanel({ status, message, fieldErrors, back }: ErrorPanelProps) {
  const details = Object.values(fieldErrors ?? {});
  return (
    <section class="error-panel" role="alert">
      <h1>{errorTitle(status)}</h1>
      <p>{message}</p>
      {details.length > 0 && (
        <ul>
          {details.map((d) => (
            <li>{d}</li>
          ))}
        </ul>
      )}
      <p>
        <a href={back?.href ?? '/'}>{back?.label ?? 'Revenir à l’accueil'}</a>
      </p>
    </section>
  );
}

export function ErrorPage(props: ErrorPanelProps) {
  return (
    <Layout title={errorTitle(props.status)}>
      <ErrorPanel {...props} />
    </Layout>
  );
}
