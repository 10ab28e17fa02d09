/**
 * The answers s3-requests.ts and bucket-website.ts read without the SDK's parser. Whatever the scanners are not sure of
 * must come back undefined (the request then goes through the SDK), never as a wrong reading.
 */
import { deleteRequestXml, putHeaderFields, scanDeleteResult } from '../../lib/s3/s3-requests.js';
import { websiteStateOf } from '../../lib/website/bucket-website.js';

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const answer = (status: number, body = '') => ({ status, headers: {}, body: Buffer.from(body) });

describe('DeleteObjects', () => {
  test('the request escapes what XML must and ends quiet', () => {
    const body = deleteRequestXml(['a.html', 'R&D/<b>"q"\'.html']);
    expect(body).toContain('<Object><Key>a.html</Key></Object><Object><Key>R&amp;D/&lt;b&gt;&quot;q&quot;\'.html</Key></Object><Quiet>true</Quiet></Delete>');
  });

  test('a quiet answer lists only the keys that failed, entities decoded', () => {
    expect(scanDeleteResult(xml('<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>'))).toEqual([]);
    expect(scanDeleteResult(xml('<DeleteResult/>'))).toEqual([]);
    const failed = xml('<DeleteResult><Error><Key>R&amp;D.html</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error><Error><Key>b</Key><Code>InternalError</Code></Error></DeleteResult>');
    expect(scanDeleteResult(failed)).toEqual([
      { key: 'R&D.html', code: 'AccessDenied', message: 'Access Denied' },
      { key: 'b', code: 'InternalError' },
    ]);
  });

  test('anything else is left to the SDK', () => {
    expect(scanDeleteResult(xml('<Error><Code>AccessDenied</Code></Error>'))).toBeUndefined();
    expect(scanDeleteResult(xml('<DeleteResult><Error><Key><![CDATA[a]]></Key></Error></DeleteResult>'))).toBeUndefined();
    expect(scanDeleteResult(xml('<DeleteResult><Error><Code>X</Code></Error></DeleteResult>'))).toBeUndefined();
    expect(scanDeleteResult(xml('<DeleteResult><Error><Key>a</Key>'))).toBeUndefined();
  });
});

test('PutObject header fields as the SDK writes them', () => {
  expect(putHeaderFields({ ContentType: 'text/html', CacheControl: 'no-store', ContentEncoding: 'gzip', Metadata: { Fleuron: 'x' }, ContentMD5: 'abc==' })).toEqual({
    'content-type': 'text/html',
    'cache-control': 'no-store',
    'content-encoding': 'gzip',
    'x-amz-meta-fleuron': 'x',
    'content-md5': 'abc==',
  });
});

describe('GetBucketWebsite', () => {
  const config = (inner: string) => xml(`<WebsiteConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</WebsiteConfiguration>`);

  test('a configuration without rules, a missing one, a refusal', () => {
    const found = websiteStateOf(answer(200, config('<IndexDocument><Suffix>index.html</Suffix></IndexDocument><ErrorDocument><Key>errors/404 &amp; more.html</Key></ErrorDocument>')));
    expect(found).toEqual({ kind: 'found', config: { indexDocument: 'index.html', errorDocument: 'errors/404 & more.html' } });
    expect(websiteStateOf(answer(200, config('<IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules></RoutingRules>')))).toEqual({
      kind: 'found',
      config: { indexDocument: 'index.html', errorDocument: '' },
    });
    expect(websiteStateOf(answer(404, xml('<Error><Code>NoSuchWebsiteConfiguration</Code></Error>')))).toEqual({ kind: 'none' });
    expect(websiteStateOf(answer(403, xml('<Error><Code>AccessDenied</Code></Error>')))).toEqual({ kind: 'not-permitted' });
    expect(websiteStateOf(answer(501))).toEqual({ kind: 'not-permitted' });
  });

  test('routing rules, a redirect of every request, CDATA, other statuses: left to the SDK', () => {
    expect(websiteStateOf(answer(200, config('<IndexDocument><Suffix>index.html</Suffix></IndexDocument><RoutingRules><RoutingRule><Redirect><ReplaceKeyPrefixWith>new/</ReplaceKeyPrefixWith></Redirect></RoutingRule></RoutingRules>')))).toBeUndefined();
    expect(websiteStateOf(answer(200, config('<RedirectAllRequestsTo><HostName>example.org</HostName></RedirectAllRequestsTo>')))).toBeUndefined();
    expect(websiteStateOf(answer(200, config('<IndexDocument><Suffix><![CDATA[index.html]]></Suffix></IndexDocument>')))).toBeUndefined();
    expect(websiteStateOf(answer(200, xml('<Error><Code>InternalError</Code></Error>')))).toBeUndefined();
    expect(websiteStateOf(answer(500))).toBeUndefined();
    expect(websiteStateOf(answer(400))).toBeUndefined();
  });
});
