import { checkLockLabel, describeHolder, judgeLock, thisProcess, newLockRecord } from '../../lib/publish/publish-lock.js';
import os from 'node:os';

const now = new Date('2026-11-25T12:00:00Z');
const machine = 'a1b2c3d4e5f60718';
const record = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ owner: 'o1', process: { machine, pid: 42, start: '1234' }, started: '2026-11-25T11:59:00Z', expires: '2026-11-25T12:01:00Z', ...over });
const here = (alive: boolean, at = machine) => ({ machine: at, isAlive: () => alive });

test('no lock object: free', () => {
  expect(judgeLock(undefined, now, here(true))).toEqual({ kind: 'free' });
});

test('a fresh lock of a live process is held', () => {
  expect(judgeLock(record(), now, here(true)).kind).toBe('held');
});

test('a fresh lock from another machine is held even though we cannot see its process', () => {
  expect(judgeLock(record(), now, here(false, 'ffffffffffffffff')).kind).toBe('held');
});

test('a lock whose process is gone from this machine is abandoned at once (a killed publish)', () => {
  expect(judgeLock(record(), now, here(false))).toMatchObject({ kind: 'abandoned', why: 'its process is gone' });
});

test('liveness is asked with the pid and its start time: a reused pid is not the holder', () => {
  const asked: unknown[] = [];
  judgeLock(record(), now, { machine, isAlive: (pid, start) => (asked.push([pid, start]), true) });
  expect(asked).toEqual([[42, '1234']]);
});

test('two containers with the same host name: a lock naming the host, without a machine id, is held until it expires', () => {
  const old = JSON.stringify({ owner: 'o1', user: 'ana', host: os.hostname(), pid: 999_999, started: '2026-11-25T11:59:00Z', expires: '2026-11-25T12:01:00Z' });
  expect(judgeLock(old, now, here(false)).kind).toBe('held');
});

test('where the machine cannot be identified, only the expiry counts', () => {
  expect(judgeLock(record(), now, { machine: undefined, isAlive: () => false }).kind).toBe('held');
});

test('an expired lock is abandoned', () => {
  expect(judgeLock(record({ expires: '2026-11-25T11:59:59Z' }), now, here(true))).toMatchObject({ kind: 'abandoned' });
});

test.each(['{', '{}', '"text"'])('an unreadable lock (%s) is abandoned, not an error', (text) => {
  expect(judgeLock(text, now, here(true))).toEqual({ kind: 'abandoned', why: 'its lock is unreadable' });
});

test('the lock names no user and no host: a random id, the chosen label, and an opaque machine id', () => {
  const text = JSON.stringify(newLockRecord(new Date(), 'CI main'));
  expect(text).not.toContain(os.hostname());
  expect(text).not.toContain(os.userInfo().username);
  const parsed = JSON.parse(text);
  expect(parsed.label).toBe('CI main');
  expect(parsed.owner).toMatch(/^[0-9a-f-]{36}$/);
  expect(describeHolder(parsed)).toMatch(/"CI main"/);
});

test('on Linux this process is identified by a hashed boot and pid-namespace id, its pid and start time', () => {
  const me = thisProcess();
  if (process.platform !== 'linux') return expect(me).toBeUndefined();
  expect(me).toEqual({ machine: expect.stringMatching(/^[0-9a-f]{16}$/), pid: process.pid, start: expect.stringMatching(/^\d+$/) });
});

test('a label is short printable text', () => {
  expect(checkLockLabel('deploy from CI')).toBe('deploy from CI');
  expect(() => checkLockLabel('x'.repeat(100))).toThrow(/lock label/);
  expect(() => checkLockLabel('a\u001b[31m')).toThrow(/lock label/);
});
