// SQLite's C API (Debian: libsqlite3-dev), for HoneOps' embedded registry and tracking
// store. Only HoneOps imports this module, with `internal import`.
#include <sqlite3.h>
