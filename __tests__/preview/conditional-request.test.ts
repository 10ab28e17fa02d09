/** Conditional GET (304/412) and single ranges (206/416), as pure decisions. */
import { evaluatePreconditions, matchesAny, parseRange } from '../../lib/preview/conditional-request.js';

const etag = '"0123456789abcdef0123456789abcdef"';
const modified = new Date('2026-03-01T10:00:00.750Z');

describe('evaluatePreconditions', () => {
  it('serves the object without conditions', () => {
    expect(evaluatePreconditions({}, etag, modified)).toBe('ok');
  });

  it('answers 304 when If-None-Match names the ETag (in a list, weakly, or *)', () => {
    expect(evaluatePreconditions({ ifNoneMatch: etag }, etag, modified)).toBe('not-modified');
    expect(evaluatePreconditions({ ifNoneMatch: `"other", ${etag}` }, etag, modified)).toBe('not-modified');
    expect(evaluatePreconditions({ ifNoneMatch: `W/${etag}` }, etag, modified)).toBe('not-modified');
    expect(evaluatePreconditions({ ifNoneMatch: '*' }, etag, modified)).toBe('not-modified');
    expect(evaluatePreconditions({ ifNoneMatch: '"other"' }, etag, modified)).toBe('ok');
  });

  it('uses If-Modified-Since only without If-None-Match, at one-second precision', () => {
    expect(evaluatePreconditions({ ifModifiedSince: modified.toUTCString() }, etag, modified)).toBe('not-modified');
    expect(evaluatePreconditions({ ifModifiedSince: new Date('2026-03-01T09:59:59Z').toUTCString() }, etag, modified)).toBe('ok');
    expect(evaluatePreconditions({ ifNoneMatch: '"other"', ifModifiedSince: modified.toUTCString() }, etag, modified)).toBe('ok');
    expect(evaluatePreconditions({ ifModifiedSince: 'not a date' }, etag, modified)).toBe('ok');
  });

  it('fails If-Match and If-Unmodified-Since with 412', () => {
    expect(evaluatePreconditions({ ifMatch: '"other"' }, etag, modified)).toBe('precondition-failed');
    expect(evaluatePreconditions({ ifMatch: etag }, etag, modified)).toBe('ok');
    expect(evaluatePreconditions({ ifMatch: `W/${etag}` }, etag, modified)).toBe('precondition-failed');
    expect(evaluatePreconditions({ ifUnmodifiedSince: new Date('2026-02-01T00:00:00Z').toUTCString() }, etag, modified)).toBe('precondition-failed');
    expect(evaluatePreconditions({ ifUnmodifiedSince: modified.toUTCString() }, etag, modified)).toBe('ok');
  });

  it('compares entity tags strongly or weakly', () => {
    expect(matchesAny(`W/${etag}`, etag, true)).toBe(true);
    expect(matchesAny(`W/${etag}`, etag, false)).toBe(false);
    expect(matchesAny(' , ', etag, true)).toBe(false);
  });
});

describe('parseRange', () => {
  it('serves the whole body without a Range, or with one it does not understand', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' });
    expect(parseRange('items=0-5', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=-', 100)).toEqual({ kind: 'whole' });
    expect(parseRange('bytes=5-3', 100)).toEqual({ kind: 'whole' });
  });

  it('serves one range, clamped to the body', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
  });

  it('refuses ranges past the end (416) and several ranges (Garage: 400)', () => {
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'multiple' });
  });
});
