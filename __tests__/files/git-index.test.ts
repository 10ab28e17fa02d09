/** git's index read directly, checked against what git itself says of the same repository. */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { configChangesBytes, environmentConfigChangesBytes, readIndex, trackedFiles } from '../../lib/files/git-index.js';
import { git, settle } from '../support/git.js';

/** A repository of a few files, committed, with an index written a clock tick after them (see settle). */
const SITE = { 'site/index.html': '<p>a</p>', 'site/a/b.css': 'b{}', 'site/é.txt': 'accent', 'top.txt': 'top' };

async function repository(files: Record<string, string> = SITE) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'git-index-'));
  for (const [relative, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), body);
  }
  if (files === SITE) await symlink('index.html', path.join(root, 'site/link.html'));
  git(root, 'init', '--quiet');
  git(root, 'add', '.');
  git(root, 'commit', '--quiet', '-m', 'x');
  await settle(root);
  return root;
}

const blobOf = (root: string, relative: string) => git(root, 'hash-object', relative).trim();

function expectStat(root: string, relative: string, stamp: { size: number; mtimeMs: number; ctimeMs: number; ino: number }) {
  const stats = statSync(path.join(root, relative));
  // The same numbers Node computes, so that the hash cache's stamp text matches.
  expect(stamp).toEqual({ size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino });
}

describe('git index', () => {
  test('the tracked regular files under a folder: blob ids as git computes them, stamps as Node stats them; symlinks and files outside left out', async () => {
    const root = await repository();
    const tracked = trackedFiles(path.join(root, 'site'));
    expect([...tracked.paths()].sort()).toEqual(['a/b.css', 'index.html', 'é.txt']);
    for (const relative of tracked.paths()) {
      expect(tracked.get(relative)!.blob).toBe(blobOf(root, `site/${relative}`));
      expectStat(root, `site/${relative}`, tracked.get(relative)!.stamp);
    }
    expect([...trackedFiles(root).paths()].sort()).toEqual(['site/a/b.css', 'site/index.html', 'site/é.txt', 'top.txt']);
    expect(trackedFiles(await mkdtemp(path.join(os.tmpdir(), 'no-git-'))).size).toBe(0);
  });

  test('index versions 2 and 4 (paths prefix-compressed) read alike (3, extended flags: below)', async () => {
    const root = await repository({ 'aaa/one.txt': '1', 'aaa/two.txt': '2', 'aab/x/y.txt': 'y', 'b.txt': 'b' });
    const read = () => [...trackedFiles(root).paths()].map((relative) => [relative, trackedFiles(root).get(relative)!.blob]).sort();
    const v2 = read();
    expect(v2).toHaveLength(4);
    git(root, 'update-index', '--index-version', '4');
    await settle(root);
    expect(readFileSync(path.join(root, '.git/index')).readUInt32BE(4)).toBe(4);
    expect(read()).toEqual(v2);
  });

  test('entries git does not vouch for are left out: skip-worktree, intent-to-add, a conflict, racily clean', async () => {
    const root = await repository({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' });
    const main = git(root, 'branch', '--show-current').trim();
    git(root, 'switch', '--quiet', '-c', 'other');
    await writeFile(path.join(root, 'd.txt'), 'other d');
    git(root, 'commit', '--quiet', '-am', 'other');
    git(root, 'switch', '--quiet', main);
    await writeFile(path.join(root, 'd.txt'), 'main d');
    git(root, 'commit', '--quiet', '-am', 'main');
    expect(() => git(root, 'merge', '--quiet', 'other')).toThrow(); // d.txt conflicts: stages 1-3, no stage 0
    git(root, 'update-index', '--skip-worktree', 'a.txt');
    await writeFile(path.join(root, 'new.txt'), 'n');
    git(root, 'add', '-N', 'new.txt');
    await settle(root);
    expect(readFileSync(path.join(root, '.git/index')).readUInt32BE(4)).toBe(3); // git writes version 3 for extended flags
    expect([...trackedFiles(root).paths()].sort()).toEqual(['b.txt', 'c.txt']);
    // A file stamped in the future is racy whatever the index's time.
    await utimes(path.join(root, 'c.txt'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    git(root, 'add', 'c.txt');
    expect([...trackedFiles(root).paths()].sort()).toEqual(['b.txt']);
  });

  test('a folder in a linked worktree is read through its .git file', async () => {
    const root = await repository();
    const linked = path.join(await mkdtemp(path.join(os.tmpdir(), 'linked-')), 'wt');
    git(root, 'worktree', 'add', '--quiet', linked);
    await settle(linked);
    const tracked = trackedFiles(path.join(linked, 'site'));
    expect([...tracked.paths()].sort()).toEqual(['a/b.css', 'index.html', 'é.txt']);
    expectStat(linked, 'site/index.html', tracked.get('index.html')!.stamp);
  });

  test('anything that can make bytes differ from blobs, or hide entries, gives nothing: attributes, autocrlf, a split index, a damaged index', async () => {
    const attributes = await repository();
    await writeFile(path.join(attributes, 'site/.gitattributes'), '*.css text eol=crlf\n');
    git(attributes, 'add', '.');
    await settle(attributes);
    expect(trackedFiles(attributes).size).toBe(0);

    const info = await repository();
    await writeFile(path.join(info, '.git/info/attributes'), '* filter=lfs\n');
    expect(trackedFiles(info).size).toBe(0);

    const crlf = await repository();
    git(crlf, 'config', 'core.autocrlf', 'false');
    expect(trackedFiles(crlf).size).toBe(4);
    git(crlf, 'config', 'core.autocrlf', 'input');
    expect(trackedFiles(crlf).size).toBe(0);

    const split = await repository();
    git(split, 'update-index', '--split-index');
    await settle(split);
    expect(trackedFiles(split).size).toBe(0);

    const damaged = await repository();
    const bytes = await readFile(path.join(damaged, '.git/index'));
    bytes[100] = bytes[100]! ^ 1;
    expect(readIndex(bytes, '', Date.now())).toBeUndefined();
    expect(readIndex(Buffer.from('not an index at all, not at all'), '', Date.now())).toBeUndefined();
  });

  test('attributes that leave a Linux checkout\'s bytes as the blob\'s (text=auto, binary, linguist-…) keep the index trusted; filters, eol=crlf, an edited attributes file do not', async () => {
    const commit = async (root: string, attributes: string) => {
      await writeFile(path.join(root, '.gitattributes'), attributes);
      git(root, 'add', '.gitattributes');
      git(root, 'commit', '--quiet', '-m', 'attributes');
      await settle(root);
    };
    const plain = await repository();
    await commit(plain, '# as many repositories have it\n* text=auto\n*.png binary\n"*.jpg" -text -diff\ndocs/** linguist-documentation export-ignore\n*.svg -crlf\n*.css text eol=lf\n');
    expect([...trackedFiles(path.join(plain, 'site')).paths()].sort()).toEqual(['a/b.css', 'index.html', 'é.txt']);
    // text with core.eol=crlf converts line endings on checkout.
    git(plain, 'config', 'core.eol', 'crlf');
    expect(trackedFiles(plain).size).toBe(0);
    git(plain, 'config', 'core.eol', 'lf');
    expect(trackedFiles(plain).size).toBe(5);

    for (const changing of ['*.css filter=lfs diff=lfs merge=lfs -text\n', '*.html eol=crlf\n', '*.txt ident\n', '*.txt working-tree-encoding=UTF-16\n', '[attr]mine filter=x\n*.txt mine\n', '*.txt unknown-attribute\n', '*.txt eol\n']) {
      const root = await repository();
      await commit(root, changing);
      expect([changing, trackedFiles(root).size]).toEqual([changing, 0]);
    }

    // Edited after the checkout: not what the checkout used, whatever it now says.
    const edited = await repository();
    await commit(edited, '* text=auto\n');
    await writeFile(path.join(edited, '.gitattributes'), '* text=auto \n');
    expect(trackedFiles(edited).size).toBe(0);

    // The repository's own attributes file (info/attributes) is read by the same rules.
    const info = await repository();
    await writeFile(path.join(info, '.git/info/attributes'), '* -text\n');
    expect(trackedFiles(info).size).toBe(4);
  });

  test('an included config file is read as git reads it: a checkout\'s credentials (actions/checkout 6) keep the index trusted, an include that sets autocrlf does not', async () => {
    const root = await repository();
    const gitDir = path.join(root, '.git');
    // As actions/checkout writes it since version 6: the token in a file of the runner's, included for this repository.
    const credentials = path.join(root, '..', `${path.basename(root)}-credentials.config`);
    await writeFile(credentials, '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n');
    git(root, 'config', '--local', `includeIf.gitdir:${gitDir}.path`, credentials);
    expect([...trackedFiles(root).paths()].sort()).toEqual(['site/a/b.css', 'site/index.html', 'site/é.txt', 'top.txt']);

    // The same include, now setting autocrlf (git itself reads it through the include): nothing is trusted.
    await writeFile(credentials, '[core]\n\tautocrlf = true\n');
    expect(git(root, 'config', 'core.autocrlf').trim()).toBe('true');
    expect(trackedFiles(root).size).toBe(0);

    // A relative path, from the including file's folder, one include deeper: still found.
    await writeFile(credentials, '[include]\n\tpath = "nested dir/more.config"\n');
    await mkdir(path.join(path.dirname(credentials), 'nested dir'), { recursive: true });
    await writeFile(path.join(path.dirname(credentials), 'nested dir/more.config'), '[core] autocrlf = input\n');
    expect(git(root, 'config', 'core.autocrlf').trim()).toBe('input');
    expect(trackedFiles(root).size).toBe(0);

    // A missing included file is ignored, as git ignores it.
    await writeFile(credentials, '[include]\n\tpath = missing.config\n');
    expect(trackedFiles(root).size).toBe(4);
  });

  test('config from the environment is read as git reads it: GIT_CONFIG_COUNT\'s keys, the files GIT_CONFIG_GLOBAL and GIT_CONFIG_SYSTEM name', async () => {
    const root = await repository();
    const saved = { ...process.env };
    const withEnv = (variables: Record<string, string>) => {
      for (const name of Object.keys(process.env)) if (name.startsWith('GIT_CONFIG')) delete process.env[name];
      Object.assign(process.env, variables);
      // What git itself reads with the same variables.
      const autocrlf = (() => {
        try {
          return execFileSync('git', ['config', 'core.autocrlf'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: root, ...variables } }).trim();
        } catch {
          return 'unset';
        }
      })();
      return { autocrlf, tracked: trackedFiles(root).size };
    };
    try {
      // Credentials passed as config (a header): the index stays trusted.
      expect(withEnv({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.https://example.org/.extraheader', GIT_CONFIG_VALUE_0: 'AUTHORIZATION: basic c2VjcmV0' })).toEqual({ autocrlf: 'unset', tracked: 4 });
      expect(withEnv({ GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'user.name', GIT_CONFIG_VALUE_0: 'CI', GIT_CONFIG_KEY_1: 'core.autocrlf', GIT_CONFIG_VALUE_1: 'input' })).toEqual({ autocrlf: 'input', tracked: 0 });
      const global = path.join(root, 'global.config');
      await writeFile(global, '[core]\n\tautocrlf = true\n');
      expect(withEnv({ GIT_CONFIG_GLOBAL: global })).toEqual({ autocrlf: 'true', tracked: 0 });
      expect(withEnv({ GIT_CONFIG_SYSTEM: global })).toEqual({ autocrlf: 'true', tracked: 0 });
      expect(withEnv({ GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_SYSTEM: '/dev/null' })).toEqual({ autocrlf: 'unset', tracked: 4 });
      // GIT_CONFIG_PARAMETERS (shell-quoted, git's own) is not read: git's index is not used.
      expect(withEnv({ GIT_CONFIG_PARAMETERS: "'user.name'='CI'" }).tracked).toBe(0);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    // What git would refuse, and includes, turn it off; a count of 0 is no config.
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: 'two' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.autocrlf' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'nodot', GIT_CONFIG_VALUE_0: 'x' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: '/x' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'includeIf.gitdir:/w/.path', GIT_CONFIG_VALUE_0: '/x' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.autocrlf', GIT_CONFIG_VALUE_0: 'false' })).toBe(false);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.eol', GIT_CONFIG_VALUE_0: 'crlf' })).toBe(true);
    expect(environmentConfigChangesBytes({ GIT_CONFIG_COUNT: '0' })).toBe(false);
    expect(environmentConfigChangesBytes({})).toBe(false);
  });

  test('config lines that change checked-out bytes or where the index is: includes, autocrlf unless false, attributes file, object format, work tree', () => {
    expect(configChangesBytes('[core]\n\tautocrlf = true\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tautocrlf = input ; comment\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tautocrlf\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tAutoCRLF = false\n\tfilemode = true\n')).toBe(false);
    expect(configChangesBytes('[include]\n\tpath = other\n')).toBe(true);
    expect(configChangesBytes('[includeIf "gitdir:~/work/"]\n\tpath = work\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tattributesFile = ~/.attributes\n')).toBe(true);
    expect(configChangesBytes('[extensions]\n\tobjectFormat = sha256\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tworktree = /elsewhere\n')).toBe(true);
    expect(configChangesBytes('[extensions]\n\tworktreeConfig = true\n[user]\n\tname = A\n# autocrlf = true\n')).toBe(false);
    // A key on the section's own line, as git reads it.
    expect(configChangesBytes('[core] autocrlf = true\n')).toBe(true);
    expect(configChangesBytes('[core]\n\tautocrlf ; a comment\n')).toBe(true);
    expect(configChangesBytes('[includeIf "gitdir:/a]b/"] path = x\n', [])).toBe(false);
    expect(configChangesBytes('[include]\n\tpath = a.config ; a comment\n', [])).toBe(true);
    // Given a list, includes are not refused but listed, their paths as written (unquoted), for the caller to read.
    const included: string[] = [];
    expect(configChangesBytes('[includeIf "gitdir:/w/"]\n\tpath = /t/Creds.config\n[include]\n\tPath = "a b.config"\n[http]\n\tpath = x\n', included)).toBe(false);
    expect(included).toEqual(['/t/Creds.config', 'a b.config']);
    // A path git would expand or unescape in ways this reader does not follow: refused.
    expect(configChangesBytes('[include]\n\tpath = %(prefix)/etc/x\n', [])).toBe(true);
    expect(configChangesBytes('[include]\n\tpath = "a\\\\b"\n', [])).toBe(true);
  });
});
