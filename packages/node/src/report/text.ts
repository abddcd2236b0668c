// `--format text` (the default): readable, grouped by input, colour only on a TTY and never
// with NO_COLOR (no-color.org), a summary line at the end. An input's problems come before its
// certificates, so the certificate lines of a long input wait in a spool until it ends. Text
// from certificates and file names is shown with invisible and control characters escaped.

import { type Certificate, type Finding, type LintItem, type LintSummary, type Severity } from '@graph-mtls/core';
import { escapeForDisplay as shown } from '@graph-mtls/core/encoding';
import type { Rendered, Renderer, RenderOptions, ReportDocument } from './format.ts';
import { ByteSink, NO_BYTES } from './bytes.ts';
import { plural } from './plural.ts';
import { Spool, type Output } from './output.ts';

export interface TextOptions {
  readonly color: boolean;
  /** Only errors (and the summary). */
  readonly quiet?: boolean;
}

const SGR = { red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1, green: 32 } as const;

function painter(color: boolean): (style: keyof typeof SGR, text: string) => string {
  return (style, text) => (color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
}

export class TextRenderer implements Renderer {
  readonly #options: TextOptions;
  readonly #paint: ReturnType<typeof painter>;
  readonly #severity: Record<Severity, string>;
  readonly #main = new ByteSink();
  readonly #inputs = new ByteSink();

  constructor(options: TextOptions) {
    this.#options = options;
    const paint = (this.#paint = painter(options.color));
    this.#severity = { error: paint('red', 'error  '), warning: paint('yellow', 'warning'), notice: paint('cyan', 'notice ') };
  }

  add(item: LintItem): void {
    const paint = this.#paint;
    const quiet = this.#options.quiet === true;
    if (item.type === 'input') {
      for (const f of item.findings) if (!quiet || f.severity === 'error') this.#inputs.add(this.#finding(f, '  '));
    } else if (item.type === 'payload') {
      const listed = quiet ? item.findings.filter((f) => f.severity === 'error') : item.findings;
      if (listed.length === 0) this.#inputs.add(`  ${paint('green', 'ok')}${paint('dim', ` (${item.kind} payload)`)}\n`);
      for (const f of listed) this.#inputs.add(this.#finding(f, '  '));
    } else {
      const listed = quiet ? item.findings.filter((f) => f.severity === 'error') : item.findings;
      if (quiet && listed.length === 0) return;
      const kind = item.role === 'device' ? 'device' : item.isRootAuthority ? 'root CA' : isCa(item.certificate) ? 'intermediate CA' : 'not a CA';
      const where = item.location.line === undefined ? `#${(item.location.index ?? 0) + 1}` : `line ${item.location.line}`;
      const cert = item.certificate;
      let text = `  ${shown(cert.subjectDn) || '(empty subject)'} ${paint('dim', `(${kind}, ${where}, sha256 ${cert.sha256.slice(0, 16)})`)}\n`;
      if (listed.length === 0) text += `    ${paint('green', 'ok')}\n`;
      for (const f of listed) text += this.#finding(f, '    ');
      this.#main.add(text);
    }
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, this.#inputs.length, 0];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: this.#inputs.take(), payloads: NO_BYTES };
  }

  #finding(f: Finding, indent: string): string {
    const paint = this.#paint;
    const ref = f.ref === undefined ? '' : paint('dim', ` [${shown(f.ref)}]`);
    let text = `${indent}${this.#severity[f.severity]} ${paint('bold', f.code)}  ${shown(f.message)}${ref}\n${indent}        ${paint('dim', f.citation)}\n`;
    if (f.graphError !== undefined) text += `${indent}        ${paint('dim', `Graph would answer 400: ${shown(JSON.stringify(f.graphError))}`)}\n`;
    return text;
  }
}

/** basicConstraints cA TRUE (a malformed extension counts as not): what may be called a CA. */
function isCa(cert: Certificate): boolean {
  try {
    return cert.basicConstraints?.ca === true;
  } catch {
    return false;
  }
}

export class TextDocument implements ReportDocument {
  readonly #out: Output;
  readonly #options: RenderOptions;
  readonly #paint: ReturnType<typeof painter>;
  #source = '';
  #head: Uint8Array[] = [];
  readonly #body = new Spool();

  constructor(out: Output, options: RenderOptions) {
    this.#out = out;
    this.#options = options;
    this.#paint = painter(options.color);
  }

  async begin(): Promise<void> {}

  startInput(source: string): void {
    this.#source = source;
    this.#head = [];
  }

  async add(rendered: Rendered): Promise<void> {
    if (rendered.inputs.length > 0) this.#head.push(rendered.inputs);
    this.#body.write(rendered.main);
  }

  async endInput(): Promise<void> {
    if (this.#options.quiet && this.#head.length === 0 && !this.#body.used) return;
    await this.#out.write(`${this.#paint('bold', shown(this.#source))}\n`);
    for (const piece of this.#head) await this.#out.write(piece);
    this.#head = [];
    await this.#body.drainTo(this.#out);
    await this.#out.write('\n');
  }

  async end(s: LintSummary, inputs: number): Promise<void> {
    const paint = this.#paint;
    const status = s.errors > 0 ? paint('red', '✖') : paint('green', '✔');
    await this.#out.write(`${status} ${plural(s.certificates, 'certificate')} in ${plural(inputs, 'input')}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.notices, 'notice')}\n`);
  }

  async close(): Promise<void> {
    this.#body.close();
  }
}
