import { scanListPage } from '../../lib/s3/list-page.js';

const page = (contents: string, extra = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix>${extra}<MaxKeys>1000</MaxKeys>${contents}</ListBucketResult>`;
const item = (key: string, size = 3, etag = '&quot;0123456789abcdef0123456789abcdef&quot;') =>
  `<Contents><Key>${key}</Key><LastModified>2026-11-25T12:00:00.000Z</LastModified><ETag>${etag}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;

describe('scanListPage', () => {
  it('reads keys, sizes, ETags, truncation and the continuation token', () => {
    const xml = page(item('a.html', 12) + item('b/c.css', 0), '<KeyCount>2</KeyCount><IsTruncated>true</IsTruncated><NextContinuationToken>tok/en+=</NextContinuationToken>');
    expect(scanListPage(xml)).toEqual({
      objects: [
        { key: 'a.html', size: 12, etag: '"0123456789abcdef0123456789abcdef"' },
        { key: 'b/c.css', size: 0, etag: '"0123456789abcdef0123456789abcdef"' },
      ],
      isTruncated: true,
      nextContinuationToken: 'tok/en+=',
    });
  });

  it('decodes the entities XML escapes, and no more', () => {
    const xml = page(item('a&amp;b&lt;c&gt;d&quot;e&apos;f &#233;&#x1F600; &amp;amp;.html'), '<IsTruncated>false</IsTruncated>');
    expect(scanListPage(xml)?.objects[0]?.key).toBe(`a&b<c>d"e'f é😀 &amp;.html`);
    expect(scanListPage(xml)?.isTruncated).toBe(false);
  });

  it('keeps every key as listed when a server writes a character keys cannot hold (U+0000, which separates them when copied)', () => {
    const xml = page(item('a&#0;b.html') + item('c.html') + item('a-long-key-name-of-a-page/index.html'), '<IsTruncated>false</IsTruncated>');
    expect(scanListPage(xml)?.objects.map((object) => object.key)).toEqual(['a\u0000b.html', 'c.html', 'a-long-key-name-of-a-page/index.html']);
  });

  it('reads pretty-printed XML (whitespace between elements) and an empty page', () => {
    const pretty = page(`\n  <Contents>\n    <Key>x y.html</Key>\n    <ETag>"e"</ETag>\n    <Size> 5 </Size>\n  </Contents>\n`, '\n  <IsTruncated>\n    false\n  </IsTruncated>');
    expect(scanListPage(pretty)).toEqual({ objects: [{ key: 'x y.html', size: 5, etag: '"e"' }], isTruncated: false });
    expect(scanListPage(page('', '<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>'))).toEqual({ objects: [], isTruncated: false });
  });

  it.each([
    ['CDATA', page(item('<![CDATA[a]]>'))],
    ['a raw carriage return, which an XML parser turns into a line feed', page(item('a\rb'))],
    ['an unclosed Contents element', page('<Contents><Key>a</Key><Size>1</Size>')],
    ['an object without a size', page('<Contents><Key>a</Key></Contents>')],
    ['fewer objects found than KeyCount says', page(item('a'), '<KeyCount>2</KeyCount>')],
    ['an error document', '<?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>'],
  ])('leaves a page with %s to the SDK parser', (_label, xml) => {
    expect(scanListPage(xml)).toBeUndefined();
  });
});
