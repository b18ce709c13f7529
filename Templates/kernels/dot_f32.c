/* Sum of a[i] * b[i] from 0, strictly in index order (the reference's order, so no
   reassociation), unrolled by four. */
static float dot_f32_ordered(const float *a, const float *b, int32_t n)
{
    float sum = 0.0f;
    int32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        sum = sum + a[i] * b[i];
        sum = sum + a[i + 1] * b[i + 1];
        sum = sum + a[i + 2] * b[i + 2];
        sum = sum + a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) {
        sum = sum + a[i] * b[i];
    }
    return sum;
}
