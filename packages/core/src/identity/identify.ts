// Device identity per tlsClientAuthParameter (Graph's tlsClientRegistrationMetadata enum):
// which certificate value RFC 8705 §2.1.2 names for each metadata choice, and how an expected
// value is compared with it (RFC 4517 §4.2.15 for the DN, RFC 5280 §7.2, §7.4, §7.5 for SANs,
// binary comparison for iPAddress per RFC 8705 §2.1.2).

import { bytesEqual } from '../encoding/hex.ts';
import { ArgumentError, GraphMtlsError } from '../errors.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { GeneralName } from '../x509/general-names.ts';
import { parseIpAddress } from '../x509/ip-address.ts';
import { parseDistinguishedName } from '../x509/name/parse.ts';
import { distinguishedNameMatch } from './dn-match.ts';

/** The certificate field that carries a device's identity (RFC 8705 §2.1.2). */
export type TlsClientAuthParameter =
  | 'tls_client_auth_subject_dn'
  | 'tls_client_auth_san_dns'
  | 'tls_client_auth_san_uri'
  | 'tls_client_auth_san_ip'
  | 'tls_client_auth_san_email';

/** The enum's real members in declared order; `unknownFutureValue` is deliberately absent. */
export const TLS_CLIENT_AUTH_PARAMETERS: readonly TlsClientAuthParameter[] = Object.freeze([
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
] as const);

const ACCEPTED = TLS_CLIENT_AUTH_PARAMETERS.map((p) => `'${p}'`).join(', ');

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (value === null) return 'null';
  return typeof value;
}

/**
 * Narrows `value` to a tlsClientAuthParameter. `unknownFutureValue` is rejected: it is the
 * evolvable-enum sentinel Graph substitutes for members newer than the client, not a choice.
 */
export function assertTlsClientAuthParameter(value: unknown): TlsClientAuthParameter {
  if (typeof value === 'string' && (TLS_CLIENT_AUTH_PARAMETERS as readonly string[]).includes(value)) {
    return value as TlsClientAuthParameter;
  }
  if (value === 'unknownFutureValue') {
    throw new ArgumentError('ERR_INVALID_PARAMETER',
      `tlsClientAuthParameter: expected one of ${ACCEPTED}, received 'unknownFutureValue', the evolvable-enum sentinel (a placeholder for members newer than the client), not a real choice`,
    );
  }
  throw new ArgumentError('ERR_INVALID_PARAMETER', `tlsClientAuthParameter: expected one of ${ACCEPTED}, received ${describe(value)}`);
}

/** The values of the field `parameter` names, in certificate order. */
export interface Identity {
  readonly parameter: TlsClientAuthParameter;
  readonly values: readonly string[];
}

type SanType = 'dns' | 'uri' | 'ip' | 'email';

const SAN_TYPE: Readonly<Record<Exclude<TlsClientAuthParameter, 'tls_client_auth_subject_dn'>, SanType>> = {
  tls_client_auth_san_dns: 'dns',
  tls_client_auth_san_uri: 'uri',
  tls_client_auth_san_ip: 'ip',
  tls_client_auth_san_email: 'email',
};

function sanEntries<T extends SanType>(cert: Certificate, type: T): Extract<GeneralName, { type: T }>[] {
  const names = cert.subjectAltName?.names;
  if (names === undefined) return [];
  return names.filter((n): n is Extract<GeneralName, { type: T }> => n.type === type);
}

/**
 * The certificate values that `parameter` identifies a device by: the RFC 4514 subject DN
 * (none for an empty subject), or every SAN entry of the type in certificate order
 * (iPAddress as canonical text).
 * @example
 * const { values } = identify(parseCertificate(deviceDer), 'tls_client_auth_san_uri');
 * // values: every SAN URI, in certificate order
 */
export function identify(cert: Certificate, parameter: TlsClientAuthParameter): Identity {
  const p = assertTlsClientAuthParameter(parameter);
  if (p === 'tls_client_auth_subject_dn') {
    return { parameter: p, values: cert.subject.rdns.length === 0 ? [] : [cert.subjectDn] };
  }
  return { parameter: p, values: sanEntries(cert, SAN_TYPE[p]).map((n) => n.value) };
}

/** A match names the certificate value that matched. */
export type MatchResult = { readonly matched: true; readonly value: string } | { readonly matched: false };

const NO_MATCH: MatchResult = Object.freeze({ matched: false });

function invalidArgument(what: string, expected: string, received: string): GraphMtlsError {
  return new ArgumentError('ERR_INVALID_ARGUMENT', `${what}: expected ${expected}, received ${received}`);
}

/** ASCII-only lower case: RFC 5280 §7.2, §7.4, §7.5 fold A-Z only, never other scripts. */
function asciiLower(text: string): string {
  let i = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Stryker disable next-line LogicalOperator: this loop only finds where folding may start; starting earlier gives the same result
    if (c >= 0x41 && c <= 0x5a) break;
  }
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : text[i]!;
  }
  return out;
}

function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

function hasNonAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return true;
  return false;
}

function matchSubjectDn(cert: Certificate, expected: string): MatchResult {
  if (expected.length === 0) throw invalidArgument('expected subject DN', 'a non-empty RFC 4514 distinguished name', 'an empty string');
  const rdns = parseDistinguishedName(expected);
  if (rdns.length === 0) throw invalidArgument('expected subject DN', 'a non-empty RFC 4514 distinguished name', quote(expected));
  // An empty subject identifies nothing (RFC 5280 §4.1.2.6: the identity is then in the SAN).
  if (cert.subject.rdns.length === 0) return NO_MATCH;
  return distinguishedNameMatch(cert.subject.rdns, rdns) ? { matched: true, value: cert.subjectDn } : NO_MATCH;
}

function matchDns(cert: Certificate, expected: string): MatchResult {
  const what = 'expected dNSName';
  if (expected.length === 0) throw invalidArgument(what, 'a DNS name', 'an empty string');
  if (hasSpaceOrControl(expected)) throw invalidArgument(what, 'a DNS name without spaces or control characters', quote(expected));
  if (expected.endsWith('.')) throw invalidArgument(what, 'a DNS name without a trailing dot (RFC 5280 §4.2.1.6)', quote(expected));
  if (hasNonAscii(expected)) throw invalidArgument(what, 'an ASCII DNS name, IDNs as A-labels (xn--, RFC 5280 §7.2)', quote(expected));
  // No wildcard expansion: RFC 8705 defines none for client identities, so '*' is literal.
  const want = asciiLower(expected);
  for (const n of sanEntries(cert, 'dns')) if (asciiLower(n.value) === want) return { matched: true, value: n.value };
  return NO_MATCH;
}

function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (first) return alpha;
  return alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/**
 * The comparison key of an absolute URI (RFC 3986 §3): scheme and host folded to lower case
 * (RFC 5280 §7.4), userinfo, port, path, query and fragment kept as written, nothing
 * percent-decoded. Undefined when `text` has no scheme or a bracketed host is unclosed.
 */
function uriKey(text: string): string | undefined {
  let i = 0;
  while (i < text.length && isSchemeChar(text.charCodeAt(i), i === 0)) i++;
  if (i === 0 || text.charCodeAt(i) !== 0x3a) return undefined;
  const scheme = asciiLower(text.slice(0, i));
  const rest = text.slice(i + 1);
  if (!rest.startsWith('//')) return `${scheme}:${rest}`;

  let end = 2;
  while (end < rest.length) {
    const c = rest.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break;
    end++;
  }
  const authority = rest.slice(2, end);
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  let host: string;
  let port: string;
  if (hostPort.startsWith('[')) {
    // IP-literal (RFC 3986 §3.2.2): the host runs to ']'; only ':port' may follow.
    const close = hostPort.indexOf(']');
    if (close < 0) return undefined;
    host = hostPort.slice(0, close + 1);
    port = hostPort.slice(close + 1);
    if (port.length > 0 && !port.startsWith(':')) return undefined;
  } else {
    const colon = hostPort.indexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    port = colon < 0 ? '' : hostPort.slice(colon);
  }
  return `${scheme}://${userinfo}${asciiLower(host)}${port}${rest.slice(end)}`;
}

function matchUri(cert: Certificate, expected: string): MatchResult {
  const what = 'expected uniformResourceIdentifier';
  if (expected.length === 0) throw invalidArgument(what, 'an absolute URI', 'an empty string');
  if (hasSpaceOrControl(expected)) throw invalidArgument(what, 'a URI without spaces or control characters', quote(expected));
  const want = uriKey(expected);
  if (want === undefined) throw invalidArgument(what, 'an absolute URI (scheme:..., RFC 3986 §4.3)', quote(expected));
  for (const n of sanEntries(cert, 'uri')) {
    // A SAN value that is not an absolute URI can only equal the expected text exactly.
    const key = uriKey(n.value);
    if (key === undefined ? n.value === expected : key === want) return { matched: true, value: n.value };
  }
  return NO_MATCH;
}

function matchIp(cert: Certificate, expected: string): MatchResult {
  // Binary comparison (RFC 8705 §2.1.2): 4 bytes never equal the 16-byte ::ffff:a.b.c.d.
  const want = parseIpAddress(expected);
  for (const n of sanEntries(cert, 'ip')) if (bytesEqual(n.bytes, want)) return { matched: true, value: n.value };
  return NO_MATCH;
}

function matchEmail(cert: Certificate, expected: string): MatchResult {
  const what = 'expected rfc822Name';
  // The last '@' separates: a quoted local part may itself contain '@' (RFC 5321 §4.1.2).
  const at = expected.lastIndexOf('@');
  if (at < 0) throw invalidArgument(what, "a mailbox local@domain", `${quote(expected)} without '@'`);
  if (at === 0) throw invalidArgument(what, "a local part before '@'", quote(expected));
  if (at === expected.length - 1) throw invalidArgument(what, "a domain after '@'", quote(expected));
  const local = expected.slice(0, at);
  const domain = asciiLower(expected.slice(at + 1));
  for (const n of sanEntries(cert, 'email')) {
    const i = n.value.lastIndexOf('@');
    // A SAN rfc822Name without '@' names a whole domain (a constraint form), not a mailbox.
    if (i < 0) continue;
    if (n.value.slice(0, i) === local && asciiLower(n.value.slice(i + 1)) === domain) return { matched: true, value: n.value };
  }
  return NO_MATCH;
}

/**
 * Whether the certificate carries `expected` in the field `parameter` names, compared the way
 * RFC 8705 §2.1.2 prescribes. Any matching entry among several SAN entries of the type
 * matches; the first one is returned. Throws for a malformed expected value.
 * @example
 * const device = parseCertificate(deviceDer);
 * const result = matches(device, 'tls_client_auth_subject_dn', device.subjectDn.toUpperCase());
 * if (result.matched) {
 *   // result.value is the certificate's value that matched (case is ignored, RFC 4518)
 * }
 */
export function matches(cert: Certificate, parameter: TlsClientAuthParameter, expected: string): MatchResult {
  const p = assertTlsClientAuthParameter(parameter);
  if (typeof expected !== 'string') throw invalidArgument('expected value', 'a string', describe(expected));
  switch (p) {
    case 'tls_client_auth_subject_dn':
      return matchSubjectDn(cert, expected);
    case 'tls_client_auth_san_dns':
      return matchDns(cert, expected);
    case 'tls_client_auth_san_uri':
      return matchUri(cert, expected);
    case 'tls_client_auth_san_ip':
      return matchIp(cert, expected);
    case 'tls_client_auth_san_email':
      return matchEmail(cert, expected);
  }
}
