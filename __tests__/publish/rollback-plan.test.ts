import { DEPLOY_ID_PATTERN, makeDeployId, type DeployRecord } from '../../lib/archive/deploy-record.js';
import { planRollback } from '../../lib/archive/rollback-plan.js';

const record = (id: string, changes: [string, boolean][]): DeployRecord => ({
  version: 1,
  id,
  time: '',
  bucket: 'b',
  prefix: '',
  kind: 'publish',
  changes: changes.map(([key, archived]) => ({ key, action: archived ? 'upload' : 'upload', archived })),
});

test('the earliest deploy at or after the target decides each key', () => {
  const records = [
    record('20260101T000000Z-aaaa', [['a.html', false]]),
    record('20260102T000000Z-bbbb', [['a.html', true], ['b.html', false]]),
    record('20260103T000000Z-cccc', [['a.html', true], ['b.html', true], ['c.html', true]]),
  ];
  expect(planRollback(records, '20260102T000000Z-bbbb')).toEqual([
    { key: 'a.html', from: 'fleuron/20260102T000000Z-bbbb/a.html' },
    { key: 'b.html' }, // created by the target deploy: deleted
    { key: 'c.html', from: 'fleuron/20260103T000000Z-cccc/c.html' },
  ]);
  expect(planRollback(records, '20260103T000000Z-cccc')).toEqual([
    { key: 'a.html', from: 'fleuron/20260103T000000Z-cccc/a.html' },
    { key: 'b.html', from: 'fleuron/20260103T000000Z-cccc/b.html' },
    { key: 'c.html', from: 'fleuron/20260103T000000Z-cccc/c.html' },
  ]);
});

test('record order in the input does not matter', () => {
  const a = record('20260101T000000Z-aaaa', [['x', true]]);
  const b = record('20260102T000000Z-bbbb', [['x', true]]);
  expect(planRollback([b, a], a.id)).toEqual(planRollback([a, b], a.id));
});

test('deploy ids sort by time', () => {
  expect(makeDeployId(new Date('2026-11-25T14:45:12.345Z'), 'ab12')).toBe('20261125T144512345Z-ab12');
  expect(makeDeployId(new Date('2026-01-02T00:00:00Z'), '0000') < makeDeployId(new Date('2026-01-10T00:00:00Z'), '0000')).toBe(true);
});

test('two deploys in the same second sort by time, whatever their random part (a fast publish then its rollback)', () => {
  const first = makeDeployId(new Date('2026-12-01T14:48:50.039Z'), 'f127');
  const second = makeDeployId(new Date('2026-12-01T14:48:50.412Z'), 'b2e3');
  expect(first < second).toBe(true);
  expect(DEPLOY_ID_PATTERN.test(first)).toBe(true);
});

test('ids written before milliseconds were added are still deploy ids, and sort before a later second', () => {
  expect(DEPLOY_ID_PATTERN.test('20261125T144512Z-ab12')).toBe(true);
  expect('20261125T144512Z-ab12' < makeDeployId(new Date('2026-11-25T14:45:13.000Z'), '0000')).toBe(true);
  expect(DEPLOY_ID_PATTERN.test('20261125T14451Z-ab12')).toBe(false);
});
