import { closestMatch } from '../../lib/config/closest-match.js';
import { resolvePublishSettings } from '../../lib/config/publish-settings.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';
import { normalizePrefix, parseBandwidth } from '../../lib/config/setting-values.js';

const file = (section: unknown) => ({ path: '/x/fleuron.yaml', section });

test('flags beat the environment, which beats .env, which beats fleuron.yaml', () => {
  const resolve = (flags = {}, env = {}, dotEnv = {}) =>
    resolvePublishSettings({ flags, env, dotEnv, file: file({ bucket: 'from-file', region: 'file-region', concurrency: 3 }) });
  expect(resolve().bucket).toBe('from-file');
  expect(resolve({}, {}, { FLEURON_BUCKET: 'from-dotenv' }).bucket).toBe('from-dotenv');
  expect(resolve({}, { FLEURON_BUCKET: 'from-env' }, { FLEURON_BUCKET: 'from-dotenv' }).bucket).toBe('from-env');
  expect(resolve({ bucket: 'from-flag' }, { FLEURON_BUCKET: 'from-env' }).bucket).toBe('from-flag');
  expect(resolve().concurrency).toBe(3);
  expect(resolve().region).toBe('file-region');
});

test('defaults suit Garage: region garage, path-style, a delete cap', () => {
  const settings = resolvePublishSettings({ flags: {}, env: {}, dotEnv: {} });
  expect(settings).toMatchObject({ region: 'garage', forcePathStyle: true, maxDeletes: 256, concurrency: 16, prefix: '', gzip: false });
});

test('standard AWS variables: endpoint (S3-specific first), credentials', () => {
  const settings = resolvePublishSettings({
    flags: {},
    env: { AWS_ENDPOINT_URL: 'http://generic', AWS_ENDPOINT_URL_S3: 'http://s3', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' },
    dotEnv: {},
  });
  expect(settings.endpoint).toBe('http://s3');
  expect(settings.credentials).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
});

test.each([
  [{ concurency: 2 }, /unknown key "concurency" — /, 'did you mean "concurrency"?'],
  [{ secretAccessKey: 'x' }, /is a secret/, 'put AWS_ACCESS_KEY_ID'],
  [{ concurrency: '4' }, /concurrency must be a number/, 'write it without quotes'],
  [{ headers: [{ match: '*.css', cachecontrol: 'x' }] }, /headers\[0\]: unknown key "cachecontrol"/, 'did you mean "cacheControl"?'],
  [{ website: { index: 'a' } }, /website: unknown key "index"/, 'known keys: configure, indexDocument, errorDocument'],
])('invalid config %j is a usage error with a hint', (section, message, hint) => {
  let caught: unknown;
  try {
    resolvePublishSettings({ flags: {}, env: {}, dotEnv: {}, file: file(section) });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FleuronError);
  const error = caught as FleuronError;
  expect(`${error.message} — ${error.hint}`).toMatch(message);
  expect(error.hint).toContain(hint);
  expect(error.exitCode).toBe(2);
});

test('closestMatch suggests plausible typos only', () => {
  expect(closestMatch('bucekt', ['bucket', 'prefix'])).toBe('bucket');
  expect(closestMatch('zzzzzz', ['bucket', 'prefix'])).toBeUndefined();
});

test.each([
  ['', ''],
  ['/', ''],
  ['site', 'site/'],
  ['a/b/', 'a/b/'],
  ['Re\u0301union', 'Réunion/'],
])('normalizePrefix(%j) = %j', (input, output) => {
  expect(normalizePrefix(input)).toBe(output);
});

test.each(['../x', 'a/../b', './a', '/a/b/', 'a//b', 'a\\b'])('normalizePrefix(%j) is refused: S3 has no folders to resolve it', (input) => {
  expect(() => normalizePrefix(input)).toThrow(/^the prefix /);
});

test.each([
  ['500K', 512000],
  ['2M', 2097152],
  ['1.5MB/s', 1572864],
  ['800kbit', 102400],
  ['1000', 1000],
  ['fast', undefined],
  ['0', undefined],
])('parseBandwidth(%j) = %j', (text, bytes) => {
  expect(parseBandwidth(text)).toBe(bytes);
});
