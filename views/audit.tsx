import type { JournalLine } from '../src/engine/journal-view.js';
import { ColumnHeads } from './column-heads.js';
import { CsrfField } from './csrf.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

export interface AuditPageProps {
  lines: JournalLine[];
  message?: string;
  nextBefore?: string;
}

/**
 * The journal of every fix: when, who, the person, what changed (in PRONOTE's words), from which step, and
 * where its correction stands; undo while it is still to do or said done.
 */
export function AuditPage({ lines, message, nextBefore }: AuditPageProps) {
  return (
    <Layout title="Journal des corrections">
      <h1>Journal des corrections</h1>
      <p>
        Chaque ligne est une modification de la copie des données de PRONOTE que tient l’assistant ; la
        colonne « État » dit si elle est faite dans PRONOTE et vérifiée par un import.
      </p>
      {message && (
        <p class="notice-info" role="status">
          {message}
        </p>
      )}
      {lines.length === 0 ? (
        <p>Aucune correction pour les établissements auxquels vous avez accès.</p>
      ) : (
        <TableScroll label="Corrections">
          <table class="journal">
            <caption>Corrections, des plus récentes aux plus anciennes</caption>
            <ColumnHeads
              names={[
                'Date',
                'Agent',
                'Établissement',
                'Personne',
                'Action',
                'Avant → après',
                'Étape',
                'État',
                'Annuler',
              ]}
            />
            <tbody>
              {lines.map((l) => (
                <tr class={l.undone ? 'undone' : undefined}>
                  <td>{l.at}</td>
                  <td>{l.actor}</td>
                  <td>
                    <a href={`/corrections/${l.uai}`}>{l.uai}</a>
                  </td>
                  <td>{l.person}</td>
                  <td>{l.action}</td>
                  <td>
                    {l.changes.map((ch) => (
                      <div>
                        {ch.field} : {ch.before} → {ch.after}
                      </div>
                    ))}
                  </td>
                  <td>{l.link ? <a href={l.link.href}>{l.link.text}</a> : '—'}</td>
                  <td>{l.state ?? '—'}</td>
                  <td>
                    {l.undoable && (
                      <form method="post" action={`/audit/${l.id}/annuler`}>
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
