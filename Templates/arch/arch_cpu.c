/* arch cpu: portable C99 primitives. */

/* Sum of a[i] * b[i] over n int8 pairs, in int32. */
static int32_t arch_dot_s8(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t acc0 = 0;
    int32_t acc1 = 0;
    int32_t i = 0;
    for (; i + 2 <= n; i += 2) {
        acc0 += (int32_t)a[i] * b[i];
        acc1 += (int32_t)a[i + 1] * b[i + 1];
    }
    if (i < n) {
        acc0 += (int32_t)a[i] * b[i];
    }
    return acc0 + acc1;
}
