// Text from a certificate or a server, made safe to show: control characters, bidirectional
// overrides and isolates (U+202A-U+202E, U+2066-U+2069), zero-width and other invisible format
// characters (Unicode's Cc, Cf, Cs, Zl, Zp and Default_Ignorable_Code_Point) are written as \u{...}, so
// a subject or a SAN cannot reorder, hide or fake what a terminal or a pull-request annotation
// shows (CVE-2021-42574, "Trojan Source"). Only for human-readable output: JSON keeps the data as
// it is.

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/** `keep`: characters left as they are, such as '\n' for text of several lines (indented JSON). */
// Stryker disable next-line StringLiteral: no invisible character is in the mutant's default either
export function escapeForDisplay(text: string, keep = ''): string {
  // Stryker disable next-line ConditionalExpression: a fast path; the replace below changes nothing either
  if (!INVISIBLE.test(text)) return text;
  return text.replace(INVISIBLE_ALL, (c) => (keep.includes(c) ? c : `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`));
}
