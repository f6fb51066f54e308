// The SQLite engine's source events (schema version 3).
#include <algorithm>
#include <cstdint>

#include "store/sqlite/sql.h"
#include "store/sqlite/sqlite_backend.h"

namespace modelwatch::store::sqlite {

Status SqliteBackend::WriteSourceEventsLocked(WriteBatch& batch) {
  Status st;
  for (const SourceEvent& e : batch.source_events) {
    sqlite3_stmt* ins = writer_.Prepare(kInsertSourceEvent, &st);
    if (ins == nullptr) {
      return st;
    }
    BindText(ins, 1, e.source);
    BindText(ins, 2, e.kind);
    sqlite3_bind_int64(ins, 3, ToUnixMillis(e.at));
    BindText(ins, 4, e.subject);
    BindText(ins, 5, e.title);
    BindText(ins, 6, e.severity);
    BindText(ins, 7, e.from);
    BindText(ins, 8, e.to);
    BindText(ins, 9, e.link);
    BindText(ins, 10, e.message);
    if (st = writer_.Step(ins, "insert source event"); !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Result<std::vector<SourceEvent>> SqliteBackend::SourceEvents(int64_t since_ms, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(kSelectSourceEvents, &st);
  if (s == nullptr) {
    return st;
  }
  sqlite3_bind_int64(s, 1, since_ms);
  sqlite3_bind_int64(s, 2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
  std::vector<SourceEvent> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    SourceEvent e;
    e.id = sqlite3_column_int64(s, 0);
    e.source = std::string(ColumnText(s, 1));
    e.kind = std::string(ColumnText(s, 2));
    e.at = FromUnixMillis(sqlite3_column_int64(s, 3));
    e.subject = std::string(ColumnText(s, 4));
    e.title = std::string(ColumnText(s, 5));
    e.severity = std::string(ColumnText(s, 6));
    e.from = std::string(ColumnText(s, 7));
    e.to = std::string(ColumnText(s, 8));
    e.link = std::string(ColumnText(s, 9));
    e.message = std::string(ColumnText(s, 10));
    out.push_back(std::move(e));
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE) {
    return reader_.Error(rc, "read source events");
  }
  return out;
}

}  // namespace modelwatch::store::sqlite
