// docs/rules.md is generated from the rule catalogue; this test fails when they drift.
// Regenerate with: UPDATE_RULES_DOC=1 npx -y pnpm@10 vitest run test/rules-catalogue.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '@graph-mtls/core';

const path = new URL('../docs/rules.md', import.meta.url);

function render(): string {
  const lines = [
    '# Rule catalogue',
    '',
    'Generated from `packages/core/src/checks/rules.ts` by `test/rules-catalogue.test.ts`; do not edit by hand.',
    '',
    'Profile `graph`. Evidence says how sure we are that Graph rejects what the rule finds: `documented` by',
    'Microsoft, `inferred` (schema, sibling Entra stores, verifier behaviour), or `best-practice` only.',
    'Rules marked 400 carry the Graph error body in `graphError`.',
    '',
    '| code | severity | applies to | evidence | 400 | what it finds | citation |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of RULES) {
    lines.push(`| \`${r.code}\` | ${r.severity} | ${r.appliesTo} | ${r.evidence} | ${r.rejects ? 'yes' : ''} | ${r.description.replace(/\|/g, '\\|')} | ${r.citation.replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
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

  it('docs/rules.md matches the catalogue', () => {
    const expected = render();
    if (process.env.UPDATE_RULES_DOC) writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
