/**
 * The publisher's layers import downwards only: publish → archive, website → s3 → errors. (archive and website used to
 * import publish, and publish them: a change in one could break the other through a cycle.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/run-cli.js';

const MAY_IMPORT: Record<string, string[]> = {
  s3: ['errors'],
  archive: ['errors', 's3'],
  website: ['errors', 'headers', 'config', 's3'],
};

test.each(Object.entries(MAY_IMPORT))('lib/%s imports only from %j (and itself)', (folder, allowed) => {
  const dir = path.join(REPO_ROOT, 'lib', folder);
  const upward: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, file), 'utf8');
    for (const [, target] of source.matchAll(/from '\.\.\/([^/']+)\//g)) {
      if (!allowed.includes(target!)) upward.push(`${folder}/${file} → ${target}`);
    }
  }
  expect(upward).toEqual([]);
});
