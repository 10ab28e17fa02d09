import picomatch from 'picomatch';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, EDITOR_LEFTOVERS, isEditorLeftover, makePathClassifier, NEVER_PUBLISHED } from '../../lib/ignore/ignore-list.js';

test('with the default patterns only, the quick path gives every path the verdict the globs give', () => {
  const quick = makePathClassifier();
  // A user pattern that matches nothing: every path goes through the globs.
  const globs = makePathClassifier(['no/such/path']);
  const paths = ['index.html', 'a/b/c.css', '.env', 'a/.env.local', '.well-known/security.txt', '.well-known/.env', '.git/config', 'a/.hidden/x.html',
    '.fleuron/lock.json', '.fleuron', 'node_modules/x/index.js', 'a/node_modules', 'Thumbs.db', 'a/Thumbs.db', 'a/desktop.ini', 'page.html~', 'a/#draft.md#',
    'a/.#lock', 'x.swp', 'x.SWP', 'notes.bak', 'p.orig', 'a\\.b', 'a\\b.html', '.htaccess', 'a/b.c/d', 'file.tmp', 'a.b/.c', 'thumbs.db'];
  for (const path of paths) expect([path, quick(path)]).toEqual([path, globs(path)]);
});

test('the one-test look at a name finds every editor leftover the nine globs find, in any case', () => {
  const globs = picomatch([...EDITOR_LEFTOVERS], { dot: true, nocase: true });
  const names = ['page.html~', '#draft.md#', '#draft', '.#lock', '.#', 'x.swp', 'X.SWO', 'notes.Bak', 'p.orig', 'q.REJ', 'file.tmp', 'tmp', 'a.tmp.html',
    'index.html', 'a~b', 'a#b', '#', '~', '.swp', 'x.swpx', 'c#.md', 'x.orig.', 'README'];
  for (const name of names) {
    for (const path of [name, `dir/${name}`, `a.b/#c/${name}`]) expect([path, isEditorLeftover(path)]).toEqual([path, globs(name)]);
  }
});

test('the quick looks were written for these pattern lists: a pattern added to one must be added to its quick look too', () => {
  // MAY_MATCH_DEFAULTS and MAY_BE_LEFTOVER in ignore-list.ts restate these lists by hand; the tests above only try
  // the paths they list, so a new pattern would slip past them. Change a list: update its quick look, then this.
  expect([...DEFAULT_EXCLUDE, ...DEFAULT_INCLUDE, ...NEVER_PUBLISHED]).toEqual(['**/.*', '**/.*/**', '**/node_modules/**', '**/Thumbs.db', '**/desktop.ini', '.well-known/**', '**/.env*', '.fleuron', '.fleuron/**']);
  expect([...EDITOR_LEFTOVERS]).toEqual(['*~', '#*#', '.#*', '*.swp', '*.swo', '*.bak', '*.orig', '*.rej', '*.tmp']);
});
