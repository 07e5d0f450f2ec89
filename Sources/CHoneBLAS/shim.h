// CBLAS and the OpenBLAS extensions (thread control, build configuration).
// Debian's libopenblas-dev installs cblas.h under the OpenBLAS include directory
// that `pkg-config openblas` names.
#include <cblas.h>
