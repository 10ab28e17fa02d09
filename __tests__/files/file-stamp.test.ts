import { stampOf, stampTimes } from '../../lib/files/file-stamp.js';

describe('stampTimes', () => {
  const stamp = { size: 1234, mtimeMs: 1764600000123.456, ctimeMs: 1764600001999, ino: 987654 };

  test('reads back the times stampOf wrote', () => {
    expect(stampTimes(stampOf(stamp))).toEqual({ mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs });
  });

  test('reads them at the start of a longer text (a hash cache entry)', () => {
    expect(stampTimes(`${stampOf(stamp)}:z\t0123456789abcdef0123456789abcdef:1234:`)).toEqual({ mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs });
  });

  test('whole-second times too', () => {
    const coarse = { size: 0, mtimeMs: 1764600000000, ctimeMs: 1764600002000, ino: 1 };
    expect(stampTimes(stampOf(coarse))).toEqual({ mtimeMs: coarse.mtimeMs, ctimeMs: coarse.ctimeMs });
  });
});
