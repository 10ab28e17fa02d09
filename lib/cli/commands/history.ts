/** `fleuron history` and `fleuron rollback <deploy-id>`: the deploys kept in the archive bucket, and undoing them. */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { PublishFlags } from '../../config/publish-settings.js';
import { withTargetOptions } from '../target-options.js';

export interface HistoryArgs extends PublishFlags {
  dir: string;
  json?: boolean;
}

export interface RollbackArgs extends HistoryArgs {
  deployId: string;
  dryRun?: boolean;
  breakLock?: boolean;
  lockLabel?: string;
}

export const historyCommand: CommandModule<object, HistoryArgs> = {
  command: 'history',
  describe: 'list the deploys kept in the archive bucket (newest first)',
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .option('dir', { type: 'string', default: 'site-src', describe: 'site folder whose fleuron.yaml names the buckets' })
      .option('json', { type: 'boolean', describe: 'print JSON' })
      .example('$0 history', 'deploys of the site configured in site-src/fleuron.yaml') as unknown as Argv<HistoryArgs>,
  handler: async (args: ArgumentsCamelCase<HistoryArgs>) => {
    const { runHistory } = await import('../run-history.js');
    await runHistory(args);
  },
};

export const rollbackCommand: CommandModule<object, RollbackArgs> = {
  command: 'rollback <deploy-id>',
  describe: 'restore the site to its state before a deploy (itself a deploy: it can be rolled back)',
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .positional('deploy-id', { type: 'string', describe: 'a deploy id from fleuron history' })
      .option('dir', { type: 'string', default: 'site-src', describe: 'site folder whose fleuron.yaml names the buckets' })
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'print what would be restored and deleted' })
      .option('json', { type: 'boolean', describe: 'print JSON' })
      .option('break-lock', { type: 'boolean', describe: 'roll back even though a publish holds the lock' })
      .option('max-deletes', { type: 'number', describe: 'refuse to roll back if more objects would be deleted (-1: no cap; default 256) [env FLEURON_MAX_DELETES]' })
      .option('lock-label', { type: 'string', describe: 'who rolls back, shown to a publish that finds the lock taken (public) [env FLEURON_LOCK_LABEL]' })
      .example('$0 rollback 20261125T144512345Z-ab12', 'undo that deploy and every later one') as unknown as Argv<RollbackArgs>,
  handler: async (args: ArgumentsCamelCase<RollbackArgs>) => {
    const { runRollback } = await import('../run-history.js');
    await runRollback(args);
  },
};
