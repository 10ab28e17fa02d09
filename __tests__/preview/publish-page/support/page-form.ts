/** What the publish page tests do as the page's own forms do: read its token, and POST a form from its origin. */
import { fetchRaw } from '../../support/http.js';

/** Where the preview serves the publish page (a public path: written here, not imported). */
export const PAGE = '/.fleuron/publish/';

/** The form token of a publish page's HTML. */
export function tokenOf(html: string): string {
  return /name="token" value="([0-9a-f]{32})"/.exec(html)![1]!;
}

/** POSTs `fields` to `PAGE + route` as the page itself would: urlencoded, with the preview's own Origin. */
export function postAsPage(preview: { url: string; port: number }, route: string, fields: Record<string, string>) {
  return fetchRaw(preview.url, `${PAGE}${route}`, {
    method: 'POST',
    headers: { origin: `http://127.0.0.1:${preview.port}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
