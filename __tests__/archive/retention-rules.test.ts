import { retentionRules, ARCHIVE_FOLDER } from '../../lib/archive/archive.js';

test('the expiry rule covers only what fleuron writes, and other rules of the bucket are kept', () => {
  const other = { ID: 'logs', Status: 'Enabled' as const, Filter: { Prefix: 'logs/' }, Expiration: { Days: 7 } };
  const rules = retentionRules([other], 30)!;
  expect(rules).toHaveLength(2);
  expect(rules[0]).toEqual(other);
  const ours = rules[1]!;
  expect(ours.Filter).toEqual({ Prefix: ARCHIVE_FOLDER });
  expect(ARCHIVE_FOLDER).not.toBe('');
  expect(ours.Expiration).toEqual({ Days: 30 });
});

test('an older fleuron rule is replaced, not repeated', () => {
  const old = { ID: 'fleuron-archive-retention', Status: 'Enabled' as const, Filter: { Prefix: '' }, Expiration: { Days: 30 } };
  const rules = retentionRules([old], 10)!;
  expect(rules).toHaveLength(1);
  expect(rules[0]).toMatchObject({ Filter: { Prefix: ARCHIVE_FOLDER }, Expiration: { Days: 10 } });
});

test('a rule already as wanted needs no write', () => {
  const rules = retentionRules([], 30)!;
  expect(retentionRules(rules, 30)).toBeUndefined();
});
