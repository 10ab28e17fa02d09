/** `fleuron preview [SRC] --port N`: builds the site and serves it on 127.0.0.1 as Garage would serve it once published; rebuilds on change. */
import path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { usageError } from '../../errors/fleuron-error.js';
import { printErr, printOut } from '../output.js';

export interface PreviewArgs {
  src: string;
  port: number;
  out: string;
  reload: boolean;
  watch: boolean;
  drafts: boolean;
  offline: boolean;
  gzip?: boolean;
  publishPage: boolean;
}

export const previewCommand: CommandModule<object, PreviewArgs> = {
  command: 'preview [src]',
  describe: 'build the site and serve it on 127.0.0.1 exactly as the published site will be served; rebuilds on change',
  builder: (yargs: Argv) =>
    yargs
      .positional('src', { type: 'string', default: 'site-src', describe: 'the site folder (Markdown, images, fleuron.yaml)' })
      .option('port', { alias: 'p', type: 'number', default: 8080, describe: 'port on 127.0.0.1 (0 picks a free one)' })
      .option('out', { type: 'string', default: '.fleuron/preview', describe: 'where the preview build goes' })
      .option('reload', { type: 'boolean', default: true, describe: 'reload open pages after a rebuild (a script added to HTML responses of the preview only; --no-reload for none)' })
      .option('watch', { type: 'boolean', default: true, describe: 'rebuild when a source file changes (--no-watch to build once)' })
      .option('drafts', { type: 'boolean', default: false, describe: 'include pages marked draft: true' })
      .option('offline', { type: 'boolean', default: false, describe: "build the planet from its cache alone (rebuilds never fetch the members' feeds anyway)" })
      .option('publish-page', { type: 'boolean', default: true, describe: 'serve the publish page at /.fleuron/publish/ (settings, plan, Publish button, history, restore; --no-publish-page for none)' })
      .option('gzip', { type: 'boolean', describe: 'serve text files gzip-compressed, as publish --gzip stores them (default: publish.gzip in fleuron.yaml)' })
      .example('$0 preview', 'build site-src and browse it at http://127.0.0.1:8080/')
      .example('$0 preview docs --port 3000 --no-reload', 'another folder and port, pages never reload themselves') as unknown as Argv<PreviewArgs>,
  handler: async (args: ArgumentsCamelCase<PreviewArgs>) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
      throw usageError('bad-flag', `--port must be a whole number from 0 to 65535 (got ${String(args.port)})`, 'e.g. --port 8080');
    }
    const writeErr = printErr;
    // Loaded on use: the builder (Markdown, Liquid) is not needed by --help.
    const { startPreview } = await import('../../preview/index.js');
    const sourceDir = path.resolve(args.src);
    // The publish page publishes exactly as `fleuron publish SRC` would: the same settings, checks and redirects.
    const { checkTarget, readPublishSettings } = await import('../publish-target.js');
    const { readSiteFiles, siteRedirects } = await import('../../site-settings/site-settings.js');
    const preview = await startPreview({
      sourceDir: args.src,
      outDir: args.out,
      port: args.port,
      reload: args.reload,
      watch: args.watch,
      drafts: args.drafts,
      offline: args.offline,
      ...(args.gzip !== undefined ? { gzip: args.gzip } : {}),
      log: writeErr,
      publishTarget: args.publishPage
        ? {
            projectDir: process.cwd(),
            readSettings: async () => (await readPublishSettings(sourceDir, {})).settings,
            checkTarget,
            // Index and error documents are in the settings already (the one resolver reads deuxfleurs.toml too).
            readRedirects: async (builtDir) => ({ redirects: siteRedirects(await readSiteFiles(sourceDir), builtDir) }),
          }
        : undefined,
    });
    const source = path.relative(process.cwd(), path.resolve(args.src)) || '.';
    printOut(`preview: ${preview.url}`);
    if (args.publishPage) printOut(`publish page: ${preview.url}.fleuron/publish/`);
    writeErr(`serving ${source} as it will be published${args.watch ? ', rebuilding on change' : ''}; press Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await preview.close();
  },
};
