import { cpus, loadavg, totalmem } from 'node:os';
import { benchMillionChain } from './chain.js';
import { benchLayout } from './layout.js';
import { benchMnistTraining } from './mnist.js';
import { benchMicrogradStep } from './scalar.js';
import { benchTensors } from './tensor.js';

// `npm run bench`: chainrule against its peers, measured in the same run on this machine.
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
console.log(
  `chainrule benchmarks — ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n` +
    `load average at start: ${load()} (above ~0.3 other processes share the CPU: ` +
    'compare ratios within this run, not absolute figures)\n',
);
// `npm run bench -- --only=matmul,conv` runs the sections and cases whose id starts with one of
// these (micrograd, chain, matmul256, matmul1024, mlp, conv, elementwise, overhead, layout,
// mnist: training steps in Node; browser: the same in Node and on a page in headless Chromium).
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (id: string) => !only || only.some((prefix) => id.startsWith(prefix));
if (wanted('micrograd')) benchMicrogradStep();
if (wanted('chain')) benchMillionChain();
console.log('');
await benchTensors(wanted);
if (wanted('mnist') || wanted('browser')) {
  console.log('');
  await benchMnistTraining(wanted('browser'));
}
if (wanted('layout')) {
  console.log('');
  await benchLayout();
}
console.log(`\nload average at end: ${load()}`);
