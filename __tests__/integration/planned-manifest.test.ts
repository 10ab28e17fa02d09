/**
 * The manifest's stored bytes are made while the lock's round trips and the uploads run (prepareManifestBody), from
 * the plan: they must be what manifestBody makes, and an apply that leaves the plan (a failed upload) must write the
 * manifest it ends with, not the planned one.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileHeaderPolicy } from '../../lib/headers/header-rules.js';
import { applyPlan } from '../../lib/publish/apply.js';
import { emptyManifest, manifestBody, manifestKey, prepareManifestBody, readManifest } from '../../lib/publish/manifest.js';
import { plan as makePlan } from '../../lib/publish/plan.js';
import { scanLocal } from '../../lib/publish/scan-local.js';
import { createTestBucket, testClient } from '../support/test-s3.js';
import { S3Requests } from '../../lib/s3/s3-requests.js';

const SENTINEL = Buffer.from('the planned manifest');

async function planFolder(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleuron-planned-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  const local = await scanLocal({ dir, prefix: '', policy: compileHeaderPolicy({}), hashCache: false });
  return { dir, plan: makePlan({ local: local.files, remote: new Map(), manifest: emptyManifest(), manifestFound: false }) };
}

async function storedManifest(bucket: string): Promise<Buffer> {
  const client = testClient();
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: '.fleuron/manifest.json' }));
    return Buffer.from(await response.Body!.transformToByteArray());
  } finally {
    client.destroy();
  }
}

test('prepareManifestBody makes the bytes manifestBody makes, letting other work run meanwhile', async () => {
  const objects = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [manifestKey(`p/${i}.html`), { etag: `e${i}`, headers: 'h' }]));
  const manifest = { version: 2 as const, website: 'w', objects };
  let ranMeanwhile = false;
  setImmediate(() => (ranMeanwhile = true));
  const prepared = await prepareManifestBody(manifest);
  expect(ranMeanwhile).toBe(true);
  expect(prepared).toEqual(manifestBody(manifest));
});

describe('the planned manifest body', () => {
  const client = testClient();
  afterAll(() => client.destroy());
  const apply = (bucket: string, plan: Awaited<ReturnType<typeof planFolder>>['plan']) =>
    applyPlan(plan, { requests: S3Requests.over(client), bucket, prefix: '', concurrency: 4, previousManifest: emptyManifest(), plannedManifestBody: Promise.resolve(SENTINEL) });

  test('is written when every action went as planned', async () => {
    const bucket = await createTestBucket('planned');
    const { dir, plan } = await planFolder({ 'a.html': 'a', 'b.css': 'b' });
    try {
      const result = await apply(bucket, plan);
      expect(result.failures).toEqual([]);
      expect(await storedManifest(bucket)).toEqual(SENTINEL);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('is not written when an upload failed: the manifest written is the one the apply ended with', async () => {
    const bucket = await createTestBucket('offplan');
    const { dir, plan } = await planFolder({ 'a.html': 'a', 'b.css': 'b' });
    try {
      appendFileSync(path.join(dir, 'b.css'), 'changed after the scan'); // its upload fails: "changed on disk"
      const result = await apply(bucket, plan);
      expect(result.failures.map((failure) => failure.key)).toEqual(['b.css']);
      const stored = await storedManifest(bucket);
      expect(stored).not.toEqual(SENTINEL);
      expect(readManifest(stored)).toEqual(result.manifest);
      expect(Object.keys(result.manifest.objects)).not.toContain(manifestKey('b.css'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
