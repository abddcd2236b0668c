// @graph-mtls/node: files, directories, globs and stdin in; node:crypto's SHA-256 and
// verifier; the fetch client. The graph-mtls CLI is the package's bin (dist/cli.js), not an export.
export { expandInputs, readInput, type ExpandedInputs, type FileError, type InputFile } from './inputs.ts';
export { createVerifier, nodeSha256 } from './crypto.ts';
export { lintFile } from './lint-file.ts';
export { createClient, type AccessToken, type NodeClientOptions, type TokenCredential } from './graph-client.ts';
