/**
 * Whatever a writer does while `fleuron preview` runs, the preview's folder ends up byte for byte what a cold build of
 * the same sources writes; and the page-budget warning is said once, then only when the set of pages over it changes.
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildSite } from '../../lib/builder/index.js';
import { startPreview, type BuildOutcome, type Preview } from '../../lib/preview/index.js';
import { readTree, tempDir, writeSite } from '../builder/support/temp-site.js';

let preview: Preview | undefined;
afterEach(async () => {
  await preview?.close();
  preview = undefined;
});

/** Applies an edit and waits for the preview to have built it (a late file event may build once more: wait for quiet). */
async function settle(p: Preview, edit: () => Promise<void>): Promise<BuildOutcome[]> {
  const before = p.version;
  const outcomes: BuildOutcome[] = [];
  await edit();
  let outcome = await p.nextBuild();
  outcomes.push(outcome);
  while (!outcome.ok || p.version === before) outcomes.push((outcome = await p.nextBuild()));
  // Let late events of the same edit trigger (and finish) their build before the next edit.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return outcomes;
}
const shortcuts = (outcomes: BuildOutcome[]) => outcomes.map((outcome) => outcome.ok && outcome.shortcut);

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

  /**
   * After each edit, not only at the end: a rebuild that takes a shortcut (a page edit rebuilds from what the watcher
   * reported, without walking the folder) and goes wrong would otherwise be mended by a later full rebuild.
   */
  it('matches a cold build after each kind of edit, one at a time', async () => {
    const notes: Record<string, string> = {};
    for (let n = 1; n <= 24; n++) notes[`notes/n${String(n).padStart(2, '0')}.md`] = `---\ntitle: Note ${n}\n---\nNote ${n}.\n`;
    const src = await writeSite({
      'fleuron.yaml': 'title: Essai\nbaseUrl: https://ex.org/\npagination: { pageSize: 6 }\nbudget: { pageKb: 1000 }\n',
      'index.md': '---\ntitle: Accueil\n---\nBienvenue.',
      'a.md': '---\ntitle: A\n---\nVoir [B](b.md).',
      'b.md': '---\ntitle: B\ndate: 2024-01-01\n---\nB.',
      'inclus.md': '---\ntitle: Inclus\n---\nAvant.\n\n{{#include notes/n01.md:4}}\n',
      'long.md': `---\ntitle: Longue\n---\n${Array.from({ length: 1500 }, (_, n) => `Paragraphe ${n}, *un peu* de **texte** et \`de code\`.`).join('\n\n')}\n`,
      ...notes,
    });
    const root = await tempDir();
    const outDir = path.join(root, 'preview');
    // A short quiet time, so that the watcher reports the edit made during a rebuild while that rebuild still runs.
    const p = (preview = await startPreview({ sourceDir: src, outDir, cacheDir: path.join(root, 'cache'), port: 0, reload: false, watch: true, debounceMs: 2 }));
    const file = (name: string) => path.join(src, name);
    const sameAsCold = async (step: string) => {
      const coldRoot = await tempDir();
      const cold = await buildSite({ sourceDir: src, outDir: path.join(coldRoot, 'out'), cacheDir: path.join(coldRoot, 'cache') });
      const [served, expected] = await Promise.all([readTree(outDir), readTree(cold.outDir)]);
      // Named by step, so a failure says which edit the preview got wrong.
      expect({ step, files: [...served.keys()].sort() }).toEqual({ step, files: [...expected.keys()].sort() });
      for (const [name, bytes] of expected) expect({ step, name, text: served.get(name)?.toString() }).toEqual({ step, name, text: bytes.toString() });
    };

    // The edits a writer makes most are rebuilt without walking the folder; what this test checks is that shortcut.
    expect(shortcuts(await settle(p, () => appendFile(file('a.md'), '\nUn ajout au corps.\n')))).toContain(true);
    await sameAsCold('body edit');
    expect(shortcuts(await settle(p, () => writeFile(file('notes/n05.md'), '---\ntitle: Note cinq, renommée\n---\nNote 5.\n')))).toContain(true);
    await sameAsCold('title edit');
    await settle(p, () => writeFile(file('notes/n01.md'), '---\ntitle: Note 1\n---\nNote 1, changée, incluse ailleurs.\n'));
    await sameAsCold('edit of an included page');
    await settle(p, () => writeFile(file('b.md'), '---\ntitle: B\ndate: 2025-06-01\n---\nB, redaté.'));
    await sameAsCold('date edit');
    await settle(p, () => writeFile(file('notes/n06.md'), '---\ntitle: Note 6\ndraft: true\n---\nNote 6.\n'));
    await sameAsCold('page made a draft');
    await settle(p, () => writeFile(file('notes/n07.md'), '---\ntitle: Note 7\nslug: sept\n---\nNote 7.\n'));
    await sameAsCold('slug edit');
    expect(shortcuts(await settle(p, () => writeFile(file('notes/n40.md'), '---\ntitle: Note 40\n---\nNouvelle.\n')))).not.toContain(true);
    await sameAsCold('new page');
    await settle(p, () => rm(file('notes/n11.md')));
    await sameAsCold('deleted page');
    await settle(p, () => rename(file('notes/n12.md'), file('notes/z12.md')));
    await sameAsCold('renamed page');
    await settle(p, async () => {
      await mkdir(file('_layouts'), { recursive: true });
      await writeFile(file('_layouts/page.liquid'), '{% layout "base" %}{%- block main %}<article class="mine">{{ page.content | raw }}</article>{%- endblock %}');
    });
    await sameAsCold('new layout');
    await settle(p, () => writeFile(file('_layouts/page.liquid'), '{% layout "base" %}{%- block main %}<article class="autre">{{ page.content | raw }}</article>{%- endblock %}'));
    await sameAsCold('layout edit');
    await settle(p, () => writeFile(file('fleuron.yaml'), 'title: Essai 2\nbaseUrl: https://ex.org/\npagination: { pageSize: 5 }\nbudget: { pageKb: 1000 }\n'));
    await sameAsCold('config edit');
    await settle(p, () => appendFile(file('notes/n02.md'), '\nAprès la config.\n'));
    await sameAsCold('body edit after a full rebuild');
    // Same size, back to back: the second edit falls within the first's "just changed" window of the file stamp.
    await settle(p, async () => {
      await writeFile(file('notes/n03.md'), '---\ntitle: Note 3\n---\nVersion un.\n');
      await p.nextBuild();
      await writeFile(file('notes/n03.md'), '---\ntitle: Note 3\n---\nVersion 2!\n');
    });
    await sameAsCold('two edits of one file within the stamp window');
    // A page changes while a rebuild runs (one rendering a long page): the change is built next, whatever the moment.
    for (const delay of [5, 15, 30, 50, 80]) {
      await settle(p, async () => {
        await appendFile(file('long.md'), `\nAjout ${delay}.\n`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        await writeFile(file('notes/n04.md'), `---\ntitle: Note 4\n---\nChangée ${delay} ms après une autre page.\n`);
      });
      await sameAsCold(`edit ${delay} ms into a rebuild`);
    }
    await settle(p, async () => {
      await appendFile(file('notes/n08.md'), '\nHuit.\n');
      await writeFile(file('notes/n09.md'), '---\ntitle: Note neuf\n---\nNeuf.\n');
    });
    await sameAsCold('two pages at once');
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
