// @graph-mtls/node: files, directories, globs and stdin in; the graph-mtls CLI.
export { expandInputs, readInput, type ExpandedInputs, type InputError, type InputFile } from './inputs.ts';
export { fileFindings, lintBytes, lintFile, summarizeCertificate, summarizeRun, type CertificateSummary, type FileLintReport, type FileReport, type LintFilesOptions, type LintRun } from './lint-files.ts';
export { renderJson } from './report/json.ts';
export { renderSarif } from './report/sarif.ts';
export { escapeData, escapeProperty, renderGithub } from './report/github.ts';
export { renderText, type TextOptions } from './report/text.ts';
export { main, HELP } from './main.ts';
export type { CliContext } from './commands/context.ts';
export { createClient, type AccessToken, type NodeClientOptions, type TokenCredential } from './graph-client.ts';
