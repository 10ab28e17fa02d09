import path from 'node:path';
import { buildSite } from '../../lib/builder/index.js';
import { findLimitProblem, MARKDOWN_LIMITS } from '../../lib/builder/render/markdown-limits.js';
import { FleuronError } from '../../lib/errors/fleuron-error.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

/** The inputs that stalled micromark for seconds to minutes (issue 15). */
const PATHOLOGICAL: Record<string, { text: string; says: RegExp }> = {
  'underscores.md': { text: '_'.repeat(10000) + 'x' + '_'.repeat(10000), says: /underscores\.md:1: a run of 10000 "\*" or "_"/ },
  'openers.md': { text: '[a]('.repeat(50000), says: /openers\.md:1: more than 1000 link openers/ },
  'lists.md': { text: Array.from({ length: 1000 }, (_, level) => `${' '.repeat(2 * level)}- a`).join('\n'), says: /lists\.md:33: lists and block quotes nested about 33 deep/ },
  'quotes.md': { text: '> '.repeat(1950) + 'a', says: /quotes\.md:1: lists and block quotes nested about 1950 deep/ },
  'table.md': { text: `|${' a |'.repeat(30000)}\n|${' - |'.repeat(30000)}\n`, says: /table\.md:2: a table of 30000 columns/ },
};

async function buildError(files: Record<string, string>): Promise<FleuronError> {
  const root = await tempDir();
  const src = await writeSite({ 'index.md': 'home', ...files }, path.join(root, 'src'));
  try {
    await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
  } catch (error) {
    return error as FleuronError;
  }
  throw new Error('expected the build to fail');
}

describe('Markdown limits', () => {
  for (const [file, { text, says }] of Object.entries(PATHOLOGICAL)) {
    it(`refuses ${file} before micromark sees it, naming the file, the line and what to do`, async () => {
      const error = await buildError({ [file]: `---\ntitle: x\n---\n${text}` });
      expect(error).toBeInstanceOf(FleuronError);
      expect(error.code).toBe('markdown-too-complex');
      expect(error.exitCode).toBe(1);
      // Lines are the file's lines: three lines of front matter come first.
      const shifted = new RegExp(says.source.replace(/:(\d+):/, (_, line: string) => `:${Number(line) + 3}:`));
      expect(error.message).toMatch(shifted);
      expect(error.hint).toBeTruthy();
    });
  }

  it('renders what real pages hold near the limits', async () => {
    const root = await tempDir();
    const deepList = Array.from({ length: MARKDOWN_LIMITS.nesting }, (_, level) => `${' '.repeat(2 * level)}- niveau ${level + 1}`).join('\n');
    const src = await writeSite(
      {
        'index.md': [
          '_'.repeat(80),
          '',
          '* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *',
          '',
          '```',
          '/' + '*'.repeat(120) + '/',
          '```',
          '',
          'Nom : ' + '_'.repeat(MARKDOWN_LIMITS.delimiterRun),
          '',
          '> > > citation',
          '',
          deepList,
          '',
          `|${' a |'.repeat(MARKDOWN_LIMITS.tableColumns)}`,
          `|${' - |'.repeat(MARKDOWN_LIMITS.tableColumns)}`,
          '',
          '[un](a.html) [deux](b.html) [trois](<c d.html>) ![x](i.png "t")',
        ].join('\n'),
        'a.md': 'a',
        'b.md': 'b',
        'c d.md': 'c',
        'i.png': 'png',
      },
      path.join(root, 'src'),
    );
    await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache') });
    const html = (await readTree(path.join(root, 'out'))).get('index.html')!.toString();
    expect(html).toContain('<hr />');
    expect(html).toContain(`niveau ${MARKDOWN_LIMITS.nesting}`);
    expect(html).toContain('*'.repeat(120));
    expect(html.match(/<th>a<\/th>/g)).toHaveLength(MARKDOWN_LIMITS.tableColumns);
  });

  it('counts nesting the way it is written: quotes, bullets, ordered items and indentation', () => {
    const depth = (line: string) => findLimitProblem(line)?.message.match(/about (\d+) deep/)?.[1];
    expect(depth('> '.repeat(33) + 'a')).toBe('33');
    expect(depth('- '.repeat(33) + 'a')).toBe('33');
    expect(depth('1. '.repeat(40) + 'a')).toBe('40');
    expect(depth(' '.repeat(64) + '- a')).toBe('33');
    expect(depth('> '.repeat(32) + 'a')).toBeUndefined();
    expect(depth(' '.repeat(62) + '- a')).toBeUndefined();
    // Deep indentation without a marker is code or a continuation, not nesting.
    expect(findLimitProblem(' '.repeat(400) + 'code')).toBeUndefined();
  });

  it('leaves code fences alone, but not a fence micromark does not see as one', () => {
    expect(findLimitProblem('~~~\nx' + '_'.repeat(500) + 'x\n~~~')).toBeUndefined();
    expect(findLimitProblem('```a`b\nx' + '_'.repeat(500) + 'x\n```')?.line).toBe(2);
    expect(findLimitProblem('```\n```\n' + '*'.repeat(60) + 'x')?.line).toBe(3);
  });
});
