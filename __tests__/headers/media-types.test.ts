import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import mime from 'mime-types';
import { mediaTypeFor, UNKNOWN_CONTENT_TYPE } from '../../lib/headers/content-type.js';
import { MEDIA_TYPES } from '../../lib/headers/media-types.js';

test('the table of media types is mime-types\' own, extension by extension, as its script writes it', async () => {
  expect(MEDIA_TYPES.size).toBe(Object.keys(mime.types).length);
  for (const [extension, type] of Object.entries(mime.types)) expect([extension, MEDIA_TYPES.get(extension)]).toEqual([extension, type]);
  // A mime-types upgraded without `npm run media-types` fails here.
  await expect(promisify(execFile)(process.execPath, ['scripts/media-types.mjs', '--check'])).resolves.toBeDefined();
});

test('a file is typed as mime-types types it, where fleuron has no override', () => {
  for (const name of ['a.html', 'b.CSS', 'c.png', 'd.jpeg', 'e.pdf', 'f.json', 'g.woff', 'archive.tar.gz', 'x.epub', '.hidden.html']) {
    expect([name, mediaTypeFor(name)]).toEqual([name, mime.lookup(name) || UNKNOWN_CONTENT_TYPE]);
  }
  // Names the table must not find through an object's prototype, and names without an extension.
  for (const name of ['a.constructor', 'b.__proto__', 'c.toString', 'README', '.htaccess', 'trailing.']) expect([name, mediaTypeFor(name)]).toEqual([name, UNKNOWN_CONTENT_TYPE]);
});
