/**
 * The S3 server the tests talk to, over real HTTP: the embedded s3rver started by global-setup.js, or
 * any endpoint given by FLEURON_TEST_S3_* variables (scripts/real-s3 starts Ceph RGW that way).
 */
import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface TestS3 {
  kind: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  websiteEndpoint: string;
  /** When set, website requests carry `Host: <bucket>.<suffix>`; else they are path-style `/<bucket>/…`. */
  websiteHostSuffix?: string;
  publicPolicy: boolean;
}

export function testS3(): TestS3 {
  const env = process.env;
  if (!env.FLEURON_TEST_S3_ENDPOINT) throw new Error('no test S3 server: global-setup.js did not run');
  return {
    kind: env.FLEURON_TEST_S3_KIND ?? 'custom',
    endpoint: env.FLEURON_TEST_S3_ENDPOINT,
    region: env.FLEURON_TEST_S3_REGION ?? 'garage',
    accessKeyId: env.FLEURON_TEST_S3_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.FLEURON_TEST_S3_SECRET_ACCESS_KEY ?? '',
    websiteEndpoint: env.FLEURON_TEST_S3_WEBSITE_ENDPOINT ?? env.FLEURON_TEST_S3_ENDPOINT,
    websiteHostSuffix: env.FLEURON_TEST_S3_WEBSITE_HOST_SUFFIX || undefined,
    publicPolicy: env.FLEURON_TEST_S3_PUBLIC_POLICY === '1',
  };
}

/** A client of the test server; `endpoint` sends it through something else first (e.g. a fault proxy). */
export function testClient(endpoint?: string): S3Client {
  const s3 = testS3();
  return new S3Client({
    endpoint: endpoint ?? s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new, empty bucket with a unique name (readable by the website endpoint where the server needs a policy). */
export async function createTestBucket(label = 'test'): Promise<string> {
  const name = `fl-${label}-${randomBytes(4).toString('hex')}`.toLowerCase().slice(0, 63);
  const client = testClient();
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
    if (testS3().publicPolicy) {
      const policy = {
        Version: '2012-10-17',
        // ListBucket too: with GetObject alone RGW answers 403 instead of 404 for a missing key.
        Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`] }],
      };
      await client.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    }
  } finally {
    client.destroy();
  }
  return name;
}

export interface ListedObject {
  size: number;
  etag: string;
}

/** Every object of a bucket, keyed by key (never trust listing order). */
export async function listBucket(bucket: string): Promise<Map<string, ListedObject>> {
  const client = testClient();
  const objects = new Map<string, ListedObject>();
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const item of page.Contents ?? []) objects.set(item.Key!, { size: item.Size ?? 0, etag: (item.ETag ?? '').replace(/"/g, '') });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    client.destroy();
  }
  return objects;
}

export async function headObject(bucket: string, key: string): Promise<HeadObjectCommandOutput> {
  const client = testClient();
  try {
    return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } finally {
    client.destroy();
  }
}

export interface WebResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET on the server's website endpoint, as a browser would send it (no x-amz headers). `path` is already percent-encoded. */
export function websiteGet(bucket: string, path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
  const s3 = testS3();
  const base = new URL(s3.websiteEndpoint);
  const requestPath = s3.websiteHostSuffix ? path : `/${bucket}${path}`;
  const hostHeader = s3.websiteHostSuffix ? { host: `${bucket}.${s3.websiteHostSuffix}` } : {};
  return new Promise((resolve, reject) => {
    // One connection per request: some RGW website answers carry stray bytes after the response they
    // announce, and Node then errors on the socket after the head was parsed. Keep what arrived.
    const request = http.request(
      { hostname: base.hostname, port: base.port, path: requestPath, method: 'GET', agent: false, headers: { connection: 'close', ...hostHeader, ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        let settled = false;
        const finish = () => {
          if (settled) return;
          settled = true;
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        };
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', finish);
        response.on('error', finish);
        response.on('aborted', finish);
        request.on('error', finish);
      },
    );
    request.on('error', (error) => {
      if (!request.headersSent || !(request as unknown as { res?: unknown }).res) reject(error);
    });
    request.end();
  });
}

/** Environment for a CLI run against the test server. */
export function cliEnv(bucket: string, extra: Record<string, string> = {}): Record<string, string> {
  const s3 = testS3();
  return {
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    FLEURON_BUCKET: bucket,
    ...extra,
  };
}
