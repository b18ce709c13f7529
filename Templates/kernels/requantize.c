/* int32 accumulator -> int8 output: (float)acc * scale, the activation, then
   * inv_out_scale + out_zp, saturated. */
static int8_t requantize(int32_t acc, float scale, int act, float inv_out_scale, float out_zp)
{
    return sat8(activate((float)acc * scale, act) * inv_out_scale + out_zp);
}
