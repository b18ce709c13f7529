/* sums[k] = the ordered dot product of x with w + k * stride, for k = 0..3: four
   independent sums, each in index order, sharing every load of x. */
static void dot4_f32_ordered(const float *x, const float *w, int32_t stride, int32_t n, float *sums)
{
    const float *w0 = w;
    const float *w1 = w + stride;
    const float *w2 = w + 2 * stride;
    const float *w3 = w + 3 * stride;
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    int32_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const float v = x[i];
        const float u = x[i + 1];
        s0 = s0 + v * w0[i];
        s1 = s1 + v * w1[i];
        s2 = s2 + v * w2[i];
        s3 = s3 + v * w3[i];
        s0 = s0 + u * w0[i + 1];
        s1 = s1 + u * w1[i + 1];
        s2 = s2 + u * w2[i + 1];
        s3 = s3 + u * w3[i + 1];
    }
    if (i < n) {
        const float v = x[i];
        s0 = s0 + v * w0[i];
        s1 = s1 + v * w1[i];
        s2 = s2 + v * w2[i];
        s3 = s3 + v * w3[i];
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}
