// JSON text from a server or a token, read without throwing: a body that is not JSON is
// reported by what reads it (a status, a hint), not by a SyntaxError.

/** The value of JSON text; undefined when there is no text or it is not JSON. */
export function parseJsonOrUndefined(text: string | undefined): unknown {
  // Stryker disable next-line ConditionalExpression: JSON.parse of undefined or '' throws, and the catch below gives undefined just the same
  if (text === undefined || text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: undefined, below.
  }
  return undefined;
}
