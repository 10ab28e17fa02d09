/** Editor backups, autosaves, swap files and merge leftovers are never published: built from sources or found in a built folder. */
import path from 'node:path';
import { cliEnv, createTestBucket, listBucket, websiteGet } from '../support/test-s3.js';
import { jsonSummary, makeFolder, runCli } from '../support/run-cli.js';

const DRAFT = '---\ntitle: Plan\ndraft: true\n---\nLes mots privés du collectif';
const LEFTOVERS = ['plan.md~', '#plan.md#', 'plan.md.bak', 'plan.md.orig', 'plan.md.rej', 'plan.md.swp', 'notes/plan.md.swo', 'notes/a.html.tmp'];

const siteKeys = async (bucket: string) => [...(await listBucket(bucket)).keys()].filter((key) => !key.startsWith('.fleuron/')).sort();

describe('publish: editor leftovers', () => {
  test('a source folder with a draft and its backups: the backups are neither built nor published, one warning names them', async () => {
    const bucket = await createTestBucket('leftovers');
    const project = await makeFolder({});
    const src = await makeFolder({ 'index.md': '# Accueil', 'plan.md': DRAFT, 'notes/index.md': '# Notes', ...Object.fromEntries(LEFTOVERS.map((name) => [name, DRAFT])) });
    const result = await runCli(['publish', src, '--json', '--out', path.join(project, 'public')], { cwd: project, env: cliEnv(bucket) });
    const summary = jsonSummary(result);
    expect(result.code).toBe(0);
    const keys = await siteKeys(bucket);
    expect(keys).toEqual(['404.html', 'index.html', 'notes/index.html', expect.stringMatching(/^theme\.[0-9a-f]{8,}\.css$/)]);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('plan.md.bak'));
    expect(warnings).toHaveLength(1);
    for (const name of LEFTOVERS) expect(warnings[0]).toContain(name);
    expect(summary.ok).toBe(true);
    expect((await websiteGet(bucket, '/plan.md~')).status).toBe(404);
    expect((await websiteGet(bucket, '/%23plan.md%23')).status).toBe(404);
  });

  test('a built folder holding leftovers: they are not uploaded, and the publish warns once listing them', async () => {
    const bucket = await createTestBucket('leftovers-built');
    const dir = await makeFolder({
      'index.html': '<p>home</p>',
      'index.html~': '<p>old home</p>',
      '#index.html#': 'autosave',
      'style.css.orig': 'a{}',
      'style.css.rej': 'a{}',
      'page.html.bak': 'x',
      '.well-known/security.txt': 'Contact: mailto:a@b',
      '.well-known/security.txt~': 'Contact: mailto:old@b',
    });
    const result = await runCli(['publish', dir, '--json'], { env: cliEnv(bucket) });
    const summary = jsonSummary(result);
    expect(result.code).toBe(0);
    expect(await siteKeys(bucket)).toEqual(['.well-known/security.txt', 'index.html']);
    const warnings = summary.warnings.filter((line) => line.includes('index.html~'));
    expect(warnings).toHaveLength(1);
    for (const name of ['#index.html#', 'style.css.orig', 'style.css.rej', 'page.html.bak', '.well-known/security.txt~']) expect(warnings[0]).toContain(name);
  });

  test('a leftover named in publish include is published after all', async () => {
    const bucket = await createTestBucket('leftovers-include');
    const dir = await makeFolder({ 'index.html': 'home', 'data.bak': 'kept on purpose', 'other.bak': 'x' });
    const project = await makeFolder({ 'fleuron.yaml': 'publish:\n  include: ["data.bak"]\n' });
    const result = await runCli(['publish', dir, '--json'], { cwd: project, env: cliEnv(bucket) });
    expect(result.code).toBe(0);
    expect(await siteKeys(bucket)).toEqual(['data.bak', 'index.html']);
  });
});
