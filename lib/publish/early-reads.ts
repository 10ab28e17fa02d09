/**
 * The reads of a publish sent before the S3 client is loaded (see lib/s3/early-get.ts): the first listing page and
 * the manifest at once, then (early-start.ts) the listing's other ranges. A module of its own, loaded before the
 * folder's scan, so that the first requests go out first: they wait on the network, the scan and the SDK's loading on
 * the main thread.
 */
import { earlyGet, earlyTargetOf, type EarlyResponse, type EarlyTarget } from '../s3/early-get.js';
import { PAGE_KEYS, scanListPage, type ListPage, type ListPageInput, type PageLister } from '../s3/list-page-xml.js';
import { RequestCounter } from '../s3/request-counter.js';
import type { PublishOptions } from './publish.js';
import { MANIFEST_NAME, stateKey } from './state-keys.js';

export interface EarlyReads {
  /** The listing's first page as scanRemote asks for it; undefined: list it again. */
  firstPage: Promise<ListPage | undefined>;
  /**
   * The manifest's stored bytes; null when there is none; undefined: read it again. Handed over once (a second call
   * answers undefined): the reads do not hold on to the bytes once parsed (3.8 MB gzipped at 100,000 objects).
   */
  takeManifest: () => Promise<Uint8Array | null | undefined>;
  /** Every request sent early, by operation: the publish counts on from there (its S3 client adds to it). */
  counter: RequestCounter;
  /** Resolves once both requests are on the wire (or failed): loading the SDK before would hold them back. */
  written: Promise<void>;
  /** Listing pages without the S3 client; a page the early GET cannot read is listed through the client (below). */
  pages: PageLister;
  /** Hands over the S3 client's lister, once loaded: the pages an early GET could not read are listed again with it. */
  useClientPages: (pages: PageLister) => void;
  /** The bucket's website configuration (GetBucketWebsite), when the publish configures it; undefined: read it again. */
  website?: Promise<EarlyResponse | undefined>;
}

/** The first listing page and the manifest, signed without the S3 client; only with an endpoint and keys. */
export function startEarlyReads({ endpoint, bucket, prefix }: Pick<PublishOptions, 'endpoint' | 'bucket' | 'prefix'>, readWebsite = false): EarlyReads | undefined {
  const target = earlyTargetOf(endpoint);
  if (target === undefined) return undefined;
  const counter = new RequestCounter();
  let count = 0;
  let allWritten: () => void = () => {};
  const written = new Promise<void>((resolve) => (allWritten = resolve));
  const onWritten = () => ++count === 2 && allWritten();
  let useClientPages: (pages: PageLister) => void = () => {};
  const clientPages = new Promise<PageLister>((resolve) => (useClientPages = resolve));
  const listOne = (input: ListPageInput, onPageWritten?: () => void) => earlyPage(target, counter, input, onPageWritten);
  const firstPage = listOne({ Bucket: bucket, Prefix: prefix || undefined, MaxKeys: PAGE_KEYS }, onWritten);
  counter.add('GetObject');
  const manifest = earlyGet(target, bucket, stateKey(prefix, MANIFEST_NAME), {}, onWritten);
  // Counted by the S3 client when its answer is read through it (readWebsite); here only when it has to be sent again.
  const website = readWebsite
    ? earlyGet(target, bucket, undefined, { website: '' }).then((response) => {
        if (response === undefined) counter.add('GetBucketWebsite');
        return response;
      })
    : undefined;
  let manifestBytes: Promise<Uint8Array | null | undefined> | undefined = manifest.then((response) => (response?.status === 200 ? response.body : response?.status === 404 ? null : undefined));
  return {
    website,
    firstPage,
    takeManifest: () => {
      const taken = manifestBytes ?? Promise.resolve(undefined);
      manifestBytes = undefined;
      return taken;
    },
    counter,
    written,
    // A page an early GET could not read is listed again through the client, which retries and describes errors.
    pages: async (input) => (await listOne(input)) ?? (await clientPages)(input),
    useClientPages,
  };
}

/** One listing page through an early GET; undefined when it failed or the scanner cannot read it (list it again). */
async function earlyPage(target: EarlyTarget, counter: RequestCounter, input: ListPageInput, onWritten?: () => void): Promise<ListPage | undefined> {
  const query: Record<string, string> = { 'list-type': '2', 'max-keys': String(input.MaxKeys ?? PAGE_KEYS) };
  if (input.Prefix) query.prefix = input.Prefix;
  if (input.StartAfter !== undefined) query['start-after'] = input.StartAfter;
  if (input.ContinuationToken !== undefined) query['continuation-token'] = input.ContinuationToken;
  counter.add('ListObjectsV2');
  const response = await earlyGet(target, input.Bucket, undefined, query, onWritten);
  return response?.status === 200 ? scanListPage(response.body.toString('utf8')) : undefined;
}
