// `--format github`: GitHub Actions workflow commands (`::error file=…,line=…,title=…::…`),
// escaped as the Actions toolkit escapes them (% CR LF in data; also : and , in properties),
// after invisible and control characters in certificate text are escaped for display.

import { type Finding, type LintItem, type LintSummary, type Severity } from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';
import { plural } from './plural.ts';
import type { Rendered, Renderer, ReportDocument } from './format.ts';
import { ByteSink, NO_BYTES } from './bytes.ts';
import type { Output } from './output.ts';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', notice: 'notice' };

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export class GithubRenderer implements Renderer {
  readonly #main = new ByteSink();

  add(item: LintItem, source: string): void {
    for (const f of item.findings) this.#main.add(`${annotation(source, f)}\n`);
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, 0, 0];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: NO_BYTES, payloads: NO_BYTES };
  }
}

function annotation(source: string, f: Finding): string {
  // A path GitHub links to: line breaks are left to the toolkit's %0D %0A escapes.
  const props = [`file=${escapeProperty(shown(f.location?.source ?? source, '\r\n'))}`];
  if (f.location?.line !== undefined) props.push(`line=${f.location.line}`);
  props.push(`title=${escapeProperty(f.code)}`);
  const graph = f.graphError === undefined ? '' : `\nGraph would answer 400: ${shown(JSON.stringify(f.graphError))}`;
  const ref = f.ref === undefined ? '' : ` [${shown(f.ref)}]`;
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(`${shown(f.message)}${ref} (${f.citation})${graph}`)}`;
}

export class GithubDocument implements ReportDocument {
  readonly #out: Output;

  constructor(out: Output) {
    this.#out = out;
  }

  async begin(): Promise<void> {}
  startInput(): void {}

  async add(rendered: Rendered): Promise<void> {
    await this.#out.write(rendered.main);
  }

  async endInput(): Promise<void> {}

  async end(s: LintSummary): Promise<void> {
    await this.#out.write(`graph-mtls: ${plural(s.certificates, 'certificate')}, ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notices, 'notice')}\n`);
  }

  async close(): Promise<void> {}
}
