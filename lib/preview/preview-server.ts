/**
 * The preview's HTTP server on 127.0.0.1: answers every request as Garage's web endpoint would
 * answer for the published site (routing in ./website-routing.ts, conditions in
 * ./conditional-request.ts, bodies and headers in ./stored-object.ts).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { usageError } from '../errors/fleuron-error.js';
import type { ObjectHeaders } from '../headers/object-headers.js';
import { escapeMarkup } from '../text/escape.js';
import type { BuiltFiles } from './built-site.js';
import type { PublishPage } from './publish-page/publish-page.js';
import { evaluatePreconditions, parseRange } from './conditional-request.js';
import { isOwnHost } from './host-check.js';
import { injectReloadScript, isHtmlType, VERSION_PATH } from './reload-script.js';
import type { PreviewSettings } from './site-settings.js';
import { streamBody, type StoredObject, type StoredObjectReader } from './stored-object.js';
import { ALLOWED_METHODS, pathOfUrl, routeRequest } from './website-routing.js';

/** One build as served: its files, its settings, a reader for its objects, its version. */
export interface ServedSite {
  files: BuiltFiles;
  settings: PreviewSettings;
  reader: StoredObjectReader;
  version: string;
}

export interface PreviewServerOptions {
  /** The build to serve now (it changes after each rebuild). */
  site: () => ServedSite;
  /** Only 127.0.0.1 is used by the CLI. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Add the reload script to HTML responses and answer the version endpoint. */
  reload?: boolean;
  /** The publish page, answered under its own path (`/.fleuron/`, never a published key) when given. */
  publishPage?: PublishPage;
  /** Called when a request fails unexpectedly (a 500). */
  onError?: (error: Error) => void;
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const host = options.host ?? '127.0.0.1';
  let port = 0;
  const server = createServer((request, response) => {
    // Before anything else: a request addressed to another name is a DNS-rebinding page (drafts, keys).
    if (!isOwnHost(request.headers.host, port, host)) return sendGarageError(response, request.method ?? 'GET', 403, 'AccessDenied', 'This server answers only requests to its own address (127.0.0.1, localhost)');
    handle(request, response, options).catch((error: Error) => {
      options.onError?.(error);
      if (!response.headersSent) sendGarageError(response, request.method ?? 'GET', 500, 'InternalError', error.message);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(usageError('port-in-use', `port ${options.port} on ${host} is already in use`, 'stop the other server or give another --port (0 picks a free one)'));
      else reject(error);
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, options: PreviewServerOptions): Promise<void> {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  if (options.publishPage?.handles(pathOfUrl(url))) return options.publishPage.handle(request, response);
  const site = options.site();

  if (options.reload && pathOfUrl(url) === VERSION_PATH && (method === 'GET' || method === 'HEAD')) {
    const body = Buffer.from(site.version);
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': body.length });
    response.end(method === 'HEAD' ? undefined : body);
    return;
  }

  const route = routeRequest(method, url, (key) => site.files.has(key), site.settings.rules);
  switch (route.kind) {
    case 'method-not-allowed':
      response.setHeader('Allow', ALLOWED_METHODS.join(', '));
      return sendGarageError(response, method, 405, 'MethodNotAllowed', 'HTTP method not supported');
    case 'bad-request':
      return sendGarageError(response, method, 400, 'InvalidRequest', route.message);
    case 'preflight':
      if (request.headers.origin === undefined) return sendGarageError(response, method, 400, 'InvalidRequest', 'Missing Origin header');
      return sendGarageError(response, method, 403, 'AccessDenied', 'This preflight request does not match any CORS rule');
    case 'redirect':
      response.writeHead(route.status, { Location: route.location, 'Content-Length': 0 });
      response.end();
      return;
    case 'not-found':
      return sendClientError(response, method, 404, 'NoSuchKey', 'Key not found', site);
    case 'object':
      return sendObject(request, response, method, route.key, site, options.reload === true);
  }
}

async function sendObject(request: IncomingMessage, response: ServerResponse, method: string, key: string, site: ServedSite, reload: boolean): Promise<void> {
  const object = await readObject(site, key, reload);
  if (!object) return sendClientError(response, method, 404, 'NoSuchKey', 'Key not found', site);
  const headers = objectHeaders(object);

  const precondition = evaluatePreconditions(
    {
      ifMatch: request.headers['if-match'],
      ifNoneMatch: request.headers['if-none-match'],
      ifModifiedSince: request.headers['if-modified-since'],
      ifUnmodifiedSince: request.headers['if-unmodified-since'],
    },
    object.etag,
    object.lastModified,
  );
  if (precondition === 'not-modified') {
    const { 'Content-Type': _type, 'Content-Length': _length, ...kept } = headers;
    response.writeHead(304, kept);
    response.end();
    return;
  }
  if (precondition === 'precondition-failed') return sendClientError(response, method, 412, 'PreconditionFailed', 'At least one of the preconditions you specified did not hold', site);

  const range = parseRange(request.headers.range, object.size);
  if (range.kind === 'multiple') return sendClientError(response, method, 400, 'InvalidRequest', 'Multiple ranges not supported', site);
  if (range.kind === 'unsatisfiable') {
    response.setHeader('Content-Range', `bytes */${object.size}`);
    return sendClientError(response, method, 416, 'InvalidRange', 'The requested range is not satisfiable', site);
  }
  if (range.kind === 'partial') {
    response.writeHead(206, { ...headers, 'Content-Length': range.end - range.start + 1, 'Content-Range': `bytes ${range.start}-${range.end}/${object.size}` });
    if (method === 'HEAD') return void response.end();
    if (object.body) return void response.end(object.body.subarray(range.start, range.end + 1));
    streamBody(object, range).pipe(response);
    return;
  }
  response.writeHead(200, headers);
  if (method === 'HEAD') return void response.end();
  if (object.body) return void response.end(object.body);
  streamBody(object).pipe(response);
}

/** The object at `key`, or undefined when its file vanished since the build was scanned. */
async function readObject(site: ServedSite, key: string, reload: boolean): Promise<StoredObject | undefined> {
  const file = site.files.get(key);
  if (file === undefined) return undefined;
  const transform = reload
    ? { tag: site.version, apply: (body: Buffer, headers: ObjectHeaders) => (isHtmlType(headers.contentType) ? Buffer.from(injectReloadScript(body.toString('utf8'), site.version)) : body) }
    : undefined;
  try {
    return await site.reader.read(key, file, transform);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The headers Garage returns with a stored object. */
function objectHeaders(object: StoredObject): Record<string, string | number> {
  const { headers } = object;
  return {
    'Content-Type': headers.contentType,
    ...(headers.cacheControl ? { 'Cache-Control': headers.cacheControl } : {}),
    ...(headers.contentEncoding ? { 'Content-Encoding': headers.contentEncoding } : {}),
    ...(headers.contentDisposition ? { 'Content-Disposition': headers.contentDisposition } : {}),
    ...(headers.contentLanguage ? { 'Content-Language': headers.contentLanguage } : {}),
    ETag: object.etag,
    'Last-Modified': object.lastModified.toUTCString(),
    'Accept-Ranges': 'bytes',
    'Content-Length': object.size,
  };
}

/**
 * A 4xx as Garage answers it: on GET, the error document with this status and an `X-Garage-Error`
 * header (no conditions or range applied to it); on HEAD, or without an error document, a bare page.
 */
async function sendClientError(response: ServerResponse, method: string, status: number, code: string, message: string, site: ServedSite): Promise<void> {
  const errorKey = site.settings.rules.errorDocument;
  if (method === 'GET' && errorKey !== undefined && site.files.has(errorKey)) {
    const document = await readObject(site, errorKey, false);
    if (document) {
      response.writeHead(status, { ...objectHeaders(document), 'X-Garage-Error': message });
      if (document.body) response.end(document.body);
      else streamBody(document).pipe(response);
      return;
    }
  }
  sendGarageError(response, method, status, code, message);
}

/** Garage's own error page, for errors that get no error document. */
function sendGarageError(response: ServerResponse, method: string, status: number, code: string, message: string): void {
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = Buffer.from(`<title>${status} ${reason}</title>\n<h1>${status} ${reason}</h1>\n<ul>\n<li>Code: ${code}</li>\n<li>Message: ${escapeMarkup(message)}.</li>\n</ul>`);
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  response.end(method === 'HEAD' ? undefined : body);
}
