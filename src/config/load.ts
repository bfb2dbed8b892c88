import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { parseFlags, type CliFlags } from './cli.ts';
import { ConfigError, formatPath } from './errors.ts';
import { stripJsonComments } from './jsonc.ts';
import { configSchema, type Config } from './schema.ts';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file read, or null when none was. */
  file: string | null;
  help: boolean;
  /** --insecure: start exposed without auth (see exposure.ts). */
  insecure: boolean;
}

export interface LoadOptions {
  argv?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

type Origin = { kind: 'flag' | 'env'; name: string };

/** Flags override environment, which overrides the config file, which overrides defaults. */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const flags = parseFlags(options.argv ?? []);
  if (flags.help) return { config: configSchema.parse({}), file: null, help: true, insecure: false };

  const file = configFilePath(flags, env, cwd);
  const input = file === null ? {} : readConfigFile(file);
  const origins = new Map<string, Origin>();
  applyOverrides(input, flags, env, origins);
  return { config: validate(input, file, origins), file, help: false, insecure: flags.insecure };
}

/** Validates a config object (from a file or built in code); errors name the field and where it came from. */
export function parseConfig(input: unknown, file: string | null = null): Config {
  return validate(input, file, new Map());
}

function configFilePath(flags: CliFlags, env: Record<string, string | undefined>, cwd: string): string | null {
  const explicit = flags.config ?? env.LOGWATCH_CONFIG;
  if (explicit !== undefined && explicit !== '') {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      const via = flags.config !== undefined ? '--config' : 'LOGWATCH_CONFIG';
      throw new ConfigError(`config file ${path} (from ${via}) does not exist`);
    }
    return path;
  }
  const fallback = resolve(cwd, 'logwatch.config.json');
  return existsSync(fallback) ? fallback : null;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripJsonComments(text));
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold one JSON object, e.g. { "port": 3000 }`);
  }
  return parsed as Record<string, unknown>;
}

function applyOverrides(
  input: Record<string, unknown>,
  flags: CliFlags,
  env: Record<string, string | undefined>,
  origins: Map<string, Origin>,
): void {
  const set = (field: string, value: unknown, origin: Origin) => {
    input[field] = value;
    origins.set(field, origin);
  };
  const envValue = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const fromEnv: Array<[string, string, (v: string) => unknown]> = [
    ['port', 'PORT', toPort],
    ['host', 'HOST', (v) => v],
    ['watch', 'LOGWATCH_WATCH', (v) => v.split(',').map((s) => s.trim()).filter((s) => s !== '')],
    ['stateDir', 'LOGWATCH_STATE_DIR', (v) => v],
    ['token', 'LOGWATCH_TOKEN', (v) => v],
  ];
  for (const [field, name, convert] of fromEnv) {
    const value = envValue(name);
    if (value !== undefined) set(field, convert(value), { kind: 'env', name });
  }
  if (flags.port !== undefined) set('port', toPort(flags.port), { kind: 'flag', name: '--port' });
  if (flags.host !== undefined) set('host', flags.host, { kind: 'flag', name: '--host' });
  if (flags.watch !== undefined) set('watch', flags.watch, { kind: 'flag', name: '--watch' });
  if (flags.stateDir !== undefined) set('stateDir', flags.stateDir, { kind: 'flag', name: '--state-dir' });
  if (flags.token !== undefined) set('token', flags.token, { kind: 'flag', name: '--token' });
}

/** Digits become a number; anything else stays a string so the schema reports it. */
function toPort(value: string): unknown {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
}

function validate(input: unknown, file: string | null, origins: Map<string, Origin>): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => describeIssue(issue, file, origins));
  const head = lines.length === 1 ? 'invalid configuration: ' : `invalid configuration (${lines.length} problems):\n  `;
  throw new ConfigError(head + lines.join('\n  '));
}

function describeIssue(issue: z.core.$ZodIssue, file: string | null, origins: Map<string, Origin>): string {
  const top = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
  const origin = top === undefined ? undefined : origins.get(top);
  let where: string;
  if (origin?.kind === 'flag') where = `flag ${origin.name}`;
  else if (origin?.kind === 'env') where = `environment variable ${origin.name}`;
  else where = file === null ? 'built-in configuration' : file;
  const field = issue.code === 'unrecognized_keys'
    ? formatPath([...issue.path, ...(issue.keys.length > 0 ? [issue.keys[0] as string] : [])])
    : formatPath(issue.path);
  return `${where}: field ${field}: ${explainIssue(issue)}`;
}

function explainIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? `s ${issue.keys.join(', ')}` : ''} (check the spelling against logwatch.config.example.json)`;
    default:
      return issue.message;
  }
}
