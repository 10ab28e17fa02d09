/**
 * The S3 server a benchmark runs against: the embedded s3rver (quick runs; single-threaded JavaScript
 * sharing the 2 CPUs with the tools) or a throwaway single-node Ceph RGW started with the integration
 * suite's scripts (scripts/real-s3): a real, multi-threaded S3 implementation, the one issue 11 judges on.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, setCredentials } from './tools.mjs';

/** Resolves to { endpoint, description, stop }. */
export async function startBenchServer(kind, work, log) {
  if (kind === 's3rver') {
    const { startLocalS3 } = await import(path.join(REPO, 'dist/local-server/local-s3.js'));
    const s3 = await startLocalS3({ directory: path.join(work, 's3rver') });
    return { endpoint: s3.endpoint, description: 's3rver (embedded, child process)', stop: () => s3.stop() };
  }
  if (kind === 'ceph') return startCeph(log);
  throw new Error(`--server takes s3rver or ceph (got ${kind})`);
}

function startCeph(log) {
  // Its own state folder and ports, so a test run's Ceph on the default ones is left alone.
  const env = {
    ...process.env,
    FLEURON_CEPH_DIR: process.env.FLEURON_CEPH_DIR ?? '/tmp/fleuron-bench-ceph',
    FLEURON_CEPH_PORT: process.env.FLEURON_CEPH_PORT ?? '7491',
    FLEURON_CEPH_MON_PORT: process.env.FLEURON_CEPH_MON_PORT ?? '16791',
    // Four tools × (189 MB + a re-upload): well above the default 4 GiB is not needed, but keep room.
    FLEURON_CEPH_OSD_BYTES: process.env.FLEURON_CEPH_OSD_BYTES ?? String(6 * 2 ** 30),
  };
  const script = (name) => path.join(REPO, 'scripts/real-s3', name);
  log('starting Ceph RGW (scripts/real-s3/ceph-start.sh) …');
  const started = spawnSync('bash', [script('ceph-start.sh')], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (started.status !== 0) throw new Error('Ceph RGW could not be started (see above)');
  const vars = Object.fromEntries(
    readFileSync(path.join(env.FLEURON_CEPH_DIR, 'env'), 'utf8')
      .split('\n')
      .map((line) => /^export (\w+)=(.*)$/.exec(line.trim()))
      .filter(Boolean)
      .map(([, name, value]) => [name, value.replace(/^['"]|['"]$/g, '')]),
  );
  setCredentials(vars.FLEURON_TEST_S3_ACCESS_KEY_ID, vars.FLEURON_TEST_S3_SECRET_ACCESS_KEY);
  return {
    endpoint: vars.FLEURON_TEST_S3_ENDPOINT,
    description: 'Ceph RGW 16 (single node, memstore)',
    stop: async () => {
      spawnSync('bash', [script('ceph-stop.sh')], { env, stdio: 'ignore' });
    },
  };
}
