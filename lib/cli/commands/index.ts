/** Every command the CLI knows, in the order `--help` lists them. */
import type { CommandModule } from 'yargs';
import { buildCommand } from './build.js';
import { historyCommand, rollbackCommand } from './history.js';
import { initCommand } from './init.js';
import { previewCommand } from './preview.js';
import { publishCommand } from './publish.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [initCommand, buildCommand, previewCommand, publishCommand, historyCommand, rollbackCommand];
