// docs/rules.md is generated from the rule catalogue; this test fails when they drift.
// Regenerate with: UPDATE_RULES_DOC=1 npx -y pnpm@10 vitest run test/rules-catalogue.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '@graph-mtls/core';

const path = new URL('../docs/rules.md', import.meta.url);

/**
 * Which malformation predicts a 400 (issue 14): one row per part of a certificate, the rule it
 * falls under, whether that rule predicts a 400 (checked against the catalogue below), and why.
 */
const READER_DECISIONS: readonly (readonly [part: string, rule: string, predicts400: boolean, why: string])[] = [
  ['Certificate and TBSCertificate structure: version, serial, algorithms, names, validity, the SubjectPublicKeyInfo SEQUENCE, the extension list, the signature', 'INPUT_UNREADABLE', true, 'X509Certificate2 decodes these when it loads the certificate (Windows CryptoAPI, or OpenSSL on Linux); no reader loads a truncated or mis-tagged structure.'],
  ['DER strictness inside that structure: an empty RDN SET, an empty extensions SEQUENCE, an explicit v1 version, BER lengths, a BOOLEAN other than 00/FF', 'INPUT_NOT_STRICT_DER', false, 'Lenient readers (OpenSSL, CryptoAPI) accept many of these, so Graph most plausibly loads the certificate; graph-mtls reads DER strictly and checks it no further, so the lint fails without claiming a 400.'],
  ['basicConstraints', 'CERT_FIELD_MALFORMED', true, 'Graph must read cA to take a certificate as a CA (CA_BASIC_CONSTRAINTS_NOT_CA, inferred).'],
  ['keyUsage', 'CERT_FIELD_MALFORMED', true, 'keyCertSign is read for CA_KEY_USAGE_NO_CERT_SIGN (inferred). Bits past decipherOnly (8) are not a malformation: readers ignore them (CERT_EXTENSION_MALFORMED, a warning).'],
  ['subjectKeyIdentifier', 'CERT_FIELD_MALFORMED', true, 'Graph computes issuerSki from it. Without the extension Graph most plausibly stores the SHA-1 of the key bits (RFC 5280 §4.2.1.2 method 1), as .NET computes it.'],
  ['authorityKeyIdentifier, subjectAltName, extendedKeyUsage, cRLDistributionPoints, any other extension', 'CERT_EXTENSION_MALFORMED', false, 'X509Certificate2 decodes an extension only when asked, and Graph has no known reason to ask at upload; verifiers that read the extension at sign-in refuse it.'],
  ['The public key inside SubjectPublicKeyInfo', 'KEY_MALFORMED', false, 'Loading a certificate does not decode the key; every signature the key should verify fails at sign-in.'],
  ['A self-issued certificate its own key does not verify', 'CA_SELF_ISSUED_NOT_SELF_SIGNED', false, "A key-rollover certificate (RFC 5280 §3.1): an intermediate, isRootAuthority false. A root is a certificate its own key verifies; without a verifier (QuickJS) the key identifiers decide and the report says 'not verified'."],
  ['certificate in a payload: white space, set bits before the padding', 'PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL', false, "Edm.Binary is read by .NET's Convert.FromBase64String, which skips white space and ignores the padding bits."],
  ['certificate in a payload: a character outside the standard alphabet, a length that is not a multiple of 4, a misplaced =', 'PAYLOAD_CERTIFICATE_NOT_BASE64', true, 'Convert.FromBase64String refuses these, and the OData reader answers with its conversion error.'],
];

function render(): string {
  const lines = [
    '# Rule catalogue',
    '',
    'Generated from `packages/core/src/checks/rules.ts` by `test/rules-catalogue.test.ts`; do not edit by hand.',
    '',
    'Profile `graph`. Evidence says how sure we are that Graph rejects what the rule finds (for `path` rules, that Entra',
    'refuses the device at sign-in): `documented` by Microsoft or the RFC Entra follows, `inferred` (schema, sibling Entra',
    'stores, what mainstream readers and verifiers do), or `best-practice` only.',
    'Rules marked 400 carry the Graph error body in `graphError`; an error without 400 fails the lint without claiming Graph refuses it.',
    '',
    '| code | severity | applies to | evidence | 400 | what it finds | citation |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of RULES) {
    // An anchor per rule: SARIF's helpUri points at it (packages/node/src/report/sarif.ts, ruleHelpUri).
    lines.push(`| <a id="${r.code.toLowerCase()}"></a>\`${r.code}\` | ${r.severity} | ${r.appliesTo} | ${r.evidence} | ${r.rejects ? 'yes' : ''} | ${cell(r.description)} | ${cell(r.citation)} |`);
  }
  lines.push(
    '',
    '## Which malformations predict a 400',
    '',
    "Graph's reader is most plausibly .NET's `X509Certificate2`: it loads the Certificate and TBSCertificate structure eagerly and",
    'decodes an extension only when asked. A 400 is predicted only where that reader, or a check Graph is known or inferred to make,',
    'fails; where mainstream readers (OpenSSL, .NET, Go) accept the input, the rule is a warning or carries no 400.',
    '',
    '| part | rule | 400 | why |',
    '| --- | --- | --- | --- |',
  );
  for (const [part, rule, predicts400, why] of READER_DECISIONS) lines.push(`| ${cell(part)} | \`${rule}\` | ${predicts400 ? 'yes' : 'no'} | ${cell(why)} |`);
  return lines.join('\n') + '\n';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

describe('rule catalogue', () => {
  it('has unique SCREAMING_SNAKE codes, each with a description and citation', () => {
    const codes = RULES.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of RULES) {
      expect(r.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
      expect(r.description.length).toBeGreaterThan(10);
      expect(r.citation.length).toBeGreaterThan(3);
      if (r.rejects) expect(r.severity).toBe('error');
      if (r.graphError) expect(r.rejects).toBe(true);
    }
  });

  it('each reader decision names a rule whose 400 prediction it states', () => {
    for (const [part, code, predicts400] of READER_DECISIONS) {
      const rule = RULES.find((r) => r.code === code);
      expect(rule, part).toBeDefined();
      expect(rule!.rejects, code).toBe(predicts400);
    }
  });

  it('docs/rules.md matches the catalogue', () => {
    const expected = render();
    if (process.env.UPDATE_RULES_DOC) writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
