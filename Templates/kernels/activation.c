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
