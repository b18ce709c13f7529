/* The taps of a kernel row that fall inside the input: kx in [*lo, *hi). */
static void window_columns(int32_t ix0, int32_t k_w, int32_t dil_w, int32_t in_w, int32_t *lo, int32_t *hi)
{
    int32_t first = 0;
    int32_t last = k_w;
    while (first < k_w && ix0 + first * dil_w < 0) {
        first++;
    }
    while (last > first && ix0 + (last - 1) * dil_w >= in_w) {
        last--;
    }
    *lo = first;
    *hi = last;
}
