/** Starts the embedded S3 server on 127.0.0.1 in a child process: the local target that needs no credentials. */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FleuronError } from '../errors/fleuron-error.js';

/** s3rver accepts any key; these are what its documentation uses. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = 'garage';

export interface LocalS3 {
  endpoint: string;
  port: number;
  /** The site URL of `bucket` on this server (served with its website configuration). */
  websiteUrl(bucket: string, prefix?: string): string;
  stop(): Promise<void>;
}

/**
 * The compiled child script, also when this module runs from TypeScript sources (tests) or from
 * the bundle (dist/bundle/, one level under dist/ like dist/local-server/).
 */
function childScript(): string {
  const url = new URL('../local-server/s3rver-process.js', import.meta.url);
  const file = fileURLToPath(url);
  return file.replace(/([/\\])lib([/\\]local-server[/\\])/, '$1dist$2');
}

export async function startLocalS3(options: { directory: string; port?: number }): Promise<LocalS3> {
  mkdirSync(options.directory, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--no-warnings', childScript(), JSON.stringify({ directory: options.directory, port: options.port ?? 0 })],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line) {
        child.stdout.off('data', onData);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(line));
        }
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      const inUse = /EADDRINUSE/.test(stderr);
      reject(
        new FleuronError('local-server-failed', inUse ? `port ${options.port} is already in use on 127.0.0.1` : `the embedded S3 server did not start (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`, {
          hint: inUse ? 'stop the other fleuron (or program) using it, or choose another port with --local-port' : 'run npm install again',
        }),
      );
    });
  });
  child.stdout.resume();
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    websiteUrl: (bucket, prefix = '') => `${endpoint}/${bucket}/${prefix}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.ref(); // keep this process alive until the server has really gone
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
