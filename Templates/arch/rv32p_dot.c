/* arch rv32p, dot products: one SMAQA per four int8 pairs. (Channel-wise sums, arch_mac_s8,
   keep the portable loop: the P extension has no 8-bit multiply into separate 32-bit sums.) */

/* Sum of a[i] * b[i] over n int8 pairs (by words if both are aligned). */
static TMDL_MAYBE_UNUSED int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t acc = 0;
    int32_t i = 0;
    const int aligned = arch_aligned4(a) && arch_aligned4(b);
    for (; aligned && i + 4 <= n; i += 4) {
        acc = arch_smaqa(acc, arch_word_s8(a + i), arch_word_s8(b + i));
    }
    for (; i < n; i++) {
        acc += (int32_t)a[i] * b[i];
    }
    return acc;
}

/* acc[k] += sum of x[i] * w[k * stride + i] over n pairs, for k = 0..3: four output
   channels share each input word. Word steps need aligned data; else the portable loop does all. */
static TMDL_MAYBE_UNUSED void arch_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n,
                                           int32_t *acc)
{
    const int8_t *w0 = w;
    const int8_t *w1 = w + stride;
    const int8_t *w2 = w + 2 * stride;
    const int8_t *w3 = w + 3 * stride;
    int32_t s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
    int32_t i = 0;
    const int aligned = arch_aligned4(x) && arch_aligned4(w) && (stride & 3) == 0;
    for (; aligned && i + 4 <= n; i += 4) {
        const int32_t word = arch_word_s8(x + i);
        s0 = arch_smaqa(s0, word, arch_word_s8(w0 + i));
        s1 = arch_smaqa(s1, word, arch_word_s8(w1 + i));
        s2 = arch_smaqa(s2, word, arch_word_s8(w2 + i));
        s3 = arch_smaqa(s3, word, arch_word_s8(w3 + i));
    }
    for (; i < n; i++) {
        const int32_t v = x[i];
        s0 += v * w0[i];
        s1 += v * w1[i];
        s2 += v * w2[i];
        s3 += v * w3[i];
    }
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
}
