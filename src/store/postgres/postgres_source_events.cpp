// The PostgreSQL engine's source events (schema version 3).
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "store/postgres/postgres_backend.h"

namespace modelwatch::store::postgres {

Status PostgresBackend::WriteSourceEventsLocked(WriteBatch& batch) {
  for (const SourceEvent& e : batch.source_events) {
    std::string at = std::to_string(ToUnixMillis(e.at));
    auto ins = writer_.Query(
        "INSERT INTO source_events (source, kind, at_ms, subject, title, severity, from_status, "
        "to_status, link, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {e.source.c_str(), e.kind.c_str(), at.c_str(), e.subject.c_str(), e.title.c_str(),
         e.severity.c_str(), e.from.c_str(), e.to.c_str(), e.link.c_str(), e.message.c_str()});
    if (!ins) {
      return ins.error();
    }
  }
  return Status::Ok();
}

Result<std::vector<SourceEvent>> PostgresBackend::SourceEvents(int64_t since_ms, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string since = std::to_string(since_ms);
  std::string lim = std::to_string(std::min<size_t>(limit, INT64_MAX));
  auto r = reader_.Query(
      "SELECT id, source, kind, at_ms, subject, title, severity, from_status, to_status, link, "
      "message FROM source_events WHERE at_ms >= $1 ORDER BY at_ms DESC, id DESC LIMIT $2",
      {since.c_str(), lim.c_str()});
  if (!r) {
    return r.error();
  }
  PGresult* p = r->get();
  std::vector<SourceEvent> out;
  for (int row = 0; row < PQntuples(p); ++row) {
    SourceEvent e;
    e.id = std::strtoll(PQgetvalue(p, row, 0), nullptr, 10);
    e.source = PQgetvalue(p, row, 1);
    e.kind = PQgetvalue(p, row, 2);
    e.at = FromUnixMillis(std::strtoll(PQgetvalue(p, row, 3), nullptr, 10));
    e.subject = PQgetvalue(p, row, 4);
    e.title = PQgetvalue(p, row, 5);
    e.severity = PQgetvalue(p, row, 6);
    e.from = PQgetvalue(p, row, 7);
    e.to = PQgetvalue(p, row, 8);
    e.link = PQgetvalue(p, row, 9);
    e.message = PQgetvalue(p, row, 10);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace modelwatch::store::postgres
