import { spawnSync } from 'node:child_process';
import { HEAP_GROWTH_FLAG, tieringFlags } from '../../lib/cli/publish-v8-flags.js';

test('a publish raises the interrupt budget for its first seconds, then gives V8 its default back, on V8 11 (Node 20) only', () => {
  expect(tieringFlags('11.3.244.8-node.38')).toEqual({ first: ['--interrupt-budget=1081344'], then: ['--interrupt-budget=67584'] });
  expect(tieringFlags('12.4.254.21-node.33')).toEqual({ first: [], then: [] });
  expect(tieringFlags('13.6.233.17-node.63')).toEqual({ first: [], then: [] });
});

test('the running V8 knows every flag a publish gives it (an unknown one is printed as an error)', () => {
  const { first, then } = tieringFlags(process.versions.v8);
  const flags = [HEAP_GROWTH_FLAG, ...first, ...then];
  const child = spawnSync(process.execPath, ['-e', "for (const flag of JSON.parse(process.argv[1])) require('node:v8').setFlagsFromString(flag)", JSON.stringify(flags)], { encoding: 'utf8' });
  expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
});
