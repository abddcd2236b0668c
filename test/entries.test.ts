// The public entry points and what each exports at run time (types aside). A name added to,
// moved between or dropped from an entry shows here first: the root reads, checks, lints,
// identifies and builds; /graph is the Graph protocol and client; /encoding the encodings; the
// Node package exports its library (the CLI is its bin, not an export).

import { describe, expect, it } from 'vitest';
import * as browser from '@graph-mtls/browser';
import * as core from '@graph-mtls/core';
import * as encoding from '@graph-mtls/core/encoding';
import * as graph from '@graph-mtls/core/graph';
import * as verify from '@graph-mtls/core/verify';
import * as node from '@graph-mtls/node';

const ENTRIES: Record<string, { readonly module: object; readonly names: string }> = {
  '@graph-mtls/core': {
    module: core,
    names: `ArgumentError Certificate DEFAULT_LIMITS DEFAULT_PAYLOAD_LIMITS GRAPH_CERTIFICATE_ERROR GraphError GraphMtlsError InputError InputReader LintTally Linter RULES
      TLS_CLIENT_AUTH_PARAMETERS assertTlsClientAuthParameter bomLength buildCreate buildUpdate certificateFields checkCertificate checkPayload
      classifyAuthority countFindings createWebCryptoVerifier decodeText distinguishedNameMatch dottedTypeNames finding formatDotNet formatIpAddress
      formatRfc4514 getRule guessPayloadKind identify inputFinding isGraphMtlsError isRoot isSelfIssued lint lintPayload lintStream
      looksLikeJson looksLikeText matches parseCertificate parseDistinguishedName parseIpAddress previewCertificateAuthority
      orUndefined problemFinding readCertificate readCertificates scanCertificates sniffContent sortFindings summarize unreadableFinding
      presumeSelfSigned unreadableInput verifyAuthorities verifySelfSignature verifySelfSignatures verifySignedBy
      applyRuleSettings closestName readRuleConfig rulesFor`,
  },
  '@graph-mtls/core/graph': {
    module: graph,
    names: `ADMIN_ROLES CLOUDS COLLECTION_PATH DEFAULT_RETRY_POLICY GraphApiError GraphPreflightError GraphUnconfirmedError
      READ_PERMISSIONS WRITE_PERMISSION betaBase checkBaseUrl checkToken createFetchTransport createGraphClient createRequest
      decideRetry deleteRequest filterByDisplayName getRequest inspectToken listRequest nextPageRequest parseRetryAfter
      readCollection readDelete readEntity readUpdate redactSecrets retryDelay updateRequest`,
  },
  '@graph-mtls/core/verify': { module: verify, names: 'CertificateList DEFAULT_MAX_REVOKED_ENTRIES RevokedEntry parseCrl readCrls readTrustConfiguration rotationImpact verifyDevice' },
  '@graph-mtls/core/encoding': {
    module: encoding,
    names: 'PemScanner decodeBase64 decodeBase64Url encodeBase64 escapeForDisplay isoTime parsePem toHex toUpperHex',
  },
  '@graph-mtls/node': { module: node, names: 'createClient createVerifier expandInputs lintFile nodeSha256 readInput' },
  '@graph-mtls/browser': { module: browser, names: 'buildCreateFromFiles createClient lintBlob lintFiles readBlob verifyFiles' },
};

describe('entry points', () => {
  it.each(Object.entries(ENTRIES))('%s exports exactly its names', (_entry, { module, names }) => {
    expect(Object.keys(module).sort()).toEqual(names.split(/\s+/).filter(Boolean).sort());
  });

  it('no name is exported by two core entries', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const entry of ['@graph-mtls/core', '@graph-mtls/core/graph', '@graph-mtls/core/verify', '@graph-mtls/core/encoding']) {
      for (const name of Object.keys(ENTRIES[entry]!.module)) {
        const first = seen.get(name);
        if (first !== undefined) twice.push(`${name}: ${first} and ${entry}`);
        seen.set(name, entry);
      }
    }
    expect(twice).toEqual([]);
  });
});
