/* int32 -> int8, clamped to [-128, 127]: the arch's ARCH_SAT8 where it has one (one SSAT on
   armdsp, where gcc keeps compares and branches for the C form). */
static inline int8_t sat8_s32(int32_t v)
{
#if defined(ARCH_SAT8)
    return (int8_t)arch_sat8(v);
#else
    return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
#endif
}
