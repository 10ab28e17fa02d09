/**
 * How deleteKeys reads the answers. A per-key error inside a 200 answer cannot be produced by the test servers (their
 * keys may delete anything), so this pins it with a stand-in `send`; the deletes themselves run against real servers
 * in __tests__/integration (publish, archive, rollback, safety).
 */
import { DeleteObjectCommand, DeleteObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { deleteKeys } from '../../lib/s3/delete-keys.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';

function standIn(answer: (keys: string[]) => { Errors?: { Key: string; Code: string; Message: string }[] }) {
  const calls: { command: string; keys: string[] }[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof DeleteObjectsCommand) {
        const keys = command.input.Delete!.Objects!.map((object) => object.Key!);
        calls.push({ command: 'DeleteObjects', keys });
        return answer(keys);
      }
      if (command instanceof DeleteObjectCommand) {
        calls.push({ command: 'DeleteObject', keys: [command.input.Key!] });
        return {};
      }
      throw new Error('unexpected command');
    },
  } as unknown as S3Client;
  return { client, calls };
}

test('batches of 1,000; every key confirmed; each key a batch reports as failed is a failure, not a delete', async () => {
  const keys = Array.from({ length: 2500 }, (_, i) => `k${i}`);
  const { client, calls } = standIn((batch) => (batch.includes('k1500') ? { Errors: [{ Key: 'k1500', Code: 'AccessDenied', Message: 'no' }] } : {}));
  const seen: string[] = [];
  const result = await deleteKeys(S3Requests.over(client), 'b', keys, { onDeleted: (key) => seen.push(key) });
  expect(calls.map((call) => call.keys.length)).toEqual([1000, 1000]); // stops after the failed batch
  expect(result.failures).toEqual([{ key: 'k1500', error: expect.objectContaining({ name: 'AccessDenied' }) }]);
  expect(result.deleted).toHaveLength(1999);
  expect(result.deleted).not.toContain('k1500');
  expect(seen).toEqual(result.deleted);
});

test('keys XML cannot carry go one by one, after the batches', async () => {
  const { client, calls } = standIn(() => ({}));
  const result = await deleteKeys(S3Requests.over(client), 'b', ['a.html', 'photo\u0001.jpg', 'b\rc', 'd.html']);
  expect(calls).toEqual([
    { command: 'DeleteObjects', keys: ['a.html', 'd.html'] },
    { command: 'DeleteObject', keys: ['photo\u0001.jpg'] },
    { command: 'DeleteObject', keys: ['b\rc'] },
  ]);
  expect(result.failures).toEqual([]);
  expect(result.deleted).toHaveLength(4);
});
