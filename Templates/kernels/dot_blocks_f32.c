/* The sums of a block of output channels over two windows at once, one pixel's and the next's:
   value i of the windows is x[at[i]] and y[at[i]] (n values each), the block's weights
   interleaved, w[lanes * i + k] for value i and channel k (WeightPacking.interleavedChannels),
   each loaded once for both. sums gets x's sums, then y's. Each sum runs in index order, as the
   reference adds, while the channels go side by side: gcc -O2 keeps a block's sums in SIMD
   registers (SSE on x86-64), a broadcast of each value and a multiply and an add a vector. */
static void dot8x2_f32_at(const float *x, const float *y, const int32_t *at, const float *w, int32_t n, float *sums)
{
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f, a7 = 0.0f;
    float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f, b4 = 0.0f, b5 = 0.0f, b6 = 0.0f, b7 = 0.0f;
    for (int32_t i = 0; i < n; i++, w += 8) {
        const float u = x[at[i]], v = y[at[i]];
        a0 = a0 + u * w[0];
        a1 = a1 + u * w[1];
        a2 = a2 + u * w[2];
        a3 = a3 + u * w[3];
        a4 = a4 + u * w[4];
        a5 = a5 + u * w[5];
        a6 = a6 + u * w[6];
        a7 = a7 + u * w[7];
        b0 = b0 + v * w[0];
        b1 = b1 + v * w[1];
        b2 = b2 + v * w[2];
        b3 = b3 + v * w[3];
        b4 = b4 + v * w[4];
        b5 = b5 + v * w[5];
        b6 = b6 + v * w[6];
        b7 = b7 + v * w[7];
    }
    const float all[16] = {a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7};
    memcpy(sums, all, sizeof all);
}

static void dot4x2_f32_at(const float *x, const float *y, const int32_t *at, const float *w, int32_t n, float *sums)
{
    float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
    float b0 = 0.0f, b1 = 0.0f, b2 = 0.0f, b3 = 0.0f;
    for (int32_t i = 0; i < n; i++, w += 4) {
        const float u = x[at[i]], v = y[at[i]];
        a0 = a0 + u * w[0];
        a1 = a1 + u * w[1];
        a2 = a2 + u * w[2];
        a3 = a3 + u * w[3];
        b0 = b0 + v * w[0];
        b1 = b1 + v * w[1];
        b2 = b2 + v * w[2];
        b3 = b3 + v * w[3];
    }
    const float all[8] = {a0, a1, a2, a3, b0, b1, b2, b3};
    memcpy(sums, all, sizeof all);
}

/* One channel's sum over window x, its weights w[i] in order. */
static float dot1_f32_at(const float *x, const int32_t *at, const float *w, int32_t n)
{
    float sum = 0.0f;
    for (int32_t i = 0; i < n; i++) {
        sum = sum + x[at[i]] * w[i];
    }
    return sum;
}
