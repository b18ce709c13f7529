/* arch cpu, dot products: portable C99. Sums run in blocks of 16 with a fixed inner trip
   count, a shape optimising compilers turn into SIMD code on their own (gcc -O2 does). */

/* Sum of a[i] * b[i] over n int8 pairs. */
static TMDL_MAYBE_UNUSED int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t acc = 0;
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        int32_t block = 0;
        for (int32_t j = 0; j < 16; j++) {
            block += (int32_t)a[i + j] * b[i + j];
        }
        acc += block;
    }
    for (; i < n; i++) {
        acc += (int32_t)a[i] * b[i];
    }
    return acc;
}

/* acc[k] += sum of x[i] * w[k * stride + i] over n pairs, for k = 0..3: four output
   channels share each input load. */
static TMDL_MAYBE_UNUSED void arch_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n,
                                           int32_t *acc)
{
    const int8_t *w0 = w;
    const int8_t *w1 = w + stride;
    const int8_t *w2 = w + 2 * stride;
    const int8_t *w3 = w + 3 * stride;
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int32_t i = 0;
    for (; i + 16 <= n; i += 16) {
        int32_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (int32_t j = 0; j < 16; j++) {
            const int32_t v = x[i + j];
            b0 += v * w0[i + j];
            b1 += v * w1[i + j];
            b2 += v * w2[i + j];
            b3 += v * w3[i + j];
        }
        s0 += b0;
        s1 += b1;
        s2 += b2;
        s3 += b3;
    }
    for (; i < n; i++) {
        const int32_t v = x[i];
        s0 += v * w0[i];
        s1 += v * w1[i];
        s2 += v * w2[i];
        s3 += v * w3[i];
    }
    acc[0] += s0;
    acc[1] += s1;
    acc[2] += s2;
    acc[3] += s3;
}
