/* arch armdsp, dot products: per four int8 pairs, two SMLADs on the SXTB16-unpacked words. */

/* Sum of a[i] * b[i] over n int8 pairs. */
static TMDL_MAYBE_UNUSED int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t acc = 0;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const int32_t x = arch_word_s8(a + i), y = arch_word_s8(b + i);
        acc = __smlad(arch_even_s8(x), arch_even_s8(y), acc);
        acc = __smlad(arch_odd_s8(x), arch_odd_s8(y), acc);
    }
    for (; i < n; i++) {
        acc += (int32_t)a[i] * b[i];
    }
    return acc;
}

/* acc[k] += sum of x[i] * w_k[i] over n pairs, for the four output channels k = 0..3 of a
   block whose weights the generator interleaved word by word (WeightPacking): words i of the
   four channels are 16 consecutive bytes, then come each channel's n % 4 last weights. One
   pointer walks them all (`stride` is unused), so the sums, the unpacked input word and the
   pointers fit in the core's registers. */
static TMDL_MAYBE_UNUSED void arch_dot4_s8(const int8_t *x, const int8_t *w, int32_t stride, int32_t n,
                                           int32_t *acc)
{
    (void)stride;
    int32_t s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
    const int8_t *end = x + (n & ~3);
    for (; x < end; x += 4, w += 16) {
        const int32_t word = arch_word_s8(x);
        const int32_t even = arch_even_s8(word), odd = arch_odd_s8(word);
        int32_t k = arch_word_s8(w);
        s0 = __smlad(even, arch_even_s8(k), s0);
        s0 = __smlad(odd, arch_odd_s8(k), s0);
        k = arch_word_s8(w + 4);
        s1 = __smlad(even, arch_even_s8(k), s1);
        s1 = __smlad(odd, arch_odd_s8(k), s1);
        k = arch_word_s8(w + 8);
        s2 = __smlad(even, arch_even_s8(k), s2);
        s2 = __smlad(odd, arch_odd_s8(k), s2);
        k = arch_word_s8(w + 12);
        s3 = __smlad(even, arch_even_s8(k), s3);
        s3 = __smlad(odd, arch_odd_s8(k), s3);
    }
    const int32_t tail = n & 3;
    for (int32_t i = 0; i < tail; i++) {
        const int32_t v = x[i];
        s0 += v * w[i];
        s1 += v * w[tail + i];
        s2 += v * w[2 * tail + i];
        s3 += v * w[3 * tail + i];
    }
    acc[0] = s0;
    acc[1] = s1;
    acc[2] = s2;
    acc[3] = s3;
}
