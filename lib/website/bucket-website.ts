/**
 * Makes the bucket a website (index and error documents) through PutBucketWebsite, only when its
 * current configuration differs. Garage needs the owner permission for it: without it, fleuron says
 * so in one line and the publish goes on (an admin can enable website access instead).
 */
import { GetBucketWebsiteCommand, PutBucketWebsiteCommand, type S3Client } from '@aws-sdk/client-s3';

export interface WebsiteConfig {
  indexDocument: string;
  errorDocument: string;
}

export type WebsiteOutcome =
  | { status: 'unchanged' }
  | { status: 'configured' }
  | { status: 'would-configure' }
  | { status: 'not-permitted'; warning: string };

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const errorStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export async function ensureWebsite(client: S3Client, bucket: string, wanted: WebsiteConfig, options: { dryRun: boolean }): Promise<WebsiteOutcome> {
  try {
    const current = await client.send(new GetBucketWebsiteCommand({ Bucket: bucket }));
    if (current.IndexDocument?.Suffix === wanted.indexDocument && current.ErrorDocument?.Key === wanted.errorDocument) return { status: 'unchanged' };
  } catch (error) {
    if (errorName(error) !== 'NoSuchWebsiteConfiguration' && errorStatus(error) !== 404) {
      if (isPermissionProblem(error)) return notPermitted();
      throw error;
    }
  }
  if (options.dryRun) return { status: 'would-configure' };
  try {
    await client.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: { IndexDocument: { Suffix: wanted.indexDocument }, ErrorDocument: { Key: wanted.errorDocument } },
      }),
    );
    return { status: 'configured' };
  } catch (error) {
    if (isPermissionProblem(error)) return notPermitted();
    throw error;
  }
}

function isPermissionProblem(error: unknown): boolean {
  const status = errorStatus(error);
  return errorName(error) === 'AccessDenied' || errorName(error) === 'NotImplemented' || status === 403 || status === 501;
}

function notPermitted(): WebsiteOutcome {
  return {
    status: 'not-permitted',
    warning: 'this key may not configure website hosting (Garage needs the owner permission): ask your admin to enable website access for the bucket; the files were still published',
  };
}
