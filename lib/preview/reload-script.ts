/**
 * The preview's live reload: a tiny script added to HTML responses of the preview server only (never
 * to the built files), polling the build version and reloading the page when it changes.
 */

/** Answered by the preview server (only when reloading is on) with the current build version. */
export const VERSION_PATH = '/__fleuron/version';

/** The script, with the version the page was served at: a build between serving and the first poll still reloads. */
export function reloadScript(version: string): string {
  const served = JSON.stringify(version);
  return (
    `<script>/* fleuron preview: reloads after a rebuild; not part of the published site */(() => {` +
    `const served = ${served};` +
    `const poll = () => fetch(${JSON.stringify(VERSION_PATH)}, { cache: 'no-store' })` +
    `.then((response) => response.text())` +
    `.then((current) => { if (current !== served) location.reload(); else setTimeout(poll, 1000); })` +
    `.catch(() => setTimeout(poll, 2000));` +
    `setTimeout(poll, 1000);` +
    `})();</script>`
  );
}

/** Adds the script before `</body>` (or at the end when there is none). */
export function injectReloadScript(html: string, version: string): string {
  const script = reloadScript(version);
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? html + script : html.slice(0, at) + script + html.slice(at);
}

/** Whether a stored Content-Type is HTML (where the script goes). */
export function isHtmlType(contentType: string): boolean {
  return /^text\/html\b/i.test(contentType);
}
