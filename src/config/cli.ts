import { parseArgs } from 'node:util';
import { ConfigError } from './errors.ts';

export const HELP = `LogWatch: real-time log monitoring server

Usage: logwatch [options]        (npm start -- [options], bun run start -- [options])
       logwatch hash-password    reads a password on stdin, prints its scrypt hash for auth.users[].passwordHash
       logwatch agent --forward URL --watch GLOB [--token T]   (tail files, ship to a central LogWatch; agent --help)

Options (flags override environment, which overrides the config file, which overrides defaults):
  --config FILE      config file (env LOGWATCH_CONFIG; default ./logwatch.config.json when it exists)
  --port N           port to listen on (env PORT; default 3000; 0 picks a free port)
  --host H           address to bind (env HOST; default 127.0.0.1)
  --watch GLOB       file glob to tail; repeatable (env LOGWATCH_WATCH, comma-separated; default ./logs/*.log)
  --state-dir DIR    checkpoints, spool and alert state (env LOGWATCH_STATE_DIR; default ./.logwatch)
  --token T          a token with every role: reading, changing and ingesting all need it, as
                     "Authorization: Bearer T" or the dashboard's login page (env LOGWATCH_TOKEN)
  --insecure         start on a non-loopback --host even with no --token and no auth (everything open)
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
  insecure: boolean;
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
        insecure: { type: 'boolean' },
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
      insecure: values.insecure === true,
    };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${(err as Error).message}; see --help`);
  }
}

/** `logwatch hash-password`: the password is read from stdin (one line; a final newline is not part of it). */
export async function hashPasswordCommand(input: string, hash: (password: string) => Promise<string>): Promise<string> {
  const password = input.replace(/\r?\n$/, '');
  if (password.length < 8) throw new ConfigError('hash-password: give a password of at least 8 characters on stdin, e.g. `logwatch hash-password < file` or type it and press Enter');
  return hash(password);
}
