import { statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ChainruleError, escapeControls } from '../core/errors.js';

/** Where a command writes: real streams in the binary, buffers in tests. */
export interface Io {
  stdout(data: string | Uint8Array): void;
  stderr(text: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  /** Is stdout a terminal? (Binary output is refused there.) */
  isTTY: boolean;
}

/** Why a file could not be written, in words, for the errors a user can fix. */
const WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  ENAMETOOLONG: 'the name is too long',
};

/**
 * Writes a file, turning the mistakes a user can fix (a missing folder, a folder named as the
 * file, no permission) into a user error that names the path, instead of a crash.
 */
export function writeFileOrExplain(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const problem = WRITE_PROBLEMS[code];
    if (problem === undefined) throw e;
    const detail =
      code === 'ENOENT' && !isFolder(dirname(path)) ? ` (no folder '${dirname(path)}')` : '';
    throw new ChainruleError('bad_argument', `cannot write '${path}': ${problem}${detail}`);
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Text for a terminal: control characters shown visibly (see escapeControls). */
export function forTerminal(text: string): string {
  return escapeControls(text);
}

export const processIo: Io = {
  // Text for a terminal has its control characters shown visibly (a variable named with an
  // escape sequence cannot retitle the window); output piped to a file stays byte-exact.
  stdout: (data) =>
    void process.stdout.write(
      typeof data === 'string' && process.stdout.isTTY === true ? forTerminal(data) : data,
    ),
  stderr: (text) => void process.stderr.write(forTerminal(text)),
  writeFile: writeFileOrExplain,
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
