/**
 * The first listing page and the manifest of a publish, requested before the S3 client is loaded (see
 * lib/s3/early-get.ts). A module of its own, loaded before the folder's scan (early-start.ts), so that the requests
 * go out first: they wait on the network, the scan and the SDK's loading on the main thread.
 */
import { earlyGet } from '../s3/early-get.js';
import { PAGE_KEYS, scanListPage, type ListPage } from '../s3/list-page-xml.js';
import type { PublishOptions } from './publish.js';
import { MANIFEST_NAME, stateKey } from './state-keys.js';

export interface EarlyReads {
  /** The listing's first page as scanRemote asks for it; undefined: list it again. */
  firstPage: Promise<ListPage | undefined>;
  /** The manifest's stored bytes; null when there is none; undefined: read it again. */
  manifest: Promise<Uint8Array | null | undefined>;
  /** The operations sent, for the publish's request count. */
  sent: readonly string[];
  /** Resolves once both requests are on the wire (or failed): loading the SDK before would hold them back. */
  written: Promise<void>;
}

/** The first listing page and the manifest, signed without the S3 client; only with an endpoint and keys. */
export function startEarlyReads({ endpoint, bucket, prefix }: Pick<PublishOptions, 'endpoint' | 'bucket' | 'prefix'>): EarlyReads | undefined {
  if (endpoint.endpoint === undefined || endpoint.credentials === undefined) return undefined;
  const target = { endpoint: endpoint.endpoint, region: endpoint.region, forcePathStyle: endpoint.forcePathStyle, credentials: endpoint.credentials };
  let count = 0;
  let allWritten: () => void = () => {};
  const written = new Promise<void>((resolve) => (allWritten = resolve));
  const onWritten = () => ++count === 2 && allWritten();
  const listing = earlyGet(target, bucket, undefined, { 'list-type': '2', 'max-keys': String(PAGE_KEYS), ...(prefix ? { prefix } : {}) }, onWritten);
  const manifest = earlyGet(target, bucket, stateKey(prefix, MANIFEST_NAME), {}, onWritten);
  return {
    firstPage: listing.then((response) => (response?.status === 200 ? scanListPage(response.body.toString('utf8')) : undefined)),
    manifest: manifest.then((response) => (response?.status === 200 ? response.body : response?.status === 404 ? null : undefined)),
    sent: ['ListObjectsV2', 'GetObject'],
    written,
  };
}
