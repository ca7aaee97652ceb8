import type { Checklist } from '../src/engine/checklist.js';
import type { ReconciliationReport } from '../src/engine/reconcile.js';
import { IDENTIFICATION_MODE_LABELS } from '../src/pronote/correction-words.js';
import { PROFILES } from '../src/pronote/model.js';
import { ChecklistPanel } from './correction-checklist.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { ReconciliationChart } from './reconciliation-chart.js';
import {
  CasIdFindings,
  EspaceFindings,
  ParentFindings,
  ProfileFindings,
  PronoteOnlyFindings,
} from './reconciliation-findings.js';
import { SchoolLinks } from './school-links.js';

/** The schools an agent may reconcile. */
export function ReconciliationIndexPage({ schools }: { schools: Array<{ uai: string; name: string }> }) {
  return (
    <Layout title="Réconciliation">
      <h1>Réconciliation ENT–PRONOTE</h1>
      <p>
        Pour un établissement, chaque compte ENT face à son compte PRONOTE : qui se connectera, qui sera
        refusé et pourquoi, avant que personne n’appelle.
      </p>
      <SchoolLinks schools={schools} base="/reconciliation" />
    </Layout>
  );
}

export interface ReconciliationPageProps {
  report: ReconciliationReport;
  safe: { count: number; fingerprint: string };
  /** The batch just written: its first audit entry (undo reverts the whole batch) and its size. */
  batch?: { entryId: string; count: number; checklist: Checklist };
  undone?: boolean;
  /** Corrections of this school the last import contradicted: PRONOTE does not have them. */
  contradicted?: number;
}

/** One school's reconciliation: the summary, the batch fix of the safe cases, then every finding. */
export function ReconciliationPage({ report, safe, batch, undone, contradicted }: ReconciliationPageProps) {
  const { uai } = report;
  const at = new Date(report.generatedAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' });
  return (
    <Layout title={`Réconciliation ${uai}`}>
      <h1>Réconciliation ENT–PRONOTE</h1>
      <p>
        <strong>{report.school}</strong> ({uai}), données lues le {at}.{' '}
        <a href={`/reconciliation/${uai}.csv`}>Télécharger en CSV</a> ·{' '}
        <a href={`/api/reconciliation/${uai}`}>JSON</a> · <a href="/reconciliation">Autres établissements</a>
      </p>
      <p>
        Mode d’identification de PRONOTE.net : {IDENTIFICATION_MODE_LABELS[report.identificationMode]} (
        <a href={`/reglages/${uai}`}>le décrire autrement</a>).
      </p>
      {contradicted ? (
        <p class="notice-warn">
          {contradicted} correction(s) contredite(s) par le dernier import : PRONOTE n’a pas la valeur
          attendue. <a href={`/corrections/${uai}?etat=contradicted`}>Voir les corrections contredites</a>
        </p>
      ) : null}
      {batch && <BatchDone uai={uai} batch={batch} />}
      {undone && (
        <p class="notice-info" role="status">
          Le lot a été annulé : les identifiants CAS ont été retirés de la copie de l’assistant. S’ils avaient
          déjà été saisis dans PRONOTE, retirez-les aussi (voir les corrections annulées).
        </p>
      )}

      <h2>Vue d’ensemble</h2>
      <ReconciliationChart summary={report.summary} />
      {report.entWithoutProfile > 0 && (
        <p>{report.entWithoutProfile} compte(s) ENT sans profil n’ont pas pu être comparés.</p>
      )}

      <SafeFix uai={uai} safe={safe} />

      {report.espaces.length > 0 && (
        <section aria-labelledby="console">
          <h2 id="console">Console PRONOTE.net</h2>
          <EspaceFindings uai={uai} espaces={report.espaces} />
        </section>
      )}
      {report.casIds.length > 0 && (
        <section aria-labelledby="identifiants-cas">
          <h2 id="identifiants-cas">Identifiants CAS à revoir</h2>
          <CasIdFindings uai={uai} issues={report.casIds} />
        </section>
      )}
      {report.responsablesWithoutAccess.length > 0 && (
        <section aria-labelledby="espace-parents">
          <h2 id="espace-parents">Accès à l’Espace Parents</h2>
          <ParentFindings uai={uai} parents={report.responsablesWithoutAccess} />
        </section>
      )}
      {PROFILES.map((profile) => (
        <ProfileFindings report={report} profile={profile} />
      ))}
      {report.pronoteOnly.length > 0 && (
        <section aria-labelledby="sans-ent">
          <h2 id="sans-ent">Comptes PRONOTE sans compte ENT</h2>
          <p>
            Aucun compte ENT ne mène à ces comptes : la personne n’a pas de compte ENT, ou l’ENT la connaît
            sous une autre identité (nom d’usage).
          </p>
          <PronoteOnlyFindings accounts={report.pronoteOnly} />
        </section>
      )}
    </Layout>
  );
}

function SafeFix({ uai, safe }: { uai: string; safe: ReconciliationPageProps['safe'] }) {
  return (
    <section aria-labelledby="corrections-sures">
      <h2 id="corrections-sures">Corrections sûres</h2>
      {safe.count === 0 ? (
        <p>Aucune correction sûre à préparer.</p>
      ) : (
        <>
          <p>
            <strong>{safe.count}</strong> compte(s) correspondent à un seul compte PRONOTE sur tous les
            champs, sans homonyme ni identifiant déjà attribué : leur identifiant ENT peut aller dans
            « Identifiant CAS ». L’assistant le met sur sa copie et prépare une seule liste de corrections à
            faire dans PRONOTE. Les cas ambigus, les identités différentes et les identifiants détenus par un
            autre compte n’en font jamais partie.
          </p>
          <div class="grid">
            <form method="get" action={`/reconciliation/${uai}/identifiants-cas.tsv`}>
              <button type="submit" class="secondary">
                Télécharger les lignes à coller dans PRONOTE
              </button>
            </form>
            <form method="post" action={`/reconciliation/${uai}/corrections`}>
              <CsrfField />
              <input type="hidden" name="empreinte" value={safe.fingerprint} />
              <button type="submit">
                Préparer les {safe.count} identifiants CAS (un seul lot, annulable)
              </button>
            </form>
          </div>
        </>
      )}
    </section>
  );
}

function BatchDone({ uai, batch }: { uai: string; batch: NonNullable<ReconciliationPageProps['batch']> }) {
  return (
    <div class="notice-ok" role="status">
      <p>
        {batch.count} identifiant(s) CAS préparé(s) sur la copie de l’assistant, en un seul lot inscrit au{' '}
        <a href="/audit">journal</a> : ils restent à saisir dans PRONOTE.
      </p>
      <ChecklistPanel list={batch.checklist} back={`/reconciliation/${uai}`} />
      <form method="post" action={`/audit/${batch.entryId}/annuler`}>
        <CsrfField />
        <input type="hidden" name="retour" value={`/reconciliation/${uai}?annule=1`} />
        <button type="submit" class="secondary">
          Annuler tout le lot
        </button>
      </form>
    </div>
  );
}
