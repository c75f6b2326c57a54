export { makeMoons, type Dataset2d } from './moons.js';
