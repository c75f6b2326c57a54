import fc from 'fast-check';

/**
 * Random expressions over a, b, c that stay well-conditioned (bounded values, no poles), so that
 * centered differences are accurate: logs and square roots only see 1 + e², divisions divide by
 * 1 + e², exponentials see tanh(e). Kinked functions (relu, max, abs) are included on purpose:
 * the checker must recognise when a nudge crosses a kink.
 */
export const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'medium', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c'),
    fc.constantFrom('0.5', '2', '1.5', '3'),
    tie('e').map((x) => `tanh(${x})`),
    tie('e').map((x) => `sigmoid(${x})`),
    tie('e').map((x) => `sin(${x})`),
    tie('e').map((x) => `cos(${x})`),
    tie('e').map((x) => `exp(tanh(${x}))`),
    tie('e').map((x) => `log(1 + (${x})^2)`),
    tie('e').map((x) => `sqrt(1 + (${x})^2)`),
    tie('e').map((x) => `-(${x})`),
    tie('e').map((x) => `(${x})^2`),
    tie('e').map((x) => `relu(${x})`),
    tie('e').map((x) => `abs(${x})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} + ${y})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} - ${y})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x}) * (${y})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x}) / (1 + (${y})^2)`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `maximum(${x}, ${y})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `minimum(${x}, ${y})`),
    tie('e').map((x) => `1/(1+exp(-(${x})))`),
  ),
})).e;

/**
 * Values for a, b, c: 0, or a magnitude in [1e-3, 2] with either sign. Magnitudes like 1e-200
 * (fast-check's favourites) make gradients so small that the centered difference's own
 * truncation error, h²·f'''/6, is larger than them; that says nothing about backprop.
 */
const coordinate = fc.oneof(
  fc.constant(0),
  fc
    .tuple(fc.boolean(), fc.double({ min: 1e-3, max: 2, noNaN: true }))
    .map(([negative, x]) => (negative ? -x : x)),
);
export const bindings = fc.record({ a: coordinate, b: coordinate, c: coordinate });
