import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.ts';
import { loadConfig, parseConfig } from '../../src/config/load.ts';

function dirWithConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'lw-config-'));
  writeFileSync(join(dir, 'logwatch.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

function loadError(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config defaults', () => {
  it('listens on 127.0.0.1:3000, watches ./logs/*.log and loads the two default rules', () => {
    const { config, file } = loadConfig({ argv: [], env: {}, cwd: mkdtempSync(join(tmpdir(), 'lw-empty-')) });
    expect(file).toBeNull();
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.watch).toEqual(['./logs/*.log']);
    expect(config.stateDir).toBe('./.logwatch');
    expect(config.token).toBeUndefined();
    expect(config.buffer.capacity).toBe(10_000);
    expect(config.ingest.maxBodyBytes).toBe(1024 * 1024);
    expect(config.rules.map((r) => r.name)).toEqual(['High Error Rate', 'Connection Failed']);
    expect(config.rules[0]).toMatchObject({ level: 'ERROR', threshold: 3, window: 60 });
    expect(config.rules[1]).toMatchObject({ pattern: 'connection failed|connection refused', threshold: 1 });
  });
});

describe('config precedence: flags > environment > file > defaults', () => {
  const dir = dirWithConfig({ port: 4000, host: '127.0.0.2', watch: ['from-file/*.log'], stateDir: 'file-state' });

  it('reads ./logwatch.config.json when it exists', () => {
    const { config, file } = loadConfig({ argv: [], env: {}, cwd: dir });
    expect(file).toBe(join(dir, 'logwatch.config.json'));
    expect(config.port).toBe(4000);
    expect(config.watch).toEqual(['from-file/*.log']);
  });

  it('environment overrides the file', () => {
    const { config } = loadConfig({
      argv: [],
      env: { PORT: '5000', HOST: '0.0.0.0', LOGWATCH_WATCH: 'a/*.log, b/*.log', LOGWATCH_STATE_DIR: 'env-state', LOGWATCH_TOKEN: 'envtoken' },
      cwd: dir,
    });
    expect(config).toMatchObject({ port: 5000, host: '0.0.0.0', watch: ['a/*.log', 'b/*.log'], stateDir: 'env-state', token: 'envtoken' });
  });

  it('flags override the environment, and --watch repeats', () => {
    const { config } = loadConfig({
      argv: ['--port', '6000', '--host', '::1', '--watch', 'x/*.log', '--watch', 'y/**/*.log', '--state-dir', 'flag-state', '--token', 'flagtoken'],
      env: { PORT: '5000', LOGWATCH_TOKEN: 'envtoken' },
      cwd: dir,
    });
    expect(config).toMatchObject({ port: 6000, host: '::1', watch: ['x/*.log', 'y/**/*.log'], stateDir: 'flag-state', token: 'flagtoken' });
  });

  it('--config and LOGWATCH_CONFIG choose the file', () => {
    const other = dirWithConfig({ port: 7000 });
    expect(loadConfig({ argv: ['--config', join(other, 'logwatch.config.json')], env: {}, cwd: dir }).config.port).toBe(7000);
    expect(loadConfig({ argv: [], env: { LOGWATCH_CONFIG: join(other, 'logwatch.config.json') }, cwd: dir }).config.port).toBe(7000);
  });

  it('--help asks for the help text without validating anything else', () => {
    expect(loadConfig({ argv: ['--help'], env: { PORT: 'nope' }, cwd: dir }).help).toBe(true);
  });
});

describe('bad configuration names the file, the field and what was expected', () => {
  it('a wrong type in the file', () => {
    const dir = dirWithConfig({ port: 'eighty' });
    const err = loadError({ argv: [], env: {}, cwd: dir });
    expect(err.message).toContain(join(dir, 'logwatch.config.json'));
    expect(err.message).toContain('field port');
    expect(err.message).toMatch(/expected number/);
    expect(err.exitCode).toBe(2);
  });

  it('a nested rule field', () => {
    const dir = dirWithConfig({ rules: [{ name: 'x', threshold: 0 }] });
    const err = loadError({ argv: [], env: {}, cwd: dir });
    expect(err.message).toContain('field rules[0].threshold');
    expect(err.message).toMatch(/>=\s*1/);
  });

  it('an invalid regex in a rule', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ rules: [{ name: 'x', pattern: '(unclosed' }] }) });
    expect(err.message).toContain('field rules[0].pattern');
    expect(err.message).toMatch(/not a valid regular expression/);
  });

  it('a misspelt field is rejected, not ignored', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ prot: 3000 }) });
    expect(err.message).toContain('field prot');
    expect(err.message).toMatch(/unknown field/);
  });

  it('a file that is not JSON', () => {
    const dir = dirWithConfig('{ "port": 3000, }');
    const err = loadError({ argv: [], env: {}, cwd: dir });
    expect(err.message).toContain(join(dir, 'logwatch.config.json'));
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('a JSON value that is not an object', () => {
    expect(loadError({ argv: [], env: {}, cwd: dirWithConfig('[1,2]') }).message).toMatch(/one JSON object/);
  });

  it('a --config file that does not exist', () => {
    expect(loadError({ argv: ['--config', '/nonexistent/lw.json'], env: {}, cwd: tmpdir() }).message).toMatch(/\/nonexistent\/lw\.json.*does not exist/);
  });

  it('a bad flag value names the flag', () => {
    const err = loadError({ argv: ['--port', 'abc'], env: {}, cwd: tmpdir() });
    expect(err.message).toContain('flag --port');
    expect(err.message).toContain('field port');
  });

  it('a bad environment value names the variable', () => {
    const err = loadError({ argv: [], env: { PORT: '70000' }, cwd: tmpdir() });
    expect(err.message).toContain('environment variable PORT');
  });

  it('an unknown flag', () => {
    expect(loadError({ argv: ['--prot', '1'], env: {}, cwd: tmpdir() }).message).toMatch(/--prot/);
  });

  it('several problems are all listed', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ port: -1, buffer: { capacity: 'big' } }) });
    expect(err.message).toMatch(/2 problems/);
    expect(err.message).toContain('field port');
    expect(err.message).toContain('field buffer.capacity');
  });
});

describe('cross-field checks', () => {
  it('a watched glob or ingest source naming an unknown format', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ watch: ['a/*.log', { path: 'b/*.log', format: 'nope' }], ingest: { sources: { web: { format: 'jsn' } } } }) });
    expect(err.message).toContain('field watch[1].format: unknown format "nope"');
    expect(err.message).toContain('field ingest.sources.web.format: unknown format "jsn"');
  });

  it('a custom format name is a known format', () => {
    const dir = dirWithConfig({ formats: { mine: { pattern: '^(?<message>.*)$' } }, watch: [{ path: 'a/*.log', format: 'mine' }] });
    expect(loadConfig({ argv: [], env: {}, cwd: dir }).config.watch).toEqual([{ path: 'a/*.log', format: 'mine' }]);
  });

  it('a rule notifying a notifier that does not exist', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ notifiers: { ops: { type: 'console' } }, rules: [{ name: 'r', pattern: 'x', notify: ['ops', 'pager'] }] }) });
    expect(err.message).toContain('field rules[0].notify[1]');
    expect(err.message).toContain('"pager"');
  });
});

describe('time zones', () => {
  it('an unknown zone on a watched glob or ingest source is an error, a known one is kept', () => {
    const err = loadError({ argv: [], env: {}, cwd: dirWithConfig({ watch: [{ path: 'a/*.log', timezone: 'Mars/Olympus' }], ingest: { sources: { web: { timezone: 'nope' } } } }) });
    expect(err.message).toContain('field watch[0].timezone: not a known time zone');
    expect(err.message).toContain('field ingest.sources.web.timezone');
    const ok = loadConfig({ argv: [], env: {}, cwd: dirWithConfig({ watch: [{ path: 'a/*.log', timezone: 'Europe/Paris' }, { path: 'b/*.log', timezone: '+05:30' }] }) });
    expect(ok.config.watch).toHaveLength(2);
  });
});

describe('logwatch.config.example.json', () => {
  it('is a valid config (comments included), so the documented example never rots', () => {
    const example = new URL('../../logwatch.config.example.json', import.meta.url).pathname;
    const { config, file } = loadConfig({ argv: ['--config', example], env: {}, cwd: tmpdir() });
    expect(file).toBe(example);
    expect(config.rules.map((r) => r.type)).toEqual(expect.arrayContaining(['threshold', 'rate', 'absence', 'new_value', 'new_pattern', 'pattern_spike', 'pattern_stopped']));
    expect(config.analyze).toEqual(parseConfig({}).analyze); // the example shows the defaults
    expect(Object.values(config.notifiers).map((n) => n.type).sort()).toEqual(['console', 'email', 'slack', 'webhook']);
    expect(config.formats.myapp.timestampFormat).toBe('DD.MM.YYYY HH:mm:ss.SSS');
    expect(config.syslog).toMatchObject({ udp: 5514, tcp: 5514, maxMessageBytes: 65536 });
    expect(config.receivers).toMatchObject({ loki: true, otlp: true });
    expect(config.forward.loki).toMatchObject({ url: 'http://loki.example.com:3100', tenant: 'team-a', labels: { job: 'logwatch', env: 'prod' } });
  });
});
