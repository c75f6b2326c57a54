import { Rng, gradients } from './src/index.js';
import { spiral } from './src/data/synthetic.js';
import { TwoLayerNet } from './src/nn/index.js';
const d = spiral({ rng: new Rng(0) });
const net = new TwoLayerNet({ inputDim: 2, hiddenDim: 100, numClasses: 3, weightScale: 0.01, reg: 1e-3, seed: 0 });
let t = performance.now();
for (let i = 0; i < 200; i++) { const l = net.loss(d.X, d.y); gradients(l); }
console.log('loss+grad per iter ms', (performance.now() - t) / 200);
t = performance.now();
for (let i = 0; i < 200; i++) { net.loss(d.X); }
console.log('forward ms', (performance.now() - t) / 200);
