import type { Context } from 'hono';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { Conversation, ConversationPage, type ConversationProps } from '../../views/conversation.js';
import { HomePage } from '../../views/home.js';
import { Layout } from '../../views/layout.js';
import { Exchanges, OlderExchanges } from '../../views/transcript.js';
import { EventRejected, SessionNotFound } from '../engine/errors.js';
import type { SessionState } from '../engine/session-engine.js';
import { buildStepView, type StepView, transcriptUpTo } from '../engine/step-view.js';
import { ticketMarkdown, ticketText } from '../engine/ticket-summary.js';
import type { AppDeps, AppEnv } from './app-types.js';
import { caseFlows, flowTitle } from './flow-titles.js';
import type { FollowLinks } from './follow-links.js';
import { absoluteUrl } from './public-url.js';
import { html } from './render.js';
import { espaceChoices } from './request-fields.js';
import { openForAnswer, openSession, seqSchema, startSchema, startSession } from './session-access.js';
import type { TicketLinks } from './ticket-links.js';
import { submitTicketPost, ticketPostForm } from './ticket-systems/post-form.js';
import type { PrivacyConfig } from './verify-config.js';
import { isAllowedOn, type Viewer } from './viewer.js';

/** The HTML pages: every step is a real URL, every form a real POST; htmx only makes it smoother. */
export function pageRoutes(
  deps: AppDeps & { tickets: TicketLinks; follow: FollowLinks; privacy: PrivacyConfig },
) {
  const { engine, content, tickets, pronote, ticketSystems, logger, requests, follow } = deps;
  const app = new Hono<AppEnv>();

  const audienceOf = (c: Context<AppEnv>) => (c.get('viewer').kind === 'agent' ? 'agent' : 'public');

  /** Only an agent allowed on the session's school gets its ticket link and summary. */
  const mayTicket = (viewer: Viewer, state: SessionState) =>
    viewer.kind === 'agent' &&
    state.session.audience === 'agent' &&
    (state.session.uai === null || isAllowedOn(viewer, state.session.uai));

  const summaryInput = (view: StepView) => ({
    view,
    flowTitle: flowTitle(content, view.flow, view.audience),
    link: absoluteUrl(deps.publicUrl, tickets.create({ sessionId: view.sessionId, seq: view.seq })),
    statusLabel: content.shared.status[view.status],
  });

  const propsFor = async (c: Context<AppEnv>, state: SessionState): Promise<ConversationProps> => {
    const view = await buildStepView(engine, content, state);
    const props: ConversationProps = { view, flowTitle: flowTitle(content, view.flow, view.audience) };
    if (pronote && requests && view.audience === 'public' && view.status === 'escalate') {
      const sent = await requests.findBySession(view.sessionId);
      props.request = {
        sessionId: view.sessionId,
        flow: view.flow,
        schools: await pronote.listSchools(),
        hasIdentity: state.snapshot.context.identity !== undefined,
        espaces: espaceChoices(content),
        privacy: deps.privacy,
        ...(sent
          ? {
              sent: {
                reference: sent.reference,
                followUrl: absoluteUrl(deps.publicUrl, follow.create(sent.id)),
                again: false,
              },
            }
          : {}),
      };
    }
    if (mayTicket(c.get('viewer'), state)) {
      const input = summaryInput(view);
      const base = `/s/${view.sessionId}/${view.seq}`;
      props.ticket = {
        link: input.link,
        markdown: ticketMarkdown(input),
        downloads: { markdown: `${base}/resume.md`, text: `${base}/resume.txt` },
        ...(ticketSystems ? { post: ticketPostForm(ticketSystems, `${base}/ticket`) } : {}),
      };
    }
    return props;
  };

  /** The panel alone for an htmx swap, the whole page otherwise (including htmx's history restore). */
  const render = (c: Context<AppEnv>, props: ConversationProps, status: 200 | 422 | 502 = 200) => {
    c.header('Vary', 'HX-Request');
    const partial =
      c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true';
    if (partial) {
      // A refused answer stays on the step it answered: nothing new to add to the browser's history.
      if (status === 200) c.header('HX-Push-Url', `/s/${props.view.sessionId}/${props.view.seq}`);
      return html(c, <Conversation {...props} />, status);
    }
    return html(c, <ConversationPage {...props} />, status);
  };

  const showStep = async (c: Context<AppEnv>, id: string, seq?: number) =>
    render(c, await propsFor(c, await openSession(engine, c.get('viewer'), id, seq)));

  app.get('/', async (c) => {
    const viewer = c.get('viewer');
    const flows = caseFlows(content, audienceOf(c));
    if (viewer.kind !== 'agent' || !pronote)
      return html(
        c,
        <HomePage flows={flows} verify={deps.verify !== undefined && viewer.kind !== 'agent'} />,
      );
    const schools = (await pronote.listSchools()).filter((s) => isAllowedOn(viewer, s.uai));
    return html(c, <HomePage flows={flows} schools={schools} />);
  });

  app.post('/s', async (c) => {
    const input = startSchema.parse(await c.req.parseBody());
    const { id, seq } = await startSession(engine, c.get('viewer'), input);
    return c.redirect(`/s/${id}/${seq}`, 303);
  });

  /** The session of the URL at the entry it names, for this viewer. */
  const openAt = (c: Context<AppEnv>, id: string, seq: string) =>
    openSession(engine, c.get('viewer'), id, seqSchema.parse(seq));

  app.get('/s/:id', async (c) => showStep(c, c.req.param('id')));
  app.get('/s/:id/:seq', async (c) => showStep(c, c.req.param('id'), seqSchema.parse(c.req.param('seq'))));

  /** Older exchanges of a transcript: the items alone for htmx (they replace the link), a page otherwise. */
  app.get('/s/:id/:seq/historique', async (c) => {
    const state = await openAt(c, c.req.param('id'), c.req.param('seq'));
    const { items, olderSeq } = await transcriptUpTo(engine, content, state.session, state.entry.seq);
    const props = { sessionId: state.session.id, items, olderSeq };
    c.header('Vary', 'HX-Request');
    if (c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true')
      return html(c, <Exchanges {...props} />);
    return html(
      c,
      <Layout title="Étapes plus anciennes">
        <OlderExchanges {...props} />
      </Layout>,
    );
  });

  app.get('/s/:id/:seq/:file{resume\\.(md|txt)}', async (c) => {
    const state = await openAt(c, c.req.param('id'), c.req.param('seq'));
    if (!mayTicket(c.get('viewer'), state)) throw new SessionNotFound();
    const input = summaryInput(await buildStepView(engine, content, state, 'all'));
    const markdown = c.req.param('file').endsWith('.md');
    return c.body(markdown ? ticketMarkdown(input) : ticketText(input), 200, {
      'Content-Type': `${markdown ? 'text/markdown' : 'text/plain'}; charset=utf-8`,
      'Content-Disposition': `attachment; filename="resume-${state.session.id.slice(0, 8)}.${markdown ? 'md' : 'txt'}"`,
    });
  });

  /** Posts the summary to GLPI or Zammad, then shows the same step with what came of it. */
  app.post('/s/:id/:seq/ticket', async (c) => {
    const seq = seqSchema.parse(c.req.param('seq'));
    const state = await openSession(engine, c.get('viewer'), c.req.param('id'), seq);
    if (!ticketSystems || !mayTicket(c.get('viewer'), state)) throw new SessionNotFound();
    const props = await propsFor(c, state);
    const input = summaryInput(await buildStepView(engine, content, state, 'all'));
    const summary = { markdown: ticketMarkdown(input), text: ticketText(input) };
    const { status, outcome } = await submitTicketPost(
      ticketSystems,
      await c.req.parseBody(),
      summary,
      logger,
    );
    if (props.ticket?.post) Object.assign(props.ticket.post, outcome);
    return render(c, props, status);
  });

  app.get('/ticket/:token', async (c) => {
    const target = tickets.verify(c.req.param('token'));
    const viewer = c.get('viewer');
    if (!target)
      throw new HTTPException(404, {
        message: 'Ce lien de ticket n’est pas valable : il a été modifié ou il a expiré.',
      });
    // Signed out: sign in first, then straight back to this ticket.
    if (viewer.kind !== 'agent')
      return c.redirect(`/connexion?retour=${encodeURIComponent(c.req.path)}`, 303);
    const state = await engine.load(target.sessionId, target.seq);
    // The link is genuine (signed): say plainly that the school is the problem, not the link.
    if (!mayTicket(viewer, state))
      throw new HTTPException(403, {
        message: `Ce ticket concerne un établissement${state.session.uai ? ` (${state.session.uai})` : ''} sur lequel votre compte n’a pas de droits. Demandez à un administrateur de vous y ajouter, puis rouvrez le lien.`,
      });
    return c.redirect(`/s/${target.sessionId}/${target.seq}`, 303);
  });

  app.post('/s/:id/events', async (c) => {
    const viewer = c.get('viewer');
    const id = c.req.param('id');
    const { at, _csrf, ...fields } = await c.req.parseBody({ all: true });
    const seq = at === undefined ? undefined : seqSchema.parse(at);
    const state = await openForAnswer(engine, viewer, id, seq);
    try {
      const result = await engine.sendFrom(state, fields, {
        actor: viewer.kind === 'agent' ? viewer.name : null,
      });
      if (c.req.header('HX-Request') !== 'true') return c.redirect(`/s/${id}/${result.seq}`, 303);
      return render(c, await propsFor(c, result.state));
    } catch (err) {
      if (!(err instanceof EventRejected)) throw err;
      // The step refused is shown as the store has it now (a recalled state may believe an older head).
      const shown = state.recalled ? await openSession(engine, viewer, id, seq) : state;
      return render(
        c,
        {
          ...(await propsFor(c, shown)),
          values: fields,
          fieldErrors: err.fieldErrors,
          failedType: typeof fields.type === 'string' ? fields.type : '',
          message: err.message,
        },
        422,
      );
    }
  });

  return app;
}
