/** `fleuron build`: placeholder until the builder lands (issue 4). */
import type { CommandModule } from 'yargs';
import { FleuronError } from '../../errors/fleuron-error.js';

export const buildCommand: CommandModule = {
  command: 'build [src]',
  describe: 'build a Markdown folder into a website',
  handler: () => {
    throw new FleuronError('not-implemented', 'fleuron build is not implemented yet');
  },
};
