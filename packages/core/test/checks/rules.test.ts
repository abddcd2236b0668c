// The rule catalogue (checks/rules.ts) is public API: each rule's severity, the certificates it
// applies to, its evidence level, whether Graph rejects a request with it (400) and the body it
// answers with. This table is docs/rules.md (the published catalogue) in short form (issue 12).

import { describe, expect, it } from 'vitest';
import {
  GRAPH_CERTIFICATE_ERROR,
  GRAPH_INVALID_JSON_ERROR,
  GRAPH_INVALID_VALUES_ERROR,
  graphConversionError,
  graphNullError,
  graphUnexpectedNodeError,
  graphUnknownPropertyError,
} from '../../src/checks/graph-errors.ts';
import { RULES, getRule, type RuleCode } from '../../src/checks/rules.ts';

/** code severity appliesTo evidence [400], as docs/rules.md lists them. */
const CATALOGUE = [
  'CA_AKI_MISSING warning intermediate inferred',
  'CA_BASIC_CONSTRAINTS_MISSING error ca inferred 400',
  'CA_BASIC_CONSTRAINTS_NOT_CA error ca inferred 400',
  'CA_BASIC_CONSTRAINTS_NOT_CRITICAL warning ca best-practice',
  'CA_EKU_EXCLUDES_CLIENT_AUTH warning ca inferred',
  'CA_KEY_USAGE_MISSING warning ca best-practice',
  'CA_KEY_USAGE_NO_CERT_SIGN error ca inferred 400',
  'CA_KEY_USAGE_NO_CRL_SIGN notice ca best-practice',
  'CA_PATH_LEN_NEGATIVE error ca inferred 400',
  'CA_ROOT_AKI_MISMATCH warning root best-practice',
  'CA_ROOT_PATH_LEN_PRESENT warning root best-practice',
  'CA_SELF_ISSUED_NOT_SELF_SIGNED notice intermediate inferred',
  'CA_SKI_MISSING warning ca inferred',
  'CA_SUBJECT_EMPTY error ca inferred 400',
  'CERT_EXPIRED error any inferred 400',
  'CERT_EXPIRING_SOON warning any best-practice',
  'CERT_EXTENSION_DEFAULT_ENCODED warning any best-practice',
  'CERT_EXTENSION_DUPLICATE error any inferred 400',
  'CERT_EXTENSION_MALFORMED warning any inferred',
  'CERT_FIELD_MALFORMED error any inferred 400',
  'CERT_NOT_YET_VALID error any inferred 400',
  'CERT_SERIAL_NOT_POSITIVE warning any best-practice',
  'CERT_SERIAL_TOO_LONG warning any best-practice',
  'CERT_SIGNATURE_ALGORITHM_MISMATCH error any inferred 400',
  'CERT_TIME_ENCODING warning any best-practice',
  'CERT_UNIQUE_IDENTIFIERS notice any best-practice',
  'CERT_UNKNOWN_CRITICAL_EXTENSION warning any best-practice',
  'CERT_VALIDITY_INVERTED error any inferred 400',
  'CERT_VERSION_NOT_V3 warning any best-practice',
  'CRL_DP_MULTIPLE notice ca inferred',
  'CRL_DP_NOT_HTTP warning ca inferred',
  'DEVICE_EKU_NO_CLIENT_AUTH warning device inferred',
  'DEVICE_IDENTITY_MISSING error device documented',
  'DEVICE_IS_CA warning device best-practice',
  'DEVICE_KEY_USAGE_NO_DIGITAL_SIGNATURE warning device inferred',
  'INPUT_FILE_UNREADABLE error input documented',
  'INPUT_NOT_A_CERTIFICATE error input documented 400',
  'INPUT_NOT_STRICT_DER error input inferred',
  'INPUT_PRIVATE_KEY error input documented 400',
  'INPUT_UNREADABLE error input documented 400',
  'KEY_ALGORITHM_UNSUPPORTED warning any best-practice',
  'KEY_CURVE_NOT_ALLOWED warning any best-practice',
  'KEY_MALFORMED warning any inferred',
  'KEY_RSA_TOO_SMALL warning any best-practice',
  'PAYLOAD_CERTIFICATE_BASE64_NOT_CANONICAL warning payload inferred',
  'PAYLOAD_CERTIFICATE_NOT_BASE64 error payload inferred 400',
  'PAYLOAD_CERTIFICATE_TOO_LARGE warning payload inferred',
  'PAYLOAD_CRL_URL_NOT_HTTP warning payload inferred',
  'PAYLOAD_DISPLAY_NAME_EMPTY warning payload best-practice',
  'PAYLOAD_DISPLAY_NAME_TOO_LONG warning payload inferred',
  'PAYLOAD_DUPLICATE_CERTIFICATE warning payload best-practice',
  'PAYLOAD_DUPLICATE_SKI warning payload inferred',
  'PAYLOAD_ENUM_INVALID error payload inferred 400',
  'PAYLOAD_INVALID_JSON error payload inferred 400',
  'PAYLOAD_ISSUER_NOT_IN_LIST warning payload inferred',
  'PAYLOAD_MISSING_PROPERTY error payload documented 400',
  'PAYLOAD_NOT_AN_OBJECT error payload inferred 400',
  'PAYLOAD_NO_CERTIFICATE_AUTHORITIES warning payload inferred',
  'PAYLOAD_NO_ROOT warning payload inferred',
  'PAYLOAD_NULL_NOT_ALLOWED error payload inferred 400',
  'PAYLOAD_ODATA_TYPE error payload inferred 400',
  'PAYLOAD_PARAMETER_IN_UPDATE error payload inferred 400',
  'PAYLOAD_READ_ONLY_PROPERTY warning payload inferred',
  'PAYLOAD_ROOT_FLAG_MISMATCH warning payload inferred',
  'PAYLOAD_TOO_MANY_CERTIFICATE_AUTHORITIES warning payload inferred',
  'PAYLOAD_UNKNOWN_PROPERTY error payload inferred 400',
  'PAYLOAD_WRONG_TYPE error payload inferred 400',
  'SIGNATURE_WEAK_HASH warning any best-practice',
  'VERIFY_CRL_NOT_GIVEN warning path inferred',
  'VERIFY_CRL_UNUSABLE warning path inferred',
  'VERIFY_EKU_NO_CLIENT_AUTH error path inferred',
  'VERIFY_EXPIRED error path documented',
  'VERIFY_FIELD_MALFORMED error path inferred',
  'VERIFY_IDENTITY_MISMATCH error path documented',
  'VERIFY_IDENTITY_MISSING error path documented',
  'VERIFY_ISSUER_NOT_CA error path inferred',
  'VERIFY_ISSUER_NO_CERT_SIGN error path inferred',
  'VERIFY_NAME_CONSTRAINTS error path inferred',
  'VERIFY_NOT_YET_VALID error path documented',
  'VERIFY_NO_PATH error path documented',
  'VERIFY_PATH_LEN_EXCEEDED error path inferred',
  'VERIFY_PATH_LIMIT error path best-practice',
  'VERIFY_REVOKED error path inferred',
  'VERIFY_SIGNATURE_INVALID error path documented',
  'VERIFY_SIGNATURE_NOT_VERIFIED warning path inferred',
  'VERIFY_UNKNOWN_CRITICAL_EXTENSION error path inferred',
] as const;

/** The Graph bodies that are the same for every finding of a rule; other 400 rules build theirs per case. */
const BODIES: Partial<Record<RuleCode, object>> = {
  PAYLOAD_INVALID_JSON: GRAPH_INVALID_JSON_ERROR,
  PAYLOAD_ENUM_INVALID: GRAPH_INVALID_VALUES_ERROR,
  PAYLOAD_PARAMETER_IN_UPDATE: { error: { code: 'Request_BadRequest', message: "Property 'tlsClientAuthParameter' is read-only and cannot be set." } },
};

describe('RULES', () => {
  const rows = CATALOGUE.map((line) => {
    const [code, severity, appliesTo, evidence, rejects] = line.split(' ') as [RuleCode, string, string, string, string | undefined];
    return { code, severity, appliesTo, evidence, rejects: rejects === '400' };
  });

  it('holds exactly the published rules, sorted by code', () => {
    expect(RULES.map((r) => r.code)).toEqual(rows.map((r) => r.code));
    expect(rows.map((r) => r.code)).toEqual(rows.map((r) => r.code).sort());
  });

  it.each(rows.map((r) => [r.code, r] as const))('%s', (code, row) => {
    const rule = getRule(code);
    expect(RULES).toContain(rule);
    expect({ code: rule.code, severity: rule.severity, appliesTo: rule.appliesTo, evidence: rule.evidence, rejects: rule.rejects }).toEqual(row);
    expect(rule.description.length).toBeGreaterThan(10);
    expect(rule.citation.length).toBeGreaterThan(3);
    const body = BODIES[code] ?? (row.rejects && row.appliesTo !== 'payload' ? GRAPH_CERTIFICATE_ERROR : undefined);
    if (body === undefined) expect(rule).not.toHaveProperty('graphError');
    else expect(rule.graphError).toEqual(body);
    // A rule with a body always rejects; one that rejects without a body builds it per finding.
    if (rule.graphError !== undefined) expect(rule.rejects).toBe(true);
  });

  it('is frozen, rule by rule', () => {
    expect(Object.isFrozen(RULES)).toBe(true);
    for (const rule of RULES) expect(Object.isFrozen(rule), rule.code).toBe(true);
  });

  it('getRule finds each rule by its code and nothing else', () => {
    for (const rule of RULES) expect(getRule(rule.code)).toBe(rule);
    expect(getRule('NO_SUCH_RULE' as RuleCode)).toBeUndefined();
  });
});

// The bodies Graph answers a rejected request with (checks/graph-errors.ts): reproduced word for
// word, since callers compare them with what Graph really said.
describe('Graph error bodies', () => {
  const frozen = (body: object): boolean => Object.isFrozen(body) && Object.isFrozen((body as { error: object }).error);

  it('the fixed bodies', () => {
    expect(GRAPH_CERTIFICATE_ERROR).toEqual({
      error: { code: 'Request_BadRequest', message: "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'." },
    });
    expect(GRAPH_INVALID_JSON_ERROR).toEqual({
      error: { code: 'BadRequest', message: 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.' },
    });
    expect(GRAPH_INVALID_VALUES_ERROR).toEqual({ error: { code: 'Request_BadRequest', message: 'One or more properties contains invalid values.' } });
    for (const body of [GRAPH_CERTIFICATE_ERROR, GRAPH_INVALID_JSON_ERROR, GRAPH_INVALID_VALUES_ERROR]) expect(frozen(body)).toBe(true);
  });

  it('graphUnexpectedNodeError, with and without the property', () => {
    expect(graphUnexpectedNodeError('StartArray', 'StartObject')).toEqual({
      error: { code: 'BadRequest', message: "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'StartObject' node was expected." },
    });
    expect(graphUnexpectedNodeError('PrimitiveValue', 'StartArray', 'certificateAuthorities')).toEqual({
      error: {
        code: 'BadRequest',
        message: "An unexpected 'PrimitiveValue' node was found for property named 'certificateAuthorities' when reading from the JSON reader. A 'StartArray' node was expected.",
      },
    });
    expect(frozen(graphUnexpectedNodeError('StartObject', 'PrimitiveValue', ''))).toBe(true);
    expect(graphUnexpectedNodeError('StartObject', 'PrimitiveValue', '').error.message).toContain("found for property named '' when");
  });

  it('graphUnknownPropertyError', () => {
    expect(graphUnknownPropertyError('colour', 'microsoft.graph.certificateAuthority')).toEqual({
      error: {
        code: 'BadRequest',
        message:
          "The property 'colour' does not exist on type 'microsoft.graph.certificateAuthority'. Make sure to only use property names that are defined by the type or mark the type as open type.",
      },
    });
  });

  it('graphConversionError, with and without the literal', () => {
    expect(graphConversionError('abc', 'Edm.Binary')).toEqual({ error: { code: 'Request_BadRequest', message: "Cannot convert the literal 'abc' to the expected type 'Edm.Binary'." } });
    expect(graphConversionError('', 'Edm.Binary').error.message).toBe("Cannot convert the literal '' to the expected type 'Edm.Binary'.");
    expect(graphConversionError(undefined, 'Edm.Boolean')).toEqual({
      error: { code: 'Request_BadRequest', message: "Cannot convert a primitive value to the expected type 'Edm.Boolean'. See the inner exception for more details." },
    });
  });

  it('graphNullError', () => {
    expect(graphNullError('isRootAuthority', 'Edm.Boolean')).toEqual({
      error: {
        code: 'BadRequest',
        message:
          "A null value was found for the property named 'isRootAuthority', which has the expected type 'Edm.Boolean[Nullable=False]'. The expected type 'Edm.Boolean[Nullable=False]' does not allow null values.",
      },
    });
  });
});
