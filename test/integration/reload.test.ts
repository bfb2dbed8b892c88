// Hot reload of rules and notifiers from the config file, on change and on SIGHUP, as a real process.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, spawnLogWatch, workspace, type LogWatchProcess } from '../helpers/process.ts';

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
    await eventually(async () => (await ruleNames(proc!.url)).length === 2, 10_000, 'the second rule');
    expect(await ruleNames(proc.url)).toEqual(['first', 'second']);

    ws.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'broken', threshold: 'many' }] });
    await eventually(() => /config NOT reloaded.*rules\[0\]\.threshold/.test(proc!.output()), 10_000, 'the rejection message');
    expect(await ruleNames(proc.url)).toEqual(['first', 'second']);
    expect(proc.child.exitCode).toBeNull();
  }, 60_000);

  it('reloads on SIGHUP', async () => {
    // The config is reached through a symlink whose target lives in another folder, which the file watcher does not see.
    const ws = workspace();
    const elsewhere = workspace();
    const target = elsewhere.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'before', pattern: 'x' }] });
    const link = join(ws.dir, 'linked.config.json');
    symlinkSync(target, link);
    proc = await spawnLogWatch('bun', ['--port', '0', '--config', link, '--state-dir', ws.state]);
    expect(await ruleNames(proc.url)).toEqual(['before']);
    elsewhere.writeConfig({ watch: [`${ws.logs}/*.log`], rules: [{ name: 'after', pattern: 'y' }] });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ruleNames(proc.url)).toEqual(['before']);
    proc.child.kill('SIGHUP');
    await eventually(async () => (await ruleNames(proc!.url)).join() === 'after', 10_000, 'the SIGHUP reload');
    expect(proc.output()).toMatch(/SIGHUP: config reloaded: rules: 0 kept, changed -, added after, removed before/);
    expect(proc.child.exitCode).toBeNull();
  }, 60_000);
});
