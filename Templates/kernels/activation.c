/* Fused activations: relu keeps v > 0; relu6 then caps at 6. */
enum { ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 3 };

static float activate(float v, int act)
{
    if (act == ACT_NONE) {
        return v;
    }
    v = v > 0.0f ? v : 0.0f;
    if (act == ACT_RELU6) {
        v = v < 6.0f ? v : 6.0f;
    }
    return v;
}

/* activate on v[0..n), a step at a time over all of them: the same rule, in a shape compilers turn
   into SIMD code where n is a constant (one lane at a time, each a branch on act, they do not). */
static inline TMDL_MAYBE_UNUSED void activate_block(float *v, int32_t n, int act)
{
    if (act == ACT_NONE) {
        return;
    }
    for (int32_t l = 0; l < n; l++) {
        v[l] = v[l] > 0.0f ? v[l] : 0.0f;
    }
    if (act == ACT_RELU6) {
        for (int32_t l = 0; l < n; l++) {
            v[l] = v[l] < 6.0f ? v[l] : 6.0f;
        }
    }
}
