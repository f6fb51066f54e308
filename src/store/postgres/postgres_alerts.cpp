// The PostgreSQL engine's outbox, alert history and silences.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "store/postgres/postgres_backend.h"

namespace modelwatch::store::postgres {
namespace {

#define MW_OUTBOX_COLUMNS                                                                        \
  "id, key, channel, payload, created_ms, attempts, next_attempt_ms, last_error, delivered_ms, " \
  "claimed_by, claim_until_ms"
const std::string kSelectClaimable =
    "SELECT " MW_OUTBOX_COLUMNS
    " FROM outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= $1"
    " AND (claim_until_ms IS NULL OR claim_until_ms <= $1) ORDER BY created_ms, id LIMIT $2"
    " FOR UPDATE SKIP LOCKED";
const std::string kSelectOutbox = "SELECT " MW_OUTBOX_COLUMNS " FROM outbox";
#undef MW_OUTBOX_COLUMNS

int64_t Int(PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}
bool IsNull(PGresult* r, int row, int col) { return PQgetisnull(r, row, col) != 0; }
std::optional<WallTime> OptTime(PGresult* r, int row, int col) {
  if (IsNull(r, row, col)) {
    return std::nullopt;
  }
  return FromUnixMillis(Int(r, row, col));
}
std::string Ms(WallTime t) { return std::to_string(ToUnixMillis(t)); }
std::string Limit(size_t n) { return std::to_string(std::min<size_t>(n, INT64_MAX)); }

std::vector<OutboxMessage> RowsToMessages(PGresult* r) {
  std::vector<OutboxMessage> out;
  for (int row = 0; row < PQntuples(r); ++row) {
    OutboxMessage m;
    m.id = Int(r, row, 0);
    m.key = PQgetvalue(r, row, 1);
    m.channel = PQgetvalue(r, row, 2);
    m.payload = PQgetvalue(r, row, 3);
    m.created = FromUnixMillis(Int(r, row, 4));
    m.attempts = static_cast<int>(Int(r, row, 5));
    m.next_attempt = FromUnixMillis(Int(r, row, 6));
    m.last_error = PQgetvalue(r, row, 7);
    m.delivered = OptTime(r, row, 8);
    m.claimed_by = PQgetvalue(r, row, 9);
    m.claim_until = OptTime(r, row, 10);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

Status PostgresBackend::WriteAlertsLocked(WriteBatch& batch) {
  if (Status st = WriteSourceEventsLocked(batch); !st.ok()) {
    return st;
  }
  for (const AlertEvent& e : batch.events) {
    std::string at = Ms(e.at);
    auto ins = writer_.Query(
        "INSERT INTO alert_events (monitor, rule, level, kind, at_ms, message, silenced) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {e.monitor.c_str(), e.rule.c_str(), e.level.c_str(), e.kind.c_str(), at.c_str(),
         e.message.c_str(), e.silenced ? "true" : "false"});
    if (!ins) {
      return ins.error();
    }
  }
  for (OutboxMessage& m : batch.messages) {
    std::string created = Ms(m.created);
    std::string attempts = std::to_string(m.attempts);
    std::string next = Ms(m.next_attempt);
    std::string delivered = m.delivered ? Ms(*m.delivered) : "";
    std::string until = m.claim_until ? Ms(*m.claim_until) : "";
    auto ins = writer_.Query(
        "INSERT INTO outbox (key, channel, payload, created_ms, attempts, next_attempt_ms, "
        "last_error, delivered_ms, claimed_by, claim_until_ms) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING "
        "RETURNING id",
        {m.key.c_str(), m.channel.c_str(), m.payload.c_str(), created.c_str(), attempts.c_str(),
         next.c_str(), m.last_error.c_str(), m.delivered ? delivered.c_str() : nullptr,
         m.claimed_by.c_str(), m.claim_until ? until.c_str() : nullptr});
    if (!ins) {
      return ins.error();
    }
    m.id = PQntuples(ins->get()) == 1 ? Int(ins->get(), 0, 0) : 0;
  }
  for (const OutboxUpdate& u : batch.updates) {
    std::string id = std::to_string(u.id);
    Result<PgResult> up = Status::Ok();
    if (u.renew_until) {
      std::string until = Ms(*u.renew_until);
      std::string now = Ms(u.renew_now);
      up = writer_.Query(
          "UPDATE outbox SET claimed_by = $2, claim_until_ms = $3 WHERE id = $1 AND delivered_ms "
          "IS NULL AND (claimed_by = $2 OR claim_until_ms IS NULL OR claim_until_ms <= $4)",
          {id.c_str(), u.renew_owner.c_str(), until.c_str(), now.c_str()});
    } else if (u.delivered) {
      std::string when = Ms(*u.delivered);
      up = writer_.Query(
          "UPDATE outbox SET delivered_ms = $2 WHERE id = $1 AND delivered_ms IS NULL",
          {id.c_str(), when.c_str()});
    } else {
      std::string attempts = std::to_string(u.attempts);
      std::string next = Ms(u.next_attempt);
      up = writer_.Query(
          "UPDATE outbox SET attempts = $2, next_attempt_ms = $3, last_error = $4 "
          "WHERE id = $1 AND delivered_ms IS NULL",
          {id.c_str(), attempts.c_str(), next.c_str(), u.error.c_str()});
    }
    if (!up) {
      return up.error();
    }
  }
  return Status::Ok();
}

Result<int64_t> PostgresBackend::PruneAlertsLocked(int64_t cutoff_ms, int limit) {
  constexpr const char* kPrune[] = {
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE delivered_ms < $1 LIMIT $2)",
      "DELETE FROM alert_events WHERE id IN "
      "(SELECT id FROM alert_events WHERE at_ms < $1 LIMIT $2)",
      "DELETE FROM silences WHERE id IN (SELECT id FROM silences WHERE ends_ms < $1 LIMIT $2)",
      "DELETE FROM source_events WHERE id IN "
      "(SELECT id FROM source_events WHERE at_ms < $1 LIMIT $2)",
  };
  int64_t deleted = 0;
  std::string cut = std::to_string(cutoff_ms);
  for (const char* sql : kPrune) {
    if (deleted >= limit) {
      break;
    }
    std::string lim = std::to_string(limit - deleted);
    auto del = writer_.Query(sql, {cut.c_str(), lim.c_str()});
    if (!del) {
      return del.error();
    }
    deleted += std::strtoll(PQcmdTuples(del->get()), nullptr, 10);
  }
  return deleted;
}

Status PostgresBackend::OpenSide() {
  // The writer connection migrates the schema first.
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  return side_.Open();
}

Result<std::vector<OutboxMessage>> PostgresBackend::ClaimOutbox(const std::string& owner,
                                                                int64_t now_ms, int64_t until_ms,
                                                                size_t limit) {
  std::lock_guard lock(side_mu_);
  if (Status st = OpenSide(); !st.ok()) {
    return st;
  }
  if (Status st = side_.Exec("BEGIN"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<std::vector<OutboxMessage>> {
    if (side_.is_open()) {
      (void)side_.Exec("ROLLBACK");
    }
    return s;
  };
  std::string now = std::to_string(now_ms);
  std::string lim = Limit(limit);
  auto sel = side_.Query(kSelectClaimable, {now.c_str(), lim.c_str()});
  if (!sel) {
    return fail(sel.error());
  }
  std::vector<OutboxMessage> claimed = RowsToMessages(sel->get());
  if (!claimed.empty()) {
    std::string ids = "{";
    for (size_t i = 0; i < claimed.size(); ++i) {
      ids += (i > 0 ? "," : "") + std::to_string(claimed[i].id);
    }
    ids += "}";
    std::string until = std::to_string(until_ms);
    auto up = side_.Query(
        "UPDATE outbox SET claimed_by = $2, claim_until_ms = $3 WHERE id = ANY($1::bigint[])",
        {ids.c_str(), owner.c_str(), until.c_str()});
    if (!up) {
      return fail(up.error());
    }
  }
  if (Status st = side_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  for (OutboxMessage& m : claimed) {
    m.claimed_by = owner;
    m.claim_until = FromUnixMillis(until_ms);
  }
  return claimed;
}

Result<int64_t> PostgresBackend::AddSilence(const Silence& silence) {
  std::lock_guard lock(side_mu_);
  if (Status st = OpenSide(); !st.ok()) {
    return st;
  }
  std::string starts = Ms(silence.starts);
  std::string ends = Ms(silence.ends);
  std::string created = Ms(silence.created);
  auto ins = side_.Query(
      "INSERT INTO silences (monitor, rule, starts_ms, ends_ms, reason, created_by, created_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
      {silence.monitor.c_str(), silence.rule.c_str(), starts.c_str(), ends.c_str(),
       silence.reason.c_str(), silence.created_by.c_str(), created.c_str()});
  if (!ins) {
    return ins.error();
  }
  return Int(ins->get(), 0, 0);
}

Status PostgresBackend::RemoveSilence(int64_t id) {
  std::lock_guard lock(side_mu_);
  if (Status st = OpenSide(); !st.ok()) {
    return st;
  }
  std::string sid = std::to_string(id);
  auto del = side_.Query("DELETE FROM silences WHERE id = $1", {sid.c_str()});
  if (!del) {
    return del.error();
  }
  if (std::strtoll(PQcmdTuples(del->get()), nullptr, 10) == 0) {
    return Status::NotFound(fmt::format("no silence with id {}", id));
  }
  return Status::Ok();
}

Result<std::vector<OutboxMessage>> PostgresBackend::Outbox(bool undelivered_only, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string lim = Limit(limit);
  auto r = reader_.Query(kSelectOutbox + (undelivered_only ? " WHERE delivered_ms IS NULL" : "") +
                             " ORDER BY id DESC LIMIT $1",
                         {lim.c_str()});
  if (!r) {
    return r.error();
  }
  return RowsToMessages(r->get());
}

Result<std::vector<AlertEvent>> PostgresBackend::AlertEvents(const std::string& monitor,
                                                             int64_t since_ms, size_t limit) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string since = std::to_string(since_ms);
  std::string lim = Limit(limit);
  std::vector<const char*> params = {since.c_str(), lim.c_str()};
  if (!monitor.empty()) {
    params.push_back(monitor.c_str());
  }
  auto r = reader_.Query(
      fmt::format("SELECT id, monitor, rule, level, kind, at_ms, message, silenced "
                  "FROM alert_events WHERE at_ms >= $1 {} ORDER BY at_ms DESC, id DESC LIMIT $2",
                  monitor.empty() ? "" : "AND monitor = $3"),
      params);
  if (!r) {
    return r.error();
  }
  PGresult* p = r->get();
  std::vector<AlertEvent> out;
  for (int row = 0; row < PQntuples(p); ++row) {
    AlertEvent e;
    e.id = Int(p, row, 0);
    e.monitor = PQgetvalue(p, row, 1);
    e.rule = PQgetvalue(p, row, 2);
    e.level = PQgetvalue(p, row, 3);
    e.kind = PQgetvalue(p, row, 4);
    e.at = FromUnixMillis(Int(p, row, 5));
    e.message = PQgetvalue(p, row, 6);
    e.silenced = PQgetvalue(p, row, 7)[0] == 't';
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<Silence>> PostgresBackend::Silences(int64_t now_ms) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string now = std::to_string(now_ms);
  auto r = reader_.Query(
      "SELECT id, monitor, rule, starts_ms, ends_ms, reason, created_by, created_ms "
      "FROM silences WHERE ends_ms > $1 ORDER BY starts_ms, id",
      {now.c_str()});
  if (!r) {
    return r.error();
  }
  PGresult* p = r->get();
  std::vector<Silence> out;
  for (int row = 0; row < PQntuples(p); ++row) {
    Silence x;
    x.id = Int(p, row, 0);
    x.monitor = PQgetvalue(p, row, 1);
    x.rule = PQgetvalue(p, row, 2);
    x.starts = FromUnixMillis(Int(p, row, 3));
    x.ends = FromUnixMillis(Int(p, row, 4));
    x.reason = PQgetvalue(p, row, 5);
    x.created_by = PQgetvalue(p, row, 6);
    x.created = FromUnixMillis(Int(p, row, 7));
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace modelwatch::store::postgres
