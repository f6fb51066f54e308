#pragma once

// Converting results and times to and from SQLite rows.

#include <optional>

#include <sqlite3.h>

#include "core/check_result.h"

namespace modelwatch::store::sqlite {

void BindOptionalTime(sqlite3_stmt* s, int i, const std::optional<WallTime>& t);
std::optional<WallTime> ColumnOptionalTime(sqlite3_stmt* s, int i);

// Binds `r` to kInsertResult's parameters.
void BindResult(sqlite3_stmt* s, int64_t monitor_id, const CheckResult& r);

// Reads the columns of MW_RESULT_COLUMNS (sql.h) starting at column 0.
CheckResult ColumnResult(sqlite3_stmt* s);

// Resets a statement when a scan ends early or fails.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() { sqlite3_reset(stmt); }
};

}  // namespace modelwatch::store::sqlite
