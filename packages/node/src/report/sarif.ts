// `--format sarif`: SARIF 2.1.0 (OASIS) for GitHub code scanning. Rules come from the
// catalogue; each result points at the file and, for PEM, at the BEGIN line of its block.

import { RULES, type Finding, type Severity } from '@graph-mtls/core';
import { fileFindings, type LintRun } from '../lint-files.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };
const RULE_INDEX = new Map(RULES.map((r, i) => [r.code, i]));

export function renderSarif(run: LintRun, version: string): string {
  const results = run.files.flatMap((file) => fileFindings(file).map((f) => result(file.source, f)));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'graph-mtls',
            version,
            rules: RULES.map((r) => ({
              id: r.code,
              shortDescription: { text: r.description },
              fullDescription: { text: `${r.description} (${r.citation})` },
              help: { text: `${r.description}\nCitation: ${r.citation}\nEvidence that Graph rejects it: ${r.evidence}.` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { citation: r.citation, evidence: r.evidence, appliesTo: r.appliesTo, graph400: r.rejects, tags: ['certificate', r.appliesTo] },
            })),
          },
        },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function result(source: string, f: Finding): Record<string, unknown> {
  const line = f.location?.line;
  const physicalLocation: Record<string, unknown> = { artifactLocation: { uri: encodeUri(f.location?.source ?? source) } };
  if (line !== undefined && line >= 1) physicalLocation['region'] = { startLine: line };
  const index = RULE_INDEX.get(f.code);
  return {
    ruleId: f.code,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[f.severity],
    message: { text: f.ref === undefined ? f.message : `${f.message} [${f.ref}]` },
    locations: [{ physicalLocation }],
    ...(f.graphError === undefined ? {} : { properties: { graphError: f.graphError } }),
  };
}

/** A relative file path as a URI reference (RFC 3986): each segment percent-encoded. */
function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
