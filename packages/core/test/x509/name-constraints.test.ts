// nameConstraints (x509/name-constraints.ts, RFC 5280 §4.2.1.10): reading the extension, and the
// matching rule of each name form a device identity can take, on generated certificates.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits.ts';
import { parseCertificate, type Certificate } from '../../src/x509/certificate.ts';
import { nameConstraintViolation, readNameConstraints, type NameConstraints } from '../../src/x509/name-constraints.ts';
import { getKey, makeCertificate, makeRootCa, nameDer, type SanEntry } from '@graph-mtls/test/fixtures/certificates.ts';
import * as d from '@graph-mtls/test/fixtures/der-builder.ts';
import { inputErrorOf } from '@graph-mtls/test/helpers.ts';

const validity = { notBefore: new Date(Date.UTC(2024, 0, 1)), notAfter: new Date(Date.UTC(2034, 0, 1)) };

/** A GeneralSubtree with the given base (a GeneralName TLV), minimum and maximum as given. */
const subtree = (base: Uint8Array, ...bounds: Uint8Array[]): Uint8Array => d.seq(base, ...bounds);
const dns = (v: string): Uint8Array => d.context(2, d.utf8Bytes(v));
const email = (v: string): Uint8Array => d.context(1, d.utf8Bytes(v));
const uri = (v: string): Uint8Array => d.context(6, d.utf8Bytes(v));
const ip = (...octets: number[]): Uint8Array => d.context(7, Uint8Array.from(octets));
const dirName = (text: string): Uint8Array => d.explicit(4, nameDer(text));

async function constraintsOf(permitted: readonly Uint8Array[], excluded: readonly Uint8Array[] = []): Promise<NameConstraints> {
  const parts = [...(permitted.length > 0 ? [d.explicit(0, ...permitted)] : []), ...(excluded.length > 0 ? [d.explicit(1, ...excluded)] : [])];
  const ca = await makeRootCa({ ...validity, key: await getKey('p256', 60), extensions: [{ oid: d.OIDS.nameConstraints, critical: true, value: d.seq(...parts) }] });
  return readNameConstraints(parseCertificate(ca.der), DEFAULT_LIMITS)!;
}

async function cert(san: readonly SanEntry[] | null, subject = 'CN=device'): Promise<Certificate> {
  return parseCertificate((await makeCertificate({ ...validity, key: await getKey('p256', 61), subject, subjectAltName: san })).der);
}

describe('readNameConstraints', () => {
  it('reads permitted and excluded subtrees, iPAddress as address and mask, and bounds', async () => {
    const nc = await constraintsOf([subtree(dns('example.test')), subtree(ip(10, 0, 0, 0, 255, 0, 0, 0))], [subtree(email('.bad.test'), d.context(0, Uint8Array.of(1)))]);
    expect(nc.permitted.map((s) => s.base)).toEqual([
      { type: 'dns', value: 'example.test' },
      { type: 'ip', address: Uint8Array.of(10, 0, 0, 0), mask: Uint8Array.of(255, 0, 0, 0) },
    ]);
    expect(nc.excluded).toEqual([{ base: { type: 'email', value: '.bad.test' }, bounded: true }]);
  });

  it('no extension is undefined; an empty or malformed one throws', async () => {
    expect(readNameConstraints(parseCertificate((await makeRootCa(validity)).der), DEFAULT_LIMITS)).toBeUndefined();
    for (const value of [d.seq(), d.seq(d.explicit(0)), d.seq(d.explicit(0, subtree(d.context(7, Uint8Array.of(1, 2, 3)))))]) {
      const ca = await makeRootCa({ ...validity, extensions: [{ oid: d.OIDS.nameConstraints, critical: true, value }] });
      expect(inputErrorOf(() => readNameConstraints(parseCertificate(ca.der), DEFAULT_LIMITS)).code).toMatch(/^ERR_DER_/);
    }
  });
});

describe('nameConstraintViolation, per name form', () => {
  it('dNSName: the name or labels added to the left; a leading dot means subdomains only', async () => {
    const nc = await constraintsOf([subtree(dns('example.test'))]);
    expect(nameConstraintViolation(await cert([{ dns: 'example.test' }]), nc)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ dns: 'A.B.Example.Test' }]), nc)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ dns: 'badexample.test' }]), nc)).toMatch(/^dns 'badexample\.test' is outside every permitted dns subtree/);
    const sub = await constraintsOf([subtree(dns('.example.test'))]);
    expect(nameConstraintViolation(await cert([{ dns: 'example.test' }]), sub)).toBeDefined();
    expect(nameConstraintViolation(await cert([{ dns: 'a.example.test' }]), sub)).toBeUndefined();
  });

  it('excluded wins over permitted, and one name outside is enough', async () => {
    const nc = await constraintsOf([subtree(dns('example.test'))], [subtree(dns('secret.example.test'))]);
    expect(nameConstraintViolation(await cert([{ dns: 'x.secret.example.test' }]), nc)).toMatch(/within the excluded subtree dns 'secret\.example\.test'/);
    expect(nameConstraintViolation(await cert([{ dns: 'ok.example.test' }, { dns: 'other.test' }]), nc)).toMatch(/other\.test/);
  });

  it('rfc822Name: a mailbox, a host, or every host of a domain; the subject emailAddress when the SAN has none', async () => {
    const mailbox = await constraintsOf([subtree(email('dev@example.test'))]);
    expect(nameConstraintViolation(await cert([{ email: 'dev@EXAMPLE.test' }]), mailbox)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ email: 'Dev@example.test' }]), mailbox)).toBeDefined();
    const host = await constraintsOf([subtree(email('example.test'))]);
    expect(nameConstraintViolation(await cert([{ email: 'a@example.test' }]), host)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ email: 'a@sub.example.test' }]), host)).toBeDefined();
    const domain = await constraintsOf([subtree(email('.example.test'))]);
    expect(nameConstraintViolation(await cert([{ email: 'a@sub.example.test' }]), domain)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ email: 'a@example.test' }]), domain)).toBeDefined();
    expect(nameConstraintViolation(await cert(null, 'CN=x,E=a@elsewhere.test'), host)).toMatch(/^email 'a@elsewhere\.test'/);
  });

  it('URI: the host of the URI; a URI without an authority is within no subtree', async () => {
    const nc = await constraintsOf([subtree(uri('.devices.example.test'))]);
    expect(nameConstraintViolation(await cert([{ uri: 'https://user@cam.devices.example.test:8443/x' }]), nc)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ uri: 'https://devices.example.test/' }]), nc)).toBeDefined();
    expect(nameConstraintViolation(await cert([{ uri: 'urn:uuid:1234' }]), nc)).toMatch(/^uri 'urn:uuid:1234' is outside/);
  });

  it('iPAddress: the address under the mask, IPv4 and IPv6 kept apart', async () => {
    const nc = await constraintsOf([subtree(ip(192, 0, 2, 0, 255, 255, 255, 0))]);
    expect(nameConstraintViolation(await cert([{ ip: '192.0.2.77' }]), nc)).toBeUndefined();
    expect(nameConstraintViolation(await cert([{ ip: '192.0.3.1' }]), nc)).toMatch(/outside every permitted ip subtree \(ip 192\.0\.2\.0\/24\)/);
    expect(nameConstraintViolation(await cert([{ ip: '::ffff:192.0.2.77' }]), nc)).toBeDefined();
  });

  it('directoryName: the subject starts with the constraint, compared by RFC 4517 matching', async () => {
    const nc = await constraintsOf([subtree(dirName('C=US, O=Contoso'))]);
    expect(nameConstraintViolation(await cert(null, 'C=us, O=contoso, CN=cam-1'), nc)).toBeUndefined();
    expect(nameConstraintViolation(await cert(null, 'C=US, O=Fabrikam, CN=cam-1'), nc)).toMatch(/^the subject is outside every permitted directoryName subtree/);
  });

  it('forms without a constraint pass; a constraint that cannot be evaluated refuses a name of its form', async () => {
    const nc = await constraintsOf([subtree(dns('example.test'))]);
    expect(nameConstraintViolation(await cert([{ uri: 'https://anything.test/' }, { ip: '10.0.0.1' }]), nc)).toBeUndefined();
    const bounded = await constraintsOf([subtree(dns('example.test'), d.context(1, Uint8Array.of(2)))]);
    expect(nameConstraintViolation(await cert([{ dns: 'a.example.test' }]), bounded)).toMatch(/^a constraint on dns names cannot be evaluated here/);
    expect(nameConstraintViolation(await cert([{ uri: 'https://a.test/' }]), bounded)).toBeUndefined();
  });
});
