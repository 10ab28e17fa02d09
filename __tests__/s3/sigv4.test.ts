/**
 * lib/s3/sigv4.ts against the SDK's own signer (@smithy/signature-v4, configured as the S3 client configures it for
 * paths fleuron encodes itself): for the same request and time, every header must be the same, the signature first.
 */
import { getCanonicalQuery, SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SigV4Signer, type RequestToSign } from '../../lib/s3/sigv4.js';

/** node:crypto's SHA-256 in the shape the SDK's signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

const keys = { accessKeyId: 'GK31c2f218a2e44f485b94239e', secretAccessKey: 'b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835' };
const host = '127.0.0.1:3900';

async function bothSign(request: RequestToSign, options: { region?: string; sessionToken?: string; at?: Date } = {}) {
  const credentials = { ...keys, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) };
  const region = options.region ?? 'garage';
  const at = options.at ?? new Date('2026-12-02T01:02:03.456Z');
  const sdk = new SignatureV4({ service: 's3', region, credentials, sha256: NodeSha256, uriEscapePath: false, applyChecksum: true });
  const theirs = await sdk.sign({ method: request.method, protocol: 'http:', hostname: '127.0.0.1', port: 3900, path: request.path, query: { ...request.query }, headers: { ...request.headers }, body: request.body }, { signingDate: at });
  const signed = new SigV4Signer(credentials, region).sign(request, at);
  return { theirs: theirs.headers, ours: signed.headers, query: signed.query };
}

const cases: [string, RequestToSign][] = [
  ['a listing page', { method: 'GET', path: '/site', query: { 'list-type': '2', 'max-keys': '900', prefix: 'blog/été 2026/', 'start-after': "a+b=c&d/(x)*!'~.html" }, headers: { host } }],
  ['a continuation token', { method: 'GET', path: '/site', query: { 'list-type': '2', 'continuation-token': '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=' }, headers: { host } }],
  ['the website configuration', { method: 'GET', path: '/site', query: { website: '' }, headers: { host } }],
  ['an object with an encoded key', { method: 'GET', path: '/site/caf%C3%A9/a%20b%2Bc.html', query: {}, headers: { host } }],
  [
    'a PUT with metadata, an MD5 and unsigned headers',
    {
      method: 'PUT',
      path: '/site/index.html',
      query: {},
      headers: {
        host,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'public, max-age=60',
        'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==',
        'content-length': '11',
        'x-amz-meta-fleuron': '  two  spaces\tand a tab  ',
        'x-amz-website-redirect-location': '/new/',
        'user-agent': 'fleuron',
      },
      body: Buffer.from('hello world'),
    },
  ],
  ['a DELETE', { method: 'DELETE', path: '/site/.fleuron/lock.json', query: {}, headers: { host } }],
  ['a DeleteObjects', { method: 'POST', path: '/site', query: { delete: '' }, headers: { host, 'content-md5': '1B2M2Y8AsgTpgAmY7PhCfg==', 'content-length': '0' }, body: Buffer.alloc(0) }],
];

test.each(cases)('%s is signed as the SDK signs it', async (_name, request) => {
  const { theirs, ours, query } = await bothSign(request);
  expect(ours.authorization).toBe(theirs.authorization);
  expect(ours).toEqual(theirs);
  // The query as signed is the URL's query string.
  expect(query).toBe(getCanonicalQuery({ method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: request.path, query: { ...request.query }, headers: {} }));
});

test('with a session token, another region, and across days (the signing key made again)', async () => {
  const request = cases[4]![1];
  for (const at of [new Date('2026-12-31T23:59:59.999Z'), new Date('2027-01-01T00:00:00.000Z')]) {
    const { theirs, ours } = await bothSign(request, { region: 'eu-west-3', sessionToken: 'FwoGZXIvYXdzE+token/with=signs', at });
    expect(ours).toEqual(theirs);
  }
  // One signer across the two days gives what two fresh ones give.
  const signer = new SigV4Signer({ ...keys }, 'garage');
  const first = signer.sign(request, new Date('2026-12-31T23:59:59Z')).headers;
  const second = signer.sign(request, new Date('2027-01-01T00:00:01Z')).headers;
  expect(first.authorization).toBe(new SigV4Signer({ ...keys }, 'garage').sign(request, new Date('2026-12-31T23:59:59Z')).headers.authorization);
  expect(second.authorization).toBe(new SigV4Signer({ ...keys }, 'garage').sign(request, new Date('2027-01-01T00:00:01Z')).headers.authorization);
  expect(second.authorization).not.toBe(first.authorization);
});
