// Each format module on real-looking lines (most taken from the corpus), auto-detected as a source would.
import { describe, expect, it } from 'vitest';
import { UNPARSED_TIME_KEY } from '../../src/parse/format.ts';
import { iso, NOW, parseLines, parseOne } from './helpers.ts';

describe('access logs', () => {
  it('reads combined lines: fields, status level, time with its offset', () => {
    const e = parseOne('54.36.149.41 - - [22/Jan/2019:03:56:14 +0330] "GET /filter/27|13%20%D9%85 HTTP/1.1" 200 30577 "-" "Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)" "-"');
    expect(e.format).toBe('combined');
    expect(e.level).toBe('INFO');
    expect(iso(e)).toBe('2019-01-22T00:26:14.000Z');
    expect(e.message).toBe('GET /filter/27|13%20%D9%85 HTTP/1.1');
    expect(e.metadata).toEqual({
      ip: '54.36.149.41', method: 'GET', path: '/filter/27|13%20%D9%85', protocol: 'HTTP/1.1', status: 200, bytes: 30577,
      referer: '-', user_agent: 'Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)', extra: '"-"',
    });
  });

  it('derives WARNING from 4xx and ERROR from 5xx', () => {
    const [a, b] = parseLines([
      '192.168.202.254 - - [20/Jul/2009:22:59:29 +0000] "GET /vmw/vSphere/default/vmkboot.gz HTTP/1.0" 404 46210 "-" "gPXE/0.9.7"',
      '10.0.0.1 - bob [20/Jul/2009:22:59:30 +0000] "POST /api HTTP/1.1" 502 - "-" "curl/8.0"',
    ]);
    expect(a!.level).toBe('WARNING');
    expect(b!.level).toBe('ERROR');
    expect(b!.metadata.bytes).toBeNull();
    expect(b!.metadata.user).toBe('bob');
  });

  it('reads common lines, a virtual host first and a request time last', () => {
    const common = parseOne('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326');
    expect(common.format).toBe('common');
    expect(iso(common)).toBe('2000-10-10T20:55:36.000Z');
    const vhost = parseOne('shop.example.com:443 203.0.113.9 - - [30/Nov/2026:10:15:02 +0100] "GET / HTTP/2.0" 200 512 "https://example.com/" "Mozilla/5.0" 0.123');
    expect(vhost.metadata).toMatchObject({ vhost: 'shop.example.com:443', ip: '203.0.113.9', request_time: 0.123, referer: 'https://example.com/' });
  });

  it('keeps requests that are no HTTP request line', () => {
    const e = parseOne('1.2.3.4 - - [30/Nov/2026:10:15:02 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01" 400 226 "-" "-"');
    expect(e.level).toBe('WARNING');
    expect(e.metadata).toMatchObject({ method: null, path: null, protocol: null, status: 400 });
  });
});

describe('syslog', () => {
  it('reads BSD lines: host, program, pid, year inferred, no level', () => {
    const e = parseOne('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ');
    expect(e.format).toBe('syslog-rfc3164');
    expect(e.level).toBe('UNKNOWN');
    expect(iso(e)).toBe('2026-06-14T15:16:01.000Z');
    expect(e.metadata).toEqual({ host: 'combo', program: 'sshd(pam_unix)', pid: 19939 });
    expect(e.message).toBe('authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ');
  });

  it('takes the severity from PRI and reads lines without a host', () => {
    const e = parseOne('<34>Oct 11 22:14:15 su: \'su root\' failed for lonvick on /dev/pts/8');
    expect(e.level).toBe('CRITICAL');
    expect(e.metadata).toMatchObject({ program: 'su', facility: 'auth', severity: 2 });
    expect(e.metadata.host).toBeUndefined();
    expect(parseOne('<13>Nov 30 10:15:02 myhost app[1]: hi').level).toBe('INFO');
    expect(parseOne('<11>Nov 30 10:15:02 myhost app[1]: hi').level).toBe('ERROR');
  });

  it('reads a level word that opens the message when there is no PRI', () => {
    expect(parseOne('Mar 27 13:06:56 ip-10-77-20-248 sshd[1291]: error: PAM: Authentication failure for root').level).toBe('ERROR');
    expect(parseOne('Nov 30 10:15:02 host NetworkManager[812]: <warn>  [1733] dhcp4: request timed out').level).toBe('WARNING');
  });

  it('joins indented continuation lines (macOS ASL)', () => {
    const entries = parseLines([
      'Aug 16 00:32:15 Tims-Air syslogd[314]: Configuration Notice:',
      '\tASL Module "com.apple.cdscheduler" claims selected messages.',
      'Aug 16 00:32:16 Tims-Air syslogd[314]: next',
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.message).toBe('Configuration Notice:\n\tASL Module "com.apple.cdscheduler" claims selected messages.');
  });

  it('reads RFC 5424 with structured data, level from an SD parameter, and a BOM', () => {
    const [nsx, cron] = parseLines([
      '2022-08-27T14:22:01.888Z space01.global-acme.entp NSX 4828 SWITCHING [abc@6876 comp="abc-edge" subcomp="datapathd" level="INFO"] dynamic arp entry is created',
      '2022-08-27T17:22:01.694554+03:00 space01.global-acme.entp CRON 20856 - -  (root) CMD (   /usr/bin/nice)',
    ]);
    expect(nsx!.format).toBe('syslog-rfc5424');
    expect(nsx!.level).toBe('INFO');
    expect(nsx!.metadata).toEqual({
      host: 'space01.global-acme.entp', program: 'NSX', pid: 4828, msgid: 'SWITCHING',
      structured_data: { 'abc@6876': { comp: 'abc-edge', subcomp: 'datapathd', level: 'INFO' } },
    });
    expect(iso(cron!)).toBe('2022-08-27T14:22:01.694Z');
    expect(cron!.level).toBe('UNKNOWN');
    const pri = parseOne('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFAn application event');
    expect(pri.level).toBe('INFO');
    expect(pri.message).toBe('An application event');
    expect(pri.metadata).toMatchObject({ facility: 'local4', severity: 5, version: 1, msgid: 'ID47' });
  });

  it('reads rsyslog RFC 3339 file lines as BSD syslog', () => {
    const e = parseOne('2026-11-30T10:15:02.123456+01:00 web1 sshd[42]: Accepted publickey for deploy');
    expect(e.format).toBe('syslog-rfc3164');
    expect(iso(e)).toBe('2026-11-30T09:15:02.123Z');
    expect(e.metadata).toEqual({ host: 'web1', program: 'sshd', pid: 42 });
  });
});

describe('JSON lines', () => {
  it('reads bunyan: numeric level, msg, time; other fields (nested too) in metadata', () => {
    const e = parseOne('{"name":"renovate","hostname":"h","pid":7,"level":20,"msg":"Found 3 package file(s)","time":"2023-03-24T14:26:16.243Z","v":0,"src":{"file":"/x.js","line":20}}');
    expect(e.format).toBe('json');
    expect(e.level).toBe('DEBUG');
    expect(e.message).toBe('Found 3 package file(s)');
    expect(iso(e)).toBe('2023-03-24T14:26:16.243Z');
    expect(e.metadata).toEqual({ name: 'renovate', hostname: 'h', pid: 7, v: 0, src: { file: '/x.js', line: 20 } });
  });

  it('reads the usual aliases and epoch times', () => {
    const ms = Date.parse('2025-04-24T22:08:37.537Z');
    expect(iso(parseOne(`{"level":"info","time":${ms},"msg":"pino"}`))).toBe('2025-04-24T22:08:37.537Z');
    expect(iso(parseOne(`{"severity":"ERROR","ts":${ms / 1000},"message":"s"}`))).toBe('2025-04-24T22:08:37.537Z');
    expect(iso(parseOne(`{"lvl":"warn","@timestamp":"${ms * 1e6}","event":"ns"}`))).toBe('2025-04-24T22:08:37.537Z');
    const ecs = parseOne('{"@timestamp":"2026-11-30T10:15:02.123Z","log":{"level":"warn","logger":"x"},"message":"ecs"}');
    expect(ecs.level).toBe('WARNING');
    expect(ecs.message).toBe('ecs');
    expect(parseOne('{"levelname":"CRITICAL","message":"py"}').level).toBe('CRITICAL');
    expect(parseOne('{"level":3,"time":"2021-02-02T16:08:16+00:00","message":"nextcloud"}').level).toBe('ERROR');
  });

  it('marks a time it cannot read and uses the receive time', () => {
    const e = parseOne('{"level":"info","time":"yesterday-ish","msg":"x"}');
    expect(e.time).toBe(NOW);
    expect(e.metadata[UNPARSED_TIME_KEY]).toBe('yesterday-ish');
  });

  it('emits an entry for JSON that is no object, when forced', () => {
    for (const line of ['42', '[1,2,3]', '"text"', 'null', '{broken']) {
      const e = parseOne(line, { format: 'json' });
      expect(e.message).toBe(line);
      expect(e.level).toBe('UNKNOWN');
    }
  });

  it('keeps no structure deeper than metadata can carry', () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const e = parseOne(`{"level":"error","msg":"deep","x":${deep}}`, { format: 'json' });
    expect(e.level).toBe('ERROR');
    expect(e.message).toBe('deep');
    expect(() => JSON.stringify(e.metadata)).not.toThrow();
  });
});

describe('logfmt', () => {
  it('reads logrus lines with quoted values and empty values', () => {
    const e = parseOne('time="2021-09-15T21:17:11.674149Z" level=warning msg="Failed to DeletePod in the provider" error="pod is not found: PodNotFound" reason= status=Pending');
    expect(e.format).toBe('logfmt');
    expect(e.level).toBe('WARNING');
    expect(iso(e)).toBe('2021-09-15T21:17:11.674Z');
    expect(e.message).toBe('Failed to DeletePod in the provider');
    expect(e.metadata).toEqual({ error: 'pod is not found: PodNotFound', reason: '', status: 'Pending' });
  });

  it('reads Grafana lines (t=, escaped quotes)', () => {
    const e = parseOne('logger=settings t=2025-04-24T19:51:48.520963849Z level=info msg="say \\"hi\\"" arg="default.paths.data=/var/lib/grafana"');
    expect(e.message).toBe('say "hi"');
    expect(e.metadata).toEqual({ logger: 'settings', arg: 'default.paths.data=/var/lib/grafana' });
    expect(iso(e)).toBe('2025-04-24T19:51:48.520Z');
  });
});

describe('Python logging', () => {
  it('reads the default LEVEL:logger:msg', () => {
    const e = parseOne('ERROR:myapp.db:connection refused to db:5432');
    expect(e).toMatchObject({ format: 'python', level: 'ERROR', message: 'connection refused to db:5432', metadata: { logger: 'myapp.db' } });
  });

  it('reads asctime - name - level - msg and joins the traceback', () => {
    const [e, next] = parseLines([
      '2026-11-30 10:15:02,123 - db - ERROR - connection refused',
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      'ConnectionRefusedError: [Errno 111] Connection refused',
      '2026-11-30 10:15:03,000 - db - INFO - retrying',
    ]);
    expect(e).toMatchObject({ level: 'ERROR', metadata: { logger: 'db' } });
    expect(iso(e!)).toBe('2026-11-30T10:15:02.123Z');
    expect(e!.message).toBe('connection refused\nTraceback (most recent call last):\n  File "app.py", line 3, in <module>\nConnectionRefusedError: [Errno 111] Connection refused');
    expect(e!.raw.split('\n')).toHaveLength(4);
    expect(next!.level).toBe('INFO');
  });

  it('reads Home Assistant lines with thread and logger', () => {
    const e = parseOne('2026-06-12 15:40:38.079 INFO (MainThread) [homeassistant.setup] Setup of domain system_log took 0.01 seconds');
    expect(e).toMatchObject({ level: 'INFO', message: 'Setup of domain system_log took 0.01 seconds', metadata: { thread: 'MainThread', logger: 'homeassistant.setup' } });
    expect(iso(e)).toBe('2026-06-12T15:40:38.079Z');
  });

  it('does not start an entry at a traceback line that quotes a date', () => {
    const entries = parseLines([
      'WARNING:root:parsing failed',
      "ValueError: time data '2026-11-30 10:15:02' does not match format",
      'INFO:root:done',
    ]);
    expect(entries.map((e) => e.level)).toEqual(['WARNING', 'INFO']);
  });
});

describe('Java log4j/logback', () => {
  it('reads Hadoop, Spring and ZooKeeper layouts with logger and thread', () => {
    expect(parseOne('2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster')).toMatchObject({
      format: 'log4j', level: 'INFO', message: 'Created MRAppMaster', metadata: { logger: 'org.apache.hadoop.mapreduce.v2.app.MRAppMaster', thread: 'main' },
    });
    expect(parseOne('2015-07-29 19:04:29,071 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker@688] - Send worker leaving thread')).toMatchObject({
      level: 'WARNING', message: 'Send worker leaving thread', metadata: { thread: 'SendWorker:188978561024', logger: 'QuorumCnxManager$SendWorker', line: 688 },
    });
    expect(parseOne('2023-11-30T10:15:02.123+01:00 ERROR 12345 --- [myapp] [nio-8080-exec-1] o.a.c.c.C.[Tomcat].[localhost]    : Servlet failed')).toMatchObject({
      level: 'ERROR', message: 'Servlet failed', metadata: { pid: 12345, application: 'myapp', thread: 'nio-8080-exec-1' },
    });
  });

  it('reads HDFS and Spark dates with two-digit years', () => {
    expect(iso(parseOne('081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating'))).toBe('2008-11-09T20:36:15.000Z');
    expect(iso(parseOne('17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi'))).toBe('2017-06-09T20:10:40.000Z');
  });

  it('joins a Kafka stack trace to its entry and keeps the logger', () => {
    const entries = parseLines([
      '[2016-12-19 20:51:20,700] WARN [ReplicaFetcherThread-0-0], Error in fetch (kafka.server.ReplicaFetcherThread)',
      'java.io.IOException: Connection to 0 was disconnected before the response was read',
      '\tat kafka.utils.NetworkClientBlockingOps.apply(NetworkClientBlockingOps.scala:115)',
      'Caused by: java.net.SocketException: reset',
      '\t... 12 more',
      '[2016-12-19 20:51:21,000] INFO done (kafka.log.Log)',
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ level: 'WARNING', metadata: { logger: 'kafka.server.ReplicaFetcherThread' } });
    expect(entries[0]!.message.split('\n')).toHaveLength(5);
  });
});

describe('other built-in formats', () => {
  it('reads glog/klog with the letter level and no year', () => {
    const e = parseOne('E0517 15:04:22.619632 1952452992 logging_unittest.cc:253] Log every 3, iteration 19');
    expect(e).toMatchObject({ format: 'glog', level: 'ERROR', message: 'Log every 3, iteration 19', metadata: { thread_id: 1952452992, file: 'logging_unittest.cc', line: 253 } });
    expect(iso(e)).toBe('2026-05-17T15:04:22.619Z');
  });

  it('reads nginx error lines and joins FastCGI continuation lines', () => {
    const entries = parseLines([
      '2019/10/30 23:26:34 [error] 205860#205860: *180289 FastCGI sent in stderr: "PHP message: PHP Warning:  Declaration',
      'PHP message: PHP Warning:  Declaration of FEE_Field_Tags::wrap()',
      '2016/10/25 14:49:34 [warn] 54053#0: *1 open() failed',
    ]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ format: 'nginx-error', level: 'ERROR', metadata: { pid: 205860, tid: 205860, connection_id: 180289 } });
    expect(entries[1]!.level).toBe('WARNING');
  });

  it('reads Apache 2.2 and 2.4 error lines', () => {
    expect(parseOne('[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6')).toMatchObject({ format: 'apache-error', level: 'ERROR', message: 'mod_jk child workerEnv in error state 6' });
    const e = parseOne('[Wed Oct 11 14:32:52.123456 2000] [core:warn] [pid 35708:tid 4328636416] [client 72.15.99.187:5555] AH00124: Request exceeded the limit');
    expect(e).toMatchObject({ level: 'WARNING', metadata: { module: 'core', pid: 35708, tid: 4328636416, client: '72.15.99.187:5555' } });
    expect(iso(e)).toBe('2000-10-11T14:32:52.123Z');
  });

  it('reads dmesg lines: uptime in metadata, level from -x output', () => {
    const [a, b] = parseLines(['[    1.234567] usb 1-1: new high-speed USB device', 'kern  :err   : [    2.000001] ata1: COMRESET failed']);
    expect(a).toMatchObject({ format: 'kernel', level: 'UNKNOWN', time: NOW, metadata: { uptime: 1.234567 } });
    expect(b).toMatchObject({ level: 'ERROR', message: 'ata1: COMRESET failed' });
  });
});

describe('the generic timestamp + level fallback', () => {
  it('leaves logcat lines to their own format (issue 16), with the same level and time', () => {
    const e = parseLines(['03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs', '03-17 16:13:38.839  1702  2113 W WindowManager: Skipping'])[0]!;
    expect(e).toMatchObject({ format: 'logcat', level: 'DEBUG', message: 'printFreezingDisplayLogs', metadata: { pid: 1702, tid: 2395, tag: 'WindowManager' } });
    expect(iso(e)).toBe('2026-03-17T16:13:38.811Z');
  });

  it('leaves MySQL error-log lines to their own format (issue 16), with the same level and time', () => {
    const e = parseOne('2020-08-06T14:25:02.835618Z 0 [Note] [MY-012487] [InnoDB] DDL log recovery : begin');
    expect(e).toMatchObject({ format: 'mysql-error', level: 'INFO', message: 'DDL log recovery : begin', metadata: { thread: 0, err_code: 'MY-012487', subsystem: 'InnoDB' } });
    expect(iso(e)).toBe('2020-08-06T14:25:02.835Z');
  });

  it('leaves Laravel and zap console lines to their own formats (issue 16), with the same level and time', () => {
    const laravel = parseOne('[2025-01-02 11:19:06] laravel.EMERGENCY: Unable to create configured logger.');
    expect(laravel).toMatchObject({ format: 'laravel', level: 'CRITICAL', message: 'Unable to create configured logger.', metadata: { env: 'laravel' } });
    expect(iso(laravel)).toBe('2025-01-02T11:19:06.000Z');
    const zap = parseOne('2025-04-24T22:09:20.856Z\terror\tinternal/queue_sender.go:128\tExporting failed.');
    expect(zap).toMatchObject({ format: 'zap-console', level: 'ERROR', message: 'Exporting failed.', metadata: { src_file: 'internal/queue_sender.go', src_line: 128 } });
    expect(iso(zap)).toBe('2025-04-24T22:09:20.856Z');
  });

  it('reads BGL and Windows CBS lines', () => {
    const cases: Array<[string[], string, string]> = [
      [['- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL FATAL data TLB error interrupt'], 'CRITICAL', '2005-06-03T15:42:50.675Z'],
      [['2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505'], 'INFO', '2016-09-28T04:30:30.000Z'],
    ];
    for (const [lines, level, time] of cases) {
      const e = parseLines(lines)[0]!;
      expect(e.format, lines[0]).toBe('generic');
      expect(e.level, lines[0]).toBe(level);
      expect(iso(e), lines[0]).toBe(time);
    }
  });

  it('reads an epoch column when a line writes no date (HPC)', () => {
    const e = parseOne('134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component is unavailable');
    expect(e.format).toBe('generic');
    expect(iso(e)).toBe('2004-02-26T14:12:22.000Z');
  });

  it('joins Go stack frames and Laravel stack traces', () => {
    const entries = parseLines([
      '2025-04-24T22:09:20.856Z\terror\tinternal/queue_sender.go:128\tExporting failed.',
      'go.opentelemetry.io/collector/exporter/exporterhelper/internal.NewQueueSender.func3',
      '     go.opentelemetry.io/collector/exporter@v0.120.0/exporterhelper/internal/queue_sender.go:128',
      '2025-04-24T22:09:21.256Z\tinfo\tMetrics\t{"otelcol.component.id": "debug"}',
    ]);
    expect(entries.map((e) => e.raw.split('\n').length)).toEqual([3, 1]);
  });

  it('leaves anything else UNKNOWN with the whole line and the receive time', () => {
    const e = parseOne('just some words without a time');
    expect(e).toMatchObject({ level: 'UNKNOWN', message: 'just some words without a time', format: 'unknown', time: NOW, raw: 'just some words without a time' });
  });
});

describe('custom formats', () => {
  const formats = {
    myapp: { pattern: '^(?<timestamp>\\S+ \\S+) \\| (?<level>\\w+) \\| (?<component>[^|]+) \\| (?<message>.*)$', timestampFormat: 'DD.MM.YYYY HH:mm:ss.SSS', timezone: 'Europe/Berlin' },
  };

  it('fills the entry from named groups, with the layout and the format zone', () => {
    const e = parseOne('30.11.2026 10:15:02.250 | warn | billing | card declined', { format: 'myapp', formats, timezone: null });
    expect(e).toMatchObject({ format: 'myapp', level: 'WARNING', message: 'card declined', metadata: { component: 'billing' } });
    expect(iso(e)).toBe('2026-11-30T09:15:02.250Z');
  });

  it('lets the source zone win over the format zone', () => {
    const e = parseOne('30.11.2026 10:15:02.250 | info | x | y', { format: 'myapp', formats, timezone: 'UTC' });
    expect(iso(e)).toBe('2026-11-30T10:15:02.250Z');
  });

  it('joins lines that do not match to the previous entry', () => {
    const entries = parseLines(['30.11.2026 10:15:02.250 | error | x | boom', '  at frame', 'more text'], { format: 'myapp', formats });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.message).toBe('boom\n  at frame\nmore text');
  });
});
