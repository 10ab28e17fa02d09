/**
 * How answers to the website calls are classified. A key without Garage's owner permission cannot be
 * produced by the test servers (their keys own their buckets), so these pin the classification with a
 * stand-in `send`; publishing itself is tested against real servers in __tests__/integration.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { readWebsite, writeWebsite } from '../../lib/website/bucket-website.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';

const failingWith = (name: string, status: number) =>
  ({ send: async () => Promise.reject(Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })) }) as unknown as S3Client;
const wanted = { indexDocument: 'index.html', errorDocument: '404.html' };
const withRules = { ...wanted, routingRules: [{ Redirect: { ReplaceKeyWith: 'b' }, Condition: { KeyPrefixEquals: 'a' } }] };

test.each([
  ['AccessDenied', 403],
  ['NotImplemented', 501],
])('%s on GetBucketWebsite means: not permitted (warn, go on)', async (name, status) => {
  expect(await readWebsite(S3Requests.over(failingWith(name, status)), 'b')).toEqual({ kind: 'not-permitted' });
});

test('no configuration yet', async () => {
  expect(await readWebsite(S3Requests.over(failingWith('NoSuchWebsiteConfiguration', 404)), 'b')).toEqual({ kind: 'none' });
});

test('routing rules refused (Garage 1.x answers 501) are told apart from a missing permission', async () => {
  expect(await writeWebsite(failingWith('NotImplemented', 501), 'b', withRules)).toBe('rules-refused');
  expect(await writeWebsite(failingWith('AccessDenied', 403), 'b', withRules)).toBe('not-permitted');
  expect(await writeWebsite(failingWith('AccessDenied', 403), 'b', wanted)).toBe('not-permitted');
  await expect(writeWebsite(failingWith('InternalError', 500), 'b', wanted)).rejects.toThrow('InternalError');
});

test('routing rules of two sites in one bucket are merged by prefix: each publish replaces only its own', async () => {
  const { mergeRoutingRules } = await import('../../lib/website/bucket-website.js');
  const rule = (prefix: string, to: string) => ({ Condition: { KeyPrefixEquals: prefix, HttpErrorCodeReturnedEquals: '404' }, Redirect: { ReplaceKeyWith: to } });
  const root = [rule('old.html', 'new.html')];
  const blog = [rule('blog/2019.html', 'blog/archive.html')];
  // the blog site (prefix blog/) owns blog/ keys only
  const afterBlog = mergeRoutingRules(root, blog, (prefix) => prefix.startsWith('blog/'));
  expect(afterBlog).toEqual(expect.arrayContaining([...root, ...blog]));
  expect(afterBlog).toHaveLength(2);
  // the root site keeps blog/** (it is another site's): it owns everything else
  const rootAgain = [rule('older.html', 'new.html')];
  const afterRoot = mergeRoutingRules(afterBlog, rootAgain, (prefix) => !prefix.startsWith('blog/'));
  expect(afterRoot).toEqual(expect.arrayContaining([...rootAgain, ...blog]));
  expect(afterRoot).toHaveLength(2);
  // more specific prefixes first
  expect(mergeRoutingRules([], [rule('old', 'a'), rule('old.html', 'b')], () => true).map((r) => r.Condition?.KeyPrefixEquals)).toEqual(['old.html', 'old']);
});
