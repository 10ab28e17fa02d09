/** Maps fleuron's header record to the S3 request parameters that store it. */
import type { ObjectHeaders } from '../headers/object-headers.js';

export interface StoredHeaderParams {
  ContentType: string;
  CacheControl?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
}

export function storedHeaderParams(headers: ObjectHeaders): StoredHeaderParams {
  const params: StoredHeaderParams = { ContentType: headers.contentType };
  if (headers.cacheControl) params.CacheControl = headers.cacheControl;
  if (headers.contentEncoding) params.ContentEncoding = headers.contentEncoding;
  if (headers.contentDisposition) params.ContentDisposition = headers.contentDisposition;
  if (headers.contentLanguage) params.ContentLanguage = headers.contentLanguage;
  if (headers.websiteRedirectLocation) params.WebsiteRedirectLocation = headers.websiteRedirectLocation;
  if (headers.metadata && Object.keys(headers.metadata).length > 0) params.Metadata = headers.metadata;
  return params;
}

/** The same headers as HTTP header fields, as the SDK writes them for PutObject (signed-put.ts sends them). */
export function storedHeaderFields(headers: ObjectHeaders): Record<string, string> {
  const params = storedHeaderParams(headers);
  const fields: Record<string, string> = { 'content-type': params.ContentType };
  if (params.CacheControl) fields['cache-control'] = params.CacheControl;
  if (params.ContentEncoding) fields['content-encoding'] = params.ContentEncoding;
  if (params.ContentDisposition) fields['content-disposition'] = params.ContentDisposition;
  if (params.ContentLanguage) fields['content-language'] = params.ContentLanguage;
  if (params.WebsiteRedirectLocation) fields['x-amz-website-redirect-location'] = params.WebsiteRedirectLocation;
  for (const [name, value] of Object.entries(params.Metadata ?? {})) fields[`x-amz-meta-${name.toLowerCase()}`] = value;
  return fields;
}
