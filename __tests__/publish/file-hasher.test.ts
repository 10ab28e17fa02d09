import { mayBeLarge } from '../../lib/publish/file-hasher.js';

test('only files named as pages, style sheets, scripts or SVG are taken for small without a stat; anything else may be large', () => {
  for (const name of ['/site/index.html', '/site/a/page.HTM', '/site/assets/app.3f2a.css', '/site/app.js', '/site/mod.mjs', '/site/logo.svg']) expect([name, mayBeLarge(name)]).toEqual([name, false]);
  for (const name of ['/site/media/video.mp4', '/site/dl/data.zip', '/site/search-index.json', '/site/html', '/site/page.html.gz', '/site/README', '/site/a.jsx', '/site/font.woff2']) {
    expect([name, mayBeLarge(name)]).toEqual([name, true]);
  }
});
