/* DWCONV2D, int8, depth multiplier 1: a layer of this model needs the tap list (a window other
   than 3x3 without dilation, or channels past whole blocks of 8), so dwconv2d_hwc_s8 compiles
   it in. Models without such a layer leave it out: less flash. */
#define DWCONV2D_HWC_S8_TAP_LIST 1
