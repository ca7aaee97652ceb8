import { type Child, useContext } from 'hono/jsx';
import { BrandContext } from './brand.js';
import { SiteNav } from './nav.js';

export interface LayoutProps {
  title: string;
  children: Child;
}

/** The page around every screen. Scripts and styles come from our own origin only (the CSP forbids inline script). */
export function Layout({ title, children }: LayoutProps) {
  const brand = useContext(BrandContext);
  return (
    <html lang="fr" data-theme="light">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <meta name="application-name" content={brand.name} />
        <link rel="icon" href="data:," />
        <title>{`${title} — ${brand.name}`}</title>
        <link rel="stylesheet" href="/assets/pico.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        {/* The deployer's accent colour (ACCENT_COLOR), over app.css's. */}
        <link rel="stylesheet" href="/assets/brand.css" />
        <script src="/assets/htmx.min.js" defer />
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="site-header">
          <div class="container">
            <a href="/" class="brand">
              {/* The name beside it says it all: the logo is decoration. */}
              {brand.logo && <img class="brand-logo" src={brand.logo} alt="" />}
              <span class="brand-text">
                <span class="brand-mark" aria-hidden="true">
                  ENT ⇄ PRONOTE
                </span>
                <span class="brand-name">{brand.name}</span>
              </span>
            </a>
            <SiteNav />
          </div>
        </header>
        <main id="contenu" class="container" tabindex={-1}>
          {children}
        </main>
        {/* Filled by app.js after an htmx swap: what the check found, read out by screen readers. */}
        <div id="annonces" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
        <footer class="site-footer">
          <div class="container">
            <small>
              <strong>{brand.name}</strong>. Cet assistant aide élèves, parents et personnels à se connecter à
              PRONOTE depuis l’ENT. Ce que vous y indiquez sert seulement à trouver ce qui bloque ; votre
              établissement ne le reçoit que si vous lui envoyez une demande.
            </small>
            <nav aria-label="Informations sur le service">
              <ul class="footer-links">
                <li>
                  <a href="/mentions-legales">Mentions légales</a>
                </li>
                <li>
                  <a href="/donnees-personnelles">Données personnelles</a>
                </li>
                <li>
                  <a href="/accessibilite">Accessibilité</a>
                </li>
              </ul>
            </nav>
          </div>
        </footer>
      </body>
    </html>
  );
}
