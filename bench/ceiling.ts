import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This machine's one-thread ceiling for 128-bit float32 multiply + add — what WebAssembly SIMD
 * kernels (ours and TF.js's) compile to — measured by bench/ceiling.c, or why it was skipped.
 * It tells how much a WebAssembly matmul could still gain here.
 */
export function simdCeiling(): number | string {
  if (arch() !== 'x64') return `measured on x86-64 only (this is ${arch()})`;
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-ceiling-'));
  try {
    const exe = join(dir, 'ceiling');
    const source = fileURLToPath(new URL('./ceiling.c', import.meta.url));
    const cc = spawnSync('cc', ['-O2', '-mavx', '-mno-fma', source, '-o', exe], {
      encoding: 'utf8',
    });
    if (cc.error || cc.status !== 0) return 'no C compiler (cc) to build bench/ceiling.c';
    const run = spawnSync(exe, { encoding: 'utf8' });
    const gflops = Number.parseFloat(run.stdout);
    return Number.isFinite(gflops) ? gflops : `bench/ceiling.c failed: ${run.stderr.trim()}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
