import { writeFileSync } from 'node:fs';

/** Where a command writes: real streams in the binary, buffers in tests. */
export interface Io {
  stdout(data: string | Uint8Array): void;
  stderr(text: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  /** Is stdout a terminal? (Binary output is refused there.) */
  isTTY: boolean;
}

export const processIo: Io = {
  stdout: (data) => void process.stdout.write(data),
  stderr: (text) => void process.stderr.write(text),
  writeFile: (path, data) => writeFileSync(path, data),
  isTTY: process.stdout.isTTY === true,
};

/** A command: parses its own arguments, writes through `io`, returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Longer help: flags and examples. */
  help: () => string;
  /** The exit code (a promise for commands that load data asynchronously, such as train). */
  run: (argv: readonly string[], io: Io) => number | Promise<number>;
}
