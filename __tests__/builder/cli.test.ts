/** `fleuron build` as a user runs it: the compiled CLI in a child process (npm test compiles dist/ first). */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir, writeSite } from './support/temp-site.js';

const run = promisify(execFile);
const cli = path.resolve('bin/fleuron.js');

async function fleuron(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [cli, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('fleuron build', () => {
  it('builds site-src into public by default and prints a summary and the size report', async () => {
    const cwd = await tempDir();
    await writeSite({ 'fleuron.yaml': 'title: T\n', 'index.md': '# Hi', 'notes/Réunion 2.md': 'x' }, path.join(cwd, 'site-src'));
    const { code, stdout, stderr } = await fleuron(['build'], cwd);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^built 4 pages \(4 rendered, 0 from cache\), \d+ files into public in \d+ ms$/m);
    expect(stdout).toContain('budget 14.0 KiB a page');
    expect(existsSync(path.join(cwd, 'public/notes/Réunion 2.html'))).toBe(true);
    expect(existsSync(path.join(cwd, '.fleuron/build-cache'))).toBe(true);
    const again = await fleuron(['build'], cwd);
    expect(again.stdout).toContain('(0 rendered, 4 from cache)');
    expect(again.stdout).toContain('0 written');
  });

  it('exits 1 with one line naming file:line on a broken link, and 0 with --broken-links warn', async () => {
    const cwd = await tempDir();
    await writeSite({ 'index.md': 'intro\n\n[x](nope.md)' }, path.join(cwd, 'src'));
    const failed = await fleuron(['build', 'src', '--out', 'site'], cwd);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim()).toBe('fleuron: src/index.md:3: broken link "nope.md": no page nope.md — fix the link, or build with --broken-links warn');
    const warned = await fleuron(['build', 'src', '--out', 'site', '--broken-links', 'warn'], cwd);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning: src/index.md:3: broken link');
  });

  it('exits 1 on invalid front matter and 2 on usage or config mistakes', async () => {
    const cwd = await tempDir();
    await writeSite({ 'index.md': '---\ntitle: [\n---\n' }, path.join(cwd, 'bad'));
    await writeSite({ 'fleuron.yaml': 'titre: x\n', 'index.md': 'x' }, path.join(cwd, 'typo'));
    const frontMatter = await fleuron(['build', 'bad', '--out', 'o1'], cwd);
    expect(frontMatter.code).toBe(1);
    expect(frontMatter.stderr).toMatch(/^fleuron: bad\/index\.md:\d+: invalid YAML in front matter/);
    const typo = await fleuron(['build', 'typo', '--out', 'o2'], cwd);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe(`fleuron: ${path.join(cwd, 'typo', 'fleuron.yaml')}: unknown key "titre" — did you mean "title"?`);
    expect((await fleuron(['build', 'missing'], cwd)).code).toBe(2);
    expect((await fleuron(['build', 'typo', '--broken-links', 'maybe'], cwd)).code).toBe(2);
  });
});
