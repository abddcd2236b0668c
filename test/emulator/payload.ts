// Graph emulator: validation of POST/PATCH bodies for mutualTlsOauthConfiguration, in the two
// phases Graph appears to have (spec §3.2, §3.3): the OData reader first (types, unknown
// properties of the non-open types, null in non-nullable properties, Edm.Binary base64), then
// the directory layer (required/read-only tlsClientAuthParameter, enum members, certificates).
// The verdicts are the emulator's own; the wording of each 400 comes from the library's
// graph-errors.ts, the one place Graph's error bodies are written down.

import {
  GRAPH_CERTIFICATE_ERROR,
  GRAPH_INVALID_JSON_ERROR,
  GRAPH_INVALID_VALUES_ERROR,
  graphConversionError,
  graphNullError,
  graphReadOnlyError,
  graphUnknownPropertyError,
  graphUnresolvedTypeError,
} from '../../packages/core/src/checks/graph-errors.ts';
import type { GraphErrorBody } from '../../packages/core/src/checks/finding.ts';
import { checkCaCertificate, decodeDotNetBase64 } from './validate-certificate.ts';

export const TLS_CLIENT_AUTH_PARAMETERS: readonly string[] = [
  'tls_client_auth_subject_dn',
  'tls_client_auth_san_dns',
  'tls_client_auth_san_uri',
  'tls_client_auth_san_ip',
  'tls_client_auth_san_email',
];

/** Declared enum members (spec §1.6), the evolvable-enum sentinel included. */
export const ENUM_MEMBERS: readonly string[] = [...TLS_CLIENT_AUTH_PARAMETERS, 'unknownFutureValue'];

export interface StoredCertificateAuthority {
  certificate: string;
  certificateRevocationListUrl: string | null;
  deltaCertificateRevocationListUrl: string | null;
  isRootAuthority: boolean;
  issuer: string;
  issuerSki: string;
}

export interface PayloadError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface ValidChanges {
  readonly displayName?: string | null;
  readonly tlsClientAuthParameter?: string;
  readonly certificateAuthorities?: StoredCertificateAuthority[];
}

export const MSG_BAD_JSON = GRAPH_INVALID_JSON_ERROR.error.message;

const ENTITY_TYPE = 'microsoft.graph.mutualTlsOauthConfiguration';
const CA_TYPE = 'microsoft.graph.certificateAuthority';

class Rejection extends Error {
  readonly code: string;
  constructor(body: GraphErrorBody) {
    super(body.error.message);
    this.code = body.error.code;
  }
}

const noSuchProperty = (name: string, type: string): Rejection => new Rejection(graphUnknownPropertyError(name, type));
const wrongPrimitive = (edmType: string): Rejection => new Rejection(graphConversionError(undefined, edmType));
const nullNotAllowed = (name: string, edmType: string): Rejection => new Rejection(graphNullError(name, edmType));

/** The OData reader resolves a type name with or without the leading '#'. */
function checkTypeAnnotation(value: unknown, type: string): void {
  const name = typeof value === 'string' ? value.replace(/^#/, '') : String(value);
  if (name !== type) throw new Rejection(graphUnresolvedTypeError(name));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw wrongPrimitive('Edm.String');
  return value;
}

interface ReadCa {
  /** The DER, as the Edm.Binary reader decoded it. */
  certificate?: Buffer;
  isRootAuthority?: boolean;
  certificateRevocationListUrl: string | null;
  deltaCertificateRevocationListUrl: string | null;
}

/** OData-reader phase for one certificateAuthority (a closed complex type, spec §1.3). */
function readCertificateAuthority(item: unknown): ReadCa {
  if (!isPlainObject(item)) throw wrongPrimitive(CA_TYPE);
  const out: ReadCa = { certificateRevocationListUrl: null, deltaCertificateRevocationListUrl: null };
  for (const [key, value] of Object.entries(item)) {
    if (key === '@odata.type') {
      checkTypeAnnotation(value, CA_TYPE);
    } else if (key.includes('@')) {
      // Other instance and property annotations are legal OData and carry no data.
    } else if (key === 'certificate') {
      if (value === null) throw nullNotAllowed('certificate', 'Edm.Binary');
      if (typeof value !== 'string') throw wrongPrimitive('Edm.Binary');
      const der = decodeDotNetBase64(value);
      if (der === undefined) throw new Rejection(graphConversionError(value, 'Edm.Binary'));
      out.certificate = der;
    } else if (key === 'isRootAuthority') {
      if (value === null) throw nullNotAllowed('isRootAuthority', 'Edm.Boolean');
      if (typeof value !== 'boolean') throw wrongPrimitive('Edm.Boolean');
      out.isRootAuthority = value;
    } else if (key === 'certificateRevocationListUrl' || key === 'deltaCertificateRevocationListUrl') {
      out[key] = optionalString(value);
    } else if (key === 'issuer' || key === 'issuerSki') {
      // Read-only, computed from the certificate (spec §1.3): a round-tripped value is ignored,
      // but the reader checks it first, and both are non-nullable.
      if (value === null) throw nullNotAllowed(key, 'Edm.String');
      optionalString(value);
    } else {
      throw noSuchProperty(key, CA_TYPE);
    }
  }
  return out;
}

/**
 * Validates a create (`mode: 'create'`) or update body. Returns the changes to apply, with
 * every certificateAuthority normalised and its issuer/issuerSki computed, or Graph's 400.
 */
export function validatePayload(raw: string, mode: 'create' | 'update', now: Date): { ok: true; changes: ValidChanges } | { ok: false; error: PayloadError } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, error: { status: 400, ...GRAPH_INVALID_JSON_ERROR.error } };
  }
  if (!isPlainObject(body)) return { ok: false, error: { status: 400, ...GRAPH_INVALID_JSON_ERROR.error } };
  try {
    return { ok: true, changes: validateObject(body, mode, now) };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, error: { status: 400, code: e.code, message: e.message } };
    throw e;
  }
}

function validateObject(body: Record<string, unknown>, mode: 'create' | 'update', now: Date): ValidChanges {
  // Phase 1: the OData reader.
  let displayName: string | null | undefined;
  let tls: { value: unknown } | undefined;
  let cas: ReadCa[] | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === '@odata.type') {
      checkTypeAnnotation(value, ENTITY_TYPE);
    } else if (key.includes('@')) {
      // Annotations (e.g. @odata.context copied from a GET) are ignored.
    } else if (key === 'id' || key === 'deletedDateTime') {
      // Server-set; Kiota models re-send them from a GET (spec §6.1), and the service ignores them.
      optionalString(value);
    } else if (key === 'displayName') {
      displayName = optionalString(value);
    } else if (key === 'tlsClientAuthParameter') {
      if (value !== null && typeof value !== 'string') throw wrongPrimitive('microsoft.graph.tlsClientRegistrationMetadata');
      tls = { value };
    } else if (key === 'certificateAuthorities') {
      if (value === null) throw nullNotAllowed('certificateAuthorities', `Collection(${CA_TYPE})`);
      if (!Array.isArray(value)) throw wrongPrimitive(`Collection(${CA_TYPE})`);
      cas = value.map(readCertificateAuthority);
    } else {
      throw noSuchProperty(key, ENTITY_TYPE);
    }
  }

  // Phase 2: the directory layer.
  const changes: { -readonly [K in keyof ValidChanges]: ValidChanges[K] } = {};
  if (mode === 'create') {
    if (tls === undefined || typeof tls.value !== 'string' || !TLS_CLIENT_AUTH_PARAMETERS.includes(tls.value)) {
      throw new Rejection(GRAPH_INVALID_VALUES_ERROR);
    }
    changes.tlsClientAuthParameter = tls.value;
  } else if (tls !== undefined) {
    // Read-only after create (spec §2.4): delete and recreate instead.
    throw new Rejection(graphReadOnlyError('tlsClientAuthParameter'));
  }
  if (displayName !== undefined) changes.displayName = displayName;
  if (mode === 'create' && displayName === undefined) changes.displayName = null;
  if (cas !== undefined) {
    changes.certificateAuthorities = cas.map((ca) => {
      if (ca.certificate === undefined) throw new Rejection(GRAPH_CERTIFICATE_ERROR);
      if (ca.isRootAuthority === undefined) throw new Rejection(GRAPH_INVALID_VALUES_ERROR);
      const der = ca.certificate;
      const check = checkCaCertificate(der, now);
      if (!check.ok) throw new Rejection(GRAPH_CERTIFICATE_ERROR);
      return {
        certificate: der.toString('base64'),
        certificateRevocationListUrl: ca.certificateRevocationListUrl,
        deltaCertificateRevocationListUrl: ca.deltaCertificateRevocationListUrl,
        isRootAuthority: ca.isRootAuthority,
        issuer: check.issuer,
        issuerSki: check.issuerSki,
      };
    });
  } else if (mode === 'create') {
    changes.certificateAuthorities = [];
  }
  return changes;
}
