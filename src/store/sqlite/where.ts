type Value = string | number;

/**
 * The filters of a list query: the conditions whose value is given, joined with AND (`''` when none), and
 * their values in the order of their `?`. A condition with several values (`IN (?, ?)`) takes an array.
 */
export function whereGiven(
  conditions: ReadonlyArray<readonly [string, Value | readonly Value[] | undefined]>,
): {
  sql: string;
  params: Value[];
} {
  const given = conditions.filter(([, v]) => v !== undefined && (!Array.isArray(v) || v.length > 0));
  return {
    sql: given.length > 0 ? `WHERE ${given.map(([condition]) => condition).join(' AND ')}` : '',
    params: given.flatMap(([, v]) => v as Value | Value[]),
  };
}
