/**
 * A request-counting HTTP reverse proxy on 127.0.0.1: forwards every request unchanged (method, path,
 * headers including Host, body) to the S3 server and counts requests by method and by S3 operation,
 * as far as a path-style request tells it. Every tool talks to it, so counts are comparable.
 */
import http from 'node:http';
// A seeded generator (mulberry32, as the site generator's), so that two runs draw the same delays in the same order.
import { prng as seededRandom } from './generate.mjs';

/** Names the S3 operation of a path-style request (`/bucket/key?query`). */
export function classify(method, url, headers) {
  const q = new URL(url, 'http://x');
  const params = q.searchParams;
  const parts = q.pathname.split('/').filter((_, i) => i > 0);
  const bucket = parts[0] ?? '';
  const hasKey = parts.length > 1 && parts.slice(1).join('/') !== '';
  if (!bucket) return method === 'GET' ? 'ListBuckets' : `${method} /`;
  if (!hasKey) {
    const sub = ['website', 'location', 'versioning', 'policy', 'acl', 'cors', 'lifecycle', 'tagging', 'uploads', 'delete'].find((name) => params.has(name));
    if (method === 'GET' && !sub) return params.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'GET' && sub === 'uploads') return 'ListMultipartUploads';
    if (method === 'GET') return `GetBucket:${sub}`;
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'PUT') return sub ? `PutBucket:${sub}` : 'CreateBucket';
    if (method === 'POST' && sub === 'delete') return 'DeleteObjects';
    if (method === 'DELETE') return sub ? `DeleteBucket:${sub}` : 'DeleteBucket';
    return `${method} bucket${sub ? `?${sub}` : ''}`;
  }
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (method === 'GET') return params.has('uploadId') ? 'ListParts' : params.has('tagging') ? 'GetObjectTagging' : params.has('acl') ? 'GetObjectAcl' : 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'PUT') {
    if (params.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
    if (params.has('acl')) return 'PutObjectAcl';
    if (params.has('tagging')) return 'PutObjectTagging';
    return copy ? 'CopyObject' : 'PutObject';
  }
  if (method === 'POST') return params.has('uploads') ? 'CreateMultipartUpload' : params.has('uploadId') ? 'CompleteMultipartUpload' : 'POST object';
  if (method === 'DELETE') return params.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return `${method} object`;
}

/** Object key of a path-style request, decoded (for "which keys were written"). */
function keyOf(url) {
  const pathname = new URL(url, 'http://x').pathname;
  const slash = pathname.indexOf('/', 1);
  if (slash < 0) return '';
  try {
    return decodeURIComponent(pathname.slice(slash + 1));
  } catch {
    return pathname.slice(slash + 1);
  }
}

export class Counts {
  constructor() {
    this.reset();
  }
  reset() {
    this.total = 0;
    this.byMethod = {};
    this.byOperation = {};
    this.status = {};
    /** Summed server time (request start → response end) by operation, in ms. */
    this.msByOperation = {};
    this.bytesIn = 0;
    this.bytesOut = 0;
    /** Keys whose body was written (PutObject, CreateMultipartUpload). */
    this.written = new Set();
    this.deleted = new Set();
    /** One entry per request when the proxy keeps a timeline: { operation, key, start, end, bytes, status } (ms, Date.now()). */
    this.timeline = [];
  }
  snapshot() {
    return {
      total: this.total,
      byMethod: { ...this.byMethod },
      byOperation: { ...this.byOperation },
      status: { ...this.status },
      msByOperation: Object.fromEntries(Object.entries(this.msByOperation).map(([op, ms]) => [op, Math.round(ms)])),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      writtenKeys: [...this.written],
      deletedKeys: [...this.deleted],
    };
  }
}

/** `"20"` → 20 to 20 ms, `"15-25"` → 15 to 25 ms: the range of the delay added to each request. */
export function parseLatency(text) {
  const match = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(String(text).trim());
  if (!match) throw new Error(`--latency takes MS or MIN-MAX in milliseconds (got ${text})`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) throw new Error(`--latency ${text}: the maximum is below the minimum`);
  return { min, max };
}

/**
 * Starts the proxy in front of `target` (`http://127.0.0.1:PORT`); resolves to { endpoint, port, counts, stop }.
 * `latency` ({ min, max } ms, drawn per request from a generator seeded with `seed`) holds every request that
 * long before forwarding it: a round trip to a server across the internet (a collective's Garage), where a
 * server on this machine answers in no time.
 */
export async function startCountingProxy(target, { latency = { min: 0, max: 0 }, seed = 1, timeline = false } = {}) {
  const random = seededRandom(seed);
  const delay = () => latency.min + (latency.max - latency.min) * random();
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts = new Counts();
  const server = http.createServer((req, res) => {
    const operation = classify(req.method, req.url, req.headers);
    const started = process.hrtime.bigint();
    const entry = timeline ? { operation, key: keyOf(req.url), start: Date.now(), end: 0, bytes: 0, status: 0 } : undefined;
    if (entry) counts.timeline.push(entry);
    counts.total++;
    counts.byMethod[req.method] = (counts.byMethod[req.method] ?? 0) + 1;
    counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
    if (operation === 'PutObject' || operation === 'CreateMultipartUpload') counts.written.add(keyOf(req.url));
    if (operation === 'DeleteObject') counts.deleted.add(keyOf(req.url));
    req.on('data', (chunk) => {
      counts.bytesIn += chunk.length;
    });
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
      (response) => {
        counts.status[response.statusCode] = (counts.status[response.statusCode] ?? 0) + 1;
        res.writeHead(response.statusCode ?? 502, response.statusMessage, response.rawHeaders);
        response.on('data', (chunk) => {
          counts.bytesOut += chunk.length;
          if (entry) entry.bytes += chunk.length;
        });
        response.on('end', () => {
          if (entry) Object.assign(entry, { end: Date.now(), status: response.statusCode });
          counts.msByOperation[operation] = (counts.msByOperation[operation] ?? 0) + Number(process.hrtime.bigint() - started) / 1e6;
        });
        response.pipe(res);
      },
    );
    forward.on('error', (error) => {
      counts.status.proxyError = (counts.status.proxyError ?? 0) + 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    const held = latency.max > 0 ? delay() : 0;
    if (held > 0) {
      req.pause();
      setTimeout(() => req.pipe(forward), held);
    } else req.pipe(forward);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    counts,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        agent.destroy();
      }),
  };
}
