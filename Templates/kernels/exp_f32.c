/* e^d as the reference computes it: the C library's double exp, rounded to float. */
static inline float exp_f32(float d)
{
    return (float)exp((double)d);
}
