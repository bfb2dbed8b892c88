// CLI: flags + env → config → start; graceful shutdown on SIGINT/SIGTERM.
import process from 'node:process';
import { HELP } from './config/cli.ts';
import { ConfigError } from './config/errors.ts';
import { loadConfig } from './config/load.ts';
import { watchConfigFile } from './config/watch.ts';
import { createConsoleLogger } from './logger.ts';
import { startLogWatch } from './logwatch.ts';

function describeWatch(watch: ReadonlyArray<string | { path: string }>): string {
  return watch.map((w) => (typeof w === 'string' ? w : w.path)).join(', ') || 'no files';
}

async function main(argv: string[]): Promise<void> {
  const logger = createConsoleLogger();
  let loaded;
  try {
    loaded = loadConfig({ argv, env: process.env, cwd: process.cwd() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`logwatch: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (loaded.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const { config } = loaded;

  let running;
  try {
    running = await startLogWatch(config, { logger });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = e.code === 'EADDRINUSE' ? ` (port ${config.port} is taken: use --port N)` : e.code === 'EACCES' ? ' (permission denied)' : '';
    process.stderr.write(`logwatch: cannot start: ${e.message}${hint}\n`);
    process.exit(1);
  }

  // Rules and notifiers follow the config file (on change or SIGHUP); a bad new config is rejected and the running one stays.
  const reload = (why: string) => {
    try {
      const next = loadConfig({ argv, env: process.env, cwd: process.cwd() });
      logger.info(`${why}: config reloaded: ${running.pipeline.reload(next.config)}`);
    } catch (err) {
      logger.error(`${why}: config NOT reloaded, the running rules and notifiers stay: ${(err as Error).message}`);
    }
  };
  const unwatch = loaded.file === null ? () => {} : watchConfigFile(loaded.file, () => reload(`${loaded.file} changed`));
  process.on('SIGHUP', () => reload('SIGHUP'));

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    unwatch();
    logger.info(`${signal}: stopping (flushing checkpoints, spool and alert state)`);
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    running.stop().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (err: unknown) => {
        logger.error(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  // The startup line comes last: whoever waits for it (a supervisor, a test) may signal at once, and every
  // handler must be in place by then (a SIGHUP before its handler would end the process).
  const auth = config.token === undefined ? 'open' : 'token required';
  process.stdout.write(
    `LogWatch listening on ${running.url} (${running.server.runtime}) · watching ${describeWatch(config.watch)} · ingest POST ${running.url}/api/ingest (${auth}) · state in ${config.stateDir}${loaded.file === null ? '' : ` · config ${loaded.file}`}\n`,
  );
}

await main(process.argv.slice(2));
