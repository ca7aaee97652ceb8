/** A table of figures: one row per label, one column per series, the same numbers as the chart beside it. */
export function FigureTable({
  caption,
  captionId,
  head,
  series,
  rows,
}: {
  caption: string;
  captionId?: string;
  head: string;
  series: readonly string[];
  rows: ReadonlyArray<{ label: string; values: readonly number[] }>;
}) {
  return (
    <table>
      <caption {...(captionId ? { id: captionId } : {})}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          {series.map((s) => (
            <th scope="col">{s}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">{r.label}</th>
            {r.values.map((v) => (
              <td>{v}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
