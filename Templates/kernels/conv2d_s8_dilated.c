/* CONV2D, int8: a layer of this model dilates its kernel columns, so conv2d_s8 runs such a
   window as one dot product per kernel column. Models without one leave this out, and the
   compiler drops that loop. */
#define CONV2D_S8_DILATED 1
