// Graph emulator: the OData system query options the mutualTlsOauthConfigurations collection
// supports (spec §2.2): `$filter` with `eq`/`in` on `id` and `displayName` (joined by
// and/or, with parentheses), `$select` of top-level properties, `$top` (1–999, the directory's
// bound) and `$count`. Anything else is answered with the 400 Graph would give.

export class QueryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Top-level properties of microsoft.graph.mutualTlsOauthConfiguration (spec §1.2), in CSDL order. */
export const ENTITY_PROPERTIES: readonly string[] = ['id', 'deletedDateTime', 'certificateAuthorities', 'displayName', 'tlsClientAuthParameter'];

const FILTERABLE: readonly string[] = ['id', 'displayName'];

function canonicalProperty(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ENTITY_PROPERTIES.find((p) => p.toLowerCase() === lower);
}

/** `$select=a,b`: canonical property names in request order, or undefined for none/`*`. */
export function parseSelect(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '*') return undefined;
    const prop = canonicalProperty(name);
    if (prop === undefined) {
      throw new QueryError(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.mutualTlsOauthConfiguration'.`);
    }
    if (!out.includes(prop)) out.push(prop);
  }
  return out;
}

/** `$top=n`: the directory's bound of 1 to 999. */
export function parseTop(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 999)) {
    throw new QueryError(400, 'Request_BadRequest', `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`);
  }
  return n;
}

export function parseCount(value: string | null): boolean {
  if (value === null) return false;
  const v = value.toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new QueryError(400, 'BadRequest', `'${value}' is not a valid count option.`);
}

// ---------------------------------------------------------------------------------------------
// $filter
// ---------------------------------------------------------------------------------------------

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'string'; readonly text: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ',' }
  | { readonly kind: 'other'; readonly text: string };

function invalidFilter(detail: string): QueryError {
  return new QueryError(400, 'BadRequest', `Invalid filter clause: ${detail}`);
}

function unsupported(property: string): QueryError {
  return new QueryError(
    400,
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property '${property}' of resource 'MutualTlsOauthConfiguration'.`,
  );
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if (c === "'") {
      // OData ABNF: a single quote inside a string literal is doubled.
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw invalidFilter('unterminated string literal.');
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      out.push({ kind: 'string', text: value });
      i = j + 1;
    } else {
      const m = /^[A-Za-z_$][A-Za-z0-9_./$]*|^[^\s(),']+/.exec(text.slice(i))!;
      const word = m[0];
      if (word === 'null') out.push({ kind: 'null' });
      else if (/^[A-Za-z_$]/.test(word)) out.push({ kind: 'ident', text: word });
      else out.push({ kind: 'other', text: word });
      i += word.length;
    }
  }
  return out;
}

export type Predicate = (entity: Readonly<Record<string, unknown>>) => boolean;

/**
 * Compiles `$filter`. Directory string comparisons ignore case, so `eq` and `in` do too
 * (spec §2.2 lists only `eq` and `in` on `id` and `displayName`).
 */
export function parseFilter(text: string | null): Predicate | undefined {
  if (text === null) return undefined;
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'ident' && t.text.toLowerCase() === w;
  const expect = (p: '(' | ')' | ','): void => {
    const t = tokens[pos++];
    if (t?.kind !== 'punct' || t.text !== p) throw invalidFilter(`'${p}' expected.`);
  };

  const literal = (): string | null => {
    const t = tokens[pos++];
    if (t?.kind === 'string') return t.text;
    if (t?.kind === 'null') return null;
    throw invalidFilter('a string literal was expected.');
  };

  const comparison = (): Predicate => {
    const t = tokens[pos++];
    if (t?.kind !== 'ident') throw invalidFilter('a property name was expected.');
    if (peek()?.kind === 'punct' && (peek() as { text: string }).text === '(') {
      // A function call such as startswith(displayName,'x'): not supported on this collection.
      const inner = tokens[pos + 1];
      throw unsupported(inner?.kind === 'ident' ? inner.text : t.text);
    }
    const prop = canonicalProperty(t.text);
    if (prop === undefined) {
      throw new QueryError(400, 'BadRequest', `Could not find a property named '${t.text}' on type 'microsoft.graph.mutualTlsOauthConfiguration'.`);
    }
    if (!FILTERABLE.includes(prop)) throw unsupported(prop);
    const op = tokens[pos++];
    if (op?.kind !== 'ident') throw invalidFilter('an operator was expected.');
    const opName = op.text.toLowerCase();
    let values: (string | null)[];
    if (opName === 'eq') {
      values = [literal()];
    } else if (opName === 'in') {
      expect('(');
      values = [literal()];
      while (peek()?.kind === 'punct' && (peek() as { text: string }).text === ',') {
        pos++;
        values.push(literal());
      }
      expect(')');
    } else if (['ne', 'gt', 'ge', 'lt', 'le', 'has'].includes(opName)) {
      throw unsupported(prop);
    } else {
      throw invalidFilter(`unknown operator '${op.text}'.`);
    }
    const wanted = values.map((v) => (v === null ? null : v.toLowerCase()));
    return (entity) => {
      const actual = entity[prop];
      const a = typeof actual === 'string' ? actual.toLowerCase() : actual === undefined ? null : actual;
      return wanted.includes(a as string | null);
    };
  };

  const primary = (): Predicate => {
    const t = peek();
    if (t?.kind === 'punct' && t.text === '(') {
      pos++;
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (isWord(t, 'not')) throw new QueryError(400, 'Request_UnsupportedQuery', "Unsupported query: the 'not' operator is not supported.");
    return comparison();
  };

  const andExpr = (): Predicate => {
    let left = primary();
    while (isWord(peek(), 'and')) {
      pos++;
      const l = left;
      const r = primary();
      left = (e) => l(e) && r(e);
    }
    return left;
  };

  const orExpr = (): Predicate => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (e) => l(e) || r(e);
    }
    return left;
  };

  if (tokens.length === 0) throw invalidFilter('the expression is empty.');
  const predicate = orExpr();
  if (pos !== tokens.length) throw invalidFilter('syntax error at the end of the expression.');
  return predicate;
}
