// The bodies Graph answers with when it rejects a request (spec/graph-api.md §3). The
// certificate message is documented on the create and update pages; the code is the
// directory's usual Request_BadRequest, inferred. The others are the messages of Graph's
// OData layer (Microsoft.OData.Core) and of the directory for the same kind of fault:
// inferred, not seen for this resource. The library's findings and the Graph emulator
// (test/emulator) both take their bodies from here, so the two never word a 400 differently.

import type { GraphErrorBody } from './finding.ts';

/** The body Graph answers a certificate it cannot use with (spec/graph-api.md §3.1). */
export const GRAPH_CERTIFICATE_ERROR: GraphErrorBody = Object.freeze({
  error: Object.freeze({
    code: 'Request_BadRequest',
    message: "Invalid value specified for property 'certificate' of resource 'CertificateAuthorityInformation'.",
  }),
});

function body(code: string, message: string): GraphErrorBody {
  return Object.freeze({ error: Object.freeze({ code, message }) });
}

/** The request body is not JSON at all. */
export const GRAPH_INVALID_JSON_ERROR: GraphErrorBody = body(
  'BadRequest',
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
);

/** ODataLib's JsonReader message for a value of the wrong JSON kind. */
export function graphUnexpectedNodeError(found: 'StartArray' | 'StartObject' | 'PrimitiveValue', expected: 'StartObject' | 'StartArray' | 'PrimitiveValue', property?: string): GraphErrorBody {
  const where = property === undefined ? '' : ` for property named '${property}'`;
  return body('BadRequest', `An unexpected '${found}' node was found${where} when reading from the JSON reader. A '${expected}' node was expected.`);
}

/** ODataLib ValidationUtils_PropertyDoesNotExistOnType. */
export function graphUnknownPropertyError(property: string, type: string): GraphErrorBody {
  return body(
    'BadRequest',
    `The property '${property}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

/** ODataLib's primitive conversion failure (seen for Edm.Binary in spec §3.3). */
export function graphConversionError(literal: string | undefined, type: string): GraphErrorBody {
  return literal === undefined
    ? body('Request_BadRequest', `Cannot convert a primitive value to the expected type '${type}'. See the inner exception for more details.`)
    : body('Request_BadRequest', `Cannot convert the literal '${literal}' to the expected type '${type}'.`);
}

/** ODataLib's null check for a non-nullable property. */
export function graphNullError(property: string, type: string): GraphErrorBody {
  return body(
    'BadRequest',
    `A null value was found for the property named '${property}', which has the expected type '${type}[Nullable=False]'. The expected type '${type}[Nullable=False]' does not allow null values.`,
  );
}

/** ODataLib's answer to an @odata.type that names no type of the model (the leading '#' dropped). */
export function graphUnresolvedTypeError(name: string): GraphErrorBody {
  return body('BadRequest', `A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`);
}

/** The directory's answer to a read-only property in a write (seen for users and applications). */
export function graphReadOnlyError(property: string): GraphErrorBody {
  return body('Request_BadRequest', `Property '${property}' is read-only and cannot be set.`);
}

/** The directory's generic invalid-request message (spec/graph-api.md §3.1). */
export const GRAPH_INVALID_VALUES_ERROR: GraphErrorBody = body('Request_BadRequest', 'One or more properties contains invalid values.');
