// Findings as data (checks/finding.ts): what finding() builds from the rule catalogue, which rule
// each input error becomes, how findings are ordered, and how they are counted (issue 12).

import { describe, expect, it } from 'vitest';
import { countFindings, finding, inputFinding, problemFinding, sortFindings, unreadableFinding, type Finding } from '../../src/checks/finding.ts';
import { GRAPH_CERTIFICATE_ERROR, GRAPH_INVALID_VALUES_ERROR } from '../../src/checks/graph-errors.ts';
import { getRule, type RuleCode } from '../../src/checks/rules.ts';
import { InputError, type InputErrorCode } from '../../src/errors.ts';

describe('finding()', () => {
  it('copies severity, citation and evidence from the rule and keeps the message and ref', () => {
    const rule = getRule('CA_SUBJECT_EMPTY');
    const f = finding('CA_SUBJECT_EMPTY', 'no subject here', 'subject');
    expect(f).toStrictEqual({
      code: 'CA_SUBJECT_EMPTY',
      severity: rule.severity,
      message: 'no subject here',
      citation: rule.citation,
      evidence: rule.evidence,
      ref: 'subject',
      graphError: GRAPH_CERTIFICATE_ERROR,
    });
    expect(f.severity).toBe('error');
    const warning = finding('CA_SKI_MISSING', 'm', 'extensions.subjectKeyIdentifier');
    expect([warning.severity, warning.ref, warning.evidence, warning.citation]).toEqual(['warning', 'extensions.subjectKeyIdentifier', getRule('CA_SKI_MISSING').evidence, getRule('CA_SKI_MISSING').citation]);
    expect(warning).not.toHaveProperty('graphError');
  });

  it('leaves out ref and graphError when there are none', () => {
    const f = finding('CA_ROOT_PATH_LEN_PRESENT', 'm');
    expect(Object.keys(f).sort()).toEqual(['citation', 'code', 'evidence', 'message', 'severity']);
    expect(f).not.toHaveProperty('ref');
    expect(f).not.toHaveProperty('graphError');
  });

  it('an explicit graphError replaces the rule\'s', () => {
    expect(finding('CA_BASIC_CONSTRAINTS_MISSING', 'm').graphError).toBe(GRAPH_CERTIFICATE_ERROR);
    expect(finding('CA_BASIC_CONSTRAINTS_MISSING', 'm', undefined, GRAPH_INVALID_VALUES_ERROR).graphError).toBe(GRAPH_INVALID_VALUES_ERROR);
    expect(finding('CA_ROOT_PATH_LEN_PRESENT', 'm', 'x', GRAPH_INVALID_VALUES_ERROR).graphError).toBe(GRAPH_INVALID_VALUES_ERROR);
  });
});

describe('input findings', () => {
  const location = { source: 'bundle.pem', index: 2, line: 40 };
  const EXPECTED: Partial<Record<InputErrorCode, RuleCode>> = {
    ERR_PRIVATE_KEY: 'INPUT_PRIVATE_KEY',
    ERR_CSR: 'INPUT_NOT_A_CERTIFICATE',
    ERR_CRL: 'INPUT_NOT_A_CERTIFICATE',
    ERR_PUBLIC_KEY: 'INPUT_NOT_A_CERTIFICATE',
    ERR_TRUSTED_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
    ERR_NOT_A_CERTIFICATE: 'INPUT_NOT_A_CERTIFICATE',
    ERR_PEM_NO_BLOCKS: 'INPUT_NOT_A_CERTIFICATE',
    ERR_PEM_UNSUPPORTED_LABEL: 'INPUT_NOT_A_CERTIFICATE',
    ERR_INPUT_EMPTY: 'INPUT_NOT_A_CERTIFICATE',
  };
  const OTHERS: InputErrorCode[] = ['ERR_DER_TRUNCATED', 'ERR_DER_TRAILING_DATA', 'ERR_BASE64_INVALID', 'ERR_PEM_MALFORMED', 'ERR_INPUT_TOO_LARGE', 'ERR_LIMIT_EXCEEDED', 'ERR_PKCS7_UNSUPPORTED'];

  it.each(Object.entries(EXPECTED) as [InputErrorCode, RuleCode][])('%s becomes %s', (code, ruleCode) => {
    const rule = getRule(ruleCode);
    expect(problemFinding(code, 'why', location)).toStrictEqual({
      code: ruleCode,
      severity: rule.severity,
      message: 'why',
      citation: rule.citation,
      evidence: rule.evidence,
      graphError: GRAPH_CERTIFICATE_ERROR,
      location,
      errorCode: code,
    });
  });

  it.each(OTHERS)('%s becomes INPUT_UNREADABLE', (code) => {
    const f = problemFinding(code, 'why', location);
    expect(f.code).toBe('INPUT_UNREADABLE');
    expect(f.errorCode).toBe(code);
    expect(f.location).toBe(location);
    expect(f).not.toHaveProperty('ref');
  });

  it.each(['ERR_DER_BER_ENCODING', 'ERR_DER_SIZE_CONSTRAINT'] as const)('%s becomes INPUT_NOT_STRICT_DER: no 400, and the message says lenient readers accept it', (code) => {
    const f = problemFinding(code, 'tbsCertificate.extensions: expected at least one extension, received an empty SEQUENCE', location);
    expect([f.code, f.severity, f.evidence, f.errorCode]).toEqual(['INPUT_NOT_STRICT_DER', 'error', 'inferred', code]);
    expect(f).not.toHaveProperty('graphError');
    expect(f.message).toMatch(/^tbsCertificate\.extensions: expected at least one extension, received an empty SEQUENCE; lenient readers such as OpenSSL and Windows CryptoAPI accept many such forms, so Graph may well load it \(no 400 predicted\)/);
  });

  it('inputFinding takes the code and the reason (not the located message) of the error', () => {
    const error = new InputError('ERR_CSR', 'a certificate request', { source: 'x.pem', index: 0 });
    expect(error.message).not.toBe(error.reason);
    expect(inputFinding(error, location)).toEqual(problemFinding('ERR_CSR', 'a certificate request', location));
  });

  it('unreadableFinding: INPUT_FILE_UNREADABLE at the source, with the system error code and no Graph body', () => {
    const rule = getRule('INPUT_FILE_UNREADABLE');
    expect(unreadableFinding('missing.pem', 'missing.pem: no such file', 'ENOENT')).toStrictEqual({
      code: 'INPUT_FILE_UNREADABLE',
      severity: rule.severity,
      message: 'missing.pem: no such file',
      citation: rule.citation,
      evidence: rule.evidence,
      location: { source: 'missing.pem' },
      errorCode: 'ENOENT',
    });
  });
});

describe('sortFindings', () => {
  const f = (code: RuleCode, extra: Partial<Finding> = {}): Finding => ({ ...finding(code, code), ...extra });

  it('orders by source, then index, then severity, then code, then ref; unknowns first', () => {
    const inOrder: Finding[] = [
      // No location: before any source.
      f('CA_BASIC_CONSTRAINTS_MISSING'), // no ref before a ref
      f('CA_BASIC_CONSTRAINTS_MISSING', { ref: 'b' }),
      f('CA_BASIC_CONSTRAINTS_MISSING', { ref: 'c' }),
      f('CA_SUBJECT_EMPTY'),
      f('CERT_EXPIRED'),
      f('CA_SKI_MISSING'), // warnings after the errors
      f('CERT_EXPIRING_SOON'),
      f('CRL_DP_MULTIPLE'), // notices last
      f('CERT_EXPIRED', { location: { source: 'a.pem' } }), // index undefined before index 0
      f('CERT_EXPIRED', { location: { source: 'a.pem', index: 0 } }),
      f('CERT_EXPIRED', { location: { source: 'a.pem', index: 1 } }),
      f('CERT_EXPIRING_SOON', { location: { source: 'a.pem', index: 1 } }),
      f('CERT_EXPIRED', { location: { source: 'a.pem', index: 10 } }),
      f('CERT_EXPIRED', { location: { source: 'b.pem', index: 0 } }),
    ];
    expect(inOrder.map((x) => x.severity).slice(0, 8)).toEqual(['error', 'error', 'error', 'error', 'error', 'warning', 'warning', 'notice']);
    for (const shuffled of [[...inOrder].reverse(), rotate(inOrder, 5), rotate([...inOrder].reverse(), 3)]) {
      expect(sortFindings(shuffled)).toEqual(inOrder);
    }
  });

  it('notices come after warnings', () => {
    const notice = f('CA_KEY_USAGE_NO_CRL_SIGN');
    const warning = f('CA_ROOT_PATH_LEN_PRESENT');
    expect([notice.severity, warning.severity]).toEqual(['notice', 'warning']);
    const error = f('CERT_EXPIRED');
    expect(sortFindings([notice, warning, error])).toEqual([error, warning, notice]);
    expect(sortFindings([warning, notice])).toEqual([warning, notice]);
  });

  it('sorts in place and returns the same array; short arrays come back as they are', () => {
    const list = [f('CERT_VERSION_NOT_V3'), f('CA_AKI_MISSING')];
    expect(sortFindings(list)).toBe(list);
    expect(list.map((x) => x.code)).toEqual(['CA_AKI_MISSING', 'CERT_VERSION_NOT_V3']);
    const one = [f('CERT_EXPIRED')];
    expect(sortFindings(one)).toBe(one);
    const none: Finding[] = [];
    expect(sortFindings(none)).toBe(none);
  });

  it('equal findings keep a stable order', () => {
    const a = f('CERT_EXPIRED', { message: 'first' });
    const b = f('CERT_EXPIRED', { message: 'second' });
    expect(sortFindings([a, b]).map((x) => x.message)).toEqual(['first', 'second']);
    expect(sortFindings([b, a]).map((x) => x.message)).toEqual(['second', 'first']);
  });

  function rotate<T>(list: readonly T[], n: number): T[] {
    return [...list.slice(n), ...list.slice(0, n)];
  }
});

describe('countFindings', () => {
  it('adds each finding to its severity, on top of what the counts held', () => {
    const counts = { errors: 1, warnings: 2, notices: 3 };
    const notice = finding('CRL_DP_MULTIPLE', 'm');
    const warning = finding('CA_ROOT_PATH_LEN_PRESENT', 'm');
    countFindings([finding('CERT_EXPIRED', 'm'), finding('CERT_EXPIRED', 'm'), warning, warning, notice], counts);
    expect(counts).toEqual({ errors: 3, warnings: 4, notices: 4 });
    countFindings([], counts);
    expect(counts).toEqual({ errors: 3, warnings: 4, notices: 4 });
    countFindings([notice], counts);
    expect(counts).toEqual({ errors: 3, warnings: 4, notices: 5 });
  });
});
