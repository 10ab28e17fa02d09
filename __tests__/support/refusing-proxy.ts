/**
 * A plain reverse proxy in front of the test S3 server that records every request (`METHOD path`) and can refuse the
 * first request of a kind with `503 SlowDown` instead of forwarding it (fault-proxy.ts draws faults at random; this
 * one refuses exactly what a test names).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testS3 } from './test-s3.js';

export interface RefusingProxy {
  url: string;
  /** Every request seen, as `METHOD path` (no query). */
  seen: string[];
  /** `start METHOD path` as each request comes, `end METHOD path` once its answer is all passed on: what overlapped. */
  timeline: string[];
  /** The names of the requests refused, in order. */
  refused: string[];
  /** Whether each refused request came from the S3 client (it sends x-amz-user-agent; fleuron's signed requests do not). */
  bySdk: boolean[];
  close: () => Promise<void>;
}

/** `refuse(method, url)` names a request to refuse the first time that name is seen; undefined forwards it. */
export async function refusingProxy(refuse: (method: string, url: string) => string | undefined = () => undefined): Promise<RefusingProxy> {
  const target = new URL(testS3().endpoint);
  const seen: string[] = [];
  const timeline: string[] = [];
  const refused: string[] = [];
  const bySdk: boolean[] = [];
  const server = http.createServer((request, response) => {
    const name = `${request.method} ${(request.url ?? '').split('?')[0]}`;
    seen.push(name);
    timeline.push(`start ${name}`);
    response.on('finish', () => timeline.push(`end ${name}`));
    const refusal = refuse(request.method ?? '', request.url ?? '');
    if (refusal !== undefined && !refused.includes(refusal)) {
      refused.push(refusal);
      bySdk.push(request.headers['x-amz-user-agent'] !== undefined);
      request.resume();
      request.on('end', () => {
        response.writeHead(503, { 'content-type': 'application/xml' });
        response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>');
      });
      return;
    }
    const forwarded = http.request({ hostname: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, timeline, refused, bySdk, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
