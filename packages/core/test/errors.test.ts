// Errors as data (errors.ts): three kinds told apart by `kind`, each with its own fields, all
// instances of GraphMtlsError. What was only in message text (the place in the input, the
// character of a DN, the operation and ids of a Graph call) is a field.

import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, GraphMtlsError, InputError, isGraphMtlsError, type AnyGraphMtlsError } from '../src/errors.ts';
import { GraphApiError } from '../src/graph/responses.ts';
import { readCertificates } from '../src/input/read-certificates.ts';
import { parseDistinguishedName } from '../src/x509/name/parse.ts';
import { errorOf } from '@graph-mtls/test/helpers.ts';

/** What a caller writes: narrow by kind, then read the kind's fields. */
function describeError(e: AnyGraphMtlsError): string {
  switch (e.kind) {
    case 'input':
      return `input ${e.code} at ${e.source}:${e.line ?? '-'}:${e.offset ?? '-'}`;
    case 'argument':
      return `argument ${e.code} at ${e.position ?? '-'}`;
    case 'graph':
      return `graph ${e.code} in ${e.operation ?? '-'} (${e.requestId ?? '-'})`;
  }
}

describe('error kinds', () => {
  it('an input error carries where it happened, and says it first', () => {
    const text = 'preamble\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const e = errorOf(() => readCertificates(text, { source: 'ca.pem' }));
    expect(e).toBeInstanceOf(InputError);
    expect(e).toBeInstanceOf(GraphMtlsError);
    expect(describeError(e)).toMatch(/^input ERR_DER_TRUNCATED at ca\.pem:2:\d+$/);
    expect(e.message.startsWith('ca.pem, line 2, byte ')).toBe(true);
    expect(e.message.endsWith(e.reason)).toBe(true);
  });

  it('InputError.at fills what is missing and keeps what is set', () => {
    const e = new InputError('ERR_DER_TRUNCATED', 'x: expected more, received less', { offset: 7 });
    const moved = e.at({ source: 's.der', index: 1, offset: 99 });
    expect([moved.source, moved.index, moved.line, moved.offset, moved.code, moved.reason]).toEqual(['s.der', 1, undefined, 7, e.code, e.reason]);
    expect(moved.message).toBe('s.der, certificate #2, byte 7: x: expected more, received less');
  });

  it('an argument error names the character a text parser stopped at', () => {
    const e = errorOf(() => parseDistinguishedName('CN=a,XX=b'));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(describeError(e)).toBe('argument ERR_INVALID_DN at 6');
    expect(e.message).toBe("distinguished name at character 6: expected a known attribute type keyword or a dotted OID, received 'XX'");
    const many = errorOf(() => parseDistinguishedName('CN=a+CN=b+CN=c', { maxAttributes: 2 }));
    expect(describeError(many)).toBe('argument ERR_LIMIT_EXCEEDED at 11');
  });

  it('a Graph error names the operation; an HTTP answer adds its status and ids', () => {
    const transport = new GraphError('ERR_GRAPH_TRANSPORT', 'list', 'Graph list: a network failure', { clientRequestId: 'c-1' });
    expect([transport.kind, transport.operation, transport.clientRequestId, transport.requestId]).toEqual(['graph', 'list', 'c-1', undefined]);
    const answer = new GraphApiError('get', { status: 404, headers: { 'request-id': 'r-9', 'client-request-id': 'c-9' }, body: '{"error":{"code":"Request_ResourceNotFound","message":"gone"}}' });
    expect(answer).toBeInstanceOf(GraphError);
    expect(describeError(answer)).toBe('graph ERR_GRAPH_RESPONSE in get (r-9)');
    expect([answer.status, answer.graphCode, answer.clientRequestId]).toEqual([404, 'Request_ResourceNotFound', 'c-9']);
  });

  it('isGraphMtlsError tells ours from anything else', () => {
    expect(isGraphMtlsError(new ArgumentError('ERR_INVALID_ARGUMENT', 'x: expected y, received z'))).toBe(true);
    expect(isGraphMtlsError(new Error('x'))).toBe(false);
    expect(isGraphMtlsError({ kind: 'input', code: 'ERR_DER_TRUNCATED' })).toBe(false);
  });

  it('names: each kind has its own', () => {
    expect(new InputError('ERR_CSR', 'r').name).toBe('InputError');
    expect(new ArgumentError('ERR_INVALID_IP', 'r').name).toBe('ArgumentError');
    expect(new GraphError('ERR_GRAPH_CONFLICT', undefined, 'r').name).toBe('GraphError');
  });
});
