// `logwatch agent`: flags and environment of the agent mode (no config file: an agent is a few flags).
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { agentSchema, type AgentConfig } from '../forward/config.ts';
import { filesSchema, type FilesConfig } from '../sources/config.ts';
import { ConfigError, formatPath } from './errors.ts';

export const AGENT_HELP = `LogWatch agent: tails files and ships them to a central LogWatch (or any Loki push endpoint)

Usage: logwatch agent --forward URL [--token T] --watch GLOB [--watch GLOB ...] [options]

  --forward URL      the central LogWatch, e.g. http://central:3000 (env LOGWATCH_FORWARD); its Loki
                     receiver takes the lines. A Loki base or push URL works too.
  --token T          sent as "Authorization: Bearer T" (env LOGWATCH_TOKEN): the central's token
  --watch GLOB       file glob to tail; repeatable (env LOGWATCH_WATCH, comma-separated)
  --state-dir DIR    checkpoints (env LOGWATCH_STATE_DIR; default ./.logwatch-agent)
  --host-label NAME  the host label of every line (env LOGWATCH_HOST_LABEL; default this host's name)
  -h, --help         print this help and exit

Lines arrive at the central as source "<host>:<file>" with metadata host and filename. A file offset is
checkpointed only after the central answered 2xx: a restart or outage of either side loses nothing.`;

export interface AgentLaunch {
  help: boolean;
  agent: AgentConfig;
  watch: string[];
  files: FilesConfig;
  stateDir: string;
}

export function loadAgentConfig(argv: string[], env: Record<string, string | undefined>, cwd: string): AgentLaunch {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        forward: { type: 'string' },
        token: { type: 'string' },
        watch: { type: 'string', multiple: true },
        'state-dir': { type: 'string' },
        'host-label': { type: 'string' },
      },
    });
    values = parsed.values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; see logwatch agent --help`);
  }
  const files = filesSchema.parse({ backfillLines: 0 });
  if (values.help === true) return { help: true, agent: undefined as unknown as AgentConfig, watch: [], files, stateDir: '' };
  const url = (values.forward as string | undefined) ?? env.LOGWATCH_FORWARD;
  if (url === undefined || url === '') throw new ConfigError('logwatch agent needs --forward URL (or LOGWATCH_FORWARD): the central LogWatch, e.g. http://central:3000');
  const watch = (values.watch as string[] | undefined) ?? (env.LOGWATCH_WATCH ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
  if (watch.length === 0) throw new ConfigError('logwatch agent needs at least one --watch GLOB (or LOGWATCH_WATCH)');
  const token = (values.token as string | undefined) ?? env.LOGWATCH_TOKEN;
  const host = (values['host-label'] as string | undefined) ?? env.LOGWATCH_HOST_LABEL ?? hostname();
  const parsed = agentSchema.safeParse({ url, ...(token === undefined || token === '' ? {} : { token }), labels: { host } });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path[0] === 'url' ? '--forward' : issue.path[0] === 'labels' ? '--host-label' : formatPath(issue.path);
    throw new ConfigError(`invalid agent option ${field}: ${issue.message}`);
  }
  const stateDir = resolve(cwd, (values['state-dir'] as string | undefined) ?? env.LOGWATCH_STATE_DIR ?? './.logwatch-agent');
  return { help: false, agent: parsed.data, watch, files, stateDir };
}
