/** Starts the fixture feed server (feed-server-process.mjs) in a child process, and reads its record of requests. */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The big feed's size: far above what the kernel's socket buffers can hold on loopback, so that the bytes the server
 * wrote tell whether the client stopped reading. At 30 MiB a Node 24 run under load saw 9 MiB written for a 512 KiB
 * cap (this machine's receive buffers may grow to 32 MiB), over the test's quarter.
 */
export const BIG_FEED_BYTES = 64 * 1024 * 1024;

export interface RecordedRequest {
  path: string;
  userAgent?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  status: number;
}

export interface FeedServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Every feed request so far, and the bytes of /big.xml written before the client hung up. */
  state(): Promise<{ requests: RecordedRequest[]; bigBytesSent: number }>;
  /** Makes a feed answer 500 (`broken: true`) or answer again. */
  setFailing(feedPath: string, broken: boolean): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'feed-server-process.mjs');

export async function startFeedServer(): Promise<FeedServer> {
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve(output.trim());
    });
    child.once('exit', (code) => reject(new Error(`the feed server exited (${code})`)));
  });
  const call = async (urlPath: string) => {
    const response = await fetch(`${origin}${urlPath}`);
    if (!response.ok) throw new Error(`${urlPath}: HTTP ${response.status}`);
    return response;
  };
  return {
    origin,
    state: async () => (await call('/_test/state')).json() as Promise<{ requests: RecordedRequest[]; bigBytesSent: number }>,
    setFailing: async (feedPath, broken) => {
      await call(`/_test/${broken ? 'fail' : 'heal'}${feedPath}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (a feed whose server is down). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
