// The JSON bodies Graph's mutualTlsOauthConfiguration endpoints receive (spec/graph-api.md §1,
// §7): property names as the service spells them (`certificateAuthorities`, plural),
// `certificate` as standard padded base64 of the DER (RFC 4648 §4; Edm.Binary), and none of
// the read-only properties (`id`, `deletedDateTime`, `issuer`, `issuerSki`).

import { encodeBase64 } from '../encoding/base64.ts';
import { GraphMtlsError } from '../errors.ts';
import { assertTlsClientAuthParameter, type TlsClientAuthParameter } from '../identity/identify.ts';
import type { Certificate } from '../x509/certificate.ts';

/** One entry of `certificateAuthorities` as Graph receives it. */
export interface CertificateAuthorityPayload {
  readonly certificate: string;
  readonly isRootAuthority: boolean;
  readonly certificateRevocationListUrl?: string | null;
  readonly deltaCertificateRevocationListUrl?: string | null;
}

export interface CreatePayload {
  readonly displayName?: string;
  readonly tlsClientAuthParameter: TlsClientAuthParameter;
  readonly certificateAuthorities: readonly CertificateAuthorityPayload[];
}

export interface CertificateAuthorityInput {
  readonly certificate: Certificate;
  readonly isRootAuthority: boolean;
  readonly certificateRevocationListUrl?: string | null;
  readonly deltaCertificateRevocationListUrl?: string | null;
}

export interface CreateInput {
  readonly displayName?: string;
  readonly tlsClientAuthParameter: TlsClientAuthParameter | string;
  readonly certificateAuthorities: readonly CertificateAuthorityInput[];
}

/** The POST body for /directory/certificateAuthorities/mutualTlsOauthConfigurations. */
export function buildCreatePayload(input: CreateInput): CreatePayload {
  const tlsClientAuthParameter = assertTlsClientAuthParameter(input.tlsClientAuthParameter);
  if (input.displayName !== undefined && typeof input.displayName !== 'string') {
    throw new GraphMtlsError('ERR_INVALID_ARGUMENT', `displayName: expected a string, received ${typeof input.displayName}`);
  }
  const certificateAuthorities = input.certificateAuthorities.map((ca): CertificateAuthorityPayload => {
    const entry: { -readonly [K in keyof CertificateAuthorityPayload]: CertificateAuthorityPayload[K] } = {
      certificate: encodeBase64(ca.certificate.der),
      isRootAuthority: ca.isRootAuthority,
    };
    if (ca.certificateRevocationListUrl !== undefined) entry.certificateRevocationListUrl = ca.certificateRevocationListUrl;
    if (ca.deltaCertificateRevocationListUrl !== undefined) entry.deltaCertificateRevocationListUrl = ca.deltaCertificateRevocationListUrl;
    return entry;
  });
  return input.displayName === undefined
    ? { tlsClientAuthParameter, certificateAuthorities }
    : { displayName: input.displayName, tlsClientAuthParameter, certificateAuthorities };
}
