import { spawnSync } from 'node:child_process';
import { publishV8Flags } from '../../lib/cli/publish-v8-flags.js';

test('a publish keeps its heap near its live size on every Node, and raises the interrupt budget only on V8 11 (Node 20)', () => {
  expect(publishV8Flags('11.3.244.8-node.38')).toEqual(['--heap-growing-percent=20', '--interrupt-budget=1081344']);
  expect(publishV8Flags('12.4.254.21-node.33')).toEqual(['--heap-growing-percent=20']);
  expect(publishV8Flags('13.6.233.17-node.63')).toEqual(['--heap-growing-percent=20']);
});

test('the running V8 knows every flag given to it (an unknown one is printed as an error)', () => {
  const flags = publishV8Flags(process.versions.v8);
  const child = spawnSync(process.execPath, ['-e', "for (const flag of JSON.parse(process.argv[1])) require('node:v8').setFlagsFromString(flag)", JSON.stringify(flags)], { encoding: 'utf8' });
  expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
});
