/** `fleuron publish`: placeholder, being written. */
import type { CommandModule } from 'yargs';
import { FleuronError } from '../../errors/fleuron-error.js';

export const publishCommand: CommandModule = {
  command: 'publish [dir]',
  describe: 'publish a folder to an S3 bucket',
  handler: () => {
    throw new FleuronError('not-implemented', 'fleuron publish is not implemented yet');
  },
};
