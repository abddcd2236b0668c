// Rule configuration (checks/rule-config.ts): a configuration is checked against the catalogue
// with the place of each mistake named, overrides apply in order to the paths they match, and
// findings are dropped or given another severity as set, and left alone otherwise.

import { describe, expect, it } from 'vitest';
import { applyRuleSettings, readRuleConfig, rulesFor } from '../../src/checks/rule-config.ts';
import { finding, type Finding } from '../../src/checks/finding.ts';
import { errorOf } from '@graph-mtls/test/helpers.ts';

describe('readRuleConfig', () => {
  it('reads rules and overrides', () => {
    const config = readRuleConfig({ $schema: 'x', rules: { CERT_EXPIRING_SOON: 'error', CA_KEY_USAGE_MISSING: 'off' }, overrides: [{ files: ['legacy/**'], rules: { CERT_EXPIRED: 'warning' } }] });
    expect([...config.rules]).toEqual([['CERT_EXPIRING_SOON', 'error'], ['CA_KEY_USAGE_MISSING', 'off']]);
    expect(config.overrides.map((o) => [o.files, [...o.rules]])).toEqual([[['legacy/**'], [['CERT_EXPIRED', 'warning']]]]);
    expect(readRuleConfig({})).toEqual({ rules: new Map(), overrides: [] });
  });

  it.each([
    [null, 'c.json: the top level: expected an object with "rules" and "overrides", received null'],
    [[], 'c.json: the top level: expected an object with "rules" and "overrides", received a list'],
    [{ rule: {} }, `c.json: rule: expected only "rules" and "overrides", received 'rule'`],
    [{ rules: [] }, 'c.json: rules: expected an object of rule codes, received a list'],
    [{ rules: { CERT_EXPIRNG_SOON: 'error' } }, `c.json: rules.CERT_EXPIRNG_SOON: expected a rule code of the catalogue (did you mean CERT_EXPIRING_SOON?), received 'CERT_EXPIRNG_SOON'`],
    [{ rules: { NOTHING_LIKE_IT_AT_ALL: 'error' } }, `c.json: rules.NOTHING_LIKE_IT_AT_ALL: expected a rule code of the catalogue, received 'NOTHING_LIKE_IT_AT_ALL'`],
    [{ rules: { CERT_EXPIRED: 'warn' } }, `c.json: rules.CERT_EXPIRED: expected "off", "notice", "warning" or "error", received 'warn'`],
    [{ rules: { CERT_EXPIRED: 2 } }, 'c.json: rules.CERT_EXPIRED: expected "off", "notice", "warning" or "error", received 2'],
    [{ overrides: {} }, 'c.json: overrides: expected a list of { "files": [...], "rules": {...} }, received an object'],
    [{ overrides: [{ files: [], rules: {} }] }, 'c.json: overrides[0].files: expected a non-empty list of path patterns, received a list'],
    [{ overrides: [{ files: ['a'], rules: {}, severity: 'x' }] }, `c.json: overrides[0].severity: expected only "files" and "rules", received 'severity'`],
    [{ overrides: [{ files: ['a'], rules: { CERT_EXPIRED: 'off' } }, { files: ['b'], rules: { X: 'off' } }] }, `c.json: overrides[1].rules.X: expected a rule code of the catalogue, received 'X'`],
  ])('%j is refused, naming the place', (json, message) => {
    const error = errorOf(() => readRuleConfig(json, { source: 'c.json' }));
    expect([error.name, (error as { code?: string }).code, error.message]).toEqual(['ArgumentError', 'ERR_INVALID_ARGUMENT', message]);
  });
});

describe('rulesFor and applyRuleSettings', () => {
  const config = readRuleConfig({
    rules: { CERT_EXPIRING_SOON: 'error', CA_KEY_USAGE_MISSING: 'off' },
    overrides: [
      { files: ['legacy/*'], rules: { CA_KEY_USAGE_MISSING: 'warning', CERT_EXPIRED: 'warning' } },
      { files: ['legacy/kept.pem'], rules: { CERT_EXPIRED: 'off' } },
    ],
  });
  const findings: Finding[] = [
    finding('CERT_EXPIRED', 'expired'),
    finding('CA_KEY_USAGE_MISSING', 'no keyUsage'),
    finding('CERT_EXPIRING_SOON', 'soon'),
    finding('CA_SKI_MISSING', 'no SKI'),
  ];
  const settingsFor = (path: string): ReturnType<typeof rulesFor> => rulesFor(config, (pattern) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern));
  const shown = (list: readonly Finding[]): [string, string][] => list.map((f) => [f.code, f.severity]);

  it('applies the rules everywhere, then each matching override in order', () => {
    expect(shown(applyRuleSettings(findings, settingsFor('pki/root.pem')))).toEqual([['CERT_EXPIRED', 'error'], ['CERT_EXPIRING_SOON', 'error'], ['CA_SKI_MISSING', 'warning']]);
    expect(shown(applyRuleSettings(findings, settingsFor('legacy/old.pem')))).toEqual([['CERT_EXPIRED', 'warning'], ['CA_KEY_USAGE_MISSING', 'warning'], ['CERT_EXPIRING_SOON', 'error'], ['CA_SKI_MISSING', 'warning']]);
    expect(shown(applyRuleSettings(findings, settingsFor('legacy/kept.pem')))).toEqual([['CA_KEY_USAGE_MISSING', 'warning'], ['CERT_EXPIRING_SOON', 'error'], ['CA_SKI_MISSING', 'warning']]);
  });

  it('keeps everything else of a finding, and the same array (and objects) when nothing changes', () => {
    const changed = applyRuleSettings(findings, settingsFor('x'));
    expect(changed[1]).toEqual({ ...findings[2], severity: 'error' });
    expect(changed[2]).toBe(findings[3]);
    const untouched = [finding('CA_SKI_MISSING', 'no SKI')];
    expect(applyRuleSettings(untouched, settingsFor('x'))).toBe(untouched);
    expect(rulesFor(config, () => false)).toBe(config.rules);
  });
});
