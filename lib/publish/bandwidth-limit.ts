/** A token bucket on bytes: caps upload bandwidth for slow home uplinks. */
import { Transform, type TransformCallback } from 'node:stream';

export class BandwidthLimit {
  private available: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  /** @param bytesPerSecond sustained rate; bursts up to one second's worth. */
  constructor(private readonly bytesPerSecond: number) {
    this.available = bytesPerSecond;
  }

  /** Resolves once `bytes` may be sent. Callers are served in order. */
  take(bytes: number): Promise<void> {
    const turn = this.queue.then(() => this.wait(bytes));
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async wait(bytes: number): Promise<void> {
    let needed = bytes;
    while (needed > 0) {
      const now = Date.now();
      this.available = Math.min(this.bytesPerSecond, this.available + ((now - this.last) / 1000) * this.bytesPerSecond);
      this.last = now;
      const grant = Math.min(needed, this.available);
      this.available -= grant;
      needed -= grant;
      if (needed > 0) await new Promise((resolve) => setTimeout(resolve, Math.max(10, Math.min(1000, (needed / this.bytesPerSecond) * 1000))));
    }
  }

  /** A pass-through stream that releases chunks at the capped rate (for multipart bodies). */
  stream(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        this.take(chunk.length).then(() => callback(null, chunk), callback);
      },
    });
  }
}

