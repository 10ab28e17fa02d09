import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadSiteConfig, parseSiteConfig, SITE_CONFIG_KEYS } from '../../lib/builder/load/site-config.js';
import { ExitCode, FleuronError } from '../../lib/errors/fleuron-error.js';

function errorOf(data: Record<string, unknown>): FleuronError {
  try {
    parseSiteConfig(data, 'site/fleuron.yaml');
  } catch (error) {
    return error as FleuronError;
  }
  throw new Error('expected parseSiteConfig to throw');
}

describe('parseSiteConfig', () => {
  it('applies defaults', () => {
    expect(parseSiteConfig({}, 'f.yaml', 'my-site')).toEqual({
      title: 'my-site',
      language: 'en',
      urls: 'html',
      feed: { limit: 20 },
      budget: { pageKb: 14 },
      pagination: { pageSize: 50 },
      servedGzipped: false,
      markdown: { allowHtml: false, toc: false, maxFileKb: 2048, pageTimeLimitSeconds: 10, alerts: false, definitionLists: false, highlight: false },
    });
  });

  it('reads a complete config and normalises the base URL', () => {
    const config = parseSiteConfig(
      {
        title: 'Ruche',
        baseUrl: 'https://example.org/site',
        language: 'fr-CA',
        description: 'd',
        author: { name: 'A', email: 'a@example.org', url: 'https://a.example.org' },
        navigation: [{ title: 'Notes', path: 'notes/' }],
        editLink: 'https://git.example.org/{path}',
        urls: 'pretty',
        feed: { title: 'Journal', limit: 5 },
        budget: { pageKb: 10 },
        pagination: { pageSize: 20 },
        markdown: { allowHtml: true, toc: true, maxFileKb: 100, pageTimeLimitSeconds: 10, alerts: true, definitionLists: true, highlight: true },
        publish: { anything: 'goes' },
        redirects: [{ whatever: true }],
      },
      'f.yaml',
    );
    expect(config).toEqual({
      title: 'Ruche',
      baseUrl: 'https://example.org/site/',
      language: 'fr-CA',
      description: 'd',
      author: { name: 'A', email: 'a@example.org', url: 'https://a.example.org' },
      navigation: [{ title: 'Notes', path: 'notes/' }],
      editLink: 'https://git.example.org/{path}',
      urls: 'pretty',
      feed: { title: 'Journal', limit: 5 },
      budget: { pageKb: 10 },
      pagination: { pageSize: 20 },
      servedGzipped: false,
      markdown: { allowHtml: true, toc: true, maxFileKb: 100, pageTimeLimitSeconds: 10, alerts: true, definitionLists: true, highlight: true },
    });
  });

  it("reads publish.gzip (the publisher's setting) only to know whether pages are served gzipped", () => {
    expect(parseSiteConfig({ publish: { gzip: true } }, 'f.yaml').servedGzipped).toBe(true);
    expect(parseSiteConfig({ publish: { gzip: 'yes' } }, 'f.yaml').servedGzipped).toBe(false);
  });

  it('accepts an author given as a plain name', () => {
    expect(parseSiteConfig({ author: 'Amina' }, 'f.yaml').author).toEqual({ name: 'Amina' });
  });

  it('lists the publisher keys among the known top-level keys', () => {
    expect(SITE_CONFIG_KEYS).toEqual(expect.arrayContaining(['publish', 'redirects', 'title', 'baseUrl']));
  });

  it.each([
    [{ pagination: { pageSize: 2.5 } }, 'site/fleuron.yaml: "pagination.pageSize" must be a whole number of entries', 'e.g. pagination: { pageSize: 50 }'],
    [{ pagination: { pageSiz: 10 } }, 'site/fleuron.yaml: pagination: unknown key "pageSiz"', 'did you mean "pageSize"?'],
    [{ titel: 'x' }, 'site/fleuron.yaml: unknown key "titel"', 'did you mean "title"?'],
    [{ markdown: { allowHTML: true } }, 'site/fleuron.yaml: markdown: unknown key "allowHTML"', 'did you mean "allowHtml"?'],
    [{ feed: { limt: 3 } }, 'site/fleuron.yaml: feed: unknown key "limt"', 'did you mean "limit"?'],
    [{ budget: { pageKB: 3 } }, 'site/fleuron.yaml: budget: unknown key "pageKB"', 'did you mean "pageKb"?'],
    [{ author: { nom: 'x' } }, 'site/fleuron.yaml: author: unknown key "nom"', undefined],
    [{ navigation: [{ title: 'a', paht: 'a.md' }] }, 'site/fleuron.yaml: navigation[0]: unknown key "paht"', 'did you mean "path"?'],
  ])('rejects unknown keys in every section: %j', (data, message, hint) => {
    const error = errorOf(data);
    expect(error.message).toBe(message);
    if (hint) expect(error.hint).toBe(hint);
    expect(error.exitCode).toBe(ExitCode.usage);
  });

  it.each([
    [{ title: 3 }, '"title" must be a non-empty text'],
    [{ baseUrl: 'example.org' }, '"baseUrl" must be an absolute URL'],
    [{ baseUrl: 'ftp://example.org/' }, '"baseUrl" must be an http(s) URL'],
    [{ language: 'français' }, '"language" must be a language tag'],
    [{ author: 42 }, '"author" must be a name or a mapping'],
    [{ author: { email: 'a@b' } }, '"author.name" must be a non-empty text'],
    [{ navigation: { a: 1 } }, '"navigation" must be a list'],
    [{ navigation: [{ title: 'x' }] }, '"navigation[0]" must be a mapping with both title and path'],
    [{ editLink: 'https://git.example.org/edit' }, '"editLink" must be a URL template containing {path}'],
    [{ feed: 'yes' }, '"feed" must be a mapping'],
    [{ feed: { limit: 0 } }, '"feed.limit" must be a positive number'],
    [{ budget: { pageKb: 'big' } }, '"budget.pageKb" must be a positive number'],
    [{ markdown: { allowHtml: 'yes' } }, '"markdown.allowHtml" must be true or false'],
  ])('rejects wrong types: %j', (data, message) => {
    const error = errorOf(data);
    expect(error.message).toContain('site/fleuron.yaml: ');
    expect(error.message).toContain(message);
  });

  it('reads fleuron.yaml from the site folder, naming it in errors', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fleuron-config-'));
    expect((await loadSiteConfig(dir)).config.title).toBe(path.basename(dir));
    await writeFile(path.join(dir, 'fleuron.yaml'), 'title: Ruche\nlangauge: fr\n');
    await expect(loadSiteConfig(dir)).rejects.toThrow(`${path.join(dir, 'fleuron.yaml')}: unknown key "langauge"`);
  });
});
