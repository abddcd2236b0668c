// @graph-mtls/browser: File, Blob and ArrayBuffer in; the Graph client on the browser's fetch.
export { createClient, type BrowserAccessToken, type BrowserClientOptions, type TokenGetter } from './graph-client.ts';
export {
  buildCreateFromFiles,
  lintBlob,
  lintFiles,
  readBlob,
  verifyFiles,
  type BlobInput,
  type CreateFromFilesInput,
  type FileAuthority,
  type FileLintReport,
  type FileVerification,
  type VerifyFilesOptions,
  type LintFilesOptions,
} from './inputs.ts';
