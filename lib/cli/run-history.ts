/** Runs `fleuron history` and `fleuron rollback`. */
import path from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import { listDeploys } from '../archive/archive.js';
import { checkLockLabel } from '../publish/publish-lock.js';
import { rollback } from '../publish/rollback.js';
import type { PublishSettings } from '../config/publish-settings.js';
import { FleuronError, isFleuronError, usageError } from '../errors/fleuron-error.js';
import { createS3Connection, displayEndpoint } from '../s3/client.js';
import { describeS3Error } from '../s3/s3-error.js';
import type { HistoryArgs, RollbackArgs } from './commands/history.js';
import { checkTarget, readPublishSettings } from './publish-target.js';
import { printable } from './format.js';
import { printOut } from './output.js';
import { lockLabelFrom, targetFlags } from './target-options.js';

async function connect(args: HistoryArgs) {
  const { settings } = await readPublishSettings(path.resolve(args.dir), { ...targetFlags(args), maxDeletes: args.maxDeletes });
  const bucket = checkTarget(settings);
  const archive = settings.archive;
  if (!archive) throw usageError('no-archive', 'no archive bucket is configured, so no deploy was kept', 'add publish: { archive: { bucket: NAME } } to fleuron.yaml (or FLEURON_ARCHIVE_BUCKET)');
  const { client } = createS3Connection(
    { endpoint: settings.endpoint, region: settings.region, forcePathStyle: settings.forcePathStyle, credentials: settings.credentials },
    { maxSockets: settings.concurrency },
  );
  const context = (doing: string) => ({ bucket: archive.bucket, endpoint: displayEndpoint(settings.endpoint), region: settings.region, doing });
  return { settings: settings as PublishSettings & { archive: NonNullable<PublishSettings['archive']> }, bucket, archive, client, context };
}

const print = (text: string): void => {
  printOut(text);
};

export async function runHistory(args: ArgumentsCamelCase<HistoryArgs>): Promise<void> {
  const { settings, bucket, archive, client, context } = await connect(args);
  try {
    const records = await listDeploys(client, archive, bucket, settings.prefix).catch((error) => {
      throw describeS3Error(error, context('listing deploys'));
    });
    const newestFirst = [...records].reverse();
    if (args.json) return print(JSON.stringify(newestFirst.map(({ changes, ...rest }) => ({ ...rest, changes: changes.length })), null, 2));
    if (newestFirst.length === 0) return print(`no deploy of s3://${bucket}/${settings.prefix} is kept in "${archive.bucket}" (kept ${archive.retentionDays} days)`);
    for (const record of newestFirst) {
      const count = (action: string) => record.changes.filter((change) => change.action === action).length;
      const what =
        record.kind === 'rollback'
          ? `rollback of ${record.rollbackOf}: ${count('restore')} restored, ${count('delete')} deleted`
          : `${count('upload')} uploaded, ${count('update-headers')} headers updated, ${count('delete')} deleted`;
      print(`${record.id}  ${record.time}  ${what}${record.failed ? `  FAILED: ${record.failed.message}` : ''}`);
    }
  } finally {
    client.destroy();
  }
}

export async function runRollback(args: ArgumentsCamelCase<RollbackArgs>): Promise<void> {
  try {
    await rollBackAndReport(args);
  } catch (error) {
    if (args.json) {
      const failure = isFleuronError(error) ? error : new FleuronError('unexpected', (error as Error).message);
      print(JSON.stringify({ ok: false, error: { code: failure.code, message: failure.message, hint: failure.hint } }));
    }
    throw error;
  }
}

async function rollBackAndReport(args: ArgumentsCamelCase<RollbackArgs>): Promise<void> {
  const lockLabel = checkLockLabel(lockLabelFrom(args));
  const { settings, bucket, archive, client, context } = await connect(args);
  try {
    const outcome = await rollback({
      client,
      bucket,
      prefix: settings.prefix,
      archive,
      targetId: args.deployId,
      concurrency: settings.concurrency,
      maxDeletes: settings.maxDeletes,
      dryRun: args.dryRun,
      breakLock: args.breakLock,
      lockLabel,
    }).catch((error) => {
      throw describeS3Error(error, context(`rolling back ${args.deployId}`));
    });
    if (args.json) return print(JSON.stringify({ ok: true, dryRun: args.dryRun === true, ...outcome }, null, 2));
    if (args.dryRun) for (const step of outcome.steps) print(step.from ? `restore  ${printable(step.key)}  (from ${printable(step.from)})` : `delete   ${printable(step.key)}  (created by a later deploy)`);
    const verb = args.dryRun ? 'dry run, nothing changed — would restore' : 'rolled back: restored';
    print(`${verb} ${outcome.restored} and ${args.dryRun ? 'delete' : 'deleted'} ${outcome.deleted} objects of s3://${bucket}/${settings.prefix} to their state before ${args.deployId}${outcome.deployId ? ` (this rollback is deploy ${outcome.deployId})` : ''}`);
  } finally {
    client.destroy();
  }
}
