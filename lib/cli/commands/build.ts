/** `fleuron build [src] --out DIR [--drafts] [--broken-links warn] [--offline]`: builds a Markdown folder into a website and prints a summary. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { usageError } from '../../errors/fleuron-error.js';
import { printErr, printOut } from '../output.js';

interface BuildArguments {
  src: string;
  out: string;
  drafts: boolean;
  'broken-links': string;
  offline: boolean;
}

export const buildCommand: CommandModule<object, BuildArguments> = {
  command: 'build [src]',
  describe: 'build a Markdown folder into a website',
  builder: (yargs) =>
    yargs
      .positional('src', { type: 'string', default: 'site-src', describe: 'the site folder (Markdown, images, fleuron.yaml)' })
      .option('out', { type: 'string', default: 'public', describe: 'the folder to write the website into' })
      .option('drafts', { type: 'boolean', default: false, describe: 'include pages marked draft: true' })
      .option('broken-links', { type: 'string', default: 'error', describe: 'what a broken internal link does: error or warn' })
      .option('offline', { type: 'boolean', default: false, describe: "build the planet from its cache alone, fetching no member's feed" })
      .example('$0 build', 'build site-src/ into public/')
      .example('$0 build notes --out /tmp/site --drafts', 'another folder, drafts included'),
  handler: async (argv) => {
    const brokenLinks = argv['broken-links'];
    if (brokenLinks !== 'error' && brokenLinks !== 'warn') {
      throw usageError('usage', `--broken-links must be error or warn, not "${brokenLinks}"`, 'e.g. --broken-links warn');
    }
    const print = printOut;
    // Loaded on demand: `fleuron --help` and `fleuron publish DIST` need no Markdown or Liquid.
    const { buildSite, formatSizeReport } = await import('../../builder/index.js');
    const result = await buildSite({
      sourceDir: argv.src,
      outDir: argv.out,
      drafts: argv.drafts,
      brokenLinks,
      offline: argv.offline,
      log: printErr,
    });
    const where = path.relative(process.cwd(), result.outDir) || '.';
    const threads = result.workers > 0 ? ` with ${result.workers} worker thread${result.workers === 1 ? '' : 's'}` : '';
    print(`built ${result.pages} pages (${result.rendered} rendered${threads}, ${result.cached} from cache), ${result.files} files into ${where} in ${result.timings.total} ms`);
    print(`${result.written} written, ${result.unchanged} unchanged, ${result.removed} removed`);
    for (const line of formatSizeReport(result.sizes)) print(line);
    if (result.warnings.length > 0) print(`${result.warnings.length} warning(s)`);
  },
};
