#ifndef SAFESHIFT_CSQLITE3_SHIM_H
#define SAFESHIFT_CSQLITE3_SHIM_H
#include <sqlite3.h>
#endif
