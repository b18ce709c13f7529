/* Debian's libtcc-dev: a static libtcc.a and this header. */
#include <libtcc.h>
