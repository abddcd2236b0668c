// The bodies Graph answers with when it rejects a certificate (spec/graph-api.md §3.2, §3.3).
// The certificate message is documented on the create and update pages; the code is the
// directory's usual Request_BadRequest, inferred.

import type { GraphErrorBody } from './finding.ts';

export const GRAPH_CERTIFICATE_ERROR: GraphErrorBody = Object.freeze({
  error: Object.freeze({
    code: 'Request_BadRequest',
    message: "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'.",
  }),
});
