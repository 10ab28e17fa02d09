/**
 * The bucket's website configuration: index and error documents, and redirect routing rules where
 * the server has them (Garage 2.x; 1.x answers 501). Written only when it differs from what is there.
 * Garage needs the owner permission for it: without it, fleuron says so in one line and the
 * publish goes on (an admin can enable website access instead).
 */
import type { RoutingRule, S3Client } from '@aws-sdk/client-s3';
import { replayEarlyResponse, type EarlyResponse } from '../s3/early-get.js';
import type { S3Requests } from '../s3/s3-requests.js';
import { s3Sdk } from '../s3/sdk.js';
import { scannable, textBetween } from '../s3/xml-text.js';
import { redirectLocation, type SiteRedirect } from './redirects.js';

export interface WebsiteConfig {
  indexDocument: string;
  errorDocument: string;
  routingRules?: RoutingRule[];
}

/** S3 caps a website configuration at 50 routing rules; more redirects become objects. */
export const MAX_ROUTING_RULES = 50;

export type WebsiteState = { kind: 'found'; config: WebsiteConfig } | { kind: 'none' } | { kind: 'not-permitted' };

export type WebsiteWrite = 'unchanged' | 'configured' | 'rules-refused' | 'not-permitted';

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const errorStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export const NOT_PERMITTED_WARNING =
  'this key may not configure website hosting (Garage needs the owner permission): ask your admin to enable website access for the bucket; the files were still published';

/**
 * `early`: the same request sent before the SDK was loaded (lib/s3/early-get.ts). Its answer is read by a small
 * scanner when it is a configuration without routing rules, a missing one or a refusal (websiteStateOf), else as the SDK's.
 */
export async function readWebsite(requests: S3Requests, bucket: string, early?: Promise<EarlyResponse | undefined>): Promise<WebsiteState> {
  const answer = await early;
  const scanned = answer && websiteStateOf(answer);
  if (scanned) {
    requests.counter.add('GetBucketWebsite');
    return scanned;
  }
  try {
    const [{ GetBucketWebsiteCommand }, client] = await Promise.all([s3Sdk(), requests.client()]);
    const command = new GetBucketWebsiteCommand({ Bucket: bucket });
    if (answer) command.middlewareStack.add(replayEarlyResponse(answer) as never, { step: 'deserialize', priority: 'low', name: 'fleuronEarlyAnswer' });
    const current = await client.send(command);
    return {
      kind: 'found',
      config: {
        indexDocument: current.IndexDocument?.Suffix ?? '',
        errorDocument: current.ErrorDocument?.Key ?? '',
        ...(current.RoutingRules && current.RoutingRules.length > 0 ? { routingRules: current.RoutingRules } : {}),
      },
    };
  } catch (error) {
    if (errorName(error) === 'NoSuchWebsiteConfiguration' || errorStatus(error) === 404) return { kind: 'none' };
    if (isPermissionProblem(error)) return { kind: 'not-permitted' };
    throw error;
  }
}

/**
 * Pure: what a GetBucketWebsite answer says, read without the SDK, or undefined when the SDK must read it: routing
 * rules (others' rules are written back as they were, so every field of theirs must be kept), a redirect of all
 * requests, or anything the scanner is not sure of. A refusal is judged as isPermissionProblem judges the SDK's.
 */
export function websiteStateOf(answer: EarlyResponse): WebsiteState | undefined {
  if (answer.status === 404) return { kind: 'none' };
  if (answer.status === 403 || answer.status === 501) return { kind: 'not-permitted' };
  const xml = answer.body.toString('utf8');
  if (answer.status !== 200 || !xml.includes('<WebsiteConfiguration') || !scannable(xml) || xml.includes('<RoutingRule>') || xml.includes('<RedirectAllRequestsTo')) return undefined;
  const inside = (element: string, field: string) => {
    const start = xml.indexOf(`<${element}>`);
    const end = xml.indexOf(`</${element}>`, start);
    return start === -1 || end === -1 ? '' : (textBetween(xml, `<${field}>`, `</${field}>`, start, end) ?? '');
  };
  return { kind: 'found', config: { indexDocument: inside('IndexDocument', 'Suffix'), errorDocument: inside('ErrorDocument', 'Key') } };
}

/** Pure: whether the bucket already has the wanted configuration. */
export function sameWebsite(state: WebsiteState, wanted: WebsiteConfig): boolean {
  if (state.kind !== 'found') return false;
  const current = state.config;
  return (
    current.indexDocument === wanted.indexDocument &&
    current.errorDocument === wanted.errorDocument &&
    JSON.stringify(canonicalRules(current.routingRules)) === JSON.stringify(canonicalRules(wanted.routingRules))
  );
}

function canonicalRules(rules: RoutingRule[] | undefined) {
  return (rules ?? []).map((rule) => ({
    prefix: rule.Condition?.KeyPrefixEquals ?? '',
    code: String(rule.Condition?.HttpErrorCodeReturnedEquals ?? ''),
    key: rule.Redirect?.ReplaceKeyWith ?? '',
    host: rule.Redirect?.HostName ?? '',
    protocol: rule.Redirect?.Protocol ?? '',
    status: String(rule.Redirect?.HttpRedirectCode ?? ''),
  }));
}

export async function writeWebsite(client: S3Client, bucket: string, wanted: WebsiteConfig): Promise<WebsiteWrite> {
  const { PutBucketWebsiteCommand } = await s3Sdk();
  try {
    await client.send(
      new PutBucketWebsiteCommand({
        Bucket: bucket,
        WebsiteConfiguration: {
          IndexDocument: { Suffix: wanted.indexDocument },
          ErrorDocument: { Key: wanted.errorDocument },
          ...(wanted.routingRules && wanted.routingRules.length > 0 ? { RoutingRules: wanted.routingRules } : {}),
        },
      }),
    );
    return 'configured';
  } catch (error) {
    const rules = (wanted.routingRules?.length ?? 0) > 0;
    // Garage 1.x answers 501 to routing rules; others may say the XML is not understood.
    if (rules && (errorStatus(error) === 501 || ['NotImplemented', 'MalformedXML', 'InvalidArgument', 'InvalidRequest'].includes(errorName(error)))) return 'rules-refused';
    if (isPermissionProblem(error)) return 'not-permitted';
    throw error;
  }
}

/**
 * One rule per redirect, taken only when the key is missing (404), as Garage 2.x supports:
 * `KeyPrefixEquals` + `HttpErrorCodeReturnedEquals: 404` → `ReplaceKeyWith` (or another host).
 */
export function routingRulesFor(redirects: readonly SiteRedirect[], prefix: string): RoutingRule[] {
  return redirects.map((redirect) => {
    const location = redirectLocation(redirect, `/${prefix}`);
    const absolute = /^https?:\/\//i.test(location) ? new URL(location) : undefined;
    return {
      Condition: { KeyPrefixEquals: `${prefix}${redirect.from}`, HttpErrorCodeReturnedEquals: '404' },
      Redirect: absolute
        ? { Protocol: absolute.protocol.replace(':', '') as 'http' | 'https', HostName: absolute.host, ReplaceKeyWith: `${absolute.pathname.slice(1)}${absolute.search}`, HttpRedirectCode: String(redirect.status) }
        : { ReplaceKeyWith: location.slice(1), HttpRedirectCode: String(redirect.status) },
    };
  });
}

/**
 * Pure: the routing rules of a bucket shared by several sites (a root site and one under `blog/`, say), with this
 * site's rules replaced by `ours` and every other site's rules kept. A rule is this site's when its key prefix is
 * (the same test as for deleting an object at that key). Ordered by key prefix, longest first among prefixes of one
 * another, so that `old.html`'s rule is met before `old`'s (S3 takes the first rule that matches).
 */
export function mergeRoutingRules(current: readonly RoutingRule[], ours: readonly RoutingRule[], isOurs: (keyPrefix: string) => boolean): RoutingRule[] {
  const others = current.filter((rule) => !isOurs(rule.Condition?.KeyPrefixEquals ?? ''));
  const prefixOf = (rule: RoutingRule) => rule.Condition?.KeyPrefixEquals ?? '';
  return [...others, ...ours].sort((a, b) => (prefixOf(a) < prefixOf(b) ? 1 : prefixOf(a) > prefixOf(b) ? -1 : 0));
}

function isPermissionProblem(error: unknown): boolean {
  const status = errorStatus(error);
  return errorName(error) === 'AccessDenied' || errorName(error) === 'NotImplemented' || status === 403 || status === 501;
}
