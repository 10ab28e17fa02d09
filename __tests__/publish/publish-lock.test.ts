import { judgeLock } from '../../lib/publish/publish-lock.js';

const now = new Date('2026-11-25T12:00:00Z');
const record = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ owner: 'o1', user: 'ana', host: 'laptop', pid: 42, started: '2026-11-25T11:59:00Z', expires: '2026-11-25T12:01:00Z', ...over });
const here = (alive: boolean, host = 'laptop') => ({ host, isAlive: () => alive });

test('no lock object: free', () => {
  expect(judgeLock(undefined, now, here(true))).toEqual({ kind: 'free' });
});

test('a fresh lock of a live process is held', () => {
  expect(judgeLock(record(), now, here(true)).kind).toBe('held');
});

test('a fresh lock from another host is held even though we cannot see its process', () => {
  expect(judgeLock(record(), now, here(false, 'ci-runner')).kind).toBe('held');
});

test('a lock whose process is gone from this host is abandoned at once (a killed publish)', () => {
  expect(judgeLock(record(), now, here(false))).toMatchObject({ kind: 'abandoned', why: 'its process 42 on laptop is gone' });
});

test('an expired lock is abandoned', () => {
  expect(judgeLock(record({ expires: '2026-11-25T11:59:59Z' }), now, here(true))).toMatchObject({ kind: 'abandoned' });
});

test.each(['{', '{}', '"text"'])('an unreadable lock (%s) is abandoned, not an error', (text) => {
  expect(judgeLock(text, now, here(true))).toEqual({ kind: 'abandoned', why: 'its lock is unreadable' });
});
