import { cpus, totalmem } from 'node:os';
import { benchMillionChain } from './chain.js';
import { benchLayout } from './layout.js';
import { benchMicrogradStep } from './scalar.js';
import { benchTensors } from './tensor.js';

// `npm run bench`: chainrule against its peers, measured in the same run on this machine.
console.log(
  `chainrule benchmarks — ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ` +
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
benchMicrogradStep();
benchMillionChain();
console.log('');
await benchTensors();
console.log('');
await benchLayout();
