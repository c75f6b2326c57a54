// The machine's ceiling for what WebAssembly SIMD's float32 kernels compile to on x86-64:
// 128-bit multiplies and adds (f32x4.mul, f32x4.add; wasm has no fused multiply-add outside
// relaxed SIMD), here in a 4×8 register tile — eight independent accumulators, enough to hide the
// add latency, and operands that stay in registers (all fit in the 16 that V8 allocates from), so
// no load, cache or loop overhead limits it. Prints GFLOP/s of one thread.
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  __m128 c[8];
  for (int i = 0; i < 8; i++) c[i] = _mm_setzero_ps();
  __m128 x0 = _mm_set1_ps(1e-7f), x1 = x0, x2 = x0, x3 = x0;
  __m128 b0 = _mm_set1_ps(1.0f), b1 = b0;
  const long rounds = 200000000;
  double best = 0;
  for (int trial = 0; trial < 3; trial++) {
    double t = seconds();
    for (long i = 0; i < rounds; i++) {
      // Opaque to the compiler: the operands "change" every round, so nothing is hoisted.
      __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(b0), "+x"(b1));
      c[0] = _mm_add_ps(c[0], _mm_mul_ps(x0, b0));
      c[1] = _mm_add_ps(c[1], _mm_mul_ps(x0, b1));
      c[2] = _mm_add_ps(c[2], _mm_mul_ps(x1, b0));
      c[3] = _mm_add_ps(c[3], _mm_mul_ps(x1, b1));
      c[4] = _mm_add_ps(c[4], _mm_mul_ps(x2, b0));
      c[5] = _mm_add_ps(c[5], _mm_mul_ps(x2, b1));
      c[6] = _mm_add_ps(c[6], _mm_mul_ps(x3, b0));
      c[7] = _mm_add_ps(c[7], _mm_mul_ps(x3, b1));
    }
    double gflops = rounds * 8 * 8.0 / (seconds() - t) / 1e9;
    if (gflops > best) best = gflops;
  }
  __m128 s = c[0];
  for (int i = 1; i < 8; i++) s = _mm_add_ps(s, c[i]);
  float out[4];
  _mm_storeu_ps(out, s);
  // The sum is printed so that the work cannot be dropped.
  printf("%.1f %g\n", best, out[0]);
  return 0;
}
