// @graph-mtls/core/graph: Microsoft Graph's mutualTlsOauthConfiguration API without I/O of its
// own. The protocol (requests to build, responses to read, retry decisions, clouds, tokens, the
// origin a token may go to) and the client that runs it over an injected fetch.

export { CLOUDS, ADMIN_ROLES, READ_PERMISSIONS, WRITE_PERMISSION, type Cloud, type CloudEndpoints } from './clouds.ts';
export {
  COLLECTION_PATH,
  betaBase,
  createRequest,
  deleteRequest,
  filterByDisplayName,
  getRequest,
  listRequest,
  nextPageRequest,
  updateRequest,
  type GraphRequest,
  type ListQuery,
} from './requests.ts';
export {
  GraphApiError,
  readCollection,
  readDelete,
  readEntity,
  readUpdate,
  redactSecrets,
  type CollectionPage,
  type GraphResponse,
  type MutualTlsOauthConfiguration,
  type Operation,
} from './responses.ts';
export { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, retryDelay, type AttemptOutcome, type RetryDecision, type RetryPolicy } from './retry.ts';
export { inspectToken, type TokenWarning, type TokenWarningCode } from './token.ts';
export { checkBaseUrl, type Origin } from './origin.ts';
export { checkToken, createFetchTransport, type AccessToken, type FetchLike, type FetchResponseLike, type FetchTransportOptions } from './transport.ts';
export { GraphPreflightError, GraphUnconfirmedError, createGraphClient, type CaChangeResult, type ClientEnvironment, type ClientOptions, type FetchClientOptions, type GraphClient } from './client.ts';
