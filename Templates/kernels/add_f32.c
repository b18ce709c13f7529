/* ADD, fp32. */
static void add_f32(int32_t count, const float *a, const float *b, float *out)
{
    for (int32_t i = 0; i < count; i++) {
        out[i] = a[i] + b[i];
    }
}
