import { formatPlan } from '../../lib/cli/publish-report.js';
import { emptyManifest } from '../../lib/publish/manifest.js';

test('a key that holds terminal escapes (another tool uploaded it) is printed escaped, never raw', () => {
  const lines = formatPlan({
    uploads: [],
    headerUpdates: [],
    deletes: [{ kind: 'delete', key: 'x\u001b[2J\u001b]0;pwned\u0007.html', size: 1, reason: 'no longer in the folder' }],
    unchanged: 0,
    manifest: emptyManifest(),
    manifestChanged: false,
  });
  expect(lines).toEqual(['delete   x\\u001b[2J\\u001b]0;pwned\\u0007.html  (no longer in the folder)']);
});
