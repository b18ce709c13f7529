/* CONV2D, int8: a layer of this model does not take the arch's two-pixel dot, so conv2d_s8
   compiles in its loop over one pixel at a time. Models whose layers all take the dot (or the
   one-channel path) leave this out, and that loop with it. */
#define CONV2D_S8_ONE_PIXEL 1
