/** The schools an agent may open, each linked to `<base>/<UAI>`; a sentence when there is none. */
export function SchoolLinks({
  schools,
  base,
}: {
  schools: Array<{ uai: string; name: string }>;
  base: string;
}) {
  return schools.length === 0 ? (
    <p>Aucun établissement avec des données auquel vous avez accès.</p>
  ) : (
    <ul>
      {schools.map((s) => (
        <li>
          <a href={`${base}/${s.uai}`}>
            {s.name} ({s.uai})
          </a>
        </li>
      ))}
    </ul>
  );
}
