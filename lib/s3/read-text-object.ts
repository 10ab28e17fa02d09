/** Reads a small object (fleuron's own records) as text, retrying a body cut off mid-way. */
import type { S3Client } from '@aws-sdk/client-s3';
import { isNetworkError } from './network-errors.js';
import { s3Sdk } from './sdk.js';

/**
 * The body of a small object as text, or undefined when it does not exist. The SDK retries the
 * request, not the reading of the body: a connection dropped mid-body is retried here.
 */
export async function readTextObject(client: S3Client, bucket: string, key: string, attempts = 4): Promise<string | undefined> {
  return utf8Text(await readObjectBytes(client, bucket, key, attempts));
}

/** An object's bytes as text (no copy of them); undefined stays undefined. */
export function utf8Text(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The body of a small object as stored (a Content-Encoding is not undone), or undefined when it does not exist. */
export async function readObjectBytes(client: S3Client, bucket: string, key: string, attempts = 4): Promise<Uint8Array | undefined> {
  const { GetObjectCommand } = await s3Sdk();
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await response.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      const { name } = error as { name?: string };
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      if (!isNetworkError(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
    }
  }
}
