import type { AuditEntry } from '../src/pronote/audit.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

const ACTIONS: Record<AuditEntry['action'], string> = {
  'set-identity': 'Identité alignée sur l’ENT',
  'set-cas-id': 'Identifiant CAS écrit',
  'clear-cas-ids': 'Identifiant CAS supprimé',
  'set-espace-parents': 'Accès à l’Espace Parents',
  'unpublish-base': 'Base dépubliée',
  'publish-espace': 'Espace publié',
  'publish-base': 'Base publiée',
  undo: 'Annulation',
};

const value = (v: unknown) =>
  v === null || v === undefined || v === '' ? '—' : typeof v === 'boolean' ? (v ? 'oui' : 'non') : String(v);

export interface AuditPageProps {
  entries: AuditEntry[];
  undoable: Set<string>;
  message?: string;
  nextBefore?: string;
}

/** The journal of every fix: who, when, from which session and step, before → after; undo where possible. */
export function AuditPage({ entries, undoable, message, nextBefore }: AuditPageProps) {
  return (
    <Layout title="Journal des corrections">
      <h1>Journal des corrections</h1>
      {message && (
        <p class="notice-info" role="status">
          {message}
        </p>
      )}
      {entries.length === 0 ? (
        <p>Aucune correction pour les établissements auxquels vous avez accès.</p>
      ) : (
        <TableScroll label="Corrections">
          <table>
            <caption>Corrections, des plus récentes aux plus anciennes</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Agent</th>
                <th scope="col">Établissement</th>
                <th scope="col">Action</th>
                <th scope="col">Avant → après</th>
                <th scope="col">Session</th>
                <th scope="col">Annuler</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr>
                  <td>{new Date(e.at).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}</td>
                  <td>{e.actor}</td>
                  <td>{e.uai}</td>
                  <td>{ACTIONS[e.action]}</td>
                  <td>
                    {Object.keys(e.after).map((k) => (
                      <div>
                        {k} : {value(e.before[k])} → {value(e.after[k])}
                      </div>
                    ))}
                  </td>
                  <td>{e.sessionId ? <a href={`/s/${e.sessionId}`}>{e.step ?? 'ouvrir'}</a> : '—'}</td>
                  <td>
                    {undoable.has(e.id) && (
                      <form method="post" action={`/audit/${e.id}/annuler`}>
                        <CsrfField />
                        <button type="submit" class="secondary outline">
                          Annuler
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {nextBefore && (
        <a href={`/audit?avant=${encodeURIComponent(nextBefore)}`}>Corrections plus anciennes</a>
      )}
    </Layout>
  );
}
