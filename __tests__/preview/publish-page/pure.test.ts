/** The publish page's pure core: the request guard, the .env edit, the plan's groups, the page size. */
import { gzipSync } from 'node:zlib';
import { parseEnv } from 'node:util';
import { checkKeysForm, ignoresDotEnv, setDotEnvValues } from '../../../lib/preview/publish-page/dotenv-file.js';
import { mainPageHtml, MAX_ITEMS } from '../../../lib/preview/publish-page/page-html.js';
import { groupPlan, previewUrlOf } from '../../../lib/preview/publish-page/plan-groups.js';
import { judgeStateChange } from '../../../lib/preview/publish-page/request-guard.js';
import { keySourceOf } from '../../../lib/preview/publish-page/target-source.js';
import type { LocalFile, Plan } from '../../../lib/publish/types.js';

const TOKEN = '0123456789abcdef0123456789abcdef';
const own = { method: 'POST', host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080', secFetchSite: 'same-origin', token: TOKEN };

describe('judgeStateChange', () => {
  it('accepts the page’s own POST, with Origin or (older browsers) Sec-Fetch-Site alone', () => {
    expect(judgeStateChange(own, TOKEN)).toEqual({ ok: true });
    expect(judgeStateChange({ ...own, secFetchSite: undefined }, TOKEN)).toEqual({ ok: true });
    expect(judgeStateChange({ ...own, origin: undefined }, TOKEN)).toEqual({ ok: true });
    expect(judgeStateChange({ ...own, host: 'localhost:8080', origin: 'http://localhost:8080' }, TOKEN)).toEqual({ ok: true });
  });
  it.each([
    ['a GET', { method: 'GET' }],
    ['no token', { token: undefined }],
    ['an empty token', { token: '' }],
    ['a wrong token', { token: TOKEN.replace('0', '1') }],
    ['another site', { origin: 'http://evil.example' }],
    ['Origin null', { origin: 'null' }],
    ['https origin of the same host', { origin: 'https://127.0.0.1:8080' }],
    ['localhost origin to 127.0.0.1 host', { origin: 'http://localhost:8080' }],
    ['cross-site fetch metadata', { secFetchSite: 'cross-site' }],
    ['same-site (another port) fetch metadata', { secFetchSite: 'same-site' }],
    ['no Origin and no fetch metadata', { origin: undefined, secFetchSite: undefined }],
  ])('refuses %s', (_name, change) => {
    expect(judgeStateChange({ ...own, ...change }, TOKEN).ok).toBe(false);
  });
});

describe('the settings form and .env', () => {
  const form = { endpoint: 'https://garage.example.org', region: '', bucket: 'ruche-site', accessKeyId: 'GK31c2f218a2e44f485b94239e', secretAccessKey: 'b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d769d67f16c3835' };
  it('sets the variables fleuron publish reads, region garage by default', () => {
    const checked = checkKeysForm(form, {});
    expect(checked).toEqual({
      ok: true,
      values: { AWS_ENDPOINT_URL: form.endpoint, AWS_REGION: 'garage', FLEURON_BUCKET: 'ruche-site', AWS_ACCESS_KEY_ID: form.accessKeyId, AWS_SECRET_ACCESS_KEY: form.secretAccessKey },
    });
  });
  it('keeps the secret already in .env when the field is empty, and keeps using AWS_ENDPOINT_URL_S3 when .env has it', () => {
    const checked = checkKeysForm({ ...form, secretAccessKey: '' }, { AWS_SECRET_ACCESS_KEY: 'old', AWS_ENDPOINT_URL_S3: 'https://old.example' });
    expect(checked.ok && checked.values).toEqual({ AWS_ENDPOINT_URL_S3: form.endpoint, AWS_REGION: 'garage', FLEURON_BUCKET: 'ruche-site', AWS_ACCESS_KEY_ID: form.accessKeyId });
  });
  it.each([
    ['endpoint', { endpoint: 'garage.example.org' }],
    ['endpoint', { endpoint: 'ftp://garage.example.org' }],
    ['endpoint', { endpoint: 'https://user:pw@garage.example.org' }],
    ['endpoint', { endpoint: 'https://garage.example.org/#x' }],
    ['bucket', { bucket: 'Ruche Site' }],
    ['access key id', { accessKeyId: 'GK1\nAWS_SECRET_ACCESS_KEY=x' }],
    ['secret key', { secretAccessKey: 'abc def' }],
    ['secret key', { secretAccessKey: '' }],
    ['region', { region: 'gar age' }],
  ])('refuses a bad %s, and never repeats the secret in the message', (field, change) => {
    const checked = checkKeysForm({ ...form, ...change }, {});
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.errors.join('\n')).toContain(field);
      expect(checked.errors.join('\n')).not.toContain(form.secretAccessKey);
    }
  });
  it('edits .env in place: other lines and comments kept, one line per variable, parseable', () => {
    const before = '# from the admin\nexport AWS_REGION=us-east-1\nOTHER=1\nAWS_ACCESS_KEY_ID=old\n';
    const after = setDotEnvValues(before, { AWS_REGION: 'garage', AWS_ACCESS_KEY_ID: 'GKnew', FLEURON_BUCKET: 'ruche-site' });
    expect(after).toBe('# from the admin\nAWS_REGION=garage\nOTHER=1\nAWS_ACCESS_KEY_ID=GKnew\nFLEURON_BUCKET=ruche-site\n');
    expect(parseEnv(after)).toEqual({ AWS_REGION: 'garage', OTHER: '1', AWS_ACCESS_KEY_ID: 'GKnew', FLEURON_BUCKET: 'ruche-site' });
    expect(setDotEnvValues('', { A: 'b' })).toBe('A=b\n');
  });
  it('knows when .gitignore already ignores .env', () => {
    expect(ignoresDotEnv('node_modules/\n.env\n')).toBe(true);
    expect(ignoresDotEnv('/.env*\r\n')).toBe(true);
    expect(ignoresDotEnv('.env.example\nnode_modules\n')).toBe(false);
  });
  it('says where the keys come from, the environment first', () => {
    expect(keySourceOf({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, { AWS_ACCESS_KEY_ID: 'c', AWS_SECRET_ACCESS_KEY: 'd' })).toBe('environment');
    expect(keySourceOf({ AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }, { AWS_ACCESS_KEY_ID: 'c', AWS_SECRET_ACCESS_KEY: 'd' })).toBe('.env');
    expect(keySourceOf({ AWS_PROFILE: 'garage', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }, {})).toBe('AWS profile');
    expect(keySourceOf({ AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }, {})).toBeUndefined();
  });
});

const file = (key: string, size = 100): LocalFile => ({ key, size, md5: 'x', headers: { contentType: 'text/html' }, source: { kind: 'bytes', body: Buffer.alloc(0) } });
function planOf(parts: { uploads?: [string, 'new' | 'content differs'][]; deletes?: string[]; headers?: string[] }): Plan {
  return {
    uploads: (parts.uploads ?? []).map(([key, reason]) => ({ kind: 'upload', key, file: file(key), reason })),
    headerUpdates: (parts.headers ?? []).map((key) => ({ kind: 'update-headers', key, file: file(key), reason: 'header rules changed' })),
    deletes: (parts.deletes ?? []).map((key) => ({ kind: 'delete', key, size: 10, reason: 'no longer in the folder' })),
    unchanged: 7,
    manifest: { version: 2, objects: {} },
    manifestChanged: true,
  };
}

describe('groupPlan', () => {
  it('sorts the plan into new, changed and deleted pages, assets and header updates, prefix removed, pages linked to their preview', () => {
    const view = groupPlan(
      planOf({
        uploads: [['site/reunions/index.html', 'new'], ['site/valeurs.html', 'content differs'], ['site/logo.png', 'new']],
        deletes: ['site/ancien.html', 'site/vieux.css'],
        headers: ['site/doc.pdf'],
      }),
      'site/',
    );
    const names = Object.fromEntries(view.groups.map((group) => [group.name, group.items.map((item) => [item.path, item.previewUrl])]));
    expect(names).toEqual({
      'new pages': [['reunions/index.html', '/reunions/']],
      'changed pages': [['valeurs.html', '/valeurs.html']],
      'deleted pages': [['ancien.html', undefined]],
      assets: [['logo.png', '/logo.png'], ['vieux.css', undefined]],
      'header updates': [['doc.pdf', '/doc.pdf']],
    });
    expect(view).toMatchObject({ changes: 6, unchanged: 7, deletes: 2, bytes: 300 });
  });
  it('links a page under its encoded URL', () => {
    expect(previewUrlOf('reunions/Réunion 2.html')).toBe('/reunions/R%C3%A9union%202.html');
    expect(previewUrlOf('index.html')).toBe('/');
  });
});

describe('the page escapes what it shows', () => {
  it('a file or deploy change named like markup is shown as text, in links too', () => {
    const view = groupPlan(planOf({ uploads: [['"><script>alert(1)</script>.html', 'new']] }), '');
    const html = mainPageHtml({
      token: TOKEN,
      target: { bucket: 'b', endpoint: 'https://garage.example.org/?"><b>', region: 'garage', prefix: '', keys: '.env' },
      plan: { kind: 'ready', view, warnings: ['<i>warned</i>'], version: 1, maxDeletes: 256, websiteChange: false, target: 's3://b/' },
      history: { kind: 'none' },
    });
    expect(html).not.toMatch(/<script|<b>|<i>/);
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.html');
    expect(html).toContain('href="/%22%3E%3Cscript%3Ealert(1)%3C/script%3E.html"');
  });
});

describe('the page stays within the budget', () => {
  it('a plan of 5,000 changes and 100 deploys renders under 14 KB gzipped, the lists cut and counted', () => {
    const uploads = Array.from({ length: 5000 }, (_, index) => [`pages/page-${index}.html`, index % 2 ? 'new' : 'content differs'] as [string, 'new']);
    const view = groupPlan(planOf({ uploads, deletes: uploads.slice(0, 300).map(([key]) => `old/${key}`) }), '');
    const records = Array.from({ length: 100 }, (_, index) => ({
      version: 1 as const,
      id: `20261201T0${String(index).padStart(5, '0')}Z-ab12`,
      time: '2026-12-01T09:00:00.000Z',
      bucket: 'b',
      prefix: '',
      kind: 'publish' as const,
      changes: uploads.slice(0, 200).map(([key]) => ({ key, action: 'upload' as const, archived: true })),
    }));
    const html = mainPageHtml({
      token: TOKEN,
      target: { bucket: 'b', endpoint: 'https://garage.example.org', region: 'garage', prefix: '', keys: '.env' },
      plan: { kind: 'ready', view, warnings: [], version: 1, maxDeletes: 256, websiteChange: false, target: 's3://b/' },
      history: { kind: 'ready', records, archiveBucket: 'a' },
    });
    expect(html).toContain(`… and ${2500 - MAX_ITEMS} more`);
    expect(html).not.toMatch(/<script/i);
    expect(gzipSync(html).length).toBeLessThan(14 * 1024);
  });
});
