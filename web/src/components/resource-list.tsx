import type { ReactNode } from 'react';
import { EmptyState, ErrorNotice, Loading } from './notice';

export interface ResourceColumn {
  label: string;
  /** Right-aligned numbers. */
  numeric?: boolean;
  /** Read out to screen readers only (a column of row buttons). */
  hidden?: boolean;
}

export interface ResourceListProps<T> {
  /** The section's heading and its element id. */
  title: string;
  titleId: string;
  /** `undefined` while loading. */
  list: T[] | undefined;
  error: string | undefined;
  reload: () => void;
  /** What failed, e.g. "Agents could not be listed". */
  errorTitle: string;
  /** Loading {what}… */
  what: string;
  empty: { title: string; body: ReactNode };
  /** The table's accessible name. */
  label: string;
  columns: ResourceColumn[];
  row: (item: T) => ReactNode;
}

/**
 * The list half of a resource page (agents, guardrails, knowledge bases, provisioned throughput): its heading, then
 * the error with a retry, the loading line, the empty state that says what to do first, or the table of rows.
 */
export function ResourceList<T>(p: ResourceListProps<T>) {
  return (
    <section aria-labelledby={p.titleId}>
      <h2 id={p.titleId}>{p.title}</h2>
      {p.error && (
        <ErrorNotice title={p.errorTitle} onRetry={p.reload}>
          {p.error}
        </ErrorNotice>
      )}
      {!p.list && !p.error && <Loading what={p.what} />}
      {p.list && p.list.length === 0 && <EmptyState title={p.empty.title}>{p.empty.body}</EmptyState>}
      {p.list && p.list.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={p.label}>
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c.label} scope="col" className={c.numeric ? 'num' : undefined}>
                    {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{p.list.map(p.row)}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}
