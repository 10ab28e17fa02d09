/**
 * Resolves where and how to publish, and how the site is served. Sources, highest first — the one precedence
 * of fleuron, which the README's table repeats: command-line flags, the environment, `.env` in the working
 * directory, the `publish:` section of fleuron.yaml (which holds no secrets), Deuxfleurs' deuxfleurs.toml
 * (index and error documents only), the defaults. Pure: lib/site-settings reads the files.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { usageError } from '../errors/fleuron-error.js';
import { HEADER_RULE_KEYS, type HeaderRule } from '../headers/rule-shape.js';
import type { S3Credentials } from '../s3/client.js';
import { checkKeys, isPlainObject } from './check-keys.js';
import { normalizePrefix, parseBandwidth } from './setting-values.js';

export interface WebsiteSettings {
  /** Set the bucket's website configuration (index and error documents) when publishing. */
  configure: boolean;
  indexDocument: string;
  errorDocument: string;
}

export interface PublishSettings {
  endpoint?: string;
  region: string;
  bucket?: string;
  prefix: string;
  forcePathStyle: boolean;
  credentials?: S3Credentials;
  concurrency: number;
  maxDeletes: number;
  gzip: boolean;
  headers: HeaderRule[];
  exclude: string[];
  include: string[];
  keep: string[];
  /** Bytes per second, or undefined for no cap. */
  bandwidth?: number;
  website: WebsiteSettings;
  /** Where replaced and deleted versions are kept (optional). */
  archive?: { bucket: string; retentionDays: number };
}

/** Command-line values (undefined when not given). */
export interface PublishFlags {
  endpoint?: string;
  region?: string;
  bucket?: string;
  prefix?: string;
  pathStyle?: boolean;
  concurrency?: number;
  maxDeletes?: number;
  gzip?: boolean;
  bandwidth?: string;
}

export const PUBLISH_KEYS = [
  'endpoint', 'region', 'bucket', 'prefix', 'pathStyle', 'concurrency', 'maxDeletes', 'gzip',
  'headers', 'exclude', 'include', 'keep', 'bandwidth', 'website', 'archive',
] as const;
const ARCHIVE_KEYS = ['bucket', 'retentionDays'] as const;
const WEBSITE_KEYS = ['configure', 'indexDocument', 'errorDocument'] as const;
const SECRET_KEYS = ['accessKeyId', 'secretAccessKey', 'secret', 'sessionToken', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_MAX_DELETES = 256;
export const DEFAULT_REGION = 'garage';
export const DEFAULT_INDEX_DOCUMENT = 'index.html';
export const DEFAULT_ERROR_DOCUMENT = '404.html';

/** Reads `.env` in `dir` without touching process.env; missing file → empty. */
export function readDotEnv(dir: string): Record<string, string> {
  const file = path.join(dir, '.env');
  if (!existsSync(file)) return {};
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw usageError('dotenv-invalid', `cannot read ${file}: ${(error as Error).message}`, 'use KEY=value lines, see .env.example');
  }
}

export interface ResolveInput {
  flags: PublishFlags;
  env: NodeJS.ProcessEnv;
  dotEnv: Record<string, string>;
  /** The `publish:` section of fleuron.yaml, and the file's path for messages. */
  file?: { path: string; section: unknown };
  /** What deuxfleurs.toml names (`index_page`, `error_page`): below fleuron.yaml, above the defaults. */
  deuxfleurs?: { indexPage?: string; errorPage?: string };
}

export function resolvePublishSettings(input: ResolveInput): PublishSettings {
  const where = input.file ? `${input.file.path}: publish` : 'publish';
  const section = input.file?.section ?? {};
  if (!isPlainObject(section)) throw usageError('config-invalid', `${where} must be a mapping of keys`, 'see the README for an example');
  const secret = Object.keys(section).find((key) => SECRET_KEYS.includes(key));
  if (secret) throw usageError('secret-in-config', `${where}: "${secret}" is a secret and does not belong in fleuron.yaml`, 'put AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in .env (never committed) or in the CI secret store');
  checkKeys(section, PUBLISH_KEYS, where);

  const lookup: Lookup = (name) => {
    const value = input.env[name] ?? input.dotEnv[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const fileString = (key: string) => optionalString(section[key], `${where}.${key}`);

  const concurrency = input.flags.concurrency ?? numberFrom(lookup('FLEURON_CONCURRENCY'), 'FLEURON_CONCURRENCY') ?? optionalNumber(section.concurrency, `${where}.concurrency`) ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw usageError('bad-flag', `--concurrency must be a whole number from 1 to 256 (got ${String(concurrency)})`, `e.g. --concurrency ${DEFAULT_CONCURRENCY}`);
  }
  const maxDeletes = input.flags.maxDeletes ?? numberFrom(lookup('FLEURON_MAX_DELETES'), 'FLEURON_MAX_DELETES') ?? optionalNumber(section.maxDeletes, `${where}.maxDeletes`) ?? DEFAULT_MAX_DELETES;
  if (!Number.isInteger(maxDeletes) || maxDeletes < -1) {
    throw usageError('bad-flag', `--max-deletes must be a whole number, or -1 for no cap (got ${String(maxDeletes)})`, `e.g. --max-deletes ${DEFAULT_MAX_DELETES}`);
  }
  const bandwidthText = input.flags.bandwidth ?? lookup('FLEURON_BANDWIDTH') ?? (section.bandwidth === undefined ? undefined : String(section.bandwidth));
  const bandwidth = bandwidthText === undefined ? undefined : parseBandwidth(bandwidthText);
  if (bandwidthText !== undefined && bandwidth === undefined) {
    throw usageError('bad-flag', `--bandwidth must be a rate such as 500K or 2M (bytes per second), got "${bandwidthText}"`, 'e.g. --bandwidth 1M');
  }

  const credentials = credentialsFrom(lookup);
  const archive = archiveSettings(section, lookup, where);
  const pathStyleText = lookup('FLEURON_PATH_STYLE');
  const website = isPlainObject(section.website) ? section.website : {};
  if (section.website !== undefined && !isPlainObject(section.website)) throw usageError('config-invalid', `${where}.website must be a mapping`, 'e.g. website: { indexDocument: index.html }');
  checkKeys(website, WEBSITE_KEYS, `${where}.website`);

  return {
    archive,
    endpoint: input.flags.endpoint ?? lookup('AWS_ENDPOINT_URL_S3') ?? lookup('AWS_ENDPOINT_URL') ?? fileString('endpoint'),
    region: input.flags.region ?? lookup('AWS_REGION') ?? lookup('AWS_DEFAULT_REGION') ?? fileString('region') ?? DEFAULT_REGION,
    bucket: input.flags.bucket ?? lookup('FLEURON_BUCKET') ?? fileString('bucket'),
    prefix: normalizePrefix(input.flags.prefix ?? lookup('FLEURON_PREFIX') ?? fileString('prefix')),
    forcePathStyle: input.flags.pathStyle ?? (pathStyleText === undefined ? undefined : !/^(0|false|no|off)$/i.test(pathStyleText)) ?? optionalBoolean(section.pathStyle, `${where}.pathStyle`) ?? true,
    credentials,
    concurrency,
    maxDeletes,
    gzip: input.flags.gzip ?? optionalBoolean(section.gzip, `${where}.gzip`) ?? false,
    headers: headerRules(section.headers, `${where}.headers`),
    exclude: stringList(section.exclude, `${where}.exclude`),
    include: stringList(section.include, `${where}.include`),
    keep: stringList(section.keep, `${where}.keep`),
    bandwidth,
    website: {
      configure: optionalBoolean(website.configure, `${where}.website.configure`) ?? true,
      indexDocument: optionalString(website.indexDocument, `${where}.website.indexDocument`) ?? input.deuxfleurs?.indexPage ?? DEFAULT_INDEX_DOCUMENT,
      // A key, as the bucket's website configuration wants it: deuxfleurs.toml may write `/404.html`.
      errorDocument: (optionalString(website.errorDocument, `${where}.website.errorDocument`) ?? input.deuxfleurs?.errorPage ?? DEFAULT_ERROR_DOCUMENT).replace(/^\/+/, ''),
    },
  };
}

/** A setting from the environment, else `.env`; empty counts as unset. */
type Lookup = (name: string) => string | undefined;

/** The key from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (both or neither), and a session token if any. */
function credentialsFrom(lookup: Lookup): S3Credentials | undefined {
  const accessKeyId = lookup('AWS_ACCESS_KEY_ID');
  const secretAccessKey = lookup('AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    throw usageError('missing-credentials', `${missing} is not set (the other half of the key is)`, 'set both in .env or the environment; see .env.example');
  }
  const sessionToken = lookup('AWS_SESSION_TOKEN');
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : undefined;

}

/** The archive bucket (FLEURON_ARCHIVE_BUCKET over `archive.bucket`) and retention, when one is configured. */
function archiveSettings(section: Record<string, unknown>, lookup: Lookup, where: string): PublishSettings['archive'] {
  const archiveBucket = lookup('FLEURON_ARCHIVE_BUCKET');
  if (section.archive !== undefined || archiveBucket) {
    const raw = section.archive ?? {};
    if (!isPlainObject(raw)) throw usageError('config-invalid', `${where}.archive must be a mapping`, 'e.g. archive: { bucket: my-site-archive, retentionDays: 30 }');
    checkKeys(raw, ARCHIVE_KEYS, `${where}.archive`);
    const bucket = archiveBucket ?? optionalString(raw.bucket, `${where}.archive.bucket`);
    if (!bucket) throw usageError('config-invalid', `${where}.archive.bucket is missing`, 'name a second bucket (not the website bucket) to keep replaced files in');
    const retentionDays = optionalNumber(raw.retentionDays, `${where}.archive.retentionDays`) ?? 30;
    if (!Number.isInteger(retentionDays) || retentionDays < 1) throw usageError('config-invalid', `${where}.archive.retentionDays must be a whole number of days, at least 1`, 'e.g. retentionDays: 30');
    return { bucket, retentionDays };
  }
  return undefined;
}

/** Whether the SDK could find credentials elsewhere (a profile) when none are set explicitly. */
export function hasProfileCredentials(env: NodeJS.ProcessEnv): boolean {
  const file = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(os.homedir(), '.aws', 'credentials');
  return Boolean(env.AWS_PROFILE) || existsSync(file);
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw usageError('config-invalid', `${where} must be a string`, 'quote the value');
  return value;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw usageError('config-invalid', `${where} must be a number`, 'write it without quotes');
  return value;
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw usageError('config-invalid', `${where} must be true or false`, 'write true or false');
  return value;
}

function numberFrom(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw usageError('bad-env', `${name} must be a number (got "${text}")`, `fix ${name} in the environment or .env`);
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw usageError('config-invalid', `${where} must be a list of glob patterns`, 'e.g. ["drafts/**"]');
  return value as string[];
}

function headerRules(value: unknown, where: string): HeaderRule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw usageError('config-invalid', `${where} must be a list of rules`, 'e.g. - match: "**/*.pdf"\\n  cacheControl: "public, max-age=86400"');
  return value.map((rule, index) => {
    const at = `${where}[${index}]`;
    if (!isPlainObject(rule)) throw usageError('config-invalid', `${at} must be a mapping`, 'each rule has a match and header fields');
    checkKeys(rule, HEADER_RULE_KEYS, at);
    const match = rule.match;
    if (!(typeof match === 'string' || (Array.isArray(match) && match.every((item) => typeof item === 'string')))) {
      throw usageError('config-invalid', `${at}.match must be a glob or a list of globs`, 'e.g. match: "**/*.pdf"');
    }
    for (const key of ['cacheControl', 'contentType', 'contentDisposition', 'contentLanguage'] as const) optionalString(rule[key], `${at}.${key}`);
    optionalBoolean(rule.gzip, `${at}.gzip`);
    return rule as unknown as HeaderRule;
  });
}
