/**
 * Bad input: each case gets one clear line (what, where, what to do), a documented exit code,
 * no stack trace, nothing changed on the server, and never the secret in any output.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { cliEnv, createTestBucket, listBucket, testS3 } from '../support/test-s3.js';
import { allOutputs, makeFolder, runCli, type CliResult } from '../support/run-cli.js';

interface Case {
  name: string;
  /** Prepares a folder and returns the CLI arguments and environment. */
  setup: (bucket: string) => Promise<{ args: string[]; env?: Record<string, string>; cwd?: string }>;
  exit: number;
  message: RegExp;
  /** Skip on servers that cannot show this (with the reason). */
  only?: { kind: string; why: string };
}

const sockets: net.Server[] = [];
afterAll(() => sockets.forEach((server) => server.close()));

const site = () => makeFolder({ 'index.html': '<p>new home</p>', 'new.css': 'a{}' });
const withoutKeys = (env: Record<string, string>) => {
  const copy = { ...env };
  delete copy.AWS_ACCESS_KEY_ID;
  delete copy.AWS_SECRET_ACCESS_KEY;
  return copy;
};

const cases: Case[] = [
  { name: 'the folder is missing', setup: async (b) => ({ args: ['publish', '/nonexistent/site'], env: cliEnv(b) }), exit: 2, message: /the folder \/nonexistent\/site does not exist — build the site first/ },
  { name: 'no bucket is named', setup: async (b) => ({ args: ['publish', await site()], env: { ...cliEnv(b), FLEURON_BUCKET: '' } }), exit: 2, message: /no bucket to publish to — give --bucket NAME/ },
  { name: 'credentials are missing', setup: async (b) => ({ args: ['publish', await site()], env: { ...withoutKeys(cliEnv(b)), HOME: await makeFolder({}) } }), exit: 2, message: /no S3 credentials found — put AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/ },
  { name: 'half of the key is missing', setup: async (b) => ({ args: ['publish', await site()], env: { ...cliEnv(b), AWS_ACCESS_KEY_ID: '' } }), exit: 2, message: /AWS_ACCESS_KEY_ID is not set \(the other half of the key is\)/ },
  { name: 'the bucket does not exist', setup: async (b) => ({ args: ['publish', await site()], env: cliEnv(`${b}-missing`) }), exit: 2, message: /bucket "fl-.*-missing" at .* does not exist — check the bucket name/ },
  { name: 'the endpoint is unreachable', setup: async (b) => ({ args: ['publish', await site()], env: { ...cliEnv(b), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } }), exit: 1, message: /cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9 while listing the bucket \(ECONNREFUSED\)/ },
  {
    name: 'the endpoint does not speak TLS',
    setup: async (b) => ({ args: ['publish', await site()], env: { ...cliEnv(b), AWS_ENDPOINT_URL: testS3().endpoint.replace('http://', 'https://') } }),
    exit: 1,
    message: /TLS error talking to https:\/\/127\.0\.0\.1:\d+ .* — check that the endpoint URL has the right scheme/,
  },
  { name: '--prefix ../x', setup: async (b) => ({ args: ['publish', await site(), '--prefix', '../x'], env: cliEnv(b) }), exit: 2, message: /the prefix "\.\.\/x" has a "\.\." segment/ },
  { name: '--prefix /abs', setup: async (b) => ({ args: ['publish', await site(), '--prefix', '/abs'], env: cliEnv(b) }), exit: 2, message: /the prefix "\/abs" starts with "\/"/ },
  { name: 'FLEURON_PREFIX a/./b', setup: async (b) => ({ args: ['publish', await site()], env: cliEnv(b, { FLEURON_PREFIX: 'a/./b' }) }), exit: 2, message: /prefix "a\/\.\/b" has a "\." segment/ },
  {
    name: 'a file name with a control character',
    setup: async (b) => ({ args: ['publish', await makeFolder({ 'index.html': 'home', 'photo\u0001.jpg': 'x' })], env: cliEnv(b) }),
    exit: 2,
    message: /the file name "photo\\u0001\.jpg" contains a control character .* — rename the file/,
  },
  {
    // The walk used to skip such a name silently (and the publish then deleted its remote copy).
    name: 'a file name with a newline',
    setup: async (b) => ({ args: ['publish', await makeFolder({ 'index.html': 'home', 'notes\nold.html': 'x' })], env: cliEnv(b) }),
    exit: 2,
    message: /the file name "notes\\u000aold\.html" contains a control character/,
  },
  {
    name: 'an endpoint URL with a user and password',
    setup: async (b) => ({ args: ['publish', await site(), '--endpoint', 'http://ana:Pa55word-in-url@127.0.0.1:9'], env: cliEnv(b) }),
    exit: 1,
    message: /cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9\/? while/,
  },
  { name: '--concurrency 0', setup: async (b) => ({ args: ['publish', await site(), '--concurrency', '0'], env: cliEnv(b) }), exit: 2, message: /--concurrency must be a whole number from 1 to 256 \(got 0\)/ },
  { name: '--concurrency abc', setup: async (b) => ({ args: ['publish', await site(), '--concurrency', 'abc'], env: cliEnv(b) }), exit: 2, message: /--concurrency must be a whole number from 1 to 256 \(got NaN\)/ },
  { name: '--max-deletes -5', setup: async (b) => ({ args: ['publish', await site(), '--max-deletes', '-5'], env: cliEnv(b) }), exit: 2, message: /--max-deletes must be a whole number, or -1 for no cap/ },
  { name: '--bandwidth fast', setup: async (b) => ({ args: ['publish', await site(), '--bandwidth', 'fast'], env: cliEnv(b) }), exit: 2, message: /--bandwidth must be a rate such as 500K/ },
  { name: 'an unknown flag', setup: async (b) => ({ args: ['publish', await site(), '--dryrun'], env: cliEnv(b) }), exit: 2, message: /Unknown argument: dryrun — did you mean --dry-run\?/ },
  { name: 'an unknown command', setup: async (b) => ({ args: ['publsh'], env: cliEnv(b) }), exit: 2, message: /Did you mean publish\?/ },
  {
    name: 'a typo in fleuron.yaml',
    setup: async (b) => ({ args: ['publish', await site()], env: cliEnv(b), cwd: await makeFolder({ 'fleuron.yaml': 'publish:\n  concurency: 4\n' }) }),
    exit: 2,
    message: /fleuron\.yaml: publish: unknown key "concurency" — did you mean "concurrency"\?/,
  },
  {
    name: 'a secret in fleuron.yaml',
    setup: async (b) => ({ args: ['publish', await site()], env: cliEnv(b), cwd: await makeFolder({ 'fleuron.yaml': 'publish:\n  secretAccessKey: abc\n' }) }),
    exit: 2,
    message: /"secretAccessKey" is a secret and does not belong in fleuron\.yaml/,
  },
  {
    name: 'invalid YAML in fleuron.yaml',
    setup: async (b) => ({ args: ['publish', await site()], env: cliEnv(b), cwd: await makeFolder({ 'fleuron.yaml': 'publish:\n  bucket: [unclosed\n' }) }),
    exit: 2,
    message: /fleuron\.yaml:\d+: invalid YAML/,
  },
  {
    name: 'a symlink loop',
    setup: async (b) => {
      const dir = await site();
      await symlink(path.join(dir, 'b'), path.join(dir, 'a'));
      await symlink(path.join(dir, 'a'), path.join(dir, 'b'));
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /(a|b) is a symlink loop — remove or fix the symlink; nothing was published/,
  },
  {
    name: 'a symlink pointing outside the folder',
    setup: async (b) => {
      const dir = await site();
      await symlink('/etc/passwd', path.join(dir, 'passwd'));
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /passwd is a symlink to \/etc\/passwd, outside the folder — copy the file into the folder instead/,
  },
  {
    name: 'a key longer than 1,024 bytes',
    setup: async (b) => {
      const dir = await site();
      const deep = path.join(dir, ...Array.from({ length: 6 }, () => 'd'.repeat(200)));
      await mkdir(deep, { recursive: true });
      await writeFile(path.join(deep, 'page.html'), 'x');
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /is longer than 1024 bytes — shorten the file path or the prefix/,
  },
  {
    name: 'a file name that is not valid UTF-8',
    setup: async (b) => {
      const dir = await site();
      await writeFile(Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.html')]), 'x');
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /is not valid UTF-8 — rename the file/,
  },
  {
    // A socket cannot be read (ENXIO): refused by the walk, before any upload can start (uploads run during the scan).
    name: 'a socket in the folder',
    setup: async (b) => {
      const dir = await site();
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(path.join(dir, 'socket.html'), resolve));
      sockets.push(server);
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /socket\.html is a named pipe, a socket or a device, not a file — remove it from the folder or exclude it; nothing was published/,
  },
  {
    // Above 500 files the hashing runs in worker threads. A named pipe reached through a symlink (the pipe itself in a
    // dot-folder the walk leaves out) made the hashing wait for a writer forever; a socket so reached failed late.
    name: 'a symlink to a named pipe or a socket, in a folder large enough for hashing threads',
    setup: async (b) => {
      const dir = await makeFolder(Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`p/${i}.html`, `<p>${i}</p>`])));
      await mkdir(path.join(dir, '.hidden'));
      execFileSync('mkfifo', [path.join(dir, '.hidden', 'pipe')]);
      await symlink('../.hidden/pipe', path.join(dir, 'p', 'pipe.html'));
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(path.join(dir, '.hidden', 'socket'), resolve));
      sockets.push(server);
      await symlink('../.hidden/socket', path.join(dir, 'p', 'socket.html'));
      return { args: ['publish', dir], env: cliEnv(b) };
    },
    exit: 2,
    message: /p\/(pipe|socket)\.html is a named pipe, a socket or a device, not a file — remove it from the folder or exclude it; nothing was published/,
  },
  {
    name: 'a wrong secret',
    only: { kind: 'ceph', why: 's3rver does not verify signatures' },
    setup: async (b) => ({ args: ['publish', await site()], env: { ...cliEnv(b), AWS_SECRET_ACCESS_KEY: 'wrong-secret-0123456789' } }),
    exit: 2,
    message: /the secret key does not match the access key id/,
  },
];

describe('bad input: one line, an exit code, nothing changed', () => {
  let bucket: string;
  let before: Map<string, unknown>;

  beforeAll(async () => {
    bucket = await createTestBucket('bad');
    const dir = await makeFolder({ 'index.html': '<p>old home</p>' });
    const first = await runCli(['publish', dir], { env: cliEnv(bucket) });
    expect(first.code).toBe(0);
    before = await listBucket(bucket);
  });

  for (const c of cases) {
    const skip = c.only && c.only.kind !== testS3().kind;
    (skip ? test.skip : test)(`${c.name}${skip ? ` (skipped: ${c.only!.why})` : ''}`, async () => {
      const { args, env, cwd } = await c.setup(bucket);
      const result: CliResult = await runCli(args, { env, cwd });
      // Progress lines may come first; the error itself is exactly one line.
      const lines = result.stderr.trim().split('\n').filter((line) => line.startsWith('fleuron:'));
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: c.exit, stderr: expect.stringMatching(c.message) });
      expect(lines).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(await listBucket(bucket)).toEqual(before);
    });
  }

  test('a source folder without keys fails on the keys before it is built', async () => {
    const source = await makeFolder({ 'fleuron.yaml': 'title: Notes\n', 'index.md': '# Home\n' });
    const cwd = await makeFolder({});
    const result = await runCli(['publish', source], { env: { ...withoutKeys(cliEnv(bucket)), HOME: await makeFolder({}) }, cwd });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/no S3 credentials found/) });
    expect(result.stderr).not.toMatch(/built \d+ pages/);
    expect(existsSync(path.join(cwd, 'public'))).toBe(false);
  });

  test('--debug adds details but still never prints the secret', async () => {
    const result = await runCli(['publish', await site(), '--debug'], { env: { ...cliEnv(bucket), AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').length).toBeGreaterThan(2);
  });

  test('the secret appears in no output of any run above', () => {
    const secret = testS3().secretAccessKey;
    expect(secret.length).toBeGreaterThan(5);
    expect(allOutputs.length).toBeGreaterThan(cases.length);
    for (const output of allOutputs) expect(output).not.toContain(secret);
  });

  test('a password written into the endpoint URL appears in no output, --json included', async () => {
    const result = await runCli(['publish', await site(), '--json', '--dry-run', '--endpoint', `${testS3().endpoint.replace('://', '://ana:Pa55word-in-url@')}`], { env: cliEnv(bucket) });
    expect(result.stdout + result.stderr).toMatch(/endpoint/);
    for (const output of allOutputs) expect(output).not.toContain('Pa55word-in-url');
  });
});
