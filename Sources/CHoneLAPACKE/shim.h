// LAPACKE (the C interface to LAPACK). Debian ships it as liblapacke over the LAPACK
// that OpenBLAS provides. `lapack_int` is a macro Swift cannot see, so the shim gives it
// a typedef of its own that the Swift side can name.
#include <lapacke.h>

typedef lapack_int hone_lapack_int;
