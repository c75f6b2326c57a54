/**
 * Saving and loading across Node and the browser: the library is bundled with esbuild and run in
 * a blank page, which draws the same seeded weights as Node, loads Node's file, predicts the same
 * numbers and saves the same bytes, bit for bit — and refuses a corrupted file without changing
 * the model.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { Rng, Tensor } from '../src/index.js';
import { loadModule, saveModule } from '../src/io/index.js';
import { spiral } from '../src/data/index.js';
import { BatchNorm1d, Linear, ReLU, Sequential, softmaxLoss } from '../src/nn/index.js';
import { Adam } from '../src/optim/index.js';
import { expect, test } from './fixtures.js';

const root = resolve(import.meta.dirname, '..');

/** The library as one script that defines `window.chainrule`. */
async function bundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: [
        "export * from './src/index.ts';",
        "export { Sequential, Linear, BatchNorm1d, ReLU } from './src/nn/index.ts';",
        "export { Adam } from './src/optim/index.ts';",
        "export { saveModule, loadModule } from './src/io/index.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'chainrule',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

const make = (a: number, b: number) =>
  new Sequential(
    new Linear(2, 16, { rng: new Rng(a) }),
    new BatchNorm1d(16),
    new ReLU(),
    new Linear(16, 3, { rng: new Rng(b) }),
  );

/**
 * Node's side: a seeded net trained by 15 Adam steps on a seeded spiral, its file, the data and
 * its test-time scores. (Only Node trains: the loss uses exp and log, whose last bit differs
 * between V8 versions; a file, an initialiser and a prediction must not.)
 */
function trainInNode() {
  const data = spiral({ rng: new Rng(5), pointsPerClass: 40 });
  const fresh = make(1, 2);
  const initial = Object.values(fresh.tensors()).flatMap((t) => Array.from(t.data));
  const net = make(1, 2);
  const opt = new Adam(net, { learningRate: 0.05 });
  for (let i = 0; i < 15; i++) {
    opt.zeroGrad();
    softmaxLoss(net.forward(data.X), data.y).backward();
    opt.step();
  }
  net.eval();
  return {
    initial,
    X: Array.from(data.X.data),
    bytes: Array.from(saveModule(net, { optimizer: opt, metadata: { from: 'node' } })),
    scores: Array.from(net.forward(data.X).data),
    normals: Array.from(
      { length: 1000 },
      (
        (r) => () =>
          r.normal()
      )(new Rng(11)),
    ),
  };
}

test('initialisers, files and predictions are the same in Node and in the browser', async ({
  page,
}) => {
  const node = trainInNode();
  await page.goto('about:blank');
  await page.addScriptTag({ content: await bundle() });
  const browser = await page.evaluate((node) => {
    type T = { data: Float64Array };
    type Net = { forward(x: T): T; eval(): void; tensors(): Record<string, T> };
    type Lib = {
      Rng: new (seed: number) => { normal(): number };
      tensor: (values: Float64Array, options: { shape: number[] }) => T;
      Sequential: new (...layers: unknown[]) => Net;
      Linear: new (d: number, m: number, o: object) => unknown;
      BatchNorm1d: new (d: number) => unknown;
      ReLU: new () => unknown;
      Adam: new (m: unknown) => unknown;
      saveModule: (m: unknown, o: object) => Uint8Array;
      loadModule: (m: unknown, b: Uint8Array, o?: object) => { metadata: Record<string, string> };
    };
    const lib = (window as unknown as { chainrule: Lib }).chainrule;
    const make = (a: number, b: number) =>
      new lib.Sequential(
        new lib.Linear(2, 16, { rng: new lib.Rng(a) }),
        new lib.BatchNorm1d(16),
        new lib.ReLU(),
        new lib.Linear(16, 3, { rng: new lib.Rng(b) }),
      );
    const values = (net: Net) => Object.values(net.tensors()).flatMap((t) => Array.from(t.data));
    const r = new lib.Rng(11);
    const normals = Array.from({ length: 1000 }, () => r.normal());
    const initial = values(make(1, 2));
    // Node's file, loaded into a differently seeded net (with its optimizer state).
    const loaded = make(7, 8);
    const optimizer = new lib.Adam(loaded);
    const { metadata } = lib.loadModule(loaded, new Uint8Array(node.bytes), { optimizer });
    loaded.eval();
    const X = lib.tensor(Float64Array.from(node.X), { shape: [node.X.length / 2, 2] });
    const scores = Array.from(loaded.forward(X).data);
    const saved = Array.from(lib.saveModule(loaded, { optimizer, metadata }));
    // A corrupted file: a clear error, and the model unchanged.
    const before = JSON.stringify(values(loaded));
    let error = '';
    try {
      lib.loadModule(loaded, new Uint8Array(node.bytes.slice(0, node.bytes.length - 16)));
    } catch (e) {
      error = String(e);
    }
    return {
      normals,
      initial,
      metadata,
      scores,
      saved,
      error,
      unchanged: before === JSON.stringify(values(loaded)),
    };
  }, node);
  expect(browser.normals).toEqual(node.normals);
  expect(browser.initial).toEqual(node.initial);
  expect(browser.metadata).toEqual({ from: 'node' });
  expect(browser.scores).toEqual(node.scores);
  expect(browser.saved).toEqual(node.bytes);
  expect(browser.error).toMatch(/not a valid safetensors file: .*truncated/);
  expect(browser.unchanged).toBe(true);
  // And back: the browser's file loads in Node to the same predictions.
  const back = make(3, 4);
  loadModule(back, new Uint8Array(browser.saved));
  back.eval();
  const X = new Tensor(Float64Array.from(node.X), [node.X.length / 2, 2]);
  expect(Array.from(back.forward(X).data)).toEqual(node.scores);
});
