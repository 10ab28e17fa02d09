/**
 * The publish page's actions (POSTs the request guard let through): save the server settings, test the connection,
 * start a publish or a restore in the background. One publish or restore at a time (`PageSession.busy`).
 */
import type { ServerResponse } from 'node:http';
import { DEPLOY_ID_PATTERN } from '../../archive/deploy-record.js';
import { checkKeysForm, readDotEnvValues, saveToDotEnv } from './dotenv-file.js';
import { follow } from './job-progress.js';
import { PAGE_PATH, settingsPageHtml, type JobProgress, type JobResult } from './page-html.js';
import { runPublish, runRollback, testConnection, type Job, type PageSession } from './page-session.js';
import { formViewOf, keysFormOf, publishedLines, restoredLines } from './page-views.js';
import { errorLine, hasArchive } from './target-source.js';

export async function saveSettings(session: PageSession, response: ServerResponse, form: URLSearchParams): Promise<void> {
  const typed = keysFormOf(form);
  session.remember(typed.secretAccessKey.trim());
  const dotEnv = await readDotEnvValues(session.target.projectDir);
  const checked = checkKeysForm(typed, dotEnv);
  if (!checked.ok) {
    const settings = await session.readSettings().catch(() => undefined);
    const view = formViewOf(settings, { env: session.env, dotEnv }, typed, checked.errors);
    return session.send(response, 400, settingsPageHtml(view, session.token));
  }
  await saveToDotEnv(session.target.projectDir, checked.values);
  session.log('publish page: saved the server settings in .env');
  session.notice = { ok: true, line: 'Saved in .env. Test the connection, then check what would change.' };
  session.redirect(response, PAGE_PATH);
}

export async function testTheConnection(session: PageSession, response: ServerResponse): Promise<void> {
  try {
    const settings = await session.readSettings();
    const bucket = session.target.checkTarget(settings);
    const outcome = await testConnection(settings, bucket);
    session.notice = outcome.ok
      ? { ok: true, line: `Connected: bucket "${bucket}" at ${settings.endpoint ?? 'AWS S3'} answered (${outcome.objects} object${outcome.objects === 1 ? '' : 's'} listed).` }
      : { ok: false, line: errorLine(outcome.error) };
  } catch (error) {
    session.notice = { ok: false, line: errorLine(error) };
  }
  session.redirect(response, PAGE_PATH);
}

/** Starts a publish of the built folder, unless the build or the plan shown is not the one to publish. */
export async function startPublish(session: PageSession, response: ServerResponse, form: URLSearchParams): Promise<boolean> {
  const { build, target } = session;
  const settings = await session.readSettings();
  const bucket = target.checkTarget(settings);
  const buildError = build.lastBuildError();
  const refusal = build.drafts
    ? 'this preview includes draft pages (--drafts): restart it without --drafts to publish'
    : buildError
      ? `the last rebuild failed (${buildError.message}): fix the sources first`
      : form.get('version') !== String(build.version())
        ? 'the site was rebuilt since this plan was shown: check the new plan, then press Publish again'
        : undefined;
  if (refusal) {
    session.refuse(response, 409, 'Not published', refusal);
    return false;
  }
  const siteUrl = await session.siteUrl();
  startJob(session, 'publish', (progress) =>
    build.exclusive(async () => {
      const { summary } = await runPublish({ builtDir: build.builtDir, source: target, settings, bucket, dryRun: false, onEvent: (event) => follow(progress, event) });
      return { ok: true, lines: publishedLines(summary), siteUrl };
    }),
  );
  session.redirect(response, `${PAGE_PATH}status`);
  return true;
}

/** Starts restoring the site as it was before the deploy the form names. */
export async function startRollback(session: PageSession, response: ServerResponse, form: URLSearchParams): Promise<boolean> {
  const deployId = form.get('deploy') ?? '';
  if (!DEPLOY_ID_PATTERN.test(deployId)) {
    session.refuse(response, 400, 'Not restored', `"${deployId}" is not a deploy id: pick one in the history`);
    return false;
  }
  const settings = await session.readSettings();
  const bucket = session.target.checkTarget(settings);
  if (!hasArchive(settings)) {
    session.refuse(response, 409, 'Not restored', 'no archive bucket is configured, so no deploy was kept');
    return false;
  }
  const siteUrl = await session.siteUrl();
  startJob(session, 'restore', async () => {
    const outcome = await runRollback(settings, bucket, deployId, false);
    return { ok: true, lines: restoredLines(`s3://${bucket}/${settings.prefix}`, deployId, outcome), siteUrl };
  });
  session.redirect(response, `${PAGE_PATH}status`);
  return true;
}

/** Starts a publish or restore in the background; the status page follows it, and its end frees the slot. */
function startJob(session: PageSession, kind: JobProgress['kind'], work: (progress: JobProgress) => Promise<JobResult>): void {
  const progress: JobProgress = { kind, step: kind === 'publish' ? 'reading the folder and listing the bucket' : 'restoring', done: 0, total: 0, bytesDone: 0, bytesTotal: 0 };
  const current: Job = { progress };
  session.job = current;
  void work(progress)
    .catch((error): JobResult => ({ ok: false, line: errorLine(error) }))
    .then((result) => {
      current.result = result;
      session.busy = false;
      session.log(session.scrub(`publish page: ${result.ok ? result.lines[0] : `the ${kind} failed: ${result.line}`}`));
    });
}
