/**
 * The preview's publish page (`/.fleuron/publish/`): where the site goes, the server settings, the
 * dry-run plan, the Publish button, history and restore. Reads are GETs; every change is a POST the
 * request guard accepts. One publish or restore at a time; the bucket's advisory lock still applies.
 * This module routes requests: the GET handlers are in page-reads.ts, the POST actions in page-actions.ts,
 * what is shown in page-views.ts (pure) and page-html.ts (pure), the state and I/O they share in page-session.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readForm, single } from './form-body.js';
import { saveSettings, startPublish, startRollback, testTheConnection } from './page-actions.js';
import { PAGE_PATH } from './page-html.js';
import { showMainPage, showRollbackPreview, showSettingsPage, showStatusPage } from './page-reads.js';
import { PageSession, type PreviewBuildAccess } from './page-session.js';
import { judgeStateChange } from './request-guard.js';
import { errorLine, type PublishTargetSource } from './target-source.js';

export interface PublishPageOptions {
  target: PublishTargetSource;
  build: PreviewBuildAccess;
  /** One line per publish, restore or refusal; never a secret. */
  log?: (line: string) => void;
  /** The environment `fleuron publish` would see (for where the keys come from). */
  env?: NodeJS.ProcessEnv;
}

export interface PublishPage {
  handles(path: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

export function createPublishPage(options: PublishPageOptions): PublishPage {
  const session = new PageSession(options.target, options.build, options.env ?? process.env, options.log ?? (() => {}));
  return {
    handles: (path) => path === PAGE_PATH.slice(0, -1) || path.startsWith(PAGE_PATH),
    handle: (request, response) => route(session, request, response),
  };
}

async function route(session: PageSession, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://preview.invalid');
  const route = url.pathname.slice(PAGE_PATH.length);
  const method = request.method ?? 'GET';
  if (url.pathname === PAGE_PATH.slice(0, -1)) return session.redirect(response, PAGE_PATH);
  if (method === 'POST') return post(session, request, response, route);
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD, POST');
    return session.refuse(response, 405, 'Refused', `${method} is not how this page changes anything: use its buttons`);
  }
  if (route === '') return showMainPage(session, response);
  if (route === 'settings') return showSettingsPage(session, response);
  if (route === 'status') return showStatusPage(session, response);
  if (route === 'rollback') return showRollbackPreview(session, response, url.searchParams.get('deploy') ?? '');
  if (['publish', 'test'].includes(route)) {
    response.setHeader('Allow', 'POST');
    return session.refuse(response, 405, 'Refused', 'this action is a button of the publish page (a POST), not a link');
  }
  return session.refuse(response, 404, 'Not found', 'there is no such page');
}

async function post(session: PageSession, request: IncomingMessage, response: ServerResponse, route: string): Promise<void> {
  const body = await readForm(request);
  if (body === 'too-large') return session.refuse(response, 413, 'Refused', 'the form is too large');
  const verdict = judgeStateChange(
    {
      method: 'POST',
      host: request.headers.host,
      origin: request.headers.origin,
      secFetchSite: single(request.headers['sec-fetch-site']),
      token: body.get('token') ?? undefined,
    },
    session.token,
  );
  if (!verdict.ok) {
    session.log(`publish page: refused a POST to ${PAGE_PATH}${route}: ${verdict.why}`);
    return session.refuse(response, 403, 'Refused', verdict.why);
  }
  if (route === 'settings') return saveSettings(session, response, body);
  if (route === 'test') return testTheConnection(session, response);
  if (route !== 'publish' && route !== 'rollback') return session.refuse(response, 404, 'Not found', 'there is no such action');
  // Claimed before any wait, so a second press (or a second tab) cannot slip in between.
  if (session.busy) return session.refuse(response, 409, 'Already running', `a ${session.job?.progress.kind ?? 'publish'} is already running: wait for it to finish`);
  session.busy = true;
  let started = false;
  try {
    started = await (route === 'publish' ? startPublish(session, response, body) : startRollback(session, response, body));
  } catch (error) {
    session.refuse(response, 400, 'Not started', errorLine(error));
  } finally {
    if (!started) session.busy = false; // a started job frees the slot when it ends
  }
}
