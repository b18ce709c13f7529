/* CONV2D, int8: the two-pixel dot over windows longer than the arch lays out at once (emitted for
   models with a layer whose window exceeds ARCH_DOT4X2_MAX_VALUES; conv2d_s8 calls it). */
#define CONV2D_S8_PARTS 1

/* The sums of two output pixels, windows x and y (n values each, then zeros up to span), for all
   out_c channels: bias plus the dot products, to sums[8 * b .. 8 * b + 7] for block b of four
   channels (x's four, then y's). The windows go ARCH_DOT4X2_MAX_VALUES values at a time: each part
   of both is laid out in `values` (arch_pairs_s8), then runs against that part of every block's
   weights, which starts r * ARCH_DOT4X2_WEIGHT_STEP bytes into the block for values from r on. Both
   windows are read whole before conv2d_s8 writes an output (it may run over its input). */
static void conv2d_s8_pair_parts(const int8_t *x, const int8_t *y, int32_t n, int32_t span, const int8_t *weights,
                                 int32_t stride, const int32_t *bias, int32_t out_c, int32_t *sums,
                                 arch_window_t *values)
{
    for (int32_t co = 0; co < out_c; co += 4) {
        memcpy(sums + 2 * co, bias + co, 4 * sizeof sums[0]);
        memcpy(sums + 2 * co + 4, bias + co, 4 * sizeof sums[0]);
    }
    for (int32_t r = 0; r < span; r += ARCH_DOT4X2_MAX_VALUES) {
        const int32_t part = span - r < ARCH_DOT4X2_MAX_VALUES ? span - r : ARCH_DOT4X2_MAX_VALUES;
        /* The last part may end in the zeros after the window (fewer than ARCH_DOT4X2_MULTIPLE). */
        arch_pairs_s8(x + r, y + r, n - r < part ? n - r : part, part, values);
        const int8_t *w = weights + r * ARCH_DOT4X2_WEIGHT_STEP;
        for (int32_t co = 0; co < out_c; co += 4, w += 4 * stride) {
            arch_dot4x2_s8(values, w, stride, part, sums + 2 * co);
        }
    }
}
