// The national clouds' Graph endpoints and token scopes (spec/graph-api.md §2.7; Microsoft's
// "National cloud deployments"). mutualTlsOauthConfiguration is documented for the global
// cloud only; the others are offered with a warning.

/** The national clouds with a Graph endpoint. */
export type Cloud = 'global' | 'usGov' | 'usGovDoD' | 'china';

/** A cloud's Graph root, sign-in authority and token scope. */
export interface CloudEndpoints {
  /** Graph's root, without the version segment. */
  readonly graph: string;
  readonly authority: string;
  /** The `.default` scope a token for this Graph needs. */
  readonly scope: string;
  /** Set when the API is not documented for this cloud. */
  readonly warning?: string;
}

const NOT_DOCUMENTED = 'mutualTlsOauthConfiguration is documented for the global cloud only; calls to this cloud may fail with 404 or 400.';

/** Each cloud's endpoints (spec/graph-api.md §2.7). */
export const CLOUDS: Readonly<Record<Cloud, CloudEndpoints>> = Object.freeze({
  global: { graph: 'https://graph.microsoft.com', authority: 'https://login.microsoftonline.com', scope: 'https://graph.microsoft.com/.default' },
  usGov: { graph: 'https://graph.microsoft.us', authority: 'https://login.microsoftonline.us', scope: 'https://graph.microsoft.us/.default', warning: NOT_DOCUMENTED },
  usGovDoD: { graph: 'https://dod-graph.microsoft.us', authority: 'https://login.microsoftonline.us', scope: 'https://dod-graph.microsoft.us/.default', warning: NOT_DOCUMENTED },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', authority: 'https://login.partner.microsoftonline.cn', scope: 'https://microsoftgraph.chinacloudapi.cn/.default', warning: NOT_DOCUMENTED },
});

/** The permission each operation needs (spec §2.6). */
export const READ_PERMISSIONS: readonly string[] = ['MutualTlsOauthConfiguration.Read.All', 'MutualTlsOauthConfiguration.ReadWrite.All', 'Directory.Read.All'];
/** The permission create, update and delete need (spec §2.6). */
export const WRITE_PERMISSION = 'MutualTlsOauthConfiguration.ReadWrite.All';
/** Directory roles a delegated caller also needs (spec §2.6). */
export const ADMIN_ROLES: readonly string[] = ['Cloud Device Administrator', 'IoT Device Administrator'];
