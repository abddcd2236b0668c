// The CAs a device is verified against: a configuration's certificateAuthorities, from a create
// payload or a GET response (spec/graph-api.md §1.3), each a trust anchor when isRootAuthority is
// true and a path member otherwise (RFC 5280 §6.1.1 (d); RFC 4158 §1.5).

import { inputFinding, type Finding } from '../checks/finding.ts';
import { decodeBase64Lenient } from '../encoding/base64.ts';
import { ArgumentError, InputError, type InputLocation } from '../errors.ts';
import { TLS_CLIENT_AUTH_PARAMETERS, type TlsClientAuthParameter } from '../identity/identify.ts';
import { decodeText } from '../input/content.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import { parseCertificate, type Certificate } from '../x509/certificate.ts';

/** A CA of a configuration, as verifyDevice uses it. */
export interface TrustedAuthority {
  readonly certificate: Certificate;
  /** A root is a trust anchor; an intermediate is a member a path may go through. */
  readonly isRootAuthority: boolean;
  readonly certificateRevocationListUrl?: string | null;
  /** Where the CA came from, e.g. `{ source: 'current.json', index: 2 }`. */
  readonly location: InputLocation;
}

/** What a device is verified against: the CAs, and the parameter when the configuration names it. */
export interface TrustConfiguration {
  readonly tlsClientAuthParameter?: TlsClientAuthParameter;
  readonly authorities: readonly TrustedAuthority[];
}

/**
 * The configuration in a create payload or a GET response (JSON text, UTF-8 bytes or the parsed
 * value). An entry whose certificate does not decode is left out and reported as a finding, so
 * one bad entry never hides the others; a body that is not a configuration throws ArgumentError.
 * @example
 * // currentJson: what GET returned for the configuration
 * const { configuration, problems } = readTrustConfiguration(currentJson, { source: 'current.json' });
 * // configuration.authorities: each CA, isRootAuthority as Graph holds it
 */
export function readTrustConfiguration(
  json: unknown,
  options: { readonly source?: string; readonly limits?: Partial<Limits> } = {},
): { readonly configuration: TrustConfiguration; readonly problems: readonly Finding[] } {
  const what = options.source ?? 'configuration';
  const body = typeof json === 'string' || json instanceof Uint8Array ? parseJson(json, what) : json;
  const list = (body as { certificateAuthorities?: unknown } | null)?.certificateAuthorities;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(list)) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `${what}: expected a configuration with a certificateAuthorities list (a create payload or a GET response), received ${describe(body)}`);
  }
  const limits = resolveLimits(options.limits);
  const authorities: TrustedAuthority[] = [];
  const problems: Finding[] = [];
  list.forEach((entry: unknown, index) => {
    const location: InputLocation = options.source === undefined ? { index } : { source: options.source, index };
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    try {
      if (typeof e['certificate'] !== 'string') {
        throw new InputError('ERR_NOT_A_CERTIFICATE', `certificateAuthorities[${index}].certificate: expected base64 of a DER certificate, received ${describe(e['certificate'])}`);
      }
      const certificate = parseCertificate(decodeBase64Lenient(e['certificate'], `certificateAuthorities[${index}].certificate`).bytes, { limits });
      const crl = e['certificateRevocationListUrl'];
      authorities.push({
        certificate,
        isRootAuthority: e['isRootAuthority'] === true,
        ...(typeof crl === 'string' || crl === null ? { certificateRevocationListUrl: crl } : {}),
        location,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(inputFinding(error, location));
    }
  });
  const parameter = (body as { tlsClientAuthParameter?: unknown }).tlsClientAuthParameter;
  const known = (TLS_CLIENT_AUTH_PARAMETERS as readonly unknown[]).includes(parameter);
  return { configuration: known ? { tlsClientAuthParameter: parameter as TlsClientAuthParameter, authorities } : { authorities }, problems };
}

function parseJson(json: string | Uint8Array, what: string): unknown {
  try {
    return JSON.parse(typeof json === 'string' ? json : decodeText(json)) as unknown;
  } catch (error) {
    throw new ArgumentError('ERR_INVALID_ARGUMENT', `${what}: expected JSON, received text that does not parse`, { cause: error });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object without certificateAuthorities' : `a ${typeof value}`;
}
