import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case } from './cases.js';

export interface TorchCase {
  ms: number;
  runs: number;
  /** The first step's results (and checked state), as the bench's compare expects them. */
  results: Float32Array[];
}

export interface TorchRun {
  version: string;
  threads: number;
  cases: Map<string, TorchCase>;
}

// $PYTHON if set; else the first python3 that has torch (Debian's python3-torch is seen by
// /usr/bin/python3, which a pyenv or venv python3 earlier on the PATH may hide).
const CANDIDATES = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3'];
let python = CANDIDATES[0]!;

/** Whether a python3 can import torch, or why not (the bench then skips this peer). */
export function torchAvailable(): true | string {
  for (const candidate of CANDIDATES) {
    const r = spawnSync(candidate, ['-c', 'import torch'], { encoding: 'utf8' });
    if (!r.error && r.status === 0) {
      python = candidate;
      return true;
    }
  }
  return `no torch in ${CANDIDATES.join(' or ')} (Debian: apt-get install python3-torch)`;
}

/**
 * Runs bench/torch-peer.py on exactly the same float32 inputs, with `threads` intra-op threads.
 * One Python process does every case (importing torch takes a second or two).
 */
export function runTorch(
  cases: readonly Case[],
  inputs: ReadonlyMap<string, Float32Array[]>,
  threads: number,
  budgetMs: number,
): TorchRun | string {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-bench-'));
  try {
    const spec = {
      threads,
      cases: cases.map((c) => ({
        id: c.id,
        params: c.params ?? {},
        runs: c.runs ?? 10,
        budgetMs,
        inputs: c.inputs.map((input, k) => {
          const file = `${c.id}.in.${k}.f32`;
          writeFileSync(join(dir, file), inputs.get(c.id)![k]!);
          return { file, shape: input.shape };
        }),
      })),
    };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const script = join(import.meta.dirname, 'torch-peer.py');
    const r = spawnSync(python, [script, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) return `torch-peer.py failed: ${r.stderr.trim().split('\n').at(-1)}`;
    const report = JSON.parse(r.stdout) as {
      version: string;
      threads: number;
      cases: Record<string, { ms: number; runs: number; files: string[] }>;
    };
    const out = new Map<string, TorchCase>();
    for (const [id, c] of Object.entries(report.cases)) {
      const results = c.files.map((f) => {
        const bytes = readFileSync(join(dir, f));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      });
      out.set(id, { ms: c.ms, runs: c.runs, results });
    }
    return { version: report.version, threads: report.threads, cases: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
