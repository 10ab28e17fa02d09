/** The upload bandwidth cap, on a fake clock (no test here depends on real time). */
import { jest } from '@jest/globals';
import { BandwidthLimit } from '../../lib/publish/bandwidth-limit.js';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

test('a second of burst, then the sustained rate', async () => {
  const limit = new BandwidthLimit(1000);
  let done = false;
  void limit.take(2500).then(() => (done = true));
  await jest.advanceTimersByTimeAsync(1400);
  expect(done).toBe(false); // 1000 burst + 1400 refilled < 2500
  await jest.advanceTimersByTimeAsync(200);
  expect(done).toBe(true);
});

test('callers are served in order and share the rate', async () => {
  const limit = new BandwidthLimit(1000);
  const order: string[] = [];
  void limit.take(1000).then(() => order.push('a'));
  void limit.take(500).then(() => order.push('b'));
  void limit.take(500).then(() => order.push('c'));
  await jest.advanceTimersByTimeAsync(10);
  expect(order).toEqual(['a']);
  await jest.advanceTimersByTimeAsync(1100);
  expect(order).toEqual(['a', 'b', 'c']);
});
