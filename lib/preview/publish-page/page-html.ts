/**
 * Pure: the publish page's HTML. No script, a few lines of inline CSS in the theme's palette, usable
 * without CSS and at 320 px; long lists are cut so a page stays within the 14 KiB budget.
 */
import type { DeployRecord } from '../../archive/deploy-record.js';
import type { RestoreStep } from '../../archive/rollback-plan.js';
import { escapeMarkup } from '../../text/escape.js';
import { formatBytes } from '../../text/sizes.js';
import type { PlanView } from './plan-groups.js';

export const PAGE_PATH = '/.fleuron/publish/';
/** Items shown per group or list; the rest is counted. */
export const MAX_ITEMS = 25;

/** The one markup escaper (attributes on this page are always double-quoted). */
export const escapeHtml = escapeMarkup;

export { formatBytes };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const STYLE =
  ':root{color-scheme:light dark;--bg:#fffdf8;--fg:#1d1b18;--muted:#5a554d;--link:#0b5394;--line:#d9d3c7;--ok:#1d6b2c;--no:#a0430a}' +
  '@media (prefers-color-scheme:dark){:root{--bg:#16140f;--fg:#ede8dd;--muted:#b3ab9c;--link:#8cc4ff;--line:#3d3830;--ok:#8fd19e;--no:#ffb27a}}' +
  'body{background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:0 1rem 2rem;overflow-wrap:anywhere}' +
  'a{color:var(--link)}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;padding-top:1rem;border-top:1px solid var(--line)}h3{font-size:1rem}' +
  'dt{font-weight:700}dd{margin:0 0 .5rem}.muted{color:var(--muted)}.ok{color:var(--ok)}.no{color:var(--no);font-weight:700}' +
  'label{display:block;margin-top:.75rem}input{font:inherit;width:100%;max-width:28rem;padding:.3rem}button{font:inherit;padding:.4rem 1rem;margin:.5rem 0}';

/** A whole page; `refreshSeconds` makes it a status page that reloads itself (no script). */
export function layout(title: string, body: string, refreshSeconds?: number): string {
  const refresh = refreshSeconds === undefined ? '' : `<meta http-equiv="refresh" content="${refreshSeconds}">`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex">${refresh}<title>${escapeHtml(title)} · fleuron preview</title><style>${STYLE}</style></head>` +
    `<body><p><a href="/">← the site (preview)</a> · <a href="${PAGE_PATH}">publish page</a></p><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`
  );
}

/** A POST form of the page: the token travels in every one of them. */
function postForm(action: string, token: string, button: string, fields: Record<string, string> = {}): string {
  const hidden = Object.entries({ token, ...fields })
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form method="post" action="${PAGE_PATH}${action}">${hidden}<button type="submit">${escapeHtml(button)}</button></form>`;
}

function list<T>(items: readonly T[], render: (item: T) => string, tag: 'ul' | 'ol' = 'ul'): string {
  const shown = items.slice(0, MAX_ITEMS).map((item) => `<li>${render(item)}</li>`).join('');
  const rest = items.length > MAX_ITEMS ? `<li class="muted">… and ${items.length - MAX_ITEMS} more</li>` : '';
  return `<${tag}>${shown}${rest}</${tag}>`;
}

export interface Notice {
  ok: boolean;
  line: string;
}

const noticeHtml = (notice: Notice | undefined) => (notice ? `<p role="status" class="${notice.ok ? 'ok' : 'no'}">${escapeHtml(notice.line)}</p>` : '');

export interface TargetView {
  bucket?: string;
  /** Without any user name or password. */
  endpoint?: string;
  region: string;
  prefix: string;
  siteUrl?: string;
  keys: string | undefined;
  archive?: { bucket: string; retentionDays: number };
}

export function targetHtml(target: TargetView, token: string, canTest: boolean): string {
  const row = (name: string, value: string) => `<dt>${name}</dt><dd>${value}</dd>`;
  const none = (text: string) => `<span class="muted">${escapeHtml(text)}</span>`;
  return (
    `<h2>Where it publishes</h2><dl>` +
    row('Bucket', target.bucket ? escapeHtml(target.bucket) : none('not set')) +
    row('S3 endpoint', target.endpoint ? escapeHtml(target.endpoint) : none('not set (AWS S3)')) +
    row('Region', escapeHtml(target.region)) +
    row('Prefix', target.prefix ? escapeHtml(target.prefix) : none('none: the site is the whole bucket')) +
    row('Site address', target.siteUrl ? `<a href="${escapeHtml(target.siteUrl)}">${escapeHtml(target.siteUrl)}</a>` : none('unknown: set baseUrl in fleuron.yaml')) +
    row('Keys', target.keys ? `set, from ${escapeHtml(target.keys)}` : `<span class="no">not set</span>`) +
    row('Archive', target.archive ? `bucket ${escapeHtml(target.archive.bucket)}, deploys kept ${target.archive.retentionDays} days` : none('none: no history and no restore (publish: archive: in fleuron.yaml)')) +
    `</dl>` +
    (canTest ? postForm('test', token, 'Test connection') : '') +
    `<p><a href="${PAGE_PATH}settings">Change the server settings</a></p>`
  );
}

export interface FormView {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  /** Whether `.env` already holds a secret (the field may then stay empty); the secret itself is never given here. */
  secretSet: boolean;
  errors: string[];
  /** Variables of the environment that override `.env` (the form cannot change them). */
  overridden: string[];
}

export function settingsFormHtml(form: FormView, token: string): string {
  const field = (name: string, label: string, value: string, extra = '') =>
    `<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${escapeHtml(value)}"${extra}>`;
  const errors = form.errors.length > 0 ? `<ul class="no" role="alert">${form.errors.map((error) => `<li>${escapeHtml(error)}</li>`).join('')}</ul>` : '';
  const overridden =
    form.overridden.length > 0 ? `<p class="no">Set in the environment, which wins over .env: ${escapeHtml(form.overridden.join(', '))}.</p>` : '';
  return (
    `<h2>Server settings</h2><p>Saved in <code>.env</code> in the project folder (readable by you only, kept out of git), where <code>fleuron publish</code> reads them.</p>` +
    errors +
    overridden +
    `<form method="post" action="${PAGE_PATH}settings"><input type="hidden" name="token" value="${escapeHtml(token)}">` +
    field('endpoint', 'S3 endpoint', form.endpoint, ' type="url" placeholder="https://garage.example.org" required') +
    field('region', 'Region', form.region || 'garage') +
    field('bucket', 'Bucket', form.bucket, ' required autocapitalize="off"') +
    field('accessKeyId', 'Access key id', form.accessKeyId, ' required autocomplete="off" autocapitalize="off"') +
    // Never echoed back: the field is always empty.
    `<label for="secretAccessKey">Secret key${form.secretSet ? ' <span class="muted">(set; leave empty to keep it)</span>' : ''}</label>` +
    `<input id="secretAccessKey" name="secretAccessKey" type="password" value="" autocomplete="off"${form.secretSet ? '' : ' required'}>` +
    `<p><button type="submit">Save</button></p></form>`
  );
}

export type PlanState =
  | { kind: 'ready'; view: PlanView; warnings: string[]; version: number; maxDeletes: number; websiteChange: boolean; target: string; buildWarning?: string }
  | { kind: 'refused'; line: string; view?: PlanView; maxDeletes: number }
  | { kind: 'unavailable'; line: string };

function capLine(deletes: number, maxDeletes: number): string {
  return maxDeletes < 0 ? `${plural(deletes, 'delete')}; no delete cap.` : `${plural(deletes, 'delete')}; the cap is ${maxDeletes} (a publish that would delete more is refused).`;
}

export function planHtml(view: PlanView): string {
  if (view.changes === 0) return `<p class="ok">Nothing to publish: the bucket already holds this site (${plural(view.unchanged, 'file')} unchanged).</p>`;
  const groups = view.groups
    .map((group) => {
      const title = `${group.name[0]!.toUpperCase()}${group.name.slice(1)}: ${group.items.length}${group.bytes > 0 ? `, ${formatBytes(group.bytes)}` : ''}`;
      const item = (entry: (typeof group.items)[number]) => {
        const name = entry.previewUrl ? `<a href="${escapeHtml(entry.previewUrl)}">${escapeHtml(entry.path)}</a>` : escapeHtml(entry.path);
        return `${name} <span class="muted">${entry.bytes > 0 ? `${formatBytes(entry.bytes)}, ` : ''}${escapeHtml(entry.reason)}</span>`;
      };
      return `<h3>${escapeHtml(title)}</h3>${list(group.items, item)}`;
    })
    .join('');
  return `${groups}<p>${plural(view.changes, 'change')}, ${formatBytes(view.bytes)} to upload, ${plural(view.unchanged, 'file')} unchanged.</p>`;
}

export function planStateHtml(plan: PlanState, token: string): string {
  let body = `<h2>What would change</h2>`;
  if (plan.kind === 'unavailable') return `${body}<p class="no">${escapeHtml(plan.line)}</p>`;
  if (plan.kind === 'refused') {
    body += plan.view ? planHtml(plan.view) + `<p>${capLine(plan.view.deletes, plan.maxDeletes)}</p>` : '';
    return `${body}<p class="no" role="alert">Publishing is refused: ${escapeHtml(plan.line)}</p>`;
  }
  body += planHtml(plan.view);
  body += plan.warnings.map((warning) => `<p class="no">Warning: ${escapeHtml(warning)}</p>`).join('');
  body += `<p>${capLine(plan.view.deletes, plan.maxDeletes)} An empty folder never empties the site: that publish is refused.</p>`;
  if (plan.buildWarning) return `${body}<p class="no" role="alert">${escapeHtml(plan.buildWarning)}</p>`;
  if (plan.view.changes === 0 && !plan.websiteChange) return body;
  return body + postForm('publish', token, `Publish to ${plan.target}`, { version: String(plan.version) });
}

export type HistoryState = { kind: 'none' } | { kind: 'error'; line: string } | { kind: 'ready'; records: DeployRecord[]; archiveBucket: string };

function recordCounts(record: DeployRecord): string {
  const count = (action: string) => record.changes.filter((change) => change.action === action).length;
  return record.kind === 'rollback'
    ? `restore of the site as before ${record.rollbackOf}: ${count('restore')} restored, ${count('delete')} deleted`
    : `${count('upload')} uploaded, ${count('update-headers')} headers updated, ${count('delete')} deleted`;
}

export function historyHtml(history: HistoryState): string {
  if (history.kind === 'none') return '';
  const head = `<h2>History</h2>`;
  if (history.kind === 'error') return `${head}<p class="no">${escapeHtml(history.line)}</p>`;
  if (history.records.length === 0) return `${head}<p>No deploy is kept in the archive bucket ${escapeHtml(history.archiveBucket)} yet.</p>`;
  const entry = (record: DeployRecord) =>
    `<strong>${escapeHtml(record.id)}</strong> <span class="muted">${escapeHtml(record.time)}</span><br>${escapeHtml(recordCounts(record))}` +
    `<details><summary>Changes</summary>${list(record.changes, (change) => `${escapeHtml(change.action)} ${escapeHtml(change.key)}`)}</details>` +
    `<a href="${PAGE_PATH}rollback?deploy=${encodeURIComponent(record.id)}">Restore the site as it was before this deploy…</a>`;
  return `${head}<p>Newest first. A restore is itself a deploy: it can be undone the same way.</p>${list(history.records, entry, 'ol')}`;
}

export interface MainPage {
  token: string;
  target: TargetView;
  /** One line when the settings cannot be used yet (missing bucket or keys…). */
  targetProblem?: string;
  notice?: Notice;
  form?: FormView;
  plan?: PlanState;
  history: HistoryState;
  /** A publish or restore running or finished in this preview. */
  job?: { running: boolean; label: string };
}

export function mainPageHtml(page: MainPage): string {
  const job = page.job ? `<p role="status"><a href="${PAGE_PATH}status">${escapeHtml(page.job.label)}</a></p>` : '';
  const problem = page.targetProblem ? `<p class="no" role="alert">${escapeHtml(page.targetProblem)}</p>` : '';
  return layout(
    'Publish',
    noticeHtml(page.notice) +
      job +
      targetHtml(page.target, page.token, !page.targetProblem) +
      problem +
      (page.form ? settingsFormHtml(page.form, page.token) : '') +
      (page.plan ? planStateHtml(page.plan, page.token) : '') +
      historyHtml(page.history),
  );
}

export function settingsPageHtml(form: FormView, token: string): string {
  return layout('Server settings', settingsFormHtml(form, token).replace(/^<h2>Server settings<\/h2>/, ''));
}

export interface JobProgress {
  kind: 'publish' | 'restore';
  /** What it is doing now, e.g. "uploading pages". */
  step: string;
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
}

export type JobResult = { ok: true; lines: string[]; siteUrl?: string } | { ok: false; line: string };

export function statusPageHtml(progress: JobProgress, result: JobResult | undefined): string {
  const what = progress.kind === 'publish' ? 'Publishing' : 'Restoring';
  if (!result) {
    const counts = progress.total > 0 ? ` ${progress.done} of ${plural(progress.total, 'change')} done, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}.` : '';
    return layout(
      what,
      `<p role="status">${escapeHtml(progress.step)}…${counts}</p><p class="muted">This page refreshes itself every second. Closing it does not stop the ${progress.kind}.</p>`,
      1,
    );
  }
  if (!result.ok) return layout(`${what} failed`, `<p class="no" role="alert">${escapeHtml(result.line)}</p><p><a href="${PAGE_PATH}">Back to the publish page</a></p>`);
  const site = result.siteUrl ? `<p><a href="${escapeHtml(result.siteUrl)}">Open the live site</a></p>` : '';
  return layout(
    progress.kind === 'publish' ? 'Published' : 'Restored',
    `${result.lines.map((line, index) => `<p${index === 0 ? ' role="status" class="ok"' : ''}>${escapeHtml(line)}</p>`).join('')}${site}<p><a href="${PAGE_PATH}">Back to the publish page</a></p>`,
  );
}

export function rollbackPageHtml(deployId: string, steps: readonly RestoreStep[] | undefined, problem: string | undefined, token: string): string {
  const title = `Restore the site as it was before ${deployId}`;
  if (problem) return layout(title, `<p class="no" role="alert">${escapeHtml(problem)}</p>`);
  const restores = steps!.filter((step) => step.from);
  const deletes = steps!.filter((step) => !step.from);
  return layout(
    title,
    `<p>Dry run, nothing changed yet. This restore puts back ${plural(restores.length, 'file')} and deletes ${plural(deletes.length, 'file')} that this deploy or a later one created. It is itself a deploy, so it can be undone.</p>` +
      (restores.length > 0 ? `<h2>Put back</h2>${list(restores, (step) => escapeHtml(step.key))}` : '') +
      (deletes.length > 0 ? `<h2>Delete</h2>${list(deletes, (step) => escapeHtml(step.key))}` : '') +
      postForm('rollback', token, 'Restore the site as it was before this deploy', { deploy: deployId }),
  );
}

/** 403, 405, 409…: one line, what to do, and nothing changed. */
export function refusalPageHtml(title: string, line: string): string {
  return layout(title, `<p class="no" role="alert">${escapeHtml(line)}</p><p>Nothing was changed. <a href="${PAGE_PATH}">Back to the publish page</a></p>`);
}
