/** Pure: the safety rules every change of a site obeys (publish and rollback alike), checked before anything changes. */
import { ExitCode, FleuronError } from '../errors/fleuron-error.js';

export interface SafetyInput {
  /** Keys the change would delete. */
  deletes: number;
  /** Site objects in the bucket now. */
  existing: number;
  /** Site objects the change would leave (0: the site would be emptied). */
  remaining: number;
  /** The delete cap; negative means none. */
  maxDeletes: number;
  /** `publish` or `rollback`, for the messages. */
  kind: 'publish' | 'rollback';
  /** Why nothing would remain, as the start of the refusal (e.g. "the folder X has nothing to publish"). */
  emptyReason: string;
}

export function checkSafety(input: SafetyInput): void {
  if (input.remaining === 0 && input.existing > 0) {
    throw new FleuronError(input.kind === 'publish' ? 'empty-folder' : 'empty-site', `${input.emptyReason}, and the bucket holds ${input.existing} objects`, {
      hint:
        input.kind === 'publish'
          ? 'refusing to empty the site: check the folder (was the site built?)'
          : 'refusing to empty the site: to take it down, delete its objects yourself',
      exitCode: ExitCode.usage,
    });
  }
  if (input.maxDeletes >= 0 && input.deletes > input.maxDeletes) {
    throw new FleuronError('too-many-deletes', `this ${input.kind} would delete ${input.deletes} objects, more than the cap of ${input.maxDeletes}; nothing was changed`, {
      hint: `check the ${input.kind === 'publish' ? 'folder and prefix' : 'deploy id'}; if the deletes are intended, run again with --max-deletes ${input.deletes}`,
    });
  }
}
