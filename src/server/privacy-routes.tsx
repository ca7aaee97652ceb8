import { Hono } from 'hono';
import { AccessibilityPage, LegalPage, PersonalDataPage, type PrivacyProps } from '../../views/privacy.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';

/** The pages every footer links to: legal notice, personal data (RGPD), accessibility statement (RGAA). */
export function privacyRoutes(privacy: PrivacyProps) {
  const app = new Hono<AppEnv>();
  app.get('/mentions-legales', (c) => html(c, <LegalPage {...privacy} />));
  app.get('/donnees-personnelles', (c) => html(c, <PersonalDataPage {...privacy} />));
  app.get('/accessibilite', (c) => html(c, <AccessibilityPage {...privacy} />));
  return app;
}
