/** The reload script goes into HTML responses of the preview only, before </body>. */
import { injectReloadScript, isHtmlType, reloadScript, VERSION_PATH } from '../../lib/preview/reload-script.js';

describe('the reload script', () => {
  it('polls the version endpoint and carries the version it was served at', () => {
    const script = reloadScript('7');
    expect(script).toContain(VERSION_PATH);
    expect(script).toContain('const served = "7"');
  });

  it('goes before the last </body>, or at the end when there is none', () => {
    expect(injectReloadScript('<p>a</p></BODY></html>', '1')).toMatch(/^<p>a<\/p><script>.*<\/script><\/BODY><\/html>$/);
    expect(injectReloadScript('<p>a</p>', '1')).toMatch(/^<p>a<\/p><script>.*<\/script>$/);
  });

  it('is meant for HTML only', () => {
    expect(isHtmlType('text/html; charset=utf-8')).toBe(true);
    expect(isHtmlType('text/css; charset=utf-8')).toBe(false);
    expect(isHtmlType('application/xhtml+xml')).toBe(false);
  });
});
