/** One list of network error codes: what readTextObject retries is what describeS3Error calls "cannot reach". */
import { describeS3Error } from '../../lib/s3/s3-error.js';
import { isNetworkError, NETWORK_ERROR_CODES } from '../../lib/s3/network-errors.js';

const context = { bucket: 'site', endpoint: 'https://garage.example.org', region: 'garage', doing: 'listing the bucket' };
const withCode = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test.each([...NETWORK_ERROR_CODES])('%s is a network error for retries and for the message', (code) => {
  expect(isNetworkError(withCode(code))).toBe(true);
  expect(isNetworkError(Object.assign(new Error('wrapped'), { cause: { code } }))).toBe(true);
  expect(describeS3Error(withCode(code), context).code).toBe('endpoint-unreachable');
});

test('answers of the server and other failures are not network errors', () => {
  expect(isNetworkError(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }))).toBe(false);
  expect(isNetworkError(withCode('EACCES'))).toBe(false);
  expect(isNetworkError(undefined)).toBe(false);
  expect(isNetworkError(new Error('socket hang up'))).toBe(true);
  expect(isNetworkError(Object.assign(new Error('stopped'), { name: 'AbortError' }))).toBe(true);
});
