import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  children: Child;
}

/** The page around every screen. Scripts and styles come from our own origin only (the CSP forbids inline script). */
export function Layout({ title, children }: LayoutProps) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} — Assistant de connexion ENT–PRONOTE`}</title>
        <link rel="stylesheet" href="/assets/pico.min.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        <script src="/assets/htmx.min.js" defer />
        <script src="/assets/app.js" defer />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="container site-header">
          <a href="/" class="brand">
            Assistant de connexion ENT–PRONOTE
          </a>
        </header>
        <main id="contenu" class="container" tabindex={-1}>
          {children}
        </main>
        <footer class="container site-footer">
          <small>Aucune donnée personnelle n’apparaît dans les adresses de ces pages.</small>
        </footer>
      </body>
    </html>
  );
}
