/**
 * Whatever a writer does while `fleuron preview` runs, the preview's folder ends up byte for byte what a cold build of
 * the same sources writes; and the page-budget warning is said once, then only when the set of pages over it changes.
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite } from '../../lib/builder/index.js';
import { startPreview, type Preview } from '../../lib/preview/index.js';
import { readTree, tempDir, writeSite } from '../builder/support/temp-site.js';

let preview: Preview | undefined;
afterEach(async () => {
  await preview?.close();
  preview = undefined;
});

/** Applies an edit and waits for the preview to have built it (a late file event may build once more: wait for quiet). */
async function settle(p: Preview, edit: () => Promise<void>): Promise<void> {
  const before = p.version;
  await edit();
  let outcome = await p.nextBuild();
  while (!outcome.ok || p.version === before) outcome = await p.nextBuild();
  // Let late events of the same edit trigger (and finish) their build before the next edit.
  await new Promise((resolve) => setTimeout(resolve, 150));
}

describe('fleuron preview after a sequence of edits', () => {
  it('serves exactly what a cold build of the final sources writes', async () => {
    const notes: Record<string, string> = {};
    for (let n = 1; n <= 30; n++) notes[`notes/n${String(n).padStart(2, '0')}.md`] = `---\ntitle: Note ${n}\n---\nNote ${n}.\n`;
    const src = await writeSite({
      'fleuron.yaml': 'title: Essai\nbaseUrl: https://ex.org/\npagination: { pageSize: 8 }\n',
      'index.md': '---\ntitle: Accueil\n---\nBienvenue.',
      'a.md': '---\ntitle: A\n---\nVoir [B](b.md).',
      'b.md': '---\ntitle: B\ndate: 2024-01-01\n---\nB.',
      ...notes,
    });
    const root = await tempDir();
    const outDir = path.join(root, 'preview');
    const p = (preview = await startPreview({ sourceDir: src, outDir, cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: true }));

    await settle(p, () => appendFile(path.join(src, 'a.md'), '\nUn ajout.\n'));
    await settle(p, () => writeFile(path.join(src, 'notes/n05.md'), '---\ntitle: Note cinq, renommée\n---\nNote 5.\n'));
    await settle(p, () => writeFile(path.join(src, 'b.md'), '---\ntitle: B\ndate: 2025-06-01\n---\nB, redaté.'));
    await settle(p, () => rm(path.join(src, 'notes/n11.md')));
    await settle(p, () => rename(path.join(src, 'notes/n12.md'), path.join(src, 'notes/z12.md')));
    await settle(p, async () => {
      await mkdir(path.join(src, '_layouts'), { recursive: true });
      await writeFile(path.join(src, '_layouts/page.liquid'), '{% layout "base" %}{%- block main %}<article class="mine">{{ page.content | raw }}</article>{%- endblock %}');
    });
    await settle(p, () => writeFile(path.join(src, 'fleuron.yaml'), 'title: Essai 2\nbaseUrl: https://ex.org/\npagination: { pageSize: 5 }\n'));
    await settle(p, () => writeFile(path.join(src, 'notes/n40.md'), '---\ntitle: Note 40\n---\nNouvelle.\n'));

    const coldRoot = await tempDir();
    const cold = await buildSite({ sourceDir: src, outDir: path.join(coldRoot, 'out'), cacheDir: path.join(coldRoot, 'cache') });
    expect(await readTree(outDir)).toEqual(await readTree(cold.outDir));
    expect(await readFile(path.join(outDir, 'notes/page/6.html'), 'utf8')).toContain('rel="prev"');
  });

  it('says which pages are over budget once, and again only when that set changes', async () => {
    const big = (words: number) => Array.from({ length: words }, (_, index) => `Mot${index} ${'texte '.repeat(index % 13)}.`).join('\n\n');
    // The budget counts the bytes as served (uncompressed by default), the stylesheet included.
    const src = await writeSite({ 'fleuron.yaml': 'title: T\nbudget: { pageKb: 12 }\n', 'index.md': 'Petit.', 'gros.md': big(400) });
    const root = await tempDir();
    const lines: string[] = [];
    const p = (preview = await startPreview({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: true, log: (line) => lines.push(line) }));
    const budgetLines = () => lines.filter((line) => line.includes('budget'));
    expect(budgetLines()).toEqual([expect.stringMatching(/^warning: 1 page is over the 12 KiB budget .*gros\.html/)]);

    await settle(p, () => appendFile(path.join(src, 'gros.md'), '\n\nEncore un peu.\n'));
    await settle(p, () => appendFile(path.join(src, 'index.md'), '\n\nUn peu plus.\n'));
    expect(budgetLines()).toHaveLength(1);

    await settle(p, () => writeFile(path.join(src, 'autre.md'), big(500)));
    expect(budgetLines()).toHaveLength(2);
    expect(budgetLines()[1]).toMatch(/^warning: 2 pages are over the 12 KiB budget .*(autre\.html.*gros\.html|gros\.html.*autre\.html)/);

    await settle(p, async () => {
      await writeFile(path.join(src, 'autre.md'), 'Court.');
      await writeFile(path.join(src, 'gros.md'), 'Court aussi.');
    });
    expect(budgetLines().at(-1)).toBe('every page is within the page budget now');
  });
});
