/** Exit codes of `kafka-infra`, the same for every command. */
export const EXIT_OK = 0;
/** Invalid input (a spec, a flag's value) or a failed check. */
export const EXIT_FAILED = 1;
/** The command line itself is wrong: unknown command or flag, missing argument. */
export const EXIT_USAGE = 2;

/** The command line is wrong; the message says what and the command's usage follows it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The input is invalid or a check failed; the message is all the user needs (no stack trace). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command prints: stdout for results and progress, stderr for errors. */
export interface CliOutput {
  /** Prints one line to stdout. */
  out(line: string): void;
  /** Prints one line to stderr. */
  err(line: string): void;
}

/** The process's own stdout and stderr. */
export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
