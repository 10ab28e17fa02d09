/**
 * The preview shows the site that gets published: the same site, with a fleuron.yaml and a deuxfleurs.toml that
 * disagree, answers `/`, `/missing`, `/dir` and `/dir/` the same way from `fleuron preview` and from the bucket's
 * website endpoint after `fleuron publish`. Both run as a user runs them: the CLI, in the project folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fetchRaw } from '../preview/support/http.js';
import { CLI, jsonSummary, makeFolder, runCli } from '../support/run-cli.js';
import { cliEnv, createTestBucket, testS3, websiteGet } from '../support/test-s3.js';

// More redirects than a bucket's 50 routing rules: they become objects, so the folder redirect's object must sit
// at the configured index document for `/dir/` to answer.
const fillers = Array.from({ length: 50 }, (_, i) => `  - { from: /old-${i}.html, to: /elsewhere.html }`).join('\n');
const project = {
  // In the working directory, not in the site folder: dxfl reads it there.
  'deuxfleurs.toml': 'index_page = "accueil.html"\nerror_page = "404.html"\n',
  'src/fleuron.yaml': `title: Essai\nlanguage: fr\npublish:\n  website:\n    errorDocument: erreur.html\nredirects:\n  - { from: /dir/, to: /elsewhere.html }\n${fillers}\n`,
  'src/index.md': '---\ntitle: Index\n---\n\npage index.\n',
  'src/accueil.md': '---\ntitle: Accueil\n---\n\npage accueil.\n',
  'src/erreur.md': '---\ntitle: Erreur\n---\n\npage erreur.\n',
  'src/404.md': '---\ntitle: Quatre cent quatre\n---\n\npage 404.\n',
  'src/elsewhere.md': '---\ntitle: Ailleurs\n---\n\npage ailleurs.\n',
};

interface Answer {
  status: number;
  location?: string;
  /** Which page the body is, by its own words. */
  page?: string;
}

function answer(status: number, location: string | undefined, body: Buffer, rootPath: string): Answer {
  const page = /page (\w+)\./.exec(body.toString())?.[1];
  return {
    status,
    ...(location ? { location: location.startsWith(rootPath) ? `/${location.slice(rootPath.length)}` : location } : {}),
    ...(status === 200 || status === 404 ? { page } : {}),
  };
}

function startPreview(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'preview', 'src', '--port', '0', '--no-watch', '--no-reload'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^preview: (http:\/\/\S+)$/m.exec(stdout);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`preview exited ${code}:\n${stdout}\n${stderr}`)));
  });
}

test('conflicting fleuron.yaml and deuxfleurs.toml: the preview and the published site answer alike', async () => {
  const cwd = await makeFolder(project);
  const bucket = await createTestBucket('agree');
  const published = await runCli(['publish', 'src', '--out', path.join(cwd, 'public'), '--json'], { cwd, env: cliEnv(bucket) });
  expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  expect(jsonSummary(published).redirects).toEqual({ count: 51, as: 'objects' });

  const { child, url } = await startPreview(cwd);
  try {
    const paths = ['/', '/missing', '/dir/', ...(testS3().kind === 's3rver' ? ['/dir'] : [])];
    // s3rver serves websites path-style: its Locations start with /<bucket>/.
    const websiteRoot = testS3().websiteHostSuffix ? '/' : `/${bucket}/`;
    for (const wanted of paths) {
      const live = await websiteGet(bucket, wanted);
      const local = await fetchRaw(url, wanted);
      const fromBucket = answer(live.status, live.headers.location as string | undefined, live.body, websiteRoot);
      const fromPreview = answer(local.status, local.headers.location as string | undefined, local.body, '/');
      expect({ path: wanted, ...fromPreview }).toEqual({ path: wanted, ...fromBucket });
    }
    // What both answer, as the README's precedence table says: deuxfleurs.toml's index page (fleuron.yaml names
    // none), fleuron.yaml's error page over deuxfleurs.toml's.
    expect(answer((await fetchRaw(url, '/')).status, undefined, (await fetchRaw(url, '/')).body, '/')).toEqual({ status: 200, page: 'accueil' });
    expect(answer(404, undefined, (await fetchRaw(url, '/missing')).body, '/')).toEqual({ status: 404, page: 'erreur' });
    expect((await fetchRaw(url, '/dir/')).headers.location).toBe('/elsewhere.html');
  } finally {
    child.kill('SIGTERM');
  }
});
