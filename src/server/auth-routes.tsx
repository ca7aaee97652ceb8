import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AccountPage, AgentsPage, SignInLinkPage, SignInPage } from '../../views/agent-pages.js';
import type { AgentStore } from '../store/agent-port.js';
import type { RateCounter } from '../store/rate-counter.js';
import { agentName, newPassword, schoolList } from './agent-input.js';
import type { AppEnv } from './app-types.js';
import type { Auth } from './auth.js';
import { absoluteUrl } from './public-url.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { html } from './render.js';

const forbidden = () => new HTTPException(403, { message: 'Cette page est réservée aux administrateurs.' });

/** Sign-in (link or password), the agent's own page and the admins' page that manages agents. */
export function authRoutes({
  auth,
  agents,
  cas = false,
  rates,
  publicUrl,
  knownSchools = async () => null,
}: {
  auth: Auth;
  /** The UAIs the data holds, to warn of one typed wrong; null when there is no data to compare with. */
  knownSchools?: () => Promise<string[] | null>;
  /** Where printed sign-in links point. */
  publicUrl: string;
  agents: AgentStore;
  cas?: boolean;
  rates: RateCounter;
}) {
  const app = new Hono<AppEnv>();
  const limited = rateLimit({
    name: 'sign-in',
    limit: 10,
    windowMs: 60_000,
    keyOf: clientKey,
    counter: rates,
  });

  const currentAgent = async (c: Context<AppEnv>) => {
    const viewer = c.get('viewer');
    const agent = viewer.kind === 'agent' ? await agents.get(viewer.name) : null;
    if (!agent) throw new HTTPException(403, { message: 'Connectez-vous d’abord : /connexion' });
    return agent;
  };
  const adminOnly = async (c: Context<AppEnv>) => {
    if (!(await currentAgent(c)).admin) throw forbidden();
  };

  app.get('/connexion', async (c) => {
    const retour = returnPath(c.req.query('retour'));
    return html(c, <SignInPage cas={cas} {...(retour ? { retour } : {})} />);
  });
  app.post('/connexion', limited, async (c) => {
    const body = await c.req.parseBody();
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const retour = returnPath(body.retour);
    if (await auth.signInWithPassword(c, name, password)) return c.redirect(retour ?? '/', 303);
    return html(
      c,
      <SignInPage
        error="Identifiant ou mot de passe incorrect."
        name={name}
        cas={cas}
        {...(retour ? { retour } : {})}
      />,
      422,
    );
  });

  app.get('/connexion/lien/:secret', async (c) => html(c, <SignInLinkPage action={c.req.path} />));
  app.post('/connexion/lien/:secret', limited, async (c) => {
    const name = await auth.signInWithLink(c, c.req.param('secret'));
    if (!name)
      throw new HTTPException(403, {
        message:
          'Ce lien de connexion n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau à un administrateur.',
      });
    return c.redirect('/compte', 303);
  });

  app.post('/deconnexion', async (c) => {
    await auth.signOut(c);
    return c.redirect('/', 303);
  });

  app.get('/compte', async (c) => html(c, <AccountPage agent={await currentAgent(c)} />));
  app.post('/compte/mot-de-passe', limited, async (c) => {
    const agent = await currentAgent(c);
    const parsed = newPassword.safeParse(await c.req.parseBody());
    if (!parsed.success)
      return html(c, <AccountPage agent={agent} error={parsed.error.issues[0]?.message ?? ''} />, 422);
    if (!(await auth.changePassword(c, agent.name, parsed.data.current, parsed.data.password))) {
      const error = 'Le mot de passe actuel n’est pas le bon : rien n’a changé.';
      return html(c, <AccountPage agent={agent} error={error} />, 422);
    }
    return html(c, <AccountPage agent={await currentAgent(c)} message="Mot de passe enregistré." />);
  });

  /** The agents' page as it stands: with the error that refused a form (422), or the link just made. */
  const agentsPage = async (
    c: Context<AppEnv>,
    outcome: { error?: string; created?: { name: string; link: string } } = {},
  ) =>
    html(
      c,
      <AgentsPage agents={await agents.list()} knownSchools={await knownSchools()} {...outcome} />,
      outcome.error === undefined ? 200 : 422,
    );

  app.get('/agents', async (c) => {
    await adminOnly(c);
    return agentsPage(c);
  });

  app.post('/agents', async (c) => {
    await adminOnly(c);
    const body = await c.req.parseBody();
    const parsed = z
      .object({
        name: agentName,
        schools: schoolList.or(z.undefined().transform(() => [] as string[])),
        admin: z.literal('1').optional(),
        cas: z.literal('1').optional(),
      })
      .safeParse(body);
    if (!parsed.success) return agentsPage(c, { error: parsed.error.issues[0]?.message ?? '' });
    if (await agents.get(parsed.data.name)) {
      return agentsPage(c, { error: 'Un agent porte déjà cet identifiant.' });
    }
    await agents.add({
      name: parsed.data.name,
      admin: parsed.data.admin === '1',
      schools: parsed.data.schools,
      cas: parsed.data.cas === '1',
    });
    const link = absoluteUrl(publicUrl, await auth.issueSignInLink(parsed.data.name));
    return agentsPage(c, { created: { name: parsed.data.name, link } });
  });

  app.post('/agents/:name', async (c) => {
    await adminOnly(c);
    const name = c.req.param('name');
    const body = await c.req.parseBody();
    const parsed = z
      .object({ schools: schoolList, disabled: z.literal('1').optional(), cas: z.literal('1').optional() })
      .safeParse(body);
    if (!parsed.success) return agentsPage(c, { error: parsed.error.issues[0]?.message ?? '' });
    const viewer = c.get('viewer');
    if (viewer.kind === 'agent' && viewer.name === name && parsed.data.disabled) {
      throw new HTTPException(403, { message: 'Vous ne pouvez pas désactiver votre propre compte.' });
    }
    const changes = {
      schools: parsed.data.schools,
      disabled: parsed.data.disabled === '1',
      cas: parsed.data.cas === '1',
    };
    if (!(await agents.update(name, changes))) {
      throw new HTTPException(404, { message: 'Agent introuvable.' });
    }
    return c.redirect('/agents', 303);
  });

  app.post('/agents/:name/lien', async (c) => {
    await adminOnly(c);
    const name = c.req.param('name');
    if (!(await agents.get(name))) throw new HTTPException(404, { message: 'Agent introuvable.' });
    const link = absoluteUrl(publicUrl, await auth.issueSignInLink(name));
    return agentsPage(c, { created: { name, link } });
  });

  return app;
}

/** Where to go back after signing in: only a ticket link of this site, never another address. */
function returnPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/ticket\/[\w.-]{1,200}$/.test(value) ? value : undefined;
}
