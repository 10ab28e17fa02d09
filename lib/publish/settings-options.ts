/**
 * The part of a publish that the resolved settings decide, the same for `fleuron publish` and the preview's publish
 * page: two copies of this mapping had already drifted (one had no index or error document override, the other no
 * lock label).
 */
import type { PublishSettings } from '../config/publish-settings.js';
import type { S3Endpoint } from '../s3/client.js';
import type { PublishOptions } from './publish.js';

export function endpointOf(settings: PublishSettings): S3Endpoint {
  return { endpoint: settings.endpoint, region: settings.region, forcePathStyle: settings.forcePathStyle, credentials: settings.credentials };
}

/** Endpoint, prefix, limits, header rules, filters, archive and website settings; `site` overrides the documents. */
export function settingsOptions(
  settings: PublishSettings,
  site: { indexPage?: string; errorPage?: string } = {},
): Pick<PublishOptions, 'endpoint' | 'prefix' | 'concurrency' | 'maxDeletes' | 'headerRules' | 'gzip' | 'exclude' | 'include' | 'keep' | 'bandwidth' | 'archive' | 'website'> {
  return {
    endpoint: endpointOf(settings),
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    maxDeletes: settings.maxDeletes,
    headerRules: settings.headers,
    gzip: settings.gzip,
    exclude: settings.exclude,
    include: settings.include,
    keep: settings.keep,
    bandwidth: settings.bandwidth,
    archive: settings.archive,
    website: settings.website.configure
      ? { indexDocument: site.indexPage ?? settings.website.indexDocument, errorDocument: site.errorPage ?? settings.website.errorDocument }
      : undefined,
  };
}
