import { createContext, useContext } from 'hono/jsx';
import { CsrfField } from './csrf.js';

/** Who is looking and where: enough for the header to offer the right links. */
export interface NavInfo {
  /** The path of the page being rendered, to mark the link to it. */
  path: string;
  agent: { name: string; admin: boolean } | null;
}

/** Given once by the server around a page, like the CSRF token; a page rendered without it gets the public links. */
export const NavContext = createContext<NavInfo>({ path: '', agent: null });

interface NavLink {
  href: string;
  label: string;
}

const PUBLIC_LINKS: NavLink[] = [
  { href: '/', label: 'Accueil' },
  { href: '/connexion', label: 'Espace agents' },
];

function agentLinks(admin: boolean): NavLink[] {
  return [
    { href: '/', label: 'Accueil' },
    { href: '/demandes', label: 'Demandes' },
    { href: '/audit', label: 'Journal' },
    { href: '/corrections', label: 'Corrections' },
    { href: '/reconciliation', label: 'Réconciliation' },
    { href: '/reglages', label: 'Réglages' },
    { href: '/flows', label: 'Parcours' },
    { href: '/stats', label: 'Statistiques' },
    ...(admin ? [{ href: '/agents', label: 'Agents' }] : []),
    { href: '/compte', label: 'Mon compte' },
  ];
}

/** `/flows/auth-error` is within « Parcours »; « Accueil » is the home page only. */
const isCurrent = (href: string, path: string) =>
  href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);

/**
 * The site's main links: where one is, and (for agents) the way out. An agent's many links fold under a
 * « Menu » disclosure on a phone; app.css keeps them shown from a tablet up. A details element opens
 * without JavaScript and from the keyboard alike.
 */
export function SiteNav() {
  const { path, agent } = useContext(NavContext);
  const links = agent ? agentLinks(agent.admin) : PUBLIC_LINKS;
  const nav = (
    <nav class="site-nav" aria-label="Menu principal">
      <ul>
        {links.map((l) => (
          <li>
            <a href={l.href} aria-current={isCurrent(l.href, path) ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
        {agent && (
          <li>
            <form method="post" action="/deconnexion" class="sign-out">
              <CsrfField />
              <button type="submit" class="link-button">
                Se déconnecter
              </button>
            </form>
          </li>
        )}
      </ul>
    </nav>
  );
  if (!agent) return nav;
  return (
    <details class="site-menu">
      <summary>Menu</summary>
      {nav}
    </details>
  );
}
