/** With `markdown.allowHtml: true`, a page's own HTML passes through, but nothing that runs JavaScript does. */
import path from 'node:path';
import { buildSite } from '../../lib/builder/index.js';
import { readTree, tempDir, writeSite } from './support/temp-site.js';

const HOSTILE = [
  '<img src="x.png" onerror="alert(1)">',
  '<p onclick="alert(2)" ONMOUSEOVER=alert(3)>texte</p>',
  '<a href="javascript:alert(4)">a</a>',
  '<a href=" JaVaScRiPt:alert(5)">b</a>',
  '<a href="jav&#x09;ascript:alert(6)">c</a>',
  '<a href="vbscript:msgbox(7)">d</a>',
  '<a href="data:text/html,<script>alert(8)</script>">e</a>',
  '<script>alert(9)</script>',
  '<iframe srcdoc="<script>alert(10)</script>"></iframe>',
  '<object data="javascript:alert(11)"></object><embed src="javascript:alert(12)">',
  '<svg><script>alert(13)</script><a xlink:href="javascript:alert(14)">s</a></svg>',
  '<form action="javascript:alert(15)"><button formaction="javascript:alert(16)">f</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(17)"><base href="javascript:alert(18)//">',
  '[lien](javascript:alert(19))',
  '<svg><a><animate attributeName="href" values="javascript:alert(20)"/><set attributeName="href" to="javascript:alert(21)"/><text>t</text></a></svg>',
].join('\n\n');

const FRIENDLY = [
  '<details><summary>Plus</summary><p>Caché <strong>gras</strong></p></details>',
  '<img src="photo.png" alt="Photo" width="200" loading="lazy">',
  '<a href="https://example.org/" title="ex">externe</a> <a href="mailto:a@b.org">écrire</a> <a href="#haut">haut</a>',
  '<figure><img src="data:image/png;base64,iVBORw0KGgo=" alt="pixel"><figcaption>Légende</figcaption></figure>',
  '<p style="color: #a00" class="note" id="note-1">Note</p>',
  '<table><tr><td colspan="2">cellule</td></tr></table>',
  '<video controls src="film.webm"></video>',
].join('\n\n');

async function buildPage(body: string): Promise<string> {
  const root = await tempDir();
  const src = await writeSite(
    { 'fleuron.yaml': 'markdown:\n  allowHtml: true\n', 'index.md': body, 'photo.png': 'png', 'film.webm': 'webm' },
    path.join(root, 'src'),
  );
  await buildSite({ sourceDir: src, outDir: path.join(root, 'out'), cacheDir: path.join(root, 'cache'), brokenLinks: 'warn' });
  const html = (await readTree(path.join(root, 'out'))).get('index.html')!.toString();
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

describe('allowHtml', () => {
  it('strips event handlers, scripts, and javascript:, vbscript: and data:text/html URLs', async () => {
    const main = await buildPage(HOSTILE);
    expect(main).not.toMatch(/<script|\son[a-z]+\s*=|javascript:|vbscript:|data:text\/html|<iframe|<object|<embed|<meta|<base|formaction|xlink:href="j/i);
    // GFM's tag filter shows <script> and <iframe> as text: inert. No tag may carry the code.
    expect(main).not.toMatch(/<[^>]*alert\(/);
    // What is harmless stays.
    expect(main).toContain('<img src="x.png" />');
    expect(main).toContain('<p>texte</p>');
  });

  it('keeps the HTML a page means to have', async () => {
    const main = await buildPage(FRIENDLY);
    for (const fragment of [
      '<details><summary>Plus</summary><p>Caché <strong>gras</strong></p></details>',
      'src="photo.png" alt="Photo" width="200" loading="lazy"',
      '<a href="https://example.org/" title="ex">externe</a>',
      'href="mailto:a@b.org"',
      'href="#haut"',
      'src="data:image/png;base64,iVBORw0KGgo="',
      '<figcaption>Légende</figcaption>',
      '<p style="color:#a00" class="note" id="note-1">Note</p>',
      '<td colspan="2">cellule</td>',
      '<video controls src="film.webm"></video>',
    ]) {
      expect(main).toContain(fragment);
    }
  });
});
