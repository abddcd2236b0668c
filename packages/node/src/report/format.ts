// The four report formats, rendered a run of reports at a time: a worker thread (or the main
// thread, with --jobs 1) renders the reports it made into text, and the main thread places
// that text in the document as it comes, so nothing holds the whole report and the bytes are
// the same whatever the number of jobs.

import type { LintItem, LintSummary } from '@graph-mtls/core';
import { GithubDocument, GithubRenderer } from './github.ts';
import { JsonDocument, JsonRenderer } from './json.ts';
import type { Output } from './output.ts';
import { SarifDocument, SarifRenderer } from './sarif.ts';
import { TextDocument, TextRenderer } from './text.ts';

export type Format = 'text' | 'json' | 'sarif' | 'github';

export interface RenderOptions {
  readonly format: Format;
  /** Text: ANSI colour. */
  readonly color: boolean;
  /** Text: errors only. */
  readonly quiet: boolean;
}

/**
 * Reports of one input rendered as UTF-8, by where they go in the document: `main` is written in input
 * order as it comes (certificates in JSON, results in SARIF, annotations, certificate lines in
 * text); `inputs` and `payloads` wait for their place (JSON's later arrays; text prints an
 * input's problems before its certificates).
 */
export interface Rendered {
  readonly main: Uint8Array;
  readonly inputs: Uint8Array;
  readonly payloads: Uint8Array;
}

/** Renders reports one at a time, so each report can die young; one per thread, reused. */
export interface Renderer {
  /** Renders a report of the input `source`. */
  add(item: LintItem, source: string): void;
  /** Bytes rendered since the last take() into main, inputs and payloads. */
  sizes(): readonly [number, number, number];
  /** What was rendered since the last take(), in buffers of its own. */
  take(): Rendered;
}

export function createRenderer(options: RenderOptions): Renderer {
  switch (options.format) {
    case 'json':
      return new JsonRenderer();
    case 'sarif':
      return new SarifRenderer();
    case 'github':
      return new GithubRenderer();
    case 'text':
      return new TextRenderer(options);
  }
}

/** What the pipeline places rendered runs in, input by input, in input order. */
export interface DocumentBody {
  startInput(source: string): void;
  add(rendered: Rendered): Promise<void>;
  endInput(): Promise<void>;
}

/** The main thread's side: places rendered runs in the document and writes it as it goes. */
export interface ReportDocument extends DocumentBody {
  begin(): Promise<void>;
  /** `inputs`: how many inputs the run had (the text summary names it). */
  end(summary: LintSummary, inputs: number): Promise<void>;
  /** Releases what end() did not (temporary files), also after a failure. */
  close(): Promise<void>;
}

export function createDocument(options: RenderOptions, out: Output, meta: { readonly now: Date; readonly version: string }): ReportDocument {
  switch (options.format) {
    case 'json':
      return new JsonDocument(out, meta.now);
    case 'sarif':
      return new SarifDocument(out, meta.version);
    case 'github':
      return new GithubDocument(out);
    case 'text':
      return new TextDocument(out, options);
  }
}
