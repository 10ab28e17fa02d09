/**
 * The publishers compared: fleuron and the installed peers. Each is a child process run through
 * /usr/bin/time (peak RSS) with wall time measured here; all of them get the same parallelism
 * where they have a setting for it (s3cmd has none: it is sequential).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The embedded s3rver's keys; `--server ceph` replaces them with the Ceph user's (setCredentials). */
export const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export function setCredentials(accessKeyId, secretAccessKey) {
  CREDENTIALS.AWS_ACCESS_KEY_ID = accessKeyId;
  CREDENTIALS.AWS_SECRET_ACCESS_KEY = secretAccessKey;
}
export const REGION = 'garage';
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Environment with our credentials and nothing that could redirect a tool elsewhere. */
export function baseEnv(extra = {}) {
  const env = { ...process.env, ...CREDENTIALS, AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true' };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_S3', 'FLEURON_BUCKET', 'FLEURON_CONCURRENCY', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete env[name];
  env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost';
  return { ...env, ...extra };
}

/** Runs a command; resolves to { code, ms, stdout, stderr, peakRssKb }. Killed after timeoutMs. */
export function runTimed(command, args, { env, cwd, timeoutMs = 600_000 } = {}) {
  return new Promise((resolve) => {
    const rssFile = path.join(cwd, `.time-${process.pid}-${Date.now()}`);
    const [cmd, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
    const started = process.hrtime.bigint();
    const child = spawn(cmd, argv, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.length > 4e6) stdout = stdout.slice(-2e6);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.length > 4e6) stderr = stderr.slice(-2e6);
    });
    const timer = setTimeout(() => {
      stderr += `\n[bench] killed after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let peakRssKb;
      try {
        const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
        peakRssKb = Number(lines[lines.length - 1]) || undefined;
        rmSync(rssFile, { force: true });
      } catch {}
      resolve({ code: code ?? (signal ? 128 : 1), ms, stdout, stderr, peakRssKb });
    });
  });
}

/** Concurrency given to every tool that has a setting (fleuron's default). */
export const CONCURRENCY = 16;

export function makeTools({ work }) {
  const tools = [];

  const fleuron = (name, flags, note) => ({
    name,
    concurrency: `default (${CONCURRENCY})${note}`,
    available: () => (existsSync(path.join(REPO, 'dist/bundle/main.js')) ? true : 'dist/ missing: run npm run build'),
    run: ({ site, bucket, endpoint, extraArgs = [] }) =>
      runTimed(process.execPath, [path.join(REPO, 'bin/fleuron.js'), 'publish', site, '--bucket', bucket, '--endpoint', endpoint, '--region', REGION, '--json', '--max-deletes', '-1', ...flags, ...extraArgs], {
        env: baseEnv(),
        cwd: work,
      }),
    parse: (result) => {
      try {
        const text = result.stdout.trim();
        return JSON.parse(text.slice(text.indexOf('{')));
      } catch {
        return undefined;
      }
    },
  });
  tools.push(fleuron('fleuron', [], ''));
  // The same without the local hash cache: every file read and hashed on every run, as the peers do.
  tools.push(fleuron('fleuron-nocache', ['--no-hash-cache'], ', --no-hash-cache'));

  const rclone = which('rclone');
  tools.push({
    name: 'rclone',
    concurrency: `--transfers ${CONCURRENCY} --checkers ${CONCURRENCY}`,
    available: () => rclone ?? 'rclone is not installed (apt-get install rclone)',
    run: ({ site, bucket, endpoint }) => {
      const env = baseEnv({
        RCLONE_CONFIG_BENCH_TYPE: 's3',
        RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
        RCLONE_CONFIG_BENCH_ENDPOINT: endpoint,
        RCLONE_CONFIG_BENCH_REGION: REGION,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: CREDENTIALS.AWS_ACCESS_KEY_ID,
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
        RCLONE_CONFIG: path.join(work, 'rclone.conf'),
      });
      delete env.AWS_CA_BUNDLE; // rclone fails with the preset bundle on these machines (TESTING.md)
      writeFileSync(env.RCLONE_CONFIG, '');
      return runTimed(rclone, ['sync', '--checksum', '--fast-list', '--transfers', String(CONCURRENCY), '--checkers', String(CONCURRENCY), '--stats', '0', '--retries', '1', `${site}/`, `bench:${bucket}`], { env, cwd: work });
    },
  });

  const aws = which('aws');
  tools.push({
    name: 'aws s3 sync',
    concurrency: `s3.max_concurrent_requests = ${CONCURRENCY}`,
    available: () => aws ?? 'the AWS CLI (aws) is not installed',
    run: ({ site, bucket, endpoint }) => {
      const config = path.join(work, 'aws-config');
      writeFileSync(config, `[default]\nregion = ${REGION}\ns3 =\n    max_concurrent_requests = ${CONCURRENCY}\n    addressing_style = path\n`);
      const env = baseEnv({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'aws-credentials-none') });
      return runTimed(aws, ['s3', 'sync', '--delete', '--no-progress', '--only-show-errors', '--endpoint-url', endpoint, `${site}/`, `s3://${bucket}/`], { env, cwd: work });
    },
  });

  const s3cmd = which('s3cmd');
  tools.push({
    name: 's3cmd sync',
    concurrency: 'sequential (no setting)',
    available: () => s3cmd ?? 's3cmd is not installed (apt-get install s3cmd)',
    run: ({ site, bucket, endpoint }) => {
      const host = new URL(endpoint).host;
      const config = path.join(work, 's3cmd.cfg');
      writeFileSync(
        config,
        [
          '[default]',
          `access_key = ${CREDENTIALS.AWS_ACCESS_KEY_ID}`,
          `secret_key = ${CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
          `host_base = ${host}`,
          `host_bucket = ${host}`,
          'use_https = False',
          `bucket_location = ${REGION}`,
          'signature_v2 = False',
          'progress_meter = False',
          '',
        ].join('\n'),
      );
      return runTimed(s3cmd, ['-c', config, 'sync', '--delete-removed', '--no-progress', '--quiet', `${site}/`, `s3://${bucket}/`], { env: baseEnv(), cwd: work });
    },
  });

  const hugo = which('hugo');
  tools.push({
    name: 'hugo deploy',
    concurrency: `--workers ${CONCURRENCY}`,
    available: () => hugo ?? 'hugo is not installed (apt-get install hugo)',
    run: ({ site, bucket, endpoint }) => {
      const project = path.join(work, 'hugo-project');
      mkdirSync(project, { recursive: true });
      // Hugo 0.111 (gocloud, aws-sdk-go v1) takes s3ForcePathStyle; newer ones take use_path_style.
      const url = `s3://${bucket}?endpoint=${endpoint}&s3ForcePathStyle=true&disableSSL=true&region=${REGION}`;
      writeFileSync(path.join(project, 'config.toml'), `baseURL = "http://example.org/"\npublishDir = ${JSON.stringify(site)}\n\n[deployment]\n[[deployment.targets]]\nname = "bench"\nURL = ${JSON.stringify(url)}\n`);
      return runTimed(hugo, ['deploy', '--source', project, '--target', 'bench', '--maxDeletes', '-1', '--workers', String(CONCURRENCY)], { env: baseEnv(), cwd: work });
    },
  });

  return tools;
}
