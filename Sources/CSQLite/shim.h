// The system SQLite (libsqlite3-dev), for gold answers computed over in-memory databases.
#include <sqlite3.h>
