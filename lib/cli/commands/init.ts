/** `fleuron init [dir]`: scaffolds a new site project. */
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { usageError } from '../../errors/fleuron-error.js';
import { printOut } from '../output.js';

interface InitArgs {
  dir: string;
  title?: string;
  lang: string;
}

export const initCommand: CommandModule<object, InitArgs> = {
  command: 'init [dir]',
  describe: 'create a new site: sources with a first page, fleuron.yaml, .env.example, .gitignore, CI examples',
  builder: (yargs: Argv) =>
    yargs
      .positional('dir', { type: 'string', default: '.', describe: 'the project folder to create' })
      .option('title', { type: 'string', describe: 'the site title (default: the folder name)' })
      .option('lang', { type: 'string', default: 'fr', choices: ['fr', 'en'], describe: 'language of the site' })
      .example('$0 init mon-site --title "Mon site"', 'then: cd mon-site && fleuron publish --local') as unknown as Argv<InitArgs>,
  handler: async (args: ArgumentsCamelCase<InitArgs>) => {
    const { ciExampleFiles, scaffoldFiles, writeScaffold } = await import('../../init/scaffold.js');
    const dir = path.resolve(args.dir);
    const title = args.title ?? path.basename(dir);
    if (title.trim() === '') throw usageError('init-title', 'the site needs a title', 'give --title "My site"');
    const files = [...scaffoldFiles({ title, language: args.lang as 'fr' | 'en' }), ...(await ciExampleFiles())];
    await writeScaffold(dir, files);
    const where = path.relative(process.cwd(), dir) || '.';
    printOut(`created ${files.length} files in ${where}:\n${files.map((file) => `  ${file.path}`).join('\n')}`);
    printOut(`next: ${where === '.' ? '' : `cd ${where} && `}fleuron publish --local`);
  },
};
