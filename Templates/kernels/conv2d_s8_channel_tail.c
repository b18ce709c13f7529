/* CONV2D, int8: a layer of this model has output channels beyond its last block of four, which
   conv2d_s8 then takes one at a time. Models without one leave this out, and that loop with it. */
#define CONV2D_S8_CHANNEL_TAIL 1
