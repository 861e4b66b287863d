import type { ReactNode } from 'react';

/**
 * The app's plain data table: a scrolling wrapper, a caption for screen readers, one header row of column
 * titles (scope=col), the rows given as children, and an optional "nothing here" line under the table.
 */
export function DataTable({ caption, columns, testId, empty, children }: { caption: string; columns: readonly ReactNode[]; testId?: string; empty?: ReactNode; children: ReactNode }) {
  return (
    <div className="doc-table-wrap">
      <table className="doc-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
      {empty ? <p className="doc-muted">{empty}</p> : null}
    </div>
  );
}
