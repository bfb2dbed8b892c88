import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';

export const HELP = `LogWatch: real-time log monitoring server

Usage: logwatch [options]        (npm start -- [options], bun run start -- [options])
       logwatch agent --forward URL --watch GLOB [--token T]   (tail files, ship to a central LogWatch; agent --help)

Options (flags override environment, which overrides the config file, which overrides defaults):
  --config FILE      config file (env LOGWATCH_CONFIG; default ./logwatch.config.json when it exists)
  --port N           port to listen on (env PORT; default 3000; 0 picks a free port)
  --host H           address to bind (env HOST; default 127.0.0.1)
  --watch GLOB       file glob to tail; repeatable (env LOGWATCH_WATCH, comma-separated; default ./logs/*.log)
  --state-dir DIR    checkpoints, spool and alert state (env LOGWATCH_STATE_DIR; default ./.logwatch)
  --token T          require "Authorization: Bearer T" on POST /api/ingest (env LOGWATCH_TOKEN)
  -h, --help         print this help and exit

See README.md and logwatch.config.example.json for the config file.`;

export interface CliFlags {
  help: boolean;
  config?: string;
  port?: string;
  host?: string;
  watch?: string[];
  stateDir?: string;
  token?: string;
}

export function parseFlags(argv: string[]): CliFlags {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        watch: { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        token: { type: 'string' },
      },
    });
    if (positionals.length > 0) {
      throw new ConfigError(`unexpected argument "${positionals[0]}" (use --watch GLOB to tail files); see --help`);
    }
    return {
      help: values.help === true,
      config: values.config,
      port: values.port,
      host: values.host,
      watch: values.watch,
      stateDir: values['state-dir'],
      token: values.token,
    };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${(err as Error).message}; see --help`);
  }
}
