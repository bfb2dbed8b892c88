// CLI: flags + env → config → start (or `logwatch agent`); graceful shutdown on SIGINT/SIGTERM.
import process from 'node:process';
import { startAgent } from './agent.ts';
import { AGENT_HELP, loadAgentConfig } from './config/agent-cli.ts';
import { hashPasswordCommand, HELP } from './config/cli.ts';
import { ConfigError } from './config/errors.ts';
import { exposureProblem, hasAuth, syslogExposure } from './config/exposure.ts';
import { loadConfig } from './config/load.ts';
import { watchConfigFile } from './config/watch.ts';
import { createConsoleLogger } from './logger.ts';
import { startLogWatch } from './logwatch.ts';
import { hashPassword } from './web/auth/password.ts';

function describeWatch(watch: ReadonlyArray<string | { path: string }>): string {
  return watch.map((w) => (typeof w === 'string' ? w : w.path)).join(', ') || 'no files';
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter): ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (process.stdin.isTTY && text.includes('\n')) break;
  }
  return text;
}

/** Stops `stop` on SIGINT/SIGTERM, exiting 0 when it finished and 1 after 10 s or a failure. */
function onSignals(logger: ReturnType<typeof createConsoleLogger>, what: string, stop: () => Promise<void>, before: () => void = () => {}): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    before();
    logger.info(`${signal}: stopping (${what})`);
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    stop().then(
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
}

async function agentMain(argv: string[]): Promise<void> {
  const logger = createConsoleLogger();
  let launch;
  try {
    launch = loadAgentConfig(argv, process.env, process.cwd());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`logwatch agent: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (launch.help) {
    process.stdout.write(`${AGENT_HELP}\n`);
    return;
  }
  const agent = await startAgent({ agent: launch.agent, watch: launch.watch, files: launch.files, stateDir: launch.stateDir, logger });
  // The tailing timers and watchers are unref'd (they must never hold a stopping LogWatch up); the agent
  // has no server to keep it running, so this does until a signal stops it.
  const keepAlive = setInterval(() => {}, 1 << 30);
  onSignals(logger, 'sending what was read, then checkpointing', async () => {
    await agent.stop();
    clearInterval(keepAlive);
  });
  // Last, as for the server: the handlers are in place once the line is out.
  process.stdout.write(`LogWatch agent shipping ${describeWatch(launch.watch)} to ${launch.agent.url} as host ${launch.agent.labels.host} · state in ${launch.stateDir}\n`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'agent') return agentMain(argv.slice(1));
  if (argv[0] === 'hash-password') {
    let hash: string;
    try {
      hash = await hashPasswordCommand(await readStdin(), hashPassword);
    } catch (err) {
      process.stderr.write(`logwatch: ${(err as Error).message}\n`);
      process.exit(2);
    }
    process.stdout.write(`${hash}\n`);
    process.exit(0);
  }
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
  const exposed = exposureProblem(config);
  if (exposed !== null && !loaded.insecure) {
    process.stderr.write(`logwatch: ${exposed}\n`);
    process.exit(2);
  }
  if (exposed !== null) logger.warn(`--insecure: listening on ${config.host} with NO authentication; anyone on the network can read, inject and silence`);
  const syslogOpen = syslogExposure(config);
  if (syslogOpen !== null) logger.warn(syslogOpen);

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

  onSignals(logger, 'flushing checkpoints, spool and alert state', () => running.stop(), unwatch);

  // The startup line comes last: whoever waits for it (a supervisor, a test) may signal at once, and every
  // handler must be in place by then (a SIGHUP before its handler would end the process).
  const auth = hasAuth(config) ? 'auth required' : exposed !== null ? 'OPEN (--insecure)' : 'open on loopback';
  const syslog = Object.entries(running.syslog).map(([kind, port]) => `${kind} ${port}`).join(', ');
  const extras = [
    syslog === '' ? '' : ` · syslog on ${config.syslog?.host ?? config.host} ${syslog}`,
    config.forward.loki === undefined ? '' : ` · forwarding to Loki ${config.forward.loki.url}`,
  ].join('');
  process.stdout.write(
    `LogWatch listening on ${running.url} (${running.server.runtime}) · watching ${describeWatch(config.watch)} · ingest POST ${running.url}/api/ingest (${auth}) · state in ${config.stateDir}${loaded.file === null ? '' : ` · config ${loaded.file}`}${extras}\n`,
  );
}

await main(process.argv.slice(2));
