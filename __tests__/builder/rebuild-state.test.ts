/** Which watcher reports a rebuild may take as page edits only (the preview's shortcut), and which mean a full build. */
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { editedPages, RebuildState, restampPages } from '../../lib/builder/rebuild-state.js';
import { scanSources } from '../../lib/builder/load/sources.js';
import { tempDir, writeSite } from './support/temp-site.js';

async function stateOf(src: string): Promise<RebuildState> {
  const state = new RebuildState();
  const files = await scanSources(src, { stampedAt: Date.now() + 10_000 });
  state.remember({ files, leftovers: [], warnings: [], config: '{}' }, { files: [], generated: new Map() }, { pages: [], rest: '', byOutput: new Map() });
  return state;
}

describe('editedPages', () => {
  let src: string;
  let state: RebuildState;
  beforeAll(async () => {
    src = await writeSite({ 'index.md': 'Accueil', 'notes/a.md': 'A', 'SUMMARY.md': '- [A](notes/a.md)', 'image.png': 'png', 'fleuron.yaml': 'title: T\n' });
    state = await stateOf(src);
  });

  it('names the pages the last scan found', () => {
    expect(editedPages(['notes/a.md', 'index.md', 'notes/a.md'], state.scan)).toEqual(['notes/a.md', 'index.md']);
    expect(editedPages([`notes${path.sep}a.md`], state.scan)).toEqual(['notes/a.md']);
    expect(editedPages([], state.scan)).toEqual([]);
  });

  it('is undefined for anything else: unknown path, copied file, book summary, config, nameless event, no report, no scan', () => {
    expect(editedPages(['notes/b.md'], state.scan)).toBeUndefined();
    expect(editedPages(['notes'], state.scan)).toBeUndefined();
    expect(editedPages(['image.png'], state.scan)).toBeUndefined();
    expect(editedPages(['SUMMARY.md'], state.scan)).toBeUndefined();
    expect(editedPages(['fleuron.yaml'], state.scan)).toBeUndefined();
    expect(editedPages(['index.md', ''], state.scan)).toBeUndefined();
    expect(editedPages(undefined, state.scan)).toBeUndefined();
    expect(editedPages(['index.md'], undefined)).toBeUndefined();
  });
});

describe('restampPages', () => {
  it('stamps the edited pages again, and is undefined when one is gone', async () => {
    const src = await writeSite({ 'a.md': 'A', 'b.md': 'B' }, path.join(await tempDir(), 'src'));
    const state = await stateOf(src);
    const before = state.scan!.bySource.get('a.md')!;
    await appendFile(path.join(src, 'a.md'), ' et plus');
    const files = restampPages(state.scan!, ['a.md'])!;
    const after = files.find((file) => file.sourcePath === 'a.md')!;
    expect(after.size).toBe(before.size + ' et plus'.length);
    expect(after.stamp).not.toBe(before.stamp);
    expect(files.find((file) => file.sourcePath === 'b.md')).toBe(state.scan!.bySource.get('b.md'));
    await rm(path.join(src, 'b.md'));
    expect(restampPages(state.scan!, ['b.md'])).toBeUndefined();
  });
});
