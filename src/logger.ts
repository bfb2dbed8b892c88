import process from 'node:process';

/** Where LogWatch reports on itself (not the logs it watches). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

// Messages can carry text from outside (a webhook's error answer, a file or source name): terminal
// escapes (ESC, CSI), other controls but tab and newline, and bidi overrides are shown as U+FFFD so
// they can never rewrite the operator's terminal or hide what a line says.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line per message on stderr, prefixed with time and level. */
export function createConsoleLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string, message: string) => write(`${new Date().toISOString()} ${level} ${message.replace(UNSAFE, '\ufffd')}\n`);
  return {
    info: (message) => log('info', message),
    warn: (message) => log('warn', message),
    error: (message) => log('error', message),
  };
}

/** A logger that keeps what it is told, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => void lines.push(`info ${message}`),
    warn: (message) => void lines.push(`warn ${message}`),
    error: (message) => void lines.push(`error ${message}`),
  };
}
