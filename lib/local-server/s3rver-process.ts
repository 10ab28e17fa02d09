/**
 * Child-process entry of the embedded S3 server (s3rver). It runs in its own process because s3rver
 * needs Node's legacy OpenSSL provider (its continuation tokens use DES) and must not slow the publisher.
 * Prints one JSON line `{"port":N}` when ready; exits when its parent goes away.
 */
import S3rver from 's3rver';

const options = JSON.parse(process.argv[2] ?? '{}') as { port?: number; directory: string };
const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, directory: options.directory, silent: true });

const stop = () => {
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin open: when it dies, stdin ends and we follow.
process.stdin.on('end', stop);
process.stdin.resume();
// s3rver crashes on some racing writes (a PUT and a DELETE of one key); keep serving the rest.
process.on('uncaughtException', (error) => {
  process.stderr.write(`s3rver: ${error.message}\n`);
});

try {
  const address = await server.run();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
} catch (error) {
  process.stderr.write(`s3rver: ${(error as Error).message}\n`);
  process.exit(1);
}
