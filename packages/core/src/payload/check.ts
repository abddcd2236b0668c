// Lints a JSON body someone wrote for POST (create) or PATCH (update) of a
// mutualTlsOauthConfiguration: the OData layer's faults first (JSON kinds, unknown and
// read-only properties, nulls, the enum, Edm.Binary base64), then the list (duplicates,
// issuers, roots, sizes), then every certificate through the CA checks. Each finding names
// its JSON path, e.g. `certificateAuthorities[2].certificate`. Facts: spec/graph-api.md §1-§3.

import { isRoot, isSelfIssued, type SelfSignature } from '../checks/authority.ts';
import { checkCertificate } from '../checks/check-certificate.ts';
import { finding, inputFinding, sortFindings, type Finding, type GraphErrorBody } from '../checks/finding.ts';
import {
  GRAPH_CERTIFICATE_ERROR,
  GRAPH_INVALID_VALUES_ERROR,
  graphConversionError,
  graphNullError,
  graphReadOnlyError,
  graphUnexpectedNodeError,
  graphUnknownPropertyError,
  graphUnresolvedTypeError,
} from '../checks/graph-errors.ts';
import { decodeBase64, decodeBase64Lenient, type Base64Leniency } from '../encoding/base64.ts';
import { bytesEqual, toHex } from '../encoding/hex.ts';
import { decodeUtf8 } from '../encoding/utf8.ts';
import { ArgumentError, InputError, type InputLocation } from '../errors.ts';
import { TLS_CLIENT_AUTH_PARAMETERS } from '../identity/identify.ts';
import { classifyDer } from '../input/classify.ts';
import { scanCertificates } from '../input/read-certificates.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import type { Certificate } from '../x509/certificate.ts';
import { orUndefined } from '../x509/fields.ts';

/** A create (POST) or update (PATCH) body. */
export type PayloadKind = 'create' | 'update';

/** Bounds on a payload: its size, how many CAs, the size of each, the length of displayName. */
export interface PayloadLimits {
  /** Largest body accepted, in bytes or characters; past it ERR_INPUT_TOO_LARGE is thrown. */
  readonly maxPayloadBytes: number;
  /** PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES above this many. */
  readonly maxCertificateAuthorities: number;
  /** PAYLOAD_CERTIFICATE_TOO_LARGE above this many DER bytes. */
  readonly maxCertificateAuthorityBytes: number;
  /** PAYLOAD_DISPLAY_NAME_TOO_LONG above this many characters. */
  readonly maxDisplayNameLength: number;
}

/** 16 MiB per body, 250 CAs of at most 8 KiB each, displayName up to 256 characters. */
export const DEFAULT_PAYLOAD_LIMITS: PayloadLimits = Object.freeze({
  maxPayloadBytes: 16 * 1024 * 1024,
  maxCertificateAuthorities: 250,
  maxCertificateAuthorityBytes: 8 * 1024,
  maxDisplayNameLength: 256,
});

/** How checkPayload checks: the date, what to call the body, the limits. */
export interface PayloadCheckOptions {
  /** The time certificates are judged at. */
  readonly now: Date;
  readonly expiryWarningDays?: number;
  /** What to call the body in locations: a file name. */
  readonly source?: string;
  readonly payloadLimits?: Partial<PayloadLimits>;
  readonly limits?: Partial<Limits>;
  /**
   * Self-signatures by certificate SHA-256 (verifySelfSignatures makes them): a self-issued CA
   * is a root when its own key verifies it; without an entry, when its key identifiers say so.
   */
  readonly selfSignatures?: ReadonlyMap<string, SelfSignature>;
}

const CONFIGURATION_TYPE = 'microsoft.graph.mutualTlsOauthConfiguration';
const CA_TYPE = 'microsoft.graph.certificateAuthority';
const READ_ONLY_CONFIGURATION = new Set(['id', 'deletedDateTime', '@odata.context', '@odata.id', '@odata.etag', '@odata.editLink']);

interface Entry {
  readonly index: number;
  readonly path: string;
  readonly certificate: Certificate;
  readonly isRootAuthority: boolean | undefined;
}

/**
 * Every finding for a create or update body; `json` is the parsed value, or its text or UTF-8 bytes.
 * @example
 * // requestBody: a create body as text, bytes or a parsed value
 * const findings = checkPayload(requestBody, 'create', { now: new Date() });
 * const refused = findings.find((f) => f.graphError !== undefined)?.graphError; // Graph's 400 body
 */
export function checkPayload(json: unknown, kind: PayloadKind, options: PayloadCheckOptions): Finding[] {
  if (kind !== 'create' && kind !== 'update') {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `checkPayload kind: expected 'create' or 'update', received '${String(kind).slice(0, 40)}'`);
  }
  const limits = { ...DEFAULT_PAYLOAD_LIMITS, ...options.payloadLimits };
  const location: InputLocation = options.source === undefined ? {} : { source: options.source };
  const out: Finding[] = [];
  const add = (f: Finding): void => {
    out.push({ ...f, location });
  };

  const body = parseBody(json, limits, options.source);
  if (body === INVALID_JSON) {
    add(finding('PAYLOAD_INVALID_JSON', 'the body is not JSON (RFC 8259)', '$'));
    return out;
  }
  if (!isObject(body)) {
    add(finding('PAYLOAD_NOT_AN_OBJECT', `the body is ${kindOf(body)}, not a JSON object`, '$', graphUnexpectedNodeError(nodeOf(body), 'StartObject')));
    return out;
  }

  for (const key of Object.keys(body)) {
    const value = body[key];
    switch (key) {
      case 'displayName':
        if (value !== null && typeof value !== 'string') add(wrongType(key, value, 'Edm.String'));
        else if (typeof value === 'string') {
          if (value.trim() === '') add(finding('PAYLOAD_DISPLAY_NAME_EMPTY', 'displayName is empty', key));
          else if (value.length > limits.maxDisplayNameLength) {
            add(finding('PAYLOAD_DISPLAY_NAME_TOO_LONG', `displayName has ${value.length} characters; more than ${limits.maxDisplayNameLength}`, key));
          }
        }
        break;
      case 'tlsClientAuthParameter':
        if (kind === 'update') {
          add(finding('PAYLOAD_PARAMETER_IN_UPDATE', 'tlsClientAuthParameter is read-only after create: leave it out of the PATCH; to change it, delete the configuration and create it again', key, graphReadOnlyError(key)));
        }
        else if (value === null) add(finding('PAYLOAD_NULL_NOT_ALLOWED', 'tlsClientAuthParameter is null', key, graphNullError(key, 'microsoft.graph.tlsClientRegistrationMetadata')));
        else if (typeof value !== 'string') add(wrongType(key, value, 'microsoft.graph.tlsClientRegistrationMetadata'));
        else if (!(TLS_CLIENT_AUTH_PARAMETERS as readonly string[]).includes(value)) {
          const sentinel = value === 'unknownFutureValue' ? " (the evolvable-enum sentinel, not a real choice)" : '';
          add(finding('PAYLOAD_ENUM_INVALID', `tlsClientAuthParameter '${value.slice(0, 60)}'${sentinel} is not one of ${TLS_CLIENT_AUTH_PARAMETERS.join(', ')}`, key));
        }
        break;
      case 'certificateAuthorities':
        break;
      case '@odata.type':
        if (!namesType(value, CONFIGURATION_TYPE)) add(finding('PAYLOAD_ODATA_TYPE', `@odata.type is ${describeValue(value)}; expected '#${CONFIGURATION_TYPE}'`, key, unresolvedType(value)));
        break;
      default:
        if (READ_ONLY_CONFIGURATION.has(key)) add(finding('PAYLOAD_READ_ONLY_PROPERTY', `${key} is read-only; Graph sets it`, key));
        // Stryker disable next-line MethodExpression: key.includes('@') below already rules out every key that starts or ends with '@'
        else if (!key.startsWith('@') && !key.includes('@')) {
          add(finding('PAYLOAD_UNKNOWN_PROPERTY', `'${key.slice(0, 60)}' is not a property of ${CONFIGURATION_TYPE}`, key.slice(0, 60), graphUnknownPropertyError(key.slice(0, 200), CONFIGURATION_TYPE)));
        }
    }
  }
  if (kind === 'create' && !Object.hasOwn(body, 'tlsClientAuthParameter')) {
    add(finding('PAYLOAD_MISSING_PROPERTY', 'tlsClientAuthParameter is required on create', 'tlsClientAuthParameter', GRAPH_INVALID_VALUES_ERROR));
  }

  const list = Object.hasOwn(body, 'certificateAuthorities') ? body['certificateAuthorities'] : undefined;
  if (list === undefined) {
    if (kind === 'create') add(finding('PAYLOAD_NO_CERTIFICATE_AUTHORITIES', 'certificateAuthorities is missing: the configuration would trust no CA', 'certificateAuthorities'));
  } else if (list === null) {
    add(finding('PAYLOAD_NULL_NOT_ALLOWED', 'certificateAuthorities is null', 'certificateAuthorities', graphNullError('certificateAuthorities', `Collection(${CA_TYPE})`)));
  } else if (!Array.isArray(list)) {
    add(finding('PAYLOAD_WRONG_TYPE', `certificateAuthorities is ${kindOf(list)}, not a list`, 'certificateAuthorities', graphUnexpectedNodeError(nodeOf(list), 'StartArray', 'certificateAuthorities')));
  } else {
    for (const f of checkList(list, kind, limits, options)) add(f);
  }
  return sortFindings(out);
}

function checkList(list: readonly unknown[], kind: PayloadKind, limits: PayloadLimits, options: PayloadCheckOptions): Finding[] {
  const out: Finding[] = [];
  const coreLimits = resolveLimits(options.limits);
  if (list.length > coreLimits.maxCertificates) {
    throw new InputError('ERR_LIMIT_EXCEEDED', `certificateAuthorities: expected at most ${coreLimits.maxCertificates} entries, received ${list.length}`, { source: options.source });
  }
  if (list.length === 0) {
    const what = kind === 'create' ? 'the configuration would trust no CA' : 'the update removes every CA, so every device of this configuration would fail to authenticate';
    out.push(finding('PAYLOAD_NO_CERTIFICATE_AUTHORITIES', `certificateAuthorities is empty: ${what}`, 'certificateAuthorities'));
  }
  if (list.length > limits.maxCertificateAuthorities) {
    out.push(finding('PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES', `${list.length} certificate authorities; more than ${limits.maxCertificateAuthorities}`, 'certificateAuthorities'));
  }
  const entries: Entry[] = [];
  let anyRoot = false;
  list.forEach((item, index) => {
    const path = `certificateAuthorities[${index}]`;
    if (!isObject(item)) {
      out.push(finding('PAYLOAD_NOT_AN_OBJECT', `${path} is ${kindOf(item)}, not a JSON object`, path, graphUnexpectedNodeError(nodeOf(item), 'StartObject')));
      return;
    }
    let isRootAuthority: boolean | undefined;
    let certificate: Certificate | undefined;
    for (const key of Object.keys(item)) {
      const value = item[key];
      const at = `${path}.${key.slice(0, 60)}`;
      switch (key) {
        case 'certificate':
          if (value === null) out.push(finding('PAYLOAD_NULL_NOT_ALLOWED', `${at} is null`, at, graphNullError(key, 'Edm.Binary')));
          else if (typeof value !== 'string') out.push(wrongType(at, value, 'Edm.Binary'));
          else certificate = readEntryCertificate(value, at, options, coreLimits, out);
          break;
        case 'isRootAuthority':
          if (value === null) out.push(finding('PAYLOAD_NULL_NOT_ALLOWED', `${at} is null`, at, graphNullError(key, 'Edm.Boolean')));
          else if (typeof value !== 'boolean') out.push(wrongType(at, value, 'Edm.Boolean'));
          else isRootAuthority = value;
          break;
        case 'certificateRevocationListUrl':
        case 'deltaCertificateRevocationListUrl':
          if (value !== null && typeof value !== 'string') out.push(wrongType(at, value, 'Edm.String'));
          else if (typeof value === 'string' && !/^http:\/\//i.test(value)) {
            out.push(finding('PAYLOAD_CRL_URL_NOT_HTTP', `${at} '${value.slice(0, 200)}' is not an http: URL`, at));
          }
          break;
        case '@odata.type':
          if (!namesType(value, CA_TYPE)) out.push(finding('PAYLOAD_ODATA_TYPE', `${at} is ${describeValue(value)}; expected '#${CA_TYPE}' or none`, at, unresolvedType(value)));
          break;
        case 'issuer':
        case 'issuerSki':
          // Read-only, but the OData reader checks the value before anything else sees it.
          if (value === null) out.push(finding('PAYLOAD_NULL_NOT_ALLOWED', `${at} is null`, at, graphNullError(key, 'Edm.String')));
          else if (typeof value !== 'string') out.push(wrongType(at, value, 'Edm.String'));
          else out.push(finding('PAYLOAD_READ_ONLY_PROPERTY', `${at} is read-only; Graph computes it from the certificate`, at));
          break;
        default:
          if (!key.includes('@')) {
            out.push(finding('PAYLOAD_UNKNOWN_PROPERTY', `'${key.slice(0, 60)}' is not a property of ${CA_TYPE}`, at, graphUnknownPropertyError(key.slice(0, 200), CA_TYPE)));
          }
      }
    }
    if (!Object.hasOwn(item, 'certificate')) {
      out.push(finding('PAYLOAD_MISSING_PROPERTY', `${path} has no certificate`, `${path}.certificate`, GRAPH_CERTIFICATE_ERROR));
    }
    if (!Object.hasOwn(item, 'isRootAuthority')) {
      out.push(finding('PAYLOAD_MISSING_PROPERTY', `${path} has no isRootAuthority`, `${path}.isRootAuthority`, GRAPH_INVALID_VALUES_ERROR));
    }
    if (isRootAuthority === true) anyRoot = true;
    if (certificate !== undefined) entries.push({ index, path, certificate, isRootAuthority });
  });
  if (list.length > 0 && !anyRoot) out.push(finding('PAYLOAD_NO_ROOT', 'no entry has isRootAuthority true', 'certificateAuthorities'));
  checkEntries(entries, limits, options.selfSignatures, out);
  return out;
}

/** Decodes one `certificate` value and runs the CA checks on it; findings go to `out`. */
function readEntryCertificate(value: string, at: string, options: PayloadCheckOptions, limits: Limits, out: Finding[]): Certificate | undefined {
  let der: Uint8Array;
  let leniencies: readonly Base64Leniency[];
  try {
    ({ bytes: der, leniencies } = decodeBase64Lenient(value, at));
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: decodeBase64 throws nothing but InputError (ERR_BASE64_INVALID), and the body size is bounded by maxPayloadBytes
    if (!(error instanceof InputError)) throw error;
    if (/PRIVATE KEY/.test(value) || classifyDer(lenientBase64(value))?.code === 'ERR_PRIVATE_KEY') {
      // Refuse without quoting: the value is a key.
      out.push({ ...finding('INPUT_PRIVATE_KEY', `${at} holds a private key; refused, and its content is neither read nor shown`, at), errorCode: 'ERR_PRIVATE_KEY' });
      return undefined;
    }
    const armour = value.includes('-----BEGIN') ? ' (PEM armour: send the base64 body alone, without BEGIN/END lines and line breaks)' : '';
    // Graph quotes the literal; we do not, since a wrongly pasted value may be a secret.
    out.push({ ...finding('PAYLOAD_CERTIFICATE_NOT_BASE64', `${error.reason}${armour}`, at, graphConversionError('…', 'Edm.Binary')), errorCode: error.code });
    return undefined;
  }
  const scanned = scanCertificates(der, { source: at, limits });
  const problem = scanned.problems[0];
  if (problem !== undefined) {
    out.push({ ...inputFinding(problem.error, problem.location), ref: at });
    return undefined;
  }
  const entry = scanned.certificates[0];
  // Stryker disable next-line ConditionalExpression,LogicalOperator: scanCertificates reports a problem when it finds no certificate, and any result of several certificates is PKCS#7 or PEM, so entry.format !== 'der' alone decides
  if (entry === undefined || scanned.certificates.length !== 1 || entry.format !== 'der') {
    out.push({
      ...finding('INPUT_NOT_A_CERTIFICATE', `${at} holds a PKCS#7 bundle of ${scanned.certificates.length} certificates; each entry takes one DER certificate`, at, GRAPH_CERTIFICATE_ERROR),
      errorCode: 'ERR_NOT_A_CERTIFICATE',
    });
    return undefined;
  }
  // Stryker disable next-line ConditionalExpression: checkCertificate treats expiryWarningDays: undefined as absent (it validates only a defined value and defaults with ??)
  if (leniencies.length > 0) {
    const what = leniencies.map((l) => (l === 'whitespace' ? 'white space' : 'set bits before the padding')).join(' and ');
    out.push(finding('PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL', `${at} holds ${what}; Graph's Edm.Binary reader (.NET Convert.FromBase64String) skips them, strict base64 readers refuse them`, at));
  }
  const isRootAuthority = isRoot(entry.certificate, options.selfSignatures?.get(entry.certificate.sha256));
  for (const f of checkCertificate(entry.certificate, { now: options.now, role: 'ca', isRootAuthority, ...(options.expiryWarningDays === undefined ? {} : { expiryWarningDays: options.expiryWarningDays }) })) {
    out.push({ ...f, ref: at });
  }
  return entry.certificate;
}

function checkEntries(entries: readonly Entry[], limits: PayloadLimits, selfSignatures: ReadonlyMap<string, SelfSignature> | undefined, out: Finding[]): void {
  const roots = new Set<Entry>();
  for (const e of entries) if (isRoot(e.certificate, selfSignatures?.get(e.certificate.sha256))) roots.add(e);
  const bySha = new Map<string, Entry>();
  const bySki = new Map<string, Entry>();
  for (const e of entries) {
    const at = `${e.path}.certificate`;
    const cert = e.certificate;
    if (cert.der.length > limits.maxCertificateAuthorityBytes) {
      out.push(finding('PAYLOAD_CERTIFICATE_TOO_LARGE', `${at} is ${cert.der.length} bytes of DER; more than ${limits.maxCertificateAuthorityBytes}`, at));
    }
    const root = roots.has(e);
    if (e.isRootAuthority !== undefined && e.isRootAuthority !== root) {
      out.push(finding('PAYLOAD_ROOT_FLAG_MISMATCH', `${e.path}.isRootAuthority is ${e.isRootAuthority}, but the certificate is ${rootOrNot(cert, root, selfSignatures?.get(cert.sha256))}`, `${e.path}.isRootAuthority`));
    }
    const first = bySha.get(cert.sha256);
    if (first !== undefined) {
      out.push(finding('PAYLOAD_DUPLICATE_CERTIFICATE', `${at} is the same certificate as ${first.path}.certificate (SHA-256 ${cert.sha256})`, at));
      continue;
    }
    bySha.set(cert.sha256, e);
    const ski = orUndefined(() => cert.subjectKeyIdentifier);
    if (ski !== undefined) {
      const hex = toHex(ski);
      const other = bySki.get(hex);
      if (other !== undefined) out.push(finding('PAYLOAD_DUPLICATE_SKI', `${at} has the same subjectKeyIdentifier ${hex.toUpperCase()} as ${other.path}.certificate`, at));
      else bySki.set(hex, e);
    }
  }
  for (const e of bySha.values()) {
    const cert = e.certificate;
    if (roots.has(e)) continue;
    // Stryker disable next-line OptionalChaining: without an AKI the TypeError is caught by orUndefined(), which gives undefined just the same
    const keyId = orUndefined(() => cert.authorityKeyIdentifier?.keyIdentifier);
    const found =
      keyId !== undefined
        ? bySki.has(toHex(keyId))
        : [...bySha.values()].some((o) => o !== e && bytesEqual(o.certificate.subject.der, cert.issuer.der));
    if (!found) {
      out.push(finding('PAYLOAD_ISSUER_NOT_IN_LIST', `the issuer of ${e.path}.certificate (${cert.issuerDn || 'an empty name'}) is not among the certificate authorities`, `${e.path}.certificate`));
    }
  }
}

/** What the certificate is, and how that was decided, for PAYLOAD_ROOT_FLAG_MISMATCH. */
function rootOrNot(cert: Certificate, root: boolean, selfSignature: SelfSignature | undefined): string {
  const verified = selfSignature === 'valid' || selfSignature === 'invalid';
  if (root) return verified ? 'self-signed (a root)' : 'self-issued with matching key identifiers (presumed a root; its signature was not verified)';
  if (!isSelfIssued(cert)) return 'not self-issued (an intermediate)';
  return verified
    ? "a key-rollover certificate (self-issued, but its own key does not verify it: an intermediate)"
    : 'self-issued with an AKI that differs from its SKI (presumed a key-rollover certificate, an intermediate; its signature was not verified)';
}

const INVALID_JSON: unique symbol = Symbol('invalid JSON');

function parseBody(json: unknown, limits: PayloadLimits, source: string | undefined): unknown {
  let text: string | undefined;
  if (typeof json === 'string') text = json;
  else if (json instanceof Uint8Array) {
    if (json.length > limits.maxPayloadBytes) tooLarge(json.length, limits, source);
    text = decodeUtf8(json, json[0] === 0xef && json[1] === 0xbb && json[2] === 0xbf ? 3 : 0);
    if (text === undefined) return INVALID_JSON;
  } else return json;
  if (text.length > limits.maxPayloadBytes) tooLarge(text.length, limits, source);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}

function tooLarge(size: number, limits: PayloadLimits, source: string | undefined): never {
  // Stryker disable next-line ConditionalExpression: { source: undefined } and {} give the same InputError (withLocation and the source field skip an undefined source)
  throw new InputError('ERR_INPUT_TOO_LARGE', `payload: expected at most ${limits.maxPayloadBytes} bytes, received ${size}`, source === undefined ? {} : { source });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function nodeOf(value: unknown): 'StartArray' | 'StartObject' | 'PrimitiveValue' {
  if (Array.isArray(value)) return 'StartArray';
  if (typeof value === 'object' && value !== null) return 'StartObject';
  return 'PrimitiveValue';
}

function wrongType(path: string, value: unknown, type: string): Finding {
  const node = nodeOf(value);
  const property = path.slice(path.lastIndexOf('.') + 1);
  const body = node === 'PrimitiveValue' ? graphConversionError(undefined, type) : graphUnexpectedNodeError(node, 'PrimitiveValue', property);
  return finding('PAYLOAD_WRONG_TYPE', `${path} is ${kindOf(value)}; expected ${type}`, path, body);
}

/** An @odata.type value naming `type`: OData's reader takes the name with or without the leading '#'. */
function namesType(value: unknown, type: string): boolean {
  return value === `#${type}` || value === type;
}

/** Graph's 400 for an @odata.type it cannot resolve (the name without its '#'), or that is not a primitive value. */
function unresolvedType(value: unknown): GraphErrorBody {
  const node = nodeOf(value);
  if (node !== 'PrimitiveValue') return graphUnexpectedNodeError(node, 'PrimitiveValue', '@odata.type');
  return graphUnresolvedTypeError((typeof value === 'string' ? value.replace(/^#/, '') : String(value)).slice(0, 200));
}

/** A value for a message: a string quoted and cut, anything else by its kind (never serialized). */
function describeValue(value: unknown): string {
  return typeof value === 'string' ? `'${value.slice(0, 80)}'` : kindOf(value);
}

/** What a careless writer may have meant by a base64-ish value: whitespace dropped, base64url mapped, padding added. */
function lenientBase64(value: string): Uint8Array {
  const compact = value.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  try {
    return decodeBase64(compact + '='.repeat((4 - (compact.length % 4)) % 4));
    // Stryker disable next-line BlockStatement: its only caller passes the result to classifyDer, which reads undefined as it reads no bytes (no classification)
  } catch {
    return new Uint8Array(0);
  }
}
