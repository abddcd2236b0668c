// `--format json`: the stable, versioned machine format of `graph-mtls lint` (README, "JSON
// output"). Version 1; fields are only ever added, never renamed or removed. The document is
// written as it comes, byte for byte what JSON.stringify(report, null, 2) gives for the whole.

import { certificateFields, type CertificateReport, type Finding, type LintItem, type LintSummary } from '@graph-mtls/core';
import type { Rendered, Renderer, ReportDocument } from './format.ts';
import { ByteSink } from './bytes.ts';
import { Spool, type Output } from './output.ts';

// Elements are written by hand in exactly the layout JSON.stringify(value, null, 2) gives
// them at their depth (a test compares the two on every kind of report): no object is built
// per certificate or finding only to be stringified, which halved the time of a bulk run.

/** A string as JSON.stringify writes it. */
function str(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
// Quote, backslash, controls, and surrogates (JSON.stringify writes lone ones as \u escapes).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function strOrNull(s: string | null | undefined): string {
  return s === null || s === undefined ? 'null' : str(s);
}

function numOrNull(n: number | null | undefined): string {
  return n === null || n === undefined ? 'null' : String(n);
}

/** A list of strings at `indent` (the indent of the line holding its key). */
function strings(list: readonly string[], indent: string): string {
  if (list.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < list.length; i++) out += `${i === 0 ? '' : ','}\n${indent}  ${str(list[i]!)}`;
  return `${out}\n${indent}]`;
}

/** Any JSON value at `indent`, as JSON.stringify(value, null, 2) lays it out there; kept per object (Graph's 400 bodies are shared). */
const laidOut = new WeakMap<object, Map<string, string>>();
function value(v: unknown, indent: string): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  let byIndent = laidOut.get(v);
  let text = byIndent?.get(indent);
  if (text === undefined) {
    text = JSON.stringify(v, null, 2).replace(/\n/g, `\n${indent}`);
    if (byIndent === undefined) laidOut.set(v, (byIndent = new Map()));
    byIndent.set(indent, text);
  }
  return text;
}

/** The findings list of an element, at `indent`. */
function findings(list: readonly Finding[], indent: string): string {
  if (list.length === 0) return '[]';
  const i1 = `${indent}  `;
  const i2 = `${indent}    `;
  let out = '[';
  for (let k = 0; k < list.length; k++) {
    const f = list[k]!;
    out +=
      `${k === 0 ? '' : ','}\n${i1}{` +
      `\n${i2}"code": ${str(f.code)},` +
      `\n${i2}"severity": "${f.severity}",` +
      `\n${i2}"message": ${str(f.message)},` +
      `\n${i2}"citation": ${str(f.citation)},` +
      `\n${i2}"evidence": "${f.evidence}",` +
      `\n${i2}"ref": ${strOrNull(f.ref)},` +
      `\n${i2}"line": ${numOrNull(f.location?.line)},` +
      `\n${i2}"errorCode": ${strOrNull(f.errorCode)},` +
      `\n${i2}"graphError": ${f.graphError === undefined ? 'null' : value(f.graphError, i2)}` +
      `\n${i1}}`;
  }
  return `${out}\n${indent}]`;
}

/** A certificate element: ",\n    {...}" (the first element of the array loses its comma). */
function certificateElement(c: CertificateReport): string {
  const x = certificateFields(c.certificate);
  const I = '\n      ';
  return (
    `,\n    {` +
    `${I}"source": ${strOrNull(c.location.source)},` +
    `${I}"index": ${c.location.index ?? 0},` +
    `${I}"line": ${numOrNull(c.location.line)},` +
    `${I}"format": "${c.format}",` +
    `${I}"sha256": "${x.sha256}",` +
    `${I}"subject": ${str(x.subject)},` +
    `${I}"issuer": ${str(x.issuer)},` +
    `${I}"serialNumber": "${x.serialNumber}",` +
    `${I}"notBefore": "${x.notBefore}",` +
    `${I}"notAfter": "${x.notAfter}",` +
    `${I}"isCA": ${x.isCA},` +
    `${I}"role": "${c.role}",` +
    `${I}"selfIssued": ${c.selfIssued},` +
    `${I}"selfSignature": "${c.selfSignature}",` +
    `${I}"isRootAuthority": ${c.isRootAuthority},` +
    `${I}"keyUsage": ${x.keyUsage === null ? 'null' : strings(x.keyUsage, '      ')},` +
    `${I}"subjectKeyIdentifier": ${x.subjectKeyIdentifier === null ? 'null' : `"${x.subjectKeyIdentifier}"`},` +
    `${I}"san": {` +
    `\n        "dns": ${strings(x.san.dns, '        ')},` +
    `\n        "uri": ${strings(x.san.uri, '        ')},` +
    `\n        "ip": ${strings(x.san.ip, '        ')},` +
    `\n        "email": ${strings(x.san.email, '        ')}` +
    `${I}},` +
    `${I}"findings": ${findings(c.findings, '      ')}` +
    `\n    }`
  );
}

export class JsonRenderer implements Renderer {
  readonly #main = new ByteSink();
  readonly #inputs = new ByteSink();
  readonly #payloads = new ByteSink();

  add(item: LintItem, source: string): void {
    const I = '\n      ';
    if (item.type === 'certificate') this.#main.add(certificateElement(item));
    else if (item.type === 'input') {
      this.#inputs.add(`,\n    {${I}"source": ${str(source)},${I}"index": ${numOrNull(item.location.index)},${I}"line": ${numOrNull(item.location.line)},${I}"findings": ${findings(item.findings, '      ')}\n    }`);
    } else this.#payloads.add(`,\n    {${I}"source": ${str(source)},${I}"kind": "${item.kind}",${I}"findings": ${findings(item.findings, '      ')}\n    }`);
  }

  sizes(): readonly [number, number, number] {
    return [this.#main.length, this.#inputs.length, this.#payloads.length];
  }

  take(): Rendered {
    return { main: this.#main.take(), inputs: this.#inputs.take(), payloads: this.#payloads.take() };
  }
}

/** An array of elements rendered with a leading ",\n" (lint's and verify's), written as JSON.stringify lays it out: the first loses its comma. */
export class JsonArray {
  #any = false;
  write(out: Output | Spool, elements: Uint8Array): Promise<void> | void {
    if (elements.length === 0) return;
    const text = this.#any ? elements : elements.subarray(1);
    this.#any = true;
    return out.write(text);
  }
  get close(): string {
    return this.#any ? '\n  ]' : ']';
  }
}

export class JsonDocument implements ReportDocument {
  readonly #out: Output;
  readonly #now: Date;
  readonly #certificates = new JsonArray();
  readonly #inputs = new JsonArray();
  readonly #payloads = new JsonArray();
  readonly #inputSpool = new Spool();
  readonly #payloadSpool = new Spool();

  constructor(out: Output, now: Date) {
    this.#out = out;
    this.#now = now;
  }

  async begin(): Promise<void> {
    await this.#out.write(`{\n  "version": 1,\n  "now": ${JSON.stringify(this.#now.toISOString())},\n  "certificates": [`);
  }

  startInput(): void {}

  async add(rendered: Rendered): Promise<void> {
    await this.#certificates.write(this.#out, rendered.main);
    void this.#inputs.write(this.#inputSpool, rendered.inputs);
    void this.#payloads.write(this.#payloadSpool, rendered.payloads);
  }

  async endInput(): Promise<void> {}

  async end(s: LintSummary): Promise<void> {
    await this.#out.write(`${this.#certificates.close},\n  "inputs": [`);
    await this.#inputSpool.drainTo(this.#out);
    await this.#out.write(`${this.#inputs.close},\n  "payloads": [`);
    await this.#payloadSpool.drainTo(this.#out);
    await this.#out.write(`${this.#payloads.close},\n  "summary": {\n    "certificates": ${s.certificates},\n    "errors": ${s.errors},\n    "warnings": ${s.warnings},\n    "notices": ${s.notices}\n  }\n}\n`);
  }

  async close(): Promise<void> {
    this.#inputSpool.close();
    this.#payloadSpool.close();
  }
}
