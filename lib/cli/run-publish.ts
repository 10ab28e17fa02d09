/** Runs `fleuron publish`: builds a source folder if needed, resolves the target, publishes, reports. */
import path from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import type { PublishFlags, PublishSettings } from '../config/publish-settings.js';
import { FleuronError, isFleuronError } from '../errors/fleuron-error.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startLocalS3, type LocalS3 } from '../local-server/local-s3.js';
import { publish, type PublishOptions, type PublishOutcome } from '../publish/publish.js';
import { s3Sdk } from '../s3/sdk.js';
import { describeS3Error } from '../s3/s3-error.js';
import { siteRedirects } from '../site-settings/site-settings.js';
import type { SiteRedirect } from '../website/redirects.js';
import type { PublishArgs } from './commands/publish.js';
import { createReporter, formatPlan, formatSummary, planAsJson } from './publish-report.js';
import { checkTarget, pickFlags, readPublishSettings } from './publish-target.js';
import { checkLockLabel } from '../publish/publish-lock.js';
import type { EarlyStart } from '../publish/early-start.js';
import { settingsOptions } from '../publish/settings-options.js';
import { printErr, printOut } from './output.js';
import { limitHeapGrowth, optimiseOnlyWhatStaysHot } from './publish-v8-flags.js';
import { lockLabelFrom } from './target-options.js';
import { buildIfSource } from './site-source.js';

export const LOCAL_BUCKET = 'site';
export const LOCAL_DATA_DIR = '.fleuron/local-s3';

/** `early`: the scans startPublishScans started while this module loaded (publish() uses them if they fit). */
export async function runPublish(args: ArgumentsCamelCase<PublishArgs>, early?: EarlyStart): Promise<void> {
  limitHeapGrowth();
  const writeErr = printErr;
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  const quiet = Boolean(args.quiet || args.json);
  let local: LocalS3 | undefined;
  try {
    const dir = path.resolve(args.dir);
    const { settings, files } = await readPublishSettings(dir, pickFlags(args));

    // Checked before a source folder is built: a missing key or bucket should not cost a build first.
    if (!args.local) checkTarget(settings);
    const built = await buildIfSource(dir, { out: args.out, drafts: args.drafts, offline: args.offline ?? false, gzip: settings.gzip, log: quiet ? () => {} : writeErr });
    optimiseOnlyWhatStaysHot();

    let target: PublishSettings = settings;
    if (args.local) {
      local = await startLocalS3({ directory: path.resolve(LOCAL_DATA_DIR), port: args.localPort });
      target = { ...settings, endpoint: local.endpoint, region: LOCAL_REGION, forcePathStyle: true, credentials: { ...LOCAL_CREDENTIALS }, bucket: settings.bucket ?? LOCAL_BUCKET };
      await ensureLocalBucket(target);
    }
    const bucket = checkTarget(target);
    const redirects = siteRedirects(files, built.publishDir);

    const reporter = createReporter({ tty, quiet, write: writeErr });
    let outcome: PublishOutcome;
    try {
      const options = { ...publishOptions(args, target, bucket, built.publishDir, redirects, local), ...(built.trackedCopies ? { builtCopies: built.trackedCopies } : {}) };
      outcome = await publish({ ...options, early, onEvent: (event) => reporter.onEvent(event) });
    } finally {
      reporter.stop();
    }
    outcome.summary.warnings.unshift(...built.warnings);
    printOutcome(args, outcome, local?.websiteUrl(bucket, target.prefix), writeErr);
    if (local && (args.serve ?? (Boolean(process.stdout.isTTY) && !process.env.CI))) await serveUntilStopped(writeErr);
  } catch (error) {
    if (args.json) {
      const failure = isFleuronError(error) ? error : new FleuronError('unexpected', (error as Error).message);
      printOut(JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message, hint: failure.hint } }));
    }
    throw error;
  } finally {
    await local?.stop();
  }
}

/** What to publish where, from the resolved settings and the command line. */
function publishOptions(args: PublishArgs, target: PublishSettings, bucket: string, dir: string, redirects: SiteRedirect[], local: LocalS3 | undefined): PublishOptions {
  return {
    dir,
    ...settingsOptions(target),
    bucket,
    dryRun: args.dryRun,
    force: args.force,
    breakLock: args.breakLock,
    lockLabel: checkLockLabel(lockLabelFrom(args)),
    hashCache: args.hashCache,
    redirects,
    // s3rver serves websites path-style, under /<bucket>/
    siteRootPath: local ? `/${bucket}/${target.prefix}` : undefined,
  };
}

/** The summary (and the plan of a dry run) on stdout, warnings on stderr in every mode: stdout may be a JSON document. */
function printOutcome(args: PublishArgs, { summary, plan }: PublishOutcome, siteUrl: string | undefined, writeErr: (line: string) => void): void {
  for (const warning of summary.warnings) writeErr(`warning: ${warning}`);
  if (args.json) {
    printOut(JSON.stringify({ ...summary, ...(siteUrl ? { url: siteUrl } : {}), ...(args.dryRun ? { plan: planAsJson(plan) } : {}) }, null, 2));
    return;
  }
  if (args.dryRun) for (const line of formatPlan(plan)) printOut(line);
  printOut(formatSummary(summary));
  if (siteUrl) printOut(`site: ${siteUrl}`);
}

/** Keeps serving the site from the embedded server until Ctrl-C. */
async function serveUntilStopped(writeErr: (line: string) => void): Promise<void> {
  writeErr('serving the site from the embedded S3 server; press Ctrl-C to stop');
  // The server runs in an unreferenced child: hold the event loop open until Ctrl-C.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
}


/** The embedded server starts empty: create the bucket the first time. */
async function ensureLocalBucket(target: PublishSettings): Promise<void> {
  const bucket = target.bucket!;
  const [{ CreateBucketCommand, HeadBucketCommand }, { createS3Connection }] = await Promise.all([s3Sdk(), import('../s3/client.js')]);
  const { client } = createS3Connection({ endpoint: target.endpoint, region: target.region, forcePathStyle: true, credentials: target.credentials });
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket })).catch(async (error: { $metadata?: { httpStatusCode?: number } }) => {
      if (error.$metadata?.httpStatusCode !== 404) throw error;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    });
  } catch (error) {
    throw describeS3Error(error, { bucket, endpoint: target.endpoint ?? '', region: target.region, doing: 'creating the local bucket' });
  } finally {
    client.destroy();
  }
}

