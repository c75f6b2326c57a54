import { trainSteps, type StepsResult } from '../mnist-steps.js';

// The browser half of the MNIST training bench (bench/browser.ts serves this page, cross-origin
// isolated, and calls trainOnPage with the same digits the Node half trains on).

interface PageGlobals {
  trainOnPage?: (images: number[], labels: number[], steps: number, warmup: number) => StepsResult;
  crossOriginIsolated?: boolean;
  document?: { getElementById(id: string): { textContent: string } | null };
}

const page = globalThis as unknown as PageGlobals;
page.trainOnPage = (images, labels, steps, warmup) =>
  trainSteps(Float32Array.from(images), labels, steps, warmup);
const status = page.document?.getElementById('status');
if (status) status.textContent = 'ready';
