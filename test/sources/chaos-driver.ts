// The chaos test's driver (shared by test/sources/chaos.test.ts, short, and bench/chaos.ts, long).
//
// LogWatch runs as a real process (Bun) watching a temp folder. A writer appends numbered lines
// (`n=<number>`) to several files at varying rates while the driver, at random moments chosen by a
// seeded generator, rotates them every way (rename + create with late writes to the old file,
// copy + truncate, delete + recreate, symlink switch), truncates, writes half lines, bursts, and
// restarts LogWatch with SIGTERM and with SIGKILL.
//
// What each run of LogWatch emitted is followed on its SSE stream from `lastEventId=0` (the stream
// replays the ring buffer first, so nothing emitted before the connection is missed; on `dropped`
// the driver reconnects after the last id it has). Entry ids are per process, so a number seen twice
// in one run, or in two runs without a SIGKILL between them, is a duplicate. History loaded at start
// (backfill) is told apart by `warmed_from_history` of `GET /api/stats` (ids 1..n: loaded from history before
// any source started) and the `backfilled` counts of `GET /api/sources`: the first entries of each
// source in a run.
//
// The driver never does what no tailer could survive (a file deleted, or truncated, or rotated twice
// before LogWatch ever saw it): a rotation waits until LogWatch has read a line of the current
// generation and a checkpoint taken after that exists (`checkpointAt` in /api/sources), so every
// line that goes missing is LogWatch's fault.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  readFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

export type EventKind =
  | 'rename'
  | 'copytruncate'
  | 'delete'
  | 'truncate'
  | 'symlink'
  | 'newfile'
  | 'partial'
  | 'rate'
  | 'burst'
  | 'pause'
  | 'sigterm'
  | 'sigkill';

export interface ChaosOptions {
  seed: number;
  /** Random events to run (each restart counts as one). */
  events: number;
  repoRoot?: string;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Mean lines per second per file. */
  rate?: number;
}

export interface RunSummary {
  run: number;
  end: 'SIGTERM' | 'SIGKILL' | 'final';
  exitCode: number | null;
  entries: number;
  backfilled: number;
  startMs: number;
  /** Lines this run emitted that an earlier run had emitted already. */
  repeated: number;
  /** Bytes read but not yet in a checkpoint when the run was stopped (what a SIGKILL re-reads). */
  uncheckpointedBytes: number;
}

export interface ChaosResult {
  seed: number;
  events: Partial<Record<EventKind, number>>;
  eventsTotal: number;
  /** Lines written while LogWatch ran or was down (history written before the first start excluded). */
  lines: number;
  bytes: number;
  /** Numbers never emitted by any run. */
  lost: number[];
  /** Numbers emitted again in the run right after a SIGKILL (allowed: after the last checkpoint). */
  repeatedAfterKill: number;
  /** Numbers emitted twice in one run, or again after a SIGTERM: never allowed. */
  duplicated: number[];
  /** Per run and source, a number emitted after a larger one. */
  orderViolations: string[];
  /** Backfill entries that are not lines emitted before. */
  badHistory: number[];
  /** Distinct alerts of the chaos rule (firing) over all runs, from the streams and /api/alerts. */
  chaosAlerts: number;
  /** Chaos-rule notifications the console notifier printed, over all runs. */
  chaosNotifications: number;
  alertLinesWritten: number;
  runs: RunSummary[];
  durationMs: number;
  problems: string[];
  workDir: string;
}

// ── a deterministic random generator ─────────────────────────────────────────────────────────────

class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ── the files and their writer ───────────────────────────────────────────────────────────────────

interface ChaosFile {
  name: string;
  /** Path the application writes to (a symlink for `link`). */
  path: string;
  /** Source name LogWatch gives it. */
  source: string;
  link: boolean;
  fd: number | null;
  rate: number;
  carry: number;
  /** Numbers written to the current generation (file content since the last rotation). */
  gen: number[];
  genId: number;
  genInode: number | null;
  /** When the driver first saw a line of the current generation. */
  genSeenAt: number | null;
  /** Old descriptor still written to after a rename (the application has not reopened yet). */
  late: { fd: number; until: number } | null;
  half: { n: number; rest: string } | null;
  /** The writer leaves the file alone (while it is truncated once read). */
  paused: boolean;
  rotations: number;
}

interface SeenEntry {
  run: number;
  id: number;
  source: string;
  n: number | null;
  backfill: boolean;
}

class Chaos {
  readonly random: Random;
  readonly dir: string;
  readonly logs: string;
  readonly state: string;
  readonly targets: string;
  readonly files: ChaosFile[] = [];
  readonly written = new Map<number, ChaosFile>();
  /** Generation id of each number (of its file). */
  readonly genOf = new Map<number, number>();
  readonly prehistory = new Set<number>();
  readonly alertNumbers = new Set<number>();
  /** Numbers written to files that were deleted: must be seen before a SIGKILL. */
  readonly deletedNumbers = new Set<number>();
  readonly seenLive = new Map<number, number[]>();
  readonly entries: SeenEntry[] = [];
  readonly runs: RunSummary[] = [];
  readonly problems: string[] = [];
  readonly counts: Partial<Record<EventKind, number>> = {};
  /** Chaos-rule alerts (firing) seen on the streams or in /api/alerts, by id and time. */
  readonly chaosAlertKeys = new Set<string>();
  bytes = 0;
  private next = 1;
  private writerTimer: ReturnType<typeof setInterval> | undefined;
  private lastWriteAt = Date.now();
  private process: LogWatchRun | null = null;
  private runNumber = 0;
  private statusRows: SourceRow[] = [];
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private linkTargets = 0;
  private extraFiles = 0;

  constructor(
    readonly options: Required<Pick<ChaosOptions, 'seed' | 'events' | 'repoRoot' | 'rate'>> & { log: (m: string) => void },
  ) {
    this.random = new Random(options.seed);
    this.dir = mkdtempSync(join(tmpdir(), 'lw-chaos-'));
    this.logs = join(this.dir, 'logs');
    this.state = join(this.dir, 'state');
    this.targets = join(this.dir, 'targets');
    for (const d of [this.logs, this.targets, join(this.dir, 'links')]) mkdirSync(d, { recursive: true });
  }

  // ── files ──

  addFile(name: string, path: string, source: string, link = false): ChaosFile {
    const file: ChaosFile = {
      name,
      path,
      source,
      link,
      fd: null,
      rate: this.options.rate * (0.5 + this.random.next()),
      carry: 0,
      gen: [],
      genId: 0,
      genInode: null,
      genSeenAt: null,
      late: null,
      half: null,
      paused: false,
      rotations: 0,
    };
    this.files.push(file);
    this.open(file);
    return file;
  }

  private open(file: ChaosFile): void {
    if (file.link && !existsSync(file.path)) this.switchLink(file);
    file.fd = openSync(file.path, 'a');
    file.genInode = fstatSync(file.fd).ino;
  }

  private switchLink(file: ChaosFile): void {
    const target = join(this.targets, `t-${++this.linkTargets}.log`);
    writeFileSync(target, '');
    const tmp = `${file.path}.tmp`;
    symlinkSync(target, tmp);
    renameSync(tmp, file.path);
  }

  private line(file: ChaosFile, n: number): string {
    const alert = n % 997 === 0 ? ' ALERTME' : '';
    return `${new Date().toISOString()} INFO chaos file=${file.name} n=${n}${alert} ${'x'.repeat(n % 53)}\n`;
  }

  /** Writes `count` whole lines to the file's current (or late) descriptor. */
  private write(file: ChaosFile, count: number, history = false): void {
    if (count <= 0 || file.half !== null || file.paused) return;
    const fd = file.late?.fd ?? file.fd;
    if (fd === null) return;
    let text = '';
    for (let i = 0; i < count; i++) {
      const n = this.next++;
      text += this.line(file, n);
      if (history) {
        this.prehistory.add(n);
      } else {
        this.written.set(n, file);
        if (file.late === null) {
          file.gen.push(n);
          this.genOf.set(n, file.genId);
        }
        if (n % 997 === 0) this.alertNumbers.add(n);
      }
    }
    this.bytes += Buffer.byteLength(text);
    writeSync(fd, text);
  }

  writeHistory(file: ChaosFile, count: number): void {
    this.write(file, count, true);
  }

  startWriter(): void {
    this.lastWriteAt = Date.now();
    this.writerTimer = setInterval(() => this.writeTick(), 20);
  }

  async stopWriter(): Promise<void> {
    clearInterval(this.writerTimer);
    for (const file of this.files) {
      while (file.half !== null) await sleep(20);
      this.endLate(file, true);
    }
  }

  private writeTick(): void {
    const now = Date.now();
    const dt = (now - this.lastWriteAt) / 1000;
    this.lastWriteAt = now;
    for (const file of this.files) {
      this.endLate(file, false);
      file.carry += file.rate * dt;
      const count = Math.floor(file.carry);
      file.carry -= count;
      this.write(file, count);
    }
  }

  /** The application reopens its log: the old descriptor is closed, later lines go to the path. */
  private endLate(file: ChaosFile, force: boolean): void {
    if (file.late === null || (!force && Date.now() < file.late.until)) return;
    closeSync(file.late.fd);
    file.late = null;
    if (file.fd === null) {
      file.fd = openSync(file.path, 'a');
      file.genInode = fstatSync(file.fd).ino;
    }
  }

  // ── events ──

  /** LogWatch has met the current generation and a checkpoint taken since holds it. */
  private generationSafe(file: ChaosFile): boolean {
    if (file.gen.length === 0) return true;
    if (file.genSeenAt === null) return false;
    const row = this.statusRows.find((r) => r.inode === file.genInode && r.state === 'live');
    return row?.checkpointAt != null && Date.parse(row.checkpointAt) > file.genSeenAt;
  }

  private caughtUp(file: ChaosFile): boolean {
    return file.gen.every((n) => this.seenLive.has(n));
  }

  private async until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) return false;
      await sleep(25);
    }
    return true;
  }

  private newGeneration(file: ChaosFile): void {
    file.gen = [];
    file.genId++;
    file.genSeenAt = null;
    file.genInode = file.fd === null ? null : fstatSync(file.fd).ino;
  }

  /** Waits (while LogWatch runs) for a rotation to be safe; false when it is not and cannot become so. */
  private async readyToRotate(file: ChaosFile, up: boolean): Promise<boolean> {
    if (file.half !== null || file.late !== null) return false;
    if (up) return this.until(() => this.generationSafe(file) && file.half === null && file.late === null, 15_000);
    return this.generationSafe(file);
  }

  /** Timeline of what the driver did (events.log in the work dir), for when something goes missing. */
  note(what: string): void {
    appendFileSync(join(this.dir, 'events.log'), `${new Date().toISOString()} run=${this.runNumber} next=${this.next} ${what}\n`);
  }

  async event(kind: EventKind, up: boolean): Promise<boolean> {
    const plain = this.files.filter((f) => !f.link);
    const file = kind === 'symlink' ? this.files.find((f) => f.link) : this.random.pick(plain);
    if (file === undefined) return false;
    const done = await this.act(kind, file, up);
    if (done && kind !== 'rate' && kind !== 'pause') this.note(`${kind} ${file.name}${up ? '' : ' (while down)'} inode=${file.genInode}`);
    return done;
  }

  private async act(kind: EventKind, file: ChaosFile, up: boolean): Promise<boolean> {
    switch (kind) {
      case 'rename': {
        if (!(await this.readyToRotate(file, up))) return false;
        const oldFd = file.fd as number;
        renameSync(file.path, `${file.path}.${++file.rotations}`);
        // logrotate `create` makes the new file at once (or not); the application goes on writing
        // to the renamed one for a moment, then reopens its path.
        if (this.random.next() < 0.5) closeSync(openSync(file.path, 'a'));
        file.late = { fd: oldFd, until: Date.now() + this.random.int(0, 300) };
        file.fd = null;
        this.newGeneration(file);
        return true;
      }
      case 'copytruncate': {
        if (!(await this.readyToRotate(file, up))) return false;
        copyFileSync(file.path, `${file.path}.c${++file.rotations}`);
        truncateSync(file.path, 0);
        this.newGeneration(file);
        return true;
      }
      case 'delete': {
        // Unread lines of a deleted file can be read only through a descriptor LogWatch holds.
        if (!up || !(await this.readyToRotate(file, up))) return false;
        for (const n of file.gen) this.deletedNumbers.add(n);
        unlinkSync(file.path);
        closeSync(file.fd as number);
        file.fd = openSync(file.path, 'a');
        this.newGeneration(file);
        return true;
      }
      case 'truncate': {
        // Truncating destroys unread lines: only once LogWatch has read them all.
        if (file.half !== null || file.late !== null) return false;
        // Like an admin's `: > file` done once the application is quiet and LogWatch has read it all.
        file.paused = true;
        try {
          const ready = () => this.caughtUp(file) && this.generationSafe(file);
          if (up ? !(await this.until(ready, 15_000)) : !ready()) return false;
          truncateSync(file.path, 0);
          this.newGeneration(file);
          return true;
        } finally {
          file.paused = false;
        }
      }
      case 'symlink': {
        if (!(await this.readyToRotate(file, up))) return false;
        const oldFd = file.fd as number;
        this.switchLink(file);
        file.late = { fd: oldFd, until: Date.now() + this.random.int(0, 300) };
        file.fd = null;
        this.newGeneration(file);
        return true;
      }
      case 'newfile': {
        if (this.extraFiles >= 3) return false;
        const k = ++this.extraFiles;
        if (k === 1) {
          // A directory that appears after the start, matched by `logs/sub/**/*.log`.
          mkdirSync(join(this.logs, 'sub', 'deep'), { recursive: true });
          this.addFile('worker', join(this.logs, 'sub', 'deep', 'worker.log'), 'logs/sub/deep/worker.log');
        } else {
          this.addFile(`extra${k}`, join(this.logs, `extra${k}.log`), `logs/extra${k}.log`);
        }
        return true;
      }
      case 'partial': {
        if (file.half !== null || file.late !== null || file.fd === null) return false;
        const n = this.next++;
        const text = this.line(file, n);
        const cut = this.random.int(1, text.length - 2);
        this.written.set(n, file);
        file.gen.push(n);
        this.genOf.set(n, file.genId);
        if (n % 997 === 0) this.alertNumbers.add(n);
        this.bytes += Buffer.byteLength(text);
        writeSync(file.fd, text.slice(0, cut));
        file.half = { n, rest: text.slice(cut) };
        setTimeout(() => {
          if (file.fd !== null && file.half !== null) writeSync(file.fd, file.half.rest);
          file.half = null;
        }, this.random.int(20, 400));
        return true;
      }
      case 'rate': {
        for (const f of this.files) f.rate = this.options.rate * this.random.next() * 2;
        return true;
      }
      case 'burst': {
        this.write(file, this.random.int(500, 3000));
        return true;
      }
      case 'pause': {
        await sleep(this.random.int(100, 800));
        return true;
      }
      case 'sigterm':
      case 'sigkill':
        return false;
    }
  }

  // ── LogWatch runs ──

  writeConfig(): string {
    const path = join(this.dir, 'logwatch.config.json');
    writeFileSync(
      path,
      JSON.stringify(
        {
          buffer: { capacity: 500_000 },
          files: { checkpointIntervalMs: 500, scanIntervalMs: 500, followRotatedMs: 30_000, backfillLines: 100, partialLineTimeoutMs: 5000 },
          stream: { clientQueueBytes: 256 * 1024 * 1024, stalledClientTimeoutMs: 600_000 },
          rules: [{ name: 'chaos', pattern: 'ALERTME', threshold: 1, cooldown: 3600 }],
        },
        null,
        2,
      ),
    );
    return path;
  }

  async startLogWatch(config: string): Promise<void> {
    const run = ++this.runNumber;
    const started = Date.now();
    this.note('start');
    const lw = await LogWatchRun.spawn(this.options.repoRoot, this.dir, [
      '--config',
      config,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--state-dir',
      this.state,
      '--watch',
      'logs/*.log',
      '--watch',
      'logs/sub/**/*.log',
      '--watch',
      'links/current.log',
    ]);
    this.process = lw;
    const summary: RunSummary = { run, end: 'final', exitCode: null, entries: 0, backfilled: 0, startMs: Date.now() - started, repeated: 0, uncheckpointedBytes: 0 };
    this.runs.push(summary);
    // History was loaded before the server listened: the counts are final now.
    const rows = await lw.sources();
    const backfill = new Map<string, number>();
    for (const row of rows) if (row.kind === 'file') backfill.set(row.name, (backfill.get(row.name) ?? 0) + (row.backfilled ?? 0));
    summary.backfilled = [...backfill.values()].reduce((a, b) => a + b, 0);
    const remaining = new Map(backfill);
    // Entries loaded from history before any source started are ids 1..warmed: backfill too.
    const warmed = await lw.warmed();
    summary.backfilled += warmed;
    lw.follow((event) => {
      if (event.type === 'alert') {
        if (event.rule === 'chaos' && event.state === 'firing') this.chaosAlertKeys.add(`${event.id}|${event.timestamp}`);
        return;
      }
      summary.entries++;
      const left = remaining.get(event.source) ?? 0;
      const fromHistory = event.id <= warmed;
      const backfillEntry = fromHistory || left > 0;
      if (!fromHistory && left > 0) remaining.set(event.source, left - 1);
      const entry: SeenEntry = { run, id: event.id, source: event.source, n: event.n, backfill: backfillEntry };
      this.entries.push(entry);
      if (!backfillEntry && event.n !== null) {
        const list = this.seenLive.get(event.n) ?? [];
        if (list.length > 0) summary.repeated++;
        list.push(run);
        this.seenLive.set(event.n, list);
        const file = this.written.get(event.n);
        if (file !== undefined && file.genSeenAt === null && this.genOf.get(event.n) === file.genId) file.genSeenAt = Date.now();
      }
    });
    this.statusRows = rows;
    this.statusTimer = setInterval(() => {
      lw.sources().then(
        (r) => {
          if (this.process === lw) this.statusRows = r;
        },
        () => {},
      );
    }, 150);
  }

  async stopLogWatch(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const lw = this.process;
    if (lw === null) return;
    if (signal === 'SIGKILL') {
      // Lines of deleted files are reachable only through LogWatch's descriptor: let it read them.
      if (!(await this.until(() => [...this.deletedNumbers].every((n) => this.seenLive.has(n)), 15_000))) {
        this.problems.push(`run ${this.runNumber}: lines of a deleted file not read within 15 s`);
      }
      this.deletedNumbers.clear();
    }
    this.statusRows = await lw.sources().catch(() => this.statusRows);
    await this.collectAlerts(lw);
    this.runs[this.runs.length - 1].uncheckpointedBytes = this.statusRows
      .filter((r) => r.kind === 'file')
      .reduce((sum, r) => sum + Math.max(0, (r.offset ?? 0) - (r.checkpointOffset ?? 0)), 0);
    clearInterval(this.statusTimer);
    this.process = null;
    this.note(signal);
    const code = await lw.stop(signal);
    writeFileSync(join(this.dir, `run-${this.runNumber}.log`), lw.output());
    const summary = this.runs[this.runs.length - 1];
    summary.end = signal;
    summary.exitCode = code;
    if (signal === 'SIGTERM' && code !== 0) this.problems.push(`run ${summary.run}: exit code ${code} after SIGTERM\n${lw.output().slice(-2000)}`);
    if (signal === 'SIGTERM') this.deletedNumbers.clear();
  }

  /** Alerts LogWatch lists (they persist across restarts): a duplicate shows up as another id or time. */
  private async collectAlerts(lw: LogWatchRun): Promise<void> {
    try {
      const res = await fetch(`${lw.url}/api/alerts?limit=1000`);
      const alerts = (await res.json()) as Array<{ id: number; rule: string; state: string; timestamp: string }>;
      for (const a of alerts) if (a.rule === 'chaos' && a.state === 'firing') this.chaosAlertKeys.add(`${a.id}|${a.timestamp}`);
    } catch {
      // Counted from the streams only.
    }
  }

  /** Notifications actually sent: the console notifier's lines in every run's output. */
  private chaosNotifications(): number {
    let count = 0;
    for (const run of this.runs) {
      try {
        count += readFileSync(join(this.dir, `run-${run.run}.log`), 'utf8').split('\n').filter((l) => /\bALERT chaos\b/.test(l)).length;
      } catch {
        // No output saved for this run.
      }
    }
    return count;
  }

  async finish(): Promise<void> {
    const lw = this.process;
    if (lw === null) return;
    const all = [...this.written.keys()];
    if (!(await this.until(() => all.every((n) => this.seenLive.has(n)), 30_000))) {
      this.problems.push(`not every line was seen 30 s after the writer stopped`);
    }
    for (const path of ['/api/logs?limit=10000', '/api/stats', '/api/alerts', '/api/sources', '/metrics']) {
      const res = await fetch(lw.url + path).catch((err: Error) => err);
      if (res instanceof Error || !res.ok) this.problems.push(`GET ${path}: ${res instanceof Error ? res.message : res.status}`);
      else await res.text();
    }
    await this.stopLogWatch('SIGTERM');
    this.runs[this.runs.length - 1].end = 'final';
  }

  result(started: number): ChaosResult {
    const lost: number[] = [];
    const duplicated: number[] = [];
    let repeatedAfterKill = 0;
    const endOf = new Map(this.runs.map((r) => [r.run, r.end]));
    for (const n of this.written.keys()) {
      const runs = this.seenLive.get(n);
      if (runs === undefined) {
        lost.push(n);
        continue;
      }
      for (let i = 1; i < runs.length; i++) {
        // A repeat is allowed only when every run since the previous sighting ended with SIGKILL.
        let killed = runs[i] !== runs[i - 1];
        for (let r = runs[i - 1]; killed && r < runs[i]; r++) killed = endOf.get(r) === 'SIGKILL';
        if (killed) repeatedAfterKill++;
        else duplicated.push(n);
      }
    }
    for (const n of this.seenLive.keys()) if (!this.written.has(n)) duplicated.push(n);
    const orderViolations: string[] = [];
    const last = new Map<string, number>();
    const badHistory: number[] = [];
    const seenBefore = new Map<number, number>();
    for (const [n, runs] of this.seenLive) seenBefore.set(n, Math.min(...runs));
    for (const e of [...this.entries].sort((a, b) => a.run - b.run || a.id - b.id)) {
      if (e.n === null) continue;
      if (e.backfill) {
        const first = seenBefore.get(e.n);
        if (!this.prehistory.has(e.n) && (first === undefined || first >= e.run)) badHistory.push(e.n);
        continue;
      }
      const key = `${e.run} ${e.source}`;
      const previous = last.get(key);
      if (previous !== undefined && e.n <= previous) orderViolations.push(`run ${e.run} ${e.source}: n=${e.n} after n=${previous}`);
      last.set(key, e.n);
    }
    return {
      seed: this.options.seed,
      events: this.counts,
      eventsTotal: Object.values(this.counts).reduce((a, b) => a + (b ?? 0), 0),
      lines: this.written.size,
      bytes: this.bytes,
      lost,
      repeatedAfterKill,
      duplicated,
      orderViolations,
      badHistory,
      chaosAlerts: this.chaosAlertKeys.size,
      chaosNotifications: this.chaosNotifications(),
      alertLinesWritten: this.alertNumbers.size,
      runs: this.runs,
      durationMs: Date.now() - started,
      problems: this.problems,
      workDir: this.dir,
    };
  }

  closeFiles(): void {
    for (const file of this.files) {
      if (file.fd !== null) closeSync(file.fd);
      file.fd = null;
    }
  }

  count(kind: EventKind): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}

// ── one LogWatch process ─────────────────────────────────────────────────────────────────────────

interface SourceRow {
  name: string;
  kind: string;
  inode: number | null;
  offset?: number;
  checkpointOffset?: number | null;
  state?: string;
  backfilled?: number;
  checkpointAt?: string | null;
}

type StreamEvent = { type: 'log'; id: number; source: string; n: number | null } | { type: 'alert'; id: number; rule: string; state: string; timestamp: string };

class LogWatchRun {
  private text = '';
  private lastId = 0;
  private readonly exited: Promise<number | null>;
  private following = false;
  /** Streams that ended (by the server closing or the process dying). */
  private ends = 0;
  private abort: AbortController | null = null;
  private streamDone: Promise<void> = Promise.resolve();

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolveExit) => {
      if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
      else child.once('exit', (code) => resolveExit(code));
    });
  }

  static spawn(repoRoot: string, cwd: string, args: string[]): Promise<LogWatchRun> {
    const bun = join(repoRoot, 'node_modules', '.bin', 'bun');
    const child = spawn(bun, [join(repoRoot, 'src', 'main.ts'), ...args], { cwd, env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    return new Promise((resolveStart, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`LogWatch did not start within 30 s:\n${output}`));
      }, 30_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match === null) return;
        clearTimeout(timer);
        run = new LogWatchRun(child, match[1]);
        run.text = output;
        child.stdout!.off('data', onData);
        const started = run;
        child.stdout!.on('data', (more: Buffer) => (started.text += more.toString()));
        resolveStart(run);
      };
      child.stdout!.on('data', onData);
      let run: LogWatchRun | undefined;
      child.stderr!.on('data', (d: Buffer) => {
        output += d.toString();
        if (run !== undefined) run.text += d.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`LogWatch exited with ${code} before listening:\n${output}`));
      });
    });
  }

  output(): string {
    return this.text;
  }

  /** Entries the run loaded from history into its buffer at start (`warmed_from_history` of /api/stats). */
  async warmed(): Promise<number> {
    const res = await fetch(`${this.url}/api/stats`);
    if (!res.ok) throw new Error(`GET /api/stats: ${res.status}`);
    return ((await res.json()) as { warmed_from_history: number }).warmed_from_history;
  }

  async sources(): Promise<SourceRow[]> {
    const res = await fetch(`${this.url}/api/sources`);
    if (!res.ok) throw new Error(`GET /api/sources: ${res.status}`);
    return (await res.json()) as SourceRow[];
  }

  /** Follows the SSE stream until the process ends, reconnecting after `dropped` or a cut. */
  follow(onEvent: (event: StreamEvent) => void): void {
    this.following = true;
    const loop = async () => {
      while (this.following) {
        const abort = new AbortController();
        this.abort = abort;
        try {
          const res = await fetch(`${this.url}/api/stream?lastEventId=${this.lastId}`, { signal: abort.signal, headers: { Accept: 'text/event-stream' } });
          if (!res.ok || res.body === null) throw new Error(`stream: ${res.status}`);
          await this.read(res.body, onEvent, abort);
        } catch {
          // Cut (process gone, or reconnecting after a drop).
        }
        this.ends++;
        if (this.following) await sleep(50);
      }
    };
    this.streamDone = loop();
  }

  private async read(body: ReadableStream<Uint8Array>, onEvent: (event: StreamEvent) => void, abort: AbortController): Promise<void> {
    const decoder = new TextDecoder();
    const reader = body.getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let data = '';
        let id: number | null = null;
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data += line.slice(6);
          else if (line.startsWith('id: ')) id = Number(line.slice(4));
        }
        if (event === 'log' && id !== null) {
          if (id <= this.lastId) continue;
          this.lastId = id;
          const entry = JSON.parse(data) as { source: string; raw: string };
          const match = /\bn=(\d+)\b/.exec(entry.raw);
          onEvent({ type: 'log', id, source: entry.source, n: match === null ? null : Number(match[1]) });
        } else if (event === 'alert') {
          const alert = JSON.parse(data) as { id: number; rule: string; state: string; timestamp: string };
          onEvent({ type: 'alert', id: alert.id, rule: alert.rule, state: alert.state, timestamp: alert.timestamp });
        } else if (event === 'dropped') {
          // Events were dropped for this client: reconnect and replay after the last id from the buffer.
          abort.abort();
          return;
        }
      }
    }
  }

  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
    const endsBefore = this.ends;
    this.child.kill(signal);
    const timeout = sleep(20_000).then(() => 'timeout' as const);
    const code = await Promise.race([this.exited, timeout]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
    // The stream ends with the process: read it to its end, that is all this run emitted.
    const deadline = Date.now() + 5000;
    while (this.ends === endsBefore && Date.now() < deadline) await sleep(20);
    this.following = false;
    this.abort?.abort();
    await this.streamDone;
    return code === 'timeout' ? null : code;
  }
}

// ── the run ──────────────────────────────────────────────────────────────────────────────────────

const UP_EVENTS: ReadonlyArray<readonly [EventKind, number]> = [
  ['rename', 10],
  ['copytruncate', 7],
  ['delete', 6],
  ['truncate', 3],
  ['symlink', 5],
  ['newfile', 2],
  ['partial', 6],
  ['rate', 6],
  ['burst', 3],
  ['pause', 4],
  ['sigterm', 8],
  ['sigkill', 8],
];

/** Events that can happen while LogWatch is down (between the stop and the next start). */
const DOWN_EVENTS: ReadonlyArray<readonly [EventKind, number]> = [
  ['rename', 4],
  ['copytruncate', 3],
  ['symlink', 2],
  ['truncate', 1],
  ['burst', 2],
  ['partial', 2],
];

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const chaos = new Chaos({ seed: options.seed, events: options.events, repoRoot: options.repoRoot ?? REPO_ROOT, rate: options.rate ?? 150, log });
  const { random } = chaos;
  // Files present at the first start, with history to backfill.
  const app = chaos.addFile('app', join(chaos.logs, 'app.log'), 'logs/app.log');
  const web = chaos.addFile('web', join(chaos.logs, 'web.log'), 'logs/web.log');
  const link = chaos.addFile('link', join(chaos.dir, 'links', 'current.log'), 'links/current.log', true);
  for (const file of [app, web, link]) chaos.writeHistory(file, 150);
  const config = chaos.writeConfig();
  await chaos.startLogWatch(config);
  chaos.startWriter();
  try {
    let done = 0;
    while (done < options.events) {
      const kind = random.weighted(UP_EVENTS);
      if (kind === 'sigterm' || kind === 'sigkill') {
        await chaos.stopLogWatch(kind === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
        chaos.count(kind);
        done++;
        // While down: the writer goes on, and a few rotations may happen.
        const downtime = Date.now() + random.int(0, 1000);
        for (let k = random.int(0, 2); k > 0 && done < options.events; k--) {
          const downKind = random.weighted(DOWN_EVENTS);
          if (await chaos.event(downKind, false)) {
            chaos.count(downKind);
            done++;
          }
        }
        const wait = downtime - Date.now();
        if (wait > 0) await sleep(wait);
        await chaos.startLogWatch(config);
        log(`event ${done}/${options.events}: ${kind} (run ${chaos.runs.length}, ${chaos.written.size} lines so far)`);
      } else {
        const t0 = Date.now();
        if (await chaos.event(kind, true)) {
          chaos.count(kind);
          done++;
        }
        if (Date.now() - t0 > 2000) log(`event ${done}: ${kind} took ${Date.now() - t0} ms`);
      }
      await sleep(random.int(30, 250));
    }
    await chaos.stopWriter();
    await chaos.finish();
    chaos.closeFiles();
  } catch (err) {
    chaos.problems.push(`driver: ${(err as Error).stack ?? String(err)}`);
    await chaos.stopWriter().catch(() => {});
    await chaos.stopLogWatch('SIGKILL').catch(() => {});
  }
  return chaos.result(started);
}

/** Lines emitted again after each SIGKILL: median and largest, with the bytes unsaved at that kill. */
export function repeatsLine(result: ChaosResult): string {
  const kills = result.runs.filter((r) => r.end === 'SIGKILL').map((r) => ({ repeated: result.runs[r.run]?.repeated ?? 0, unsaved: r.uncheckpointedBytes }));
  if (kills.length === 0) return 'no SIGKILL';
  const sorted = [...kills].sort((a, b) => a.repeated - b.repeated);
  const max = sorted[sorted.length - 1];
  return `lines repeated per SIGKILL: median ${sorted[Math.floor(sorted.length / 2)].repeated}, max ${max.repeated} (${(max.unsaved / 1024).toFixed(0)} KiB read but not yet checkpointed at that kill)`;
}

/** One line per figure, for logs and RESULTS.md. */
export function summarize(result: ChaosResult): string {
  const kills = result.runs.filter((r) => r.end === 'SIGKILL').length;
  const terms = result.runs.filter((r) => r.end === 'SIGTERM').length;
  return [
    `seed ${result.seed}: ${result.eventsTotal} events (${Object.entries(result.events).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `${result.runs.length} LogWatch runs (${terms} SIGTERM, ${kills} SIGKILL), ${(result.durationMs / 1000).toFixed(0)} s`,
    `${result.lines} lines written (${(result.bytes / 1e6).toFixed(1)} MB): lost ${result.lost.length}, duplicated ${result.duplicated.length}, repeated after SIGKILL ${result.repeatedAfterKill}`,
    `order violations ${result.orderViolations.length}, bad history ${result.badHistory.length}, chaos alerts ${result.chaosAlerts} and notifications ${result.chaosNotifications} (want 1 each; ${result.alertLinesWritten} ALERTME lines)`,
    repeatsLine(result),
    ...result.problems.map((p) => `problem: ${p}`),
  ].join('\n');
}
