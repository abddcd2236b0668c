// `--format sarif`: SARIF 2.1.0 (OASIS) for GitHub code scanning. Rules come from the
// catalogue; each result points at the file and, for PEM, at the BEGIN line of its block.
// Results are written as they come inside the log JSON.stringify(log, null, 2) would give.

import { RULES, type Finding, type LintItem, type Severity } from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';
import type { Rendered, Renderer, ReportDocument } from './format.ts';
import { ByteSink, NO_BYTES } from './bytes.ts';
import type { Output } from './output.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', notice: 'note' };
const RULE_INDEX = new Map(RULES.map((r, i) => [r.code, i]));

/** The project's home, SARIF's tool.driver.informationUri. */
export const HOMEPAGE = 'https://github.com/graph-mtls/graph-mtls';

/** A rule's entry in the catalogue (docs/rules.md gives each an anchor: its code in lower case). */
export function ruleHelpUri(code: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules.md#${code.toLowerCase()}`;
}
/** Where results stand in the log: runs[0].results[i], eight spaces in. */
const INDENT = '\n        ';

export class SarifRenderer implements Renderer {
  readonly #main = new ByteSink();

  add(item: LintItem, source: string): void {
    for (const f of item.findings) this.#main.add(`,${INDENT}${escapeInvisibleJson(JSON.stringify(result(source, f), null, 2)).replace(/\n/g, INDENT)}`);
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, 0, 0];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: NO_BYTES, payloads: NO_BYTES };
  }
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * JSON text with invisible characters (bidirectional overrides, zero-width ones) written as
 * \uXXXX escapes: the same data to a JSON reader, nothing hidden to one who reads the file.
 * JSON.stringify has already escaped the C0 controls in strings; line feeds are its layout.
 */
function escapeInvisibleJson(json: string): string {
  return json.replace(INVISIBLE, (c) => {
    if (c === '\n') return c;
    let out = '';
    for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return out;
  });
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
    // Shown in pull requests: invisible and control characters from certificates escaped.
    message: { text: shown(f.ref === undefined ? f.message : `${f.message} [${f.ref}]`) },
    locations: [{ physicalLocation }],
    ...(f.graphError === undefined ? {} : { properties: { graphError: f.graphError } }),
  };
}

/** A relative file path as a URI reference (RFC 3986): each segment percent-encoded. */
function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function log(version: string): string {
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'graph-mtls',
              version,
              informationUri: HOMEPAGE,
              rules: RULES.map((r) => ({
                id: r.code,
                helpUri: ruleHelpUri(r.code),
                shortDescription: { text: r.description },
                fullDescription: { text: `${r.description} (${r.citation})` },
                help: { text: `${r.description}\nCitation: ${r.citation}\nEvidence that Graph rejects it: ${r.evidence}.` },
                defaultConfiguration: { level: LEVEL[r.severity] },
                properties: { citation: r.citation, evidence: r.evidence, appliesTo: r.appliesTo, graph400: r.rejects, tags: ['certificate', r.appliesTo] },
              })),
            },
          },
          results: [],
        },
      ],
    },
    null,
    2,
  );
}

export class SarifDocument implements ReportDocument {
  readonly #out: Output;
  readonly #head: string;
  readonly #tail: string;
  #any = false;

  constructor(out: Output, version: string) {
    this.#out = out;
    const text = log(version);
    const at = text.indexOf('"results": []') + '"results": ['.length;
    this.#head = text.slice(0, at);
    this.#tail = text.slice(at + 1);
  }

  async begin(): Promise<void> {
    await this.#out.write(this.#head);
  }

  startInput(): void {}

  async add(rendered: Rendered): Promise<void> {
    const main = rendered.main;
    if (main.length === 0) return;
    await this.#out.write(this.#any ? main : main.subarray(1));
    this.#any = true;
  }

  async endInput(): Promise<void> {}

  async end(): Promise<void> {
    await this.#out.write(`${this.#any ? '\n      ]' : ']'}${this.#tail}\n`);
  }

  async close(): Promise<void> {}
}
