/** Counts the HTTP requests a publish makes, by S3 operation: request counts are part of performance. */

export class RequestCounter {
  private readonly counts = new Map<string, number>();

  /** Records one HTTP attempt (a retry counts again). */
  add(operation: string): void {
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** Counts by operation, sorted by name: `{ ListObjectsV2: 10, PutObject: 3 }`. */
  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
