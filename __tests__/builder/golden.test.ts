/** Golden test: a small site is built and every output file compared with the reviewed copy in golden/…/expected (UPDATE_GOLDEN=1 rewrites it). */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from '../../lib/builder/index.js';
import { readTree, tempDir } from './support/temp-site.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe.each(['small-site'])('golden site %s', (name) => {
  it('builds exactly the reviewed output', async () => {
    const sourceDir = path.join(here, 'golden', name, 'src');
    const expectedDir = path.join(here, 'golden', name, 'expected');
    const root = await tempDir();
    const outDir = path.join(root, 'out');
    const result = await buildSite({ sourceDir, outDir, cacheDir: path.join(root, 'cache') });
    const actual = await readTree(outDir);
    if (process.env.UPDATE_GOLDEN === '1') {
      await rm(expectedDir, { recursive: true, force: true });
      for (const [file, bytes] of actual) {
        await mkdir(path.dirname(path.join(expectedDir, file)), { recursive: true });
        await writeFile(path.join(expectedDir, file), bytes);
      }
    }
    const expected = await readTree(expectedDir);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [file, bytes] of expected) expect({ file, text: actual.get(file)!.toString() }).toEqual({ file, text: bytes.toString() });
    expect(result.warnings).toEqual([]);
  });
});
