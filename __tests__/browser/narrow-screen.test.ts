/**
 * The theme on a 320 px screen, over pages made to be awkward: wide tables and code blocks scroll inside their own box,
 * long words and addresses wrap, and dates never break across lines; the page itself never scrolls sideways.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { buildSite } from '../../lib/builder/index.js';
import { tempDir, writeSite } from '../builder/support/temp-site.js';
import { describeWithBrowser, launchChromium, NARROW } from './support/chromium.js';
import { boxWidths, datesOnSeveralLines } from './support/layout-checks.js';

const WIDE_TABLE = [
  '| Colonne un | Colonne deux | Colonne trois | Colonne quatre | Colonne cinq | Colonne six |',
  '| ---------- | ------------ | ------------- | -------------- | ------------ | ----------- |',
  '| valeur_tres_longue_sans_espace_aucun | b | c | d | e | f |',
].join('\n');
const LONG_CODE = '```sh\ncurl -fsSL https://garage.example.org/une/tres/longue/adresse/qui/ne/tient/pas/sur/une/ligne | sh -s -- --option-longue\n```';

const SITE = {
  'fleuron.yaml': 'title: Essai sur un écran étroit\nlanguage: fr\nbaseUrl: https://ex.org/\n',
  'index.md': '---\ntitle: Accueil\n---\nBonjour.',
  'blog/billet.md': `---\ntitle: Un billet\ndate: 2024-09-15\nupdated: 2024-12-31\n---\nTexte.\n\n${WIDE_TABLE}\n\n${LONG_CODE}\n\nDu \`code_en_ligne_tres_long_qui_ne_se_coupe_nulle_part_dans_le_texte\` et https://garage.example.org/une/adresse/tres/longue/sans/espace/aucun.`,
  'blog/autre.md': '---\ntitle: Douze ans et toujours vaillant\ndate: 2024-02-10\n---\nTexte.',
  'notes/imbrique.md': `---\ntitle: Imbriqué\n---\n## Un_titre_fait_d_un_seul_mot_beaucoup_trop_long_pour_un_telephone\n\n- Dans une liste :\n\n${WIDE_TABLE.replace(/^/gm, '  ')}\n\n> Dans une citation :\n>\n${LONG_CODE.replace(/^/gm, '> ')}`,
};

describeWithBrowser('the theme on a 320 px screen (Chromium, JavaScript off)', () => {
  let root: string;
  let outDir: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    root = await tempDir('fleuron-narrow-');
    const sourceDir = await writeSite(SITE, path.join(root, 'src'));
    outDir = path.join(root, 'out');
    await buildSite({ sourceDir, outDir, cacheDir: path.join(root, 'cache') });
    browser = await launchChromium();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: NARROW, height: 640 } });
    page = await context.newPage();
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const open = (outputPath: string) => page.goto(pathToFileURL(path.join(outDir, outputPath)).href);

  it.each(['blog/billet.html', 'notes/imbrique.html', 'blog/index.html', 'index.html'])('%s does not scroll sideways', async (outputPath) => {
    await open(outputPath);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(NARROW);
  });

  it.each(['blog/billet.html', 'notes/imbrique.html'])('%s: wide tables and code blocks scroll inside their own box', async (outputPath) => {
    await open(outputPath);
    // A table scrolls inside its wrapper (a focusable, labelled region), so that it keeps its table semantics.
    const boxes = await boxWidths(page, '.table, pre');
    expect(boxes.map((box) => box.tag).sort()).toEqual(['div', 'pre']);
    for (const box of boxes) {
      expect({ ...box, withinScreen: box.right <= NARROW, scrollsInside: box.scrollWidth > box.clientWidth }).toMatchObject({ withinScreen: true, scrollsInside: true });
    }
  });

  it.each(['blog/billet.html', 'blog/index.html', 'index.html'])('%s keeps every date on one line', async (outputPath) => {
    await open(outputPath);
    expect(await page.locator('time').count()).toBeGreaterThan(0);
    expect(await datesOnSeveralLines(page)).toEqual([]);
  });
});
