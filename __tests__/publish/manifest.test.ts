import { manifestBody, manifestKey, parseManifest, readManifest, sameManifest, serializeManifest } from '../../lib/publish/manifest.js';

test('round-trips and is stable (sorted keys)', () => {
  const manifest = { version: 2 as const, objects: { 'b.html': { etag: 'e2', headers: 'h' }, 'a.bin': { etag: 'e1-2', headers: 'h', md5: 'm' } } };
  const text = serializeManifest(manifest);
  expect(text.indexOf('a.bin')).toBeLessThan(text.indexOf('b.html'));
  expect(parseManifest(text)).toEqual(manifest);
  expect(serializeManifest(parseManifest(text))).toBe(text);
});

test.each([
  ['missing', undefined],
  ['not JSON', '{oops'],
  ['another version', '{"version":3,"objects":{}}'],
  ['objects not a map', '{"version":1,"objects":[]}'],
  ['null', 'null'],
])('a %s manifest is harmless: empty', (_label, text) => {
  expect(parseManifest(text)).toEqual({ version: 2, objects: {} });
});

test('hand-edited entries that are malformed are dropped, the rest kept', () => {
  const text = '{"version":2,"objects":{"a":{"etag":"x","headers":"h"},"b":{"etag":5},"c":null}}';
  expect(parseManifest(text).objects).toEqual({ a: { etag: 'x', headers: 'h' } });
});

test('a version 1 manifest (keys in clear) is read with its keys hashed: no header is re-set after an upgrade', () => {
  const text = '{"version":1,"objects":{"drafts/unlinked.html":{"etag":"x","headers":"h"}}}';
  expect(parseManifest(text).objects).toEqual({ [manifestKey('drafts/unlinked.html')]: { etag: 'x', headers: 'h' } });
});

test('manifest keys are a hash: they do not name the object', () => {
  expect(manifestKey('drafts/unlinked.html')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(manifestKey('drafts/unlinked.html')).not.toBe(manifestKey('drafts/unlinked.htm'));
});

test('the website fingerprint round-trips and takes part in the bytes', () => {
  const withWebsite = { version: 2 as const, website: 'abc', objects: { a: { etag: 'e', headers: 'h' } } };
  expect(parseManifest(serializeManifest(withWebsite))).toEqual(withWebsite);
  expect(serializeManifest(withWebsite)).not.toBe(serializeManifest({ version: 2, objects: withWebsite.objects }));
});

test('sameManifest compares records, not text', () => {
  const a = { version: 2 as const, website: 'w', objects: { x: { etag: 'e', headers: 'h' }, y: { etag: 'f', headers: 'h', md5: 'm' } } };
  expect(sameManifest(a, { version: 2, website: 'w', objects: { y: { etag: 'f', headers: 'h', md5: 'm' }, x: { etag: 'e', headers: 'h' } } })).toBe(true);
  expect(sameManifest(a, { ...a, website: undefined })).toBe(false);
  expect(sameManifest(a, { ...a, objects: { ...a.objects, x: { etag: 'e', headers: 'other' } } })).toBe(false);
  expect(sameManifest(a, { ...a, objects: { x: a.objects.x } })).toBe(false);
  expect(sameManifest(a, { ...a, objects: { ...a.objects, y: { etag: 'f', headers: 'h' } } })).toBe(false);
});

test('malformed entries and unknown fields are dropped; equal header fingerprints are shared', () => {
  const text = JSON.stringify({
    version: 2,
    objects: { a: { etag: 'e1', headers: 'h1', extra: 1 }, b: { etag: 'e2', headers: 'h1' }, c: { etag: 3, headers: 'h' }, d: null, e: { etag: 'e', headers: 'h', md5: 5 } },
  });
  const manifest = parseManifest(text);
  expect(manifest.objects).toEqual({ a: { etag: 'e1', headers: 'h1' }, b: { etag: 'e2', headers: 'h1' } });
  expect(parseManifest('{"version":2,"objects":[{"etag":"e","headers":"h"}]}').objects).toEqual({});
});

test('a manifest of many objects (written in slices) is one valid document with every entry, in key order', () => {
  const objects = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p/${String(i).padStart(5, '0')}.html`, { etag: `e${i}`, headers: 'h' }]));
  const text = serializeManifest({ version: 2, objects });
  expect(parseManifest(text).objects).toEqual(objects);
  const lines = text.split('\n');
  expect(lines).toHaveLength(5000 + 3);
  expect(lines[1]).toBe('"p/00000.html":{"etag":"e0","headers":"h"},');
  expect(lines[5000]).toBe('"p/04999.html":{"etag":"e4999","headers":"h"}');
});

describe('the stored manifest', () => {
  const hex = (seed: number) => manifestKey(`etag ${seed}`).replace(/[^a-f0-9]/g, '0').padEnd(32, '0').slice(0, 32);
  const large = {
    version: 2 as const,
    website: 'w',
    objects: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [manifestKey(`page-${i}.html`), { etag: hex(i), headers: i % 3 === 0 ? 'f559df5a8a0b7ab2' : '0123456789abcdef' }])),
  };

  test('is gzip-compressed: well under half the bytes of its text (it is read on every publish)', () => {
    const body = manifestBody(large);
    expect(body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(body.length).toBeLessThan(Buffer.byteLength(serializeManifest(large)) / 2);
    expect(readManifest(body)).toEqual(large);
  });

  test('written by an earlier fleuron as plain JSON text, it is read the same', () => {
    expect(readManifest(Buffer.from(serializeManifest(large)))).toEqual(large);
  });

  test('a missing, cut or unreadable body is harmless: empty', () => {
    expect(readManifest(undefined)).toEqual({ version: 2, objects: {} });
    expect(readManifest(manifestBody(large).subarray(0, 100))).toEqual({ version: 2, objects: {} });
    expect(readManifest(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toEqual({ version: 2, objects: {} });
  });
});

test('git blobs (for fresh clones) round-trip and take part in sameManifest; one not a hex SHA-1 drops its entry', () => {
  const blob = 'a'.repeat(40);
  const manifest = { version: 2 as const, objects: { x: { etag: 'e', headers: 'h', git: blob }, y: { etag: 'f', headers: 'h' } } };
  expect(parseManifest(serializeManifest(manifest))).toEqual(manifest);
  expect(sameManifest(manifest, { ...manifest, objects: { ...manifest.objects, x: { etag: 'e', headers: 'h' } } })).toBe(false);
  expect(parseManifest('{"version":2,"objects":{"x":{"etag":"e","headers":"h","git":"HEAD"},"y":{"etag":"f","headers":"h","git":7}}}').objects).toEqual({});
});
