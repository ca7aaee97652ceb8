import type { Locator, Page } from 'playwright-core';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { answer, currentStep } from './harness.js';

/** How a step was reached: a full page load (no JavaScript, or the first step) or an htmx swap. */
export type Arrival = 'load' | 'swap';

export interface WalkerOptions {
  /** JavaScript is on in the page's context: answers are swapped in by htmx. */
  js: boolean;
  /** Tab to each field and button and use the keyboard only, instead of clicking. */
  keyboard?: boolean;
  /** Called on every step reached, before anything is done on it. */
  onStep?: (step: string, arrival: Arrival) => Promise<void>;
}

const MAX_TABS = 60;

/** Drives one flow in the browser the way a person does, step after step. */
export class Walker {
  readonly steps: string[] = [];

  constructor(
    readonly page: Page,
    private readonly options: WalkerOptions,
  ) {}

  /** From the home page: the school (agents only), then the case's button. */
  async start(flowButton: RegExp, uai?: string): Promise<string> {
    await this.page.goto('/');
    if (uai) {
      const select = this.page.getByLabel('Établissement');
      if (this.options.keyboard) {
        await this.tabTo(select);
        await this.page.keyboard.type(uai);
      } else {
        await select.selectOption(uai);
      }
    }
    const { step } = await answer(this.page, () => this.activate(this.button(flowButton)));
    return this.reached(step, 'load');
  }

  async fill(label: string | RegExp, value: string): Promise<void> {
    const field = this.page.locator('#conversation').getByLabel(label, { exact: typeof label === 'string' });
    if (!this.options.keyboard) return field.fill(value);
    await this.tabTo(field);
    await this.page.keyboard.type(value);
  }

  /** Ticks a checkbox or picks a radio button by its label. */
  async check(label: RegExp): Promise<void> {
    const box = this.page.locator('#conversation').getByLabel(label);
    if (!this.options.keyboard) return box.check();
    await this.tabTo(box);
    await this.page.keyboard.press('Space');
  }

  /** Presses one of the step's buttons and waits for the next step. */
  async press(name: RegExp): Promise<string> {
    const { step } = await answer(this.page, () => this.activate(this.button(name)));
    return this.reached(step, this.options.js ? 'swap' : 'load');
  }

  /**
   * « C'est fait dans PRONOTE »: a plain form that comes back to the same step, now asking whether the
   * connection works.
   */
  async markDone(): Promise<string> {
    const done = this.button(/C’est fait dans PRONOTE/);
    await this.activate(done);
    await done.waitFor({ state: 'detached' });
    await this.page.locator('#conversation').waitFor();
    // The same step again, not a new exchange of the history: checked, not counted.
    const step = await this.step();
    await this.options.onStep?.(step, 'load');
    return step;
  }

  /** Follows « Revenir à cette étape » for an earlier step of the transcript. */
  async reopen(index: number): Promise<string> {
    const link = this.page.locator('.transcript .go-back').nth(index);
    const { step } = await answer(this.page, () => this.activate(link));
    return this.reached(step, this.options.js ? 'swap' : 'load');
  }

  button(name: RegExp): Locator {
    return this.page.getByRole('button', { name });
  }

  private async reached(step: string, arrival: Arrival): Promise<string> {
    this.steps.push(step);
    await this.options.onStep?.(step, arrival);
    return step;
  }

  private async activate(target: Locator): Promise<void> {
    if (!this.options.keyboard) return target.click();
    await this.tabTo(target);
    await this.page.keyboard.press('Enter');
  }

  /** Presses Tab until the target has the focus: proof that it can be reached from the keyboard. */
  async tabTo(target: Locator): Promise<void> {
    const handle = await target.elementHandle();
    if (!handle) throw new Error('nothing to tab to');
    for (let i = 0; i < MAX_TABS; i++) {
      if (await handle.evaluate((el) => el === document.activeElement)) return;
      await this.page.keyboard.press('Tab');
    }
    throw new Error(
      `not reached with ${MAX_TABS} presses of Tab: ${await handle.evaluate((el) => el.outerHTML)}`,
    );
  }

  async step(): Promise<string> {
    return (await currentStep(this.page)).step;
  }
}

export interface AgentCase {
  flow: 'auth-error' | 'changed-account' | 'profile-wide' | 'single-parent';
  /** What the case is, for test names and image captions. */
  title: string;
  /** Walks the case from the home page to `resolved`; returns nothing, checks on the way. */
  walk(w: Walker, expect: (step: string, wanted: string) => void): Promise<void>;
}

/** The planted case of each flow in the demo data, followed by an agent from the home page to the end. */
export const AGENT_CASES: AgentCase[] = [
  {
    flow: 'auth-error',
    title: 'Identification impossible : date de naissance inversée, corrigée dans PRONOTE',
    async walk(w, expect) {
      expect(await w.start(/Identification impossible/, DEMO_CASES.uai), 'auth-error.identify');
      await w.fill('Identifiant ENT', DEMO_CASES.dateSwapped.login);
      expect(await w.press(/Comparer l.ENT et PRONOTE/), 'auth-error.choose-fix');
      expect(await w.press(/Aligner l.identité PRONOTE sur l.ENT/), 'auth-error.confirm');
      expect(await w.markDone(), 'auth-error.confirm');
      expect(await w.press(/Oui, PRONOTE s.ouvre/), 'auth-error.resolved');
    },
  },
  {
    flow: 'changed-account',
    title: 'Changement de compte ENT : ancien « Identifiant CAS » supprimé',
    async walk(w, expect) {
      expect(await w.start(/changé de compte ENT/, DEMO_CASES.uai), 'changed-account.find');
      const [doucet] = DEMO_CASES.changedLogin;
      await w.fill(/ancien identifiant ENT/, doucet.oldLogin);
      expect(await w.press(/Rechercher dans PRONOTE/), 'changed-account.select');
      await w.check(/DOUCET/);
      expect(await w.press(/Retenir ces comptes/), 'changed-account.confirm-clear');
      expect(await w.press(/Supprimer l.identifiant CAS/), 'changed-account.confirm');
      expect(await w.markDone(), 'changed-account.confirm');
      expect(await w.press(/Oui, ça fonctionne/), 'changed-account.resolved');
    },
  },
  {
    flow: 'profile-wide',
    title: 'Tout un profil bloqué : Espace Parents publié',
    async walk(w, expect) {
      expect(
        await w.start(/même profil sont bloqués/, DEMO_CASES.espaceUnpublished.uai),
        'profile-wide.choose-profile',
      );
      await w.check(/Espace Parents/);
      expect(await w.press(/Vérifier la publication/), 'profile-wide.offer-publish');
      expect(await w.press(/Publier l.espace/), 'profile-wide.confirm');
      expect(await w.markDone(), 'profile-wide.confirm');
      expect(await w.press(/Oui, ça fonctionne/), 'profile-wide.resolved');
    },
  },
  {
    flow: 'single-parent',
    title: 'Un parent sans accès : « Accès à l’Espace Parents » coché',
    async walk(w, expect) {
      expect(await w.start(/Un parent n.a pas accès/, DEMO_CASES.uai), 'single-parent.find');
      await w.fill(/Nom du responsable/, 'Bossard');
      expect(await w.press(/Rechercher le responsable/), 'single-parent.select');
      await w.check(/BOSSARD.*Robert/);
      expect(await w.press(/Vérifier son accès/), 'single-parent.offer-grant');
      expect(await w.press(/Cocher «\sAccès à l.Espace Parents\s»/), 'single-parent.confirm');
      expect(await w.markDone(), 'single-parent.confirm');
      expect(await w.press(/Oui, ça fonctionne/), 'single-parent.resolved');
    },
  },
];
