import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadMnist } from '../src/data/mnist.js';
import { CONVNET, trainSteps, type StepsResult } from './mnist-steps.js';

// MNIST convnet training steps in Node and (with `browser`) on a web page in headless Chromium,
// the same code on the same digits (bench/mnist-steps.ts), and the ratio of the two. The page is
// served by Vite from bench/browser/, cross-origin isolated (COOP + COEP), so that it has
// SharedArrayBuffer and the kernels may use Web Workers as Node uses worker threads.

const STEPS = 60;
const WARMUP = 5;
/** Runs of each side, in turns, when the page is timed too. */
const ROUNDS = 3;
const IMAGES = 2000;

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PORT = Number(process.env.BENCH_PORT ?? 4290);

function describe(where: string, r: StepsResult): string {
  const perStep = r.ms / r.steps;
  return (
    `  ${where.padEnd(8)} ${perStep.toFixed(1).padStart(6)} ms/step  (${r.steps} steps in ` +
    `${(r.ms / 1000).toFixed(2)} s; last loss ${r.loss.toFixed(4)}; ${r.workers} worker ` +
    `thread${r.workers === 1 ? '' : 's'}, ${r.chunksByWorkers} chunks run by them)`
  );
}

/** The page's training steps, run on demand. */
interface Page {
  run(steps: number, warmup: number): Promise<StepsResult>;
  close(): Promise<void>;
}

/** Opens the page; undefined (with the reason printed) when Chromium cannot run here. */
async function openPage(images: number[], labels: number[]): Promise<Page | undefined> {
  const { chromium } = await import('playwright-core');
  const { createServer } = await import('vite');
  const isolated = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
  const root = fileURLToPath(new URL('./browser/', import.meta.url));
  const server = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    server: {
      host: '127.0.0.1',
      port: PORT,
      strictPort: true,
      headers: isolated,
      fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    },
  });
  await server.listen();
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    .catch((error: unknown) => {
      console.log(`  browser  not run: ${String(error).split('\n')[0]}`);
      return undefined;
    });
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  if (!browser) {
    await server.close();
    return undefined;
  }
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/`);
    type Doc = { document: { getElementById(id: string): { textContent: string } | null } };
    await page.waitForFunction(
      () =>
        (globalThis as unknown as Doc).document.getElementById('status')?.textContent === 'ready',
      undefined,
      { timeout: 120_000 },
    );
    const isolatedPage = await page.evaluate(
      () => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated,
    );
    console.log(`  page     cross-origin isolated: ${isolatedPage}`);
    type Run = (i: number[], l: number[], s: number, w: number) => StepsResult;
    const run = (steps: number, warmup: number) =>
      page.evaluate(
        ([i, l, s, w]) => (globalThis as unknown as { trainOnPage: Run }).trainOnPage(i, l, s, w),
        [images, labels, steps, warmup] as const,
      );
    // A first short run starts the Web Workers, which boot while the page's event loop runs.
    await run(2, 0);
    await page.waitForTimeout(1000);
    return { run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The run with the median time per step. */
function median(runs: StepsResult[]): StepsResult {
  return [...runs].sort((a, b) => a.ms / a.steps - b.ms / b.steps)[Math.floor(runs.length / 2)]!;
}

/**
 * Prints the time per training step of the MNIST convnet in Node and, with `browser`, on a page
 * in headless Chromium, with the ratio.
 */
export async function benchMnistTraining(browser: boolean): Promise<void> {
  console.log(
    `MNIST convnet ${CONVNET}, Adam, batch 64, float32: ${STEPS} steps after ${WARMUP} warm-up`,
  );
  const { train } = await loadMnist({ train: IMAGES, val: 0, test: 0, seed: 0 });
  const images = Float32Array.from(train.X.data);
  const labels = Array.from(train.y);
  // As on the page: a first short run starts the worker threads.
  trainSteps(images, labels, 2, 0);
  await sleep(1000);
  const page = browser ? await openPage(Array.from(images), labels) : undefined;
  // Node and the page in turns, a run of each per round, so that both meet the same state of
  // the shared machine; the median run of each side is reported.
  const nodeRuns: StepsResult[] = [];
  const pageRuns: StepsResult[] = [];
  let cpuSeconds = 0; // of Node's own runs only (passing the digits to the page costs CPU too)
  try {
    for (let round = 0; round < (page ? ROUNDS : 1); round++) {
      const cpu = process.cpuUsage();
      nodeRuns.push(trainSteps(images, labels, STEPS, WARMUP));
      const used = process.cpuUsage(cpu);
      cpuSeconds += (used.user + used.system) / 1e6;
      if (page) pageRuns.push(await page.run(STEPS, WARMUP));
    }
  } finally {
    await page?.close();
  }
  const node = median(nodeRuns);
  console.log(
    describe('node', node) +
      `; ${(cpuSeconds / nodeRuns.length).toFixed(2)} s of CPU a run with the warm-up`,
  );
  if (!page) return;
  const onPage = median(pageRuns);
  console.log(describe('browser', onPage));
  const ratio = onPage.ms / onPage.steps / (node.ms / node.steps);
  console.log(
    `  the page takes ${ratio.toFixed(2)}× Node's time per step, medians of ${ROUNDS} runs each ` +
      `in turns (target ≤ 2×${ratio <= 2 ? ': met' : ': NOT met'})`,
  );
}
