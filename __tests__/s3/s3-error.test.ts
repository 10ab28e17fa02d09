/** The S3 error table: each server answer becomes one actionable line. Cases the test servers cannot produce (a wrong region on Garage, a read-only key) are pinned here. */
import { describeS3Error } from '../../lib/s3/s3-error.js';

const context = { bucket: 'site', endpoint: 'https://garage.example.org', region: 'us-east-1', doing: 'listing the bucket' };
const sdkError = (name: string, status?: number, code?: string) => Object.assign(new Error(`${name} happened`), { name, code, $metadata: { httpStatusCode: status } });

test.each([
  [sdkError('AuthorizationHeaderMalformed', 400), 'wrong-region', 2, /region "us-east-1"/, /AWS_REGION=garage/],
  [sdkError('InvalidAccessKeyId', 403), 'bad-credentials', 2, /access key id is not known/, /AWS_ACCESS_KEY_ID/],
  [sdkError('SignatureDoesNotMatch', 403), 'bad-credentials', 2, /secret key does not match/, /AWS_SECRET_ACCESS_KEY/],
  [sdkError('AccessDenied', 403), 'access-denied', 1, /access denied to bucket "site"/, /read and write permission/],
  [sdkError('Unknown', 403), 'access-denied', 1, /access denied/, /permissions/],
  [sdkError('NoSuchBucket', 404), 'no-such-bucket', 2, /does not exist/, /bucket name/],
  // Other 404s are not about the bucket: an object or an upload went missing meanwhile, and running again helps.
  [sdkError('NoSuchKey', 404), 'no-such-key', 1, /an object was missing while listing the bucket/, /run the same command again/],
  [sdkError('NoSuchUpload', 404), 'upload-aborted', 1, /multipart upload was aborted while listing the bucket/, /run the same command again/],
  [sdkError('NotFound', 404), 'not-found', 1, /not found \(HTTP 404\) while listing the bucket/, /run the same command again/],
  [sdkError('SlowDown', 503), 'server-busy', 1, /kept failing/, /run the same command again/],
  [sdkError('Error', undefined, 'ECONNREFUSED'), 'endpoint-unreachable', 1, /cannot reach the S3 endpoint https:\/\/garage\.example\.org/, /--endpoint/],
  [sdkError('Error', undefined, 'CERT_HAS_EXPIRED'), 'tls-error', 1, /TLS error/, /certificate/],
  [sdkError('Weird', 418), 's3-error', 1, /S3 request failed while listing the bucket: Weird \(HTTP 418\)/, /--debug/],
])('%s → %s', (error, code, exitCode, message, hint) => {
  const described = describeS3Error(error, context);
  expect(described.code).toBe(code);
  expect(described.exitCode).toBe(exitCode);
  expect(described.message).toMatch(message);
  expect(described.hint).toMatch(hint);
});
