/** A fleuron.yaml made to exhaust the parser is a configuration error like any other: one line, exit 2. */
import { makeFolder, runCli } from '../support/run-cli.js';

test('a YAML alias bomb in fleuron.yaml: exit 2, a line naming the file, no "unexpected error"', async () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const dir = await makeFolder({ 'site/fleuron.yaml': `${levels.join('\n')}\ntitle: Bombe\n`, 'site/index.md': '# Bonjour\n' });
  const result = await runCli(['build', 'site', '--out', 'public'], { cwd: dir });
  expect({ code: result.code, stderr: result.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/^fleuron: .*fleuron\.yaml: too many aliases/) });
  expect(result.stderr).not.toMatch(/unexpected error/);
});
