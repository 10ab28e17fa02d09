/** Turns what the S3 client throws into one line a person can act on, with a hint. */
import { ExitCode, FleuronError } from '../errors/fleuron-error.js';
import { NETWORK_ERROR_CODES } from './network-errors.js';

export interface S3ErrorContext {
  bucket: string;
  endpoint: string;
  region: string;
  /** What fleuron was doing, e.g. "listing the bucket". */
  doing: string;
}

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|EPROTO)/;

function codeOf(error: SdkLikeError): string {
  const nested = error.cause as SdkLikeError | undefined;
  return error.code ?? nested?.code ?? error.Code ?? error.name ?? 'Unknown';
}

/** A FleuronError for an S3 failure; FleuronErrors pass through unchanged. */
export function describeS3Error(error: unknown, context: S3ErrorContext): FleuronError {
  if (error instanceof FleuronError) return error;
  const e = (error ?? {}) as SdkLikeError;
  const code = codeOf(e);
  const status = e.$metadata?.httpStatusCode;
  const where = `bucket "${context.bucket}" at ${context.endpoint}`;
  const make = (kind: string, message: string, hint: string, exitCode: ExitCode = ExitCode.failed) =>
    new FleuronError(kind, message, { hint, exitCode, cause: error });

  if (NETWORK_ERROR_CODES.has(code) || e.name === 'TimeoutError') {
    return make('endpoint-unreachable', `cannot reach the S3 endpoint ${context.endpoint} while ${context.doing} (${code})`, 'check the endpoint URL (--endpoint or AWS_ENDPOINT_URL) and your network connection');
  }
  if (TLS_CODES.test(code)) {
    return make('tls-error', `TLS error talking to ${context.endpoint} (${code})`, 'check that the endpoint URL has the right scheme (http:// or https://) and that its certificate is trusted (NODE_EXTRA_CA_CERTS)');
  }
  switch (code) {
    case 'InvalidAccessKeyId':
      return make('bad-credentials', `the access key id is not known to ${context.endpoint}`, 'check AWS_ACCESS_KEY_ID (in .env or the environment); your bucket admin can give you a key', ExitCode.usage);
    case 'SignatureDoesNotMatch':
      return make('bad-credentials', `the secret key does not match the access key id at ${context.endpoint}`, 'check AWS_SECRET_ACCESS_KEY (in .env or the environment)', ExitCode.usage);
    case 'AuthorizationHeaderMalformed':
    case 'InvalidRegion':
    case 'IllegalLocationConstraintException':
      return make('wrong-region', `the server refused the signing region "${context.region}"`, 'Garage clusters almost always use region "garage": set AWS_REGION=garage or --region garage', ExitCode.usage);
    case 'NoSuchBucket':
      return make('no-such-bucket', `${where} does not exist`, 'check the bucket name (--bucket or FLEURON_BUCKET); your bucket admin creates buckets', ExitCode.usage);
    // A 404 is about the bucket only when the server says so: an object or an upload can go missing mid-run.
    case 'NoSuchKey':
      return make('no-such-key', `an object was missing while ${context.doing} (NoSuchKey)`, 'it was deleted meanwhile (by another publish, or by hand): run the same command again');
    case 'NoSuchUpload':
      return make('upload-aborted', `a multipart upload was aborted while ${context.doing} (NoSuchUpload)`, 'another publish or a lifecycle rule aborted it: run the same command again');
    case 'AccessDenied':
    case 'Forbidden':
    case 'AllAccessDisabled':
      return make('access-denied', `access denied to ${where} while ${context.doing}`, 'this key needs read and write permission on the bucket: ask your bucket admin');
    case 'SlowDown':
    case 'ServiceUnavailable':
    case 'InternalError':
      return make('server-busy', `the S3 server kept failing while ${context.doing} (${code})`, 'nothing was deleted; run the same command again in a moment');
    case 'BadDigest':
    case 'InvalidDigest':
      return make('file-changed', `a file changed while it was being uploaded (${code})`, 'run the publish again once the folder stops changing');
  }
  if (status === 403) {
    return make('access-denied', `access denied to ${where} while ${context.doing}`, 'check the key and its permissions on the bucket');
  }
  if (status === 404) {
    return make('not-found', `not found (HTTP 404) while ${context.doing} in ${where}`, 'something was removed meanwhile: run the same command again; if it persists, check the bucket name and the endpoint');
  }
  const message = (e.message ?? String(error)).split('\n')[0];
  return make('s3-error', `S3 request failed while ${context.doing}: ${code}${status ? ` (HTTP ${status})` : ''}: ${message}`, 'run again with --debug for details');
}
