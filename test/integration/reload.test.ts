// Hot reload of rules and notifiers from the config file, on change and on SIGHUP, as a real process.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnLogWatch, workspace, type LogWatchProcess } from '../helpers/process.ts';
import { waitFor } from '../helpers/wait.ts';

let proc: LogWatchProcess | undefined;
afterEach(async () => {
  await proc?.stop('SIGKILL');
});

const ruleNames = async (url: string) => ((await (await fetch(`${url}/api/rules`)).json()) as Array<{ name: string }>).map((r) => r.name);

describe('config reload', () => {
  it('picks up new rules when the file changes and keeps the running ones when the new file is bad', async () => {
    const ws = workspace();
    const configFile = ws.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'first', pattern: 'x' }] });
    proc = await spawnLogWatch('bun', ['--port', '0', '--config', configFile, '--state-dir', ws.state]);
    expect(await ruleNames(proc.url)).toEqual(['first']);

    ws.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'first', pattern: 'x' }, { name: 'second', level: 'ERROR' }] });
    await waitFor(async () => (await ruleNames(proc!.url)).length === 2, { timeoutMs: 10_000, message: 'the second rule' });
    expect(await ruleNames(proc.url)).toEqual(['first', 'second']);

    ws.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'broken', threshold: 'many' }] });
    await waitFor(() => /config NOT reloaded.*rules\[0\]\.threshold/.test(proc!.output()), { timeoutMs: 10_000, message: 'the rejection message' });
    expect(await ruleNames(proc.url)).toEqual(['first', 'second']);
    expect(proc.child.exitCode).toBeNull();
  }, 60_000);

  it('reloads on SIGHUP', async () => {
    const ws = workspace();
    const configFile = ws.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'only', pattern: 'x' }] });
    proc = await spawnLogWatch('bun', ['--port', '0', '--config', configFile, '--state-dir', ws.state]);
    proc.child.kill('SIGHUP');
    await waitFor(() => /SIGHUP: config reloaded: rules: 1 kept, changed -, added -, removed -/.test(proc!.output()), { timeoutMs: 10_000, message: 'the SIGHUP reload' });
    expect(await ruleNames(proc.url)).toEqual(['only']);
    expect(proc.child.exitCode).toBeNull();
  }, 60_000);

  it('follows a config reached through a symlink whose target lives in another folder', async () => {
    // As a Kubernetes ConfigMap or /etc/logwatch.json -> /srv/conf/logwatch.json: the target changes, the link does not.
    const ws = workspace();
    const elsewhere = workspace();
    const target = elsewhere.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'before', pattern: 'x' }] });
    const link = join(ws.dir, 'linked.config.json');
    symlinkSync(target, link);
    proc = await spawnLogWatch('bun', ['--port', '0', '--config', link, '--state-dir', ws.state]);
    expect(await ruleNames(proc.url)).toEqual(['before']);
    elsewhere.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'after', pattern: 'y' }] });
    await waitFor(async () => (await ruleNames(proc!.url)).join() === 'after', { timeoutMs: 10_000, message: 'the reload after the target changed' });
    expect(proc.output()).toMatch(/linked\.config\.json changed: config reloaded: rules: 0 kept, changed -, added after, removed before/);
    expect(proc.output()).not.toMatch(/SIGHUP/);
    expect(proc.child.exitCode).toBeNull();
  }, 60_000);
});
