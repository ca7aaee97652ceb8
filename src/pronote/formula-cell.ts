/**
 * A cell a spreadsheet would run as a formula (it starts with = + - @, or a tab or carriage return before
 * one) gets a leading apostrophe, which spreadsheets read as « text » and do not show. Imported names and
 * logins reach CSV and tab-separated downloads, and `=HYPERLINK(…)` there would run on the agent's machine.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
