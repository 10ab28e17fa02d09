/**
 * Makes the S3 client the way Garage needs it: path-style, signing region `garage` by default, no
 * streamed checksums (the aws-chunked encoding they bring is refused by Garage), a retry strategy
 * without quota, Content-MD5 where other servers require it, and a request counter.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { PatientRetryStrategy, type RetryOptions } from './retry-strategy.js';
import { RequestCounter } from './request-counter.js';
import { displayEndpoint, type S3Endpoint } from './endpoint.js';

export { displayEndpoint, type S3Credentials, type S3Endpoint } from './endpoint.js';

export interface S3ClientOptions {
  /** Upper bound on parallel connections (the publisher's concurrency). */
  maxSockets?: number;
  retry?: Partial<RetryOptions>;
  counter?: RequestCounter;
}

export interface S3Connection {
  client: S3Client;
  counter: RequestCounter;
}

export function createS3Connection(target: S3Endpoint, options: S3ClientOptions = {}): S3Connection {
  const counter = options.counter ?? new RequestCounter();
  const maxSockets = options.maxSockets ?? 32;
  const client = new S3Client({
    // A user and password in the URL mean nothing to S3 (requests are signed) and must never be printed.
    endpoint: target.endpoint === undefined ? undefined : displayEndpoint(target.endpoint),
    region: target.region,
    forcePathStyle: target.forcePathStyle,
    credentials: target.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryStrategy: new PatientRetryStrategy({ maxAttempts: 5, ...options.retry }),
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    }),
  });

  // Counted inside the retry loop, so every attempt is one request.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      counter.add(String(context.commandName ?? 'Unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'fleuronRequestCounter' },
  );

  // DeleteObjects and lifecycle calls: Garage does not need Content-MD5, AWS and others do.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const needsMd5 = context.commandName === 'DeleteObjectsCommand' || context.commandName === 'PutBucketLifecycleConfigurationCommand';
      if (needsMd5 && request.headers && (typeof request.body === 'string' || request.body instanceof Uint8Array)) {
        request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'fleuronContentMd5' },
  );

  return { client, counter };
}
