#include "store/postgres/postgres_backend.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "store/codes.h"

namespace modelwatch::store::postgres {
namespace {

// Migration i (0-based) takes the schema from version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE monitors (id SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE results (
  id BIGSERIAL PRIMARY KEY,
  monitor_id INT NOT NULL,
  ts_ms BIGINT NOT NULL,
  status SMALLINT NOT NULL,
  latency_ms BIGINT NOT NULL,
  http_status INT NOT NULL,
  error TEXT,
  retry_after_s BIGINT,
  dns_us BIGINT NOT NULL,
  connect_us BIGINT NOT NULL,
  tls_us BIGINT NOT NULL,
  first_byte_us BIGINT NOT NULL,
  total_us BIGINT NOT NULL,
  image_format SMALLINT,
  image_width INT,
  image_height INT,
  image_bytes BIGINT
);
CREATE INDEX results_by_monitor ON results (monitor_id, ts_ms);
CREATE TABLE rollup_minute (monitor_id INT NOT NULL, start_ms BIGINT NOT NULL,
  data BYTEA NOT NULL, PRIMARY KEY (monitor_id, start_ms));
CREATE TABLE rollup_hour (monitor_id INT NOT NULL, start_ms BIGINT NOT NULL,
  data BYTEA NOT NULL, PRIMARY KEY (monitor_id, start_ms));
CREATE TABLE rollup_day (monitor_id INT NOT NULL, start_ms BIGINT NOT NULL,
  data BYTEA NOT NULL, PRIMARY KEY (monitor_id, start_ms));
CREATE TABLE monitor_state (
  monitor_id INT PRIMARY KEY,
  consecutive_failures INT NOT NULL,
  consecutive_successes INT NOT NULL,
  last_status SMALLINT,
  last_check_ms BIGINT,
  last_alert_ms BIGINT,
  last_resolved_ms BIGINT,
  extra TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  attempts INT NOT NULL,
  next_attempt_ms BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  delivered_ms BIGINT,
  claimed_by TEXT NOT NULL,
  claim_until_ms BIGINT
);
CREATE INDEX outbox_pending ON outbox (created_ms, id) WHERE delivered_ms IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_ms) WHERE delivered_ms IS NOT NULL;
CREATE TABLE alert_events (
  id BIGSERIAL PRIMARY KEY,
  monitor TEXT NOT NULL,
  rule TEXT NOT NULL,
  level TEXT NOT NULL,
  kind TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  message TEXT NOT NULL,
  silenced BOOLEAN NOT NULL
);
CREATE INDEX alert_events_by_monitor ON alert_events (monitor, at_ms);
CREATE INDEX alert_events_by_time ON alert_events (at_ms);
CREATE TABLE silences (
  id BIGSERIAL PRIMARY KEY,
  monitor TEXT NOT NULL,
  rule TEXT NOT NULL,
  starts_ms BIGINT NOT NULL,
  ends_ms BIGINT NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX silences_by_end ON silences (ends_ms);
)sql",
    R"sql(
CREATE TABLE source_events (
  id BIGSERIAL PRIMARY KEY,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  subject TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  link TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX source_events_by_time ON source_events (at_ms);
)sql",
    // 4: who runs on this database (one `run` per database; a row per named
    // lock, so a later multi-instance mode can hold one per shard).
    R"sql(
CREATE TABLE IF NOT EXISTS instance_lock (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  since_ms BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL,
  lease_until_ms BIGINT NOT NULL
);
)sql",
    // 5: what each check cost (USD; NULL: not billed or no price). Rollups
    // carry cost in their BLOB (encoding version 2), which needs no schema change.
    R"sql(
ALTER TABLE results ADD COLUMN cost_usd DOUBLE PRECISION;
)sql",
    // 6: whether a check was a full generation (0) or a free light check (1,
    // full_every), and an asynchronous check's phases (NULL: not a job).
    R"sql(
ALTER TABLE results ADD COLUMN light SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN async_accept_ms INTEGER;
ALTER TABLE results ADD COLUMN async_queue_ms INTEGER;
ALTER TABLE results ADD COLUMN async_fetch_ms INTEGER;
ALTER TABLE results ADD COLUMN async_polls INTEGER;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

// Advisory lock keys (first half): migrations, and rollups of one monitor.
constexpr int kLockMigrate = 0x6d77;  // "mw"
constexpr int kLockRollup = 0x6d78;

constexpr const char* kRollupTables[kResolutionCount] = {"rollup_minute", "rollup_hour",
                                                         "rollup_day"};

#define MW_RESULT_COLUMNS                                                                     \
  "r.ts_ms, r.status, r.latency_ms, r.http_status, r.error, r.retry_after_s, r.dns_us, "      \
  "r.connect_us, r.tls_us, r.first_byte_us, r.total_us, r.image_format, r.image_width, "      \
  "r.image_height, r.image_bytes, r.cost_usd, r.light, r.async_accept_ms, r.async_queue_ms, " \
  "r.async_fetch_ms, r.async_polls"
const std::string kScanResults = "SELECT " MW_RESULT_COLUMNS
                                 ", m.name FROM results r JOIN monitors m ON m.id = r.monitor_id "
                                 "WHERE r.ts_ms >= $1 AND r.ts_ms < $2";
#undef MW_RESULT_COLUMNS

int64_t Int(PGresult* r, int row, int col) {
  return std::strtoll(PQgetvalue(r, row, col), nullptr, 10);
}
bool IsNull(PGresult* r, int row, int col) { return PQgetisnull(r, row, col) != 0; }

CheckResult RowResult(PGresult* r, int row) {
  using std::chrono::microseconds;
  CheckResult c;
  c.timestamp = FromUnixMillis(Int(r, row, 0));
  c.status = StatusFromDb(Int(r, row, 1)).value_or(CheckStatus::kInvalidResponse);
  c.latency = std::chrono::milliseconds(Int(r, row, 2));
  c.http_status = static_cast<int>(Int(r, row, 3));
  c.error = PQgetvalue(r, row, 4);
  if (!IsNull(r, row, 5)) {
    c.retry_after = std::chrono::seconds(Int(r, row, 5));
  }
  c.phases.dns = microseconds(Int(r, row, 6));
  c.phases.connect = microseconds(Int(r, row, 7));
  c.phases.tls = microseconds(Int(r, row, 8));
  c.phases.first_byte = microseconds(Int(r, row, 9));
  c.phases.total = microseconds(Int(r, row, 10));
  if (!IsNull(r, row, 11)) {
    ImageInfo info;
    info.format = ImageFormatFromDb(Int(r, row, 11)).value_or(ImageFormat::kPng);
    info.width = static_cast<int>(Int(r, row, 12));
    info.height = static_cast<int>(Int(r, row, 13));
    info.bytes = static_cast<size_t>(Int(r, row, 14));
    c.image = info;
  }
  if (!IsNull(r, row, 15)) {
    c.cost = std::strtod(PQgetvalue(r, row, 15), nullptr);
  }
  c.mode = Int(r, row, 16) == 1 ? CheckMode::kLight : CheckMode::kFull;
  if (!IsNull(r, row, 17)) {
    AsyncPhases a;
    a.accept = std::chrono::milliseconds(Int(r, row, 17));
    a.queue = std::chrono::milliseconds(Int(r, row, 18));
    a.fetch = std::chrono::milliseconds(Int(r, row, 19));
    a.polls = static_cast<int>(Int(r, row, 20));
    c.async = a;
  }
  c.monitor = PQgetvalue(r, row, 21);
  return c;
}

// COPY text format: backslash escapes for the characters it treats specially.
void AppendCopyText(std::string* out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        *out += c;
    }
  }
}

// An array literal of integers: {1,2,3}.
template <typename T>
std::string IntArray(const std::vector<T>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += std::to_string(v[i]);
  }
  return out + "}";
}

// An array literal of SQL text values, each quoted.
std::string TextArray(const std::vector<std::string>& v) {
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) {
      out += ',';
    }
    out += '"';
    for (char c : v[i]) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string OptTime(const std::optional<WallTime>& t) {
  return t ? std::to_string(ToUnixMillis(*t)) : std::string();
}

}  // namespace

PostgresBackend::PostgresBackend(std::string url, std::string schema)
    : writer_(url, schema), reader_(url, schema), side_(url, schema) {}

std::string PostgresBackend::Describe() const { return "postgres " + writer_.redacted_url(); }

Status PostgresBackend::Connect() {
  std::lock_guard lock(write_mu_);
  return ConnectLocked();
}

Status PostgresBackend::ConnectLocked() {
  if (writer_.is_open()) {
    return Status::Ok();
  }
  if (Status st = writer_.Open(); !st.ok()) {
    return st;
  }
  writer_ids_.clear();
  if (Status st = Migrate(); !st.ok()) {
    writer_.Close();
    return st;
  }
  return Status::Ok();
}

Status PostgresBackend::Migrate() {
  // Instances starting together migrate one at a time.
  if (Status st = writer_.Exec(fmt::format("SELECT pg_advisory_lock({}, 0)", kLockMigrate));
      !st.ok()) {
    return st;
  }
  auto unlock = [&](Status s) {
    if (writer_.is_open()) {
      (void)writer_.Exec(fmt::format("SELECT pg_advisory_unlock({}, 0)", kLockMigrate));
    }
    return s;
  };
  Status st = writer_.Exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL);"
      "INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version)");
  if (!st.ok()) {
    return unlock(st);
  }
  auto v = writer_.Query("SELECT max(version) FROM schema_version", {});
  if (!v) {
    return unlock(v.error());
  }
  int64_t version = Int(v->get(), 0, 0);
  if (version > kSchemaVersion) {
    return unlock(Status::InvalidArgument(fmt::format(
        "postgres {}: the database has schema version {}, newer than this modelwatch knows "
        "({}): run a newer modelwatch, or point storage.postgres at another database",
        writer_.redacted_url(), version, kSchemaVersion)));
  }
  for (int64_t i = version; i < kSchemaVersion; ++i) {
    std::string sql = fmt::format("BEGIN; {} UPDATE schema_version SET version = {}; COMMIT",
                                  kMigrations[i], i + 1);
    if (st = writer_.Exec(sql); !st.ok()) {
      if (writer_.is_open()) {
        (void)writer_.Exec("ROLLBACK");
      }
      return unlock(st.WithContext(fmt::format("migration to schema version {}", i + 1)));
    }
  }
  return unlock(Status::Ok());
}

Result<int64_t> PostgresBackend::MonitorId(const std::string& name) {
  auto it = writer_ids_.find(name);
  if (it != writer_ids_.end()) {
    return it->second;
  }
  auto res = writer_.Query(
      "WITH ins AS (INSERT INTO monitors (name) VALUES ($1) ON CONFLICT (name) DO NOTHING "
      "RETURNING id) SELECT id FROM ins UNION ALL SELECT id FROM monitors WHERE name = $1",
      {name.c_str()});
  if (!res) {
    return res.error();
  }
  if (PQntuples(res->get()) < 1) {
    return Status::Internal("postgres: monitor id not found after insert");
  }
  int64_t id = Int(res->get(), 0, 0);
  writer_ids_.emplace(name, id);
  return id;
}

Status PostgresBackend::Write(WriteBatch& batch) {
  std::lock_guard lock(write_mu_);
  if (Status st = ConnectLocked(); !st.ok()) {
    return st;
  }
  if (Status st = writer_.Exec("BEGIN"); !st.ok()) {
    return st;
  }
  Status st = WriteLocked(batch.results, batch.states);
  if (st.ok()) {
    st = WriteAlertsLocked(batch);
  }
  if (st.ok()) {
    st = writer_.Exec("COMMIT");
  }
  if (!st.ok()) {
    if (writer_.is_open()) {
      (void)writer_.Exec("ROLLBACK");
    }
    writer_ids_.clear();
  }
  return st;
}

Status PostgresBackend::WriteLocked(std::span<const CheckResult> results,
                                    std::span<const MonitorState> states) {
  // Interning first: the ids of monitors new in this batch.
  for (const CheckResult& r : results) {
    if (auto id = MonitorId(r.monitor); !id) {
      return id.error();
    }
  }
  if (!results.empty()) {
    std::string data;
    data.reserve(results.size() * 64);
    for (const CheckResult& r : results) {
      fmt::format_to(std::back_inserter(data), "{}\t{}\t{}\t{}\t{}\t", writer_ids_[r.monitor],
                     ToUnixMillis(r.timestamp), StatusToDb(r.status), r.latency.count(),
                     r.http_status);
      if (r.error.empty()) {
        data += "\\N";
      } else {
        AppendCopyText(&data, r.error);
      }
      data += '\t';
      data += r.retry_after ? std::to_string(r.retry_after->count()) : "\\N";
      fmt::format_to(std::back_inserter(data), "\t{}\t{}\t{}\t{}\t{}\t", r.phases.dns.count(),
                     r.phases.connect.count(), r.phases.tls.count(), r.phases.first_byte.count(),
                     r.phases.total.count());
      if (r.image) {
        fmt::format_to(std::back_inserter(data), "{}\t{}\t{}\t{}\t",
                       ImageFormatToDb(r.image->format), r.image->width, r.image->height,
                       r.image->bytes);
      } else {
        data += "\\N\t\\N\t\\N\t\\N\t";
      }
      // Shortest text that reads back as the same double.
      data += r.cost ? fmt::format("{}\t", *r.cost) : "\\N\t";
      data += r.mode == CheckMode::kLight ? "1\t" : "0\t";
      if (r.async) {
        fmt::format_to(std::back_inserter(data), "{}\t{}\t{}\t{}\n", r.async->accept.count(),
                       r.async->queue.count(), r.async->fetch.count(), r.async->polls);
      } else {
        data += "\\N\t\\N\t\\N\t\\N\n";
      }
    }
    Status st = writer_.Copy(
        "COPY results (monitor_id, ts_ms, status, latency_ms, http_status, error, "
        "retry_after_s, dns_us, connect_us, tls_us, first_byte_us, total_us, image_format, "
        "image_width, image_height, image_bytes, cost_usd, light, async_accept_ms, "
        "async_queue_ms, async_fetch_ms, async_polls) FROM STDIN",
        data);
    if (!st.ok()) {
      return st;
    }
  }

  auto deltas = AggregateRollups(results);
  if (!deltas.empty()) {
    std::vector<int64_t> ids;
    for (const auto& [key, delta] : deltas) {
      ids.push_back(writer_ids_[std::get<1>(key)]);
    }
    // Serializes rollup read-merge-write per monitor across instances; sorted
    // so two writers never wait on each other in opposite orders.
    std::string locked = IntArray(ids);
    auto lk = writer_.Query(fmt::format("SELECT count(pg_advisory_xact_lock({}, id)) FROM "
                                        "(SELECT DISTINCT unnest($1::int[]) AS id ORDER BY 1) s",
                                        kLockRollup),
                            {locked.c_str()});
    if (!lk) {
      return lk.error();
    }
  }
  for (int res = 0; res < kResolutionCount; ++res) {
    std::vector<int64_t> mids;
    std::vector<int64_t> starts;
    std::vector<const Rollup*> rollups;
    for (const auto& [key, delta] : deltas) {
      if (static_cast<int>(std::get<0>(key)) == res) {
        mids.push_back(writer_ids_[std::get<1>(key)]);
        starts.push_back(std::get<2>(key));
        rollups.push_back(&delta);
      }
    }
    if (mids.empty()) {
      continue;
    }
    std::string a_ids = IntArray(mids);
    std::string a_starts = IntArray(starts);
    auto existing =
        writer_.Query(fmt::format("SELECT t.monitor_id, t.start_ms, t.data FROM {} t JOIN "
                                  "unnest($1::int[], $2::bigint[]) AS k(m, s) "
                                  "ON t.monitor_id = k.m AND t.start_ms = k.s",
                                  kRollupTables[res]),
                      {a_ids.c_str(), a_starts.c_str()});
    if (!existing) {
      return existing.error();
    }
    std::map<std::pair<int64_t, int64_t>, Rollup> old;
    std::string blob;
    for (int row = 0; row < PQntuples(existing->get()); ++row) {
      Rollup r;
      if (!FromByteaText(PQgetvalue(existing->get(), row, 2), &blob) || !DecodeRollup(blob, &r)) {
        return Status::Internal(fmt::format("postgres {}: an unreadable row in {}",
                                            writer_.redacted_url(), kRollupTables[res]));
      }
      old.emplace(std::pair(Int(existing->get(), row, 0), Int(existing->get(), row, 1)), r);
    }
    std::vector<std::string> hex;
    hex.reserve(rollups.size());
    for (size_t i = 0; i < rollups.size(); ++i) {
      Rollup merged = *rollups[i];
      auto it = old.find(std::pair(mids[i], starts[i]));
      if (it != old.end()) {
        merged.Merge(it->second);
      }
      hex.push_back(ToHex(EncodeRollup(merged)));
    }
    std::string a_hex = TextArray(hex);
    auto up = writer_.Query(
        fmt::format("INSERT INTO {} (monitor_id, start_ms, data) "
                    "SELECT m, s, decode(h, 'hex') FROM unnest($1::int[], $2::bigint[], "
                    "$3::text[]) AS k(m, s, h) "
                    "ON CONFLICT (monitor_id, start_ms) DO UPDATE SET data = excluded.data",
                    kRollupTables[res]),
        {a_ids.c_str(), a_starts.c_str(), a_hex.c_str()});
    if (!up) {
      return up.error();
    }
  }

  for (const MonitorState& s : states) {
    auto id = MonitorId(s.monitor);
    if (!id) {
      return id.error();
    }
    std::string p[8] = {std::to_string(*id),
                        std::to_string(s.consecutive_failures),
                        std::to_string(s.consecutive_successes),
                        s.last_status ? std::to_string(StatusToDb(*s.last_status)) : "",
                        OptTime(s.last_check),
                        OptTime(s.last_alert),
                        OptTime(s.last_resolved),
                        s.extra};
    std::vector<const char*> params;
    for (int i = 0; i < 8; ++i) {
      params.push_back((i >= 3 && i <= 6 && p[i].empty()) ? nullptr : p[i].c_str());
    }
    auto up = writer_.Query(
        "INSERT INTO monitor_state (monitor_id, consecutive_failures, consecutive_successes, "
        "last_status, last_check_ms, last_alert_ms, last_resolved_ms, extra) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (monitor_id) DO UPDATE SET "
        "consecutive_failures = excluded.consecutive_failures, "
        "consecutive_successes = excluded.consecutive_successes, "
        "last_status = excluded.last_status, last_check_ms = excluded.last_check_ms, "
        "last_alert_ms = excluded.last_alert_ms, last_resolved_ms = excluded.last_resolved_ms, "
        "extra = excluded.extra",
        params);
    if (!up) {
      return up.error();
    }
  }
  return Status::Ok();
}

Result<int64_t> PostgresBackend::Prune(const PruneCutoffs& c, int limit) {
  std::lock_guard lock(write_mu_);
  if (Status st = ConnectLocked(); !st.ok()) {
    return st;
  }
  int64_t deleted = 0;
  std::string lim = std::to_string(limit);
  std::string raw_cut = std::to_string(c.raw_ms);
  // As in SQLite: a cursor walks the rows in id order, a bounded stretch
  // per step; a pass ends at the first stretch without old rows.
  std::string cursor = std::to_string(prune_cursor_);
  auto scan = writer_.Query(
      "SELECT max(id), count(*) FILTER (WHERE ts_ms < $3) FROM "
      "(SELECT id, ts_ms FROM results WHERE id >= $1 ORDER BY id LIMIT $2) s",
      {cursor.c_str(), lim.c_str(), raw_cut.c_str()});
  if (!scan) {
    return scan.error();
  }
  if (IsNull(scan->get(), 0, 0) || Int(scan->get(), 0, 1) == 0) {
    prune_cursor_ = 0;
  } else {
    std::string last = PQgetvalue(scan->get(), 0, 0);
    auto raw = writer_.Query("DELETE FROM results WHERE id >= $1 AND id <= $2 AND ts_ms < $3",
                             {cursor.c_str(), last.c_str(), raw_cut.c_str()});
    if (!raw) {
      return raw.error();
    }
    deleted += std::strtoll(PQcmdTuples(raw->get()), nullptr, 10);
    prune_cursor_ = std::strtoll(last.c_str(), nullptr, 10) + 1;
  }
  auto count = writer_.Query("SELECT count(*) FROM monitors", {});
  if (!count) {
    return count.error();
  }
  int64_t monitors = std::max<int64_t>(1, Int(count->get(), 0, 0));
  const int64_t cutoffs[kResolutionCount] = {c.minute_ms, c.rollup_ms, c.rollup_ms};
  for (int res = 0; res < kResolutionCount && deleted < limit; ++res) {
    // Each monitor's oldest rows, a bounded span of buckets each.
    int64_t buckets = std::max<int64_t>(1, (limit - deleted) / monitors);
    std::string span = std::to_string(buckets * Length(static_cast<Resolution>(res)).count());
    std::string cut = std::to_string(cutoffs[res]);
    auto del = writer_.Query(
        fmt::format("DELETE FROM {0} t USING (SELECT m.id, (SELECT min(start_ms) FROM {0} "
                    "WHERE monitor_id = m.id) AS lo FROM monitors m) b "
                    "WHERE t.monitor_id = b.id AND t.start_ms < LEAST($1::bigint, b.lo + $2)",
                    kRollupTables[res]),
        {cut.c_str(), span.c_str()});
    if (!del) {
      return del.error();
    }
    deleted += std::strtoll(PQcmdTuples(del->get()), nullptr, 10);
  }
  if (deleted < limit) {
    auto alerts = PruneAlertsLocked(c.raw_ms, limit - static_cast<int>(deleted));
    if (!alerts) {
      return alerts.error();
    }
    deleted += *alerts;
  }
  return deleted;
}

Status PostgresBackend::ScanResults(const ResultQuery& q, const ResultVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string since = std::to_string(ToUnixMillis(q.since));
  std::string until =
      std::to_string(q.until == WallTime::max() ? INT64_MAX : ToUnixMillis(q.until));
  auto each = [&](PGresult* row) { return fn(RowResult(row, 0)); };
  if (q.monitors.empty()) {
    return reader_.Stream(kScanResults + " ORDER BY r.id", {since.c_str(), until.c_str()}, each);
  }
  bool more = true;
  for (const std::string& name : q.monitors) {
    if (!more) {
      break;
    }
    Status st = reader_.Stream(kScanResults + " AND m.name = $3 ORDER BY r.ts_ms, r.id",
                               {since.c_str(), until.c_str(), name.c_str()},
                               [&](PGresult* row) { return more = fn(RowResult(row, 0)); });
    if (!st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Result<std::vector<ResultCount>> PostgresBackend::CountResults(const std::string& monitor,
                                                               CheckMode mode,
                                                               const std::vector<int64_t>& since_ms,
                                                               int64_t until_ms) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::vector<std::string> texts = {
      monitor, mode == CheckMode::kLight ? "1" : "0",
      std::to_string(*std::min_element(since_ms.begin(), since_ms.end())),
      std::to_string(until_ms)};
  for (int64_t ms : since_ms) {
    texts.push_back(std::to_string(ms));
  }
  std::vector<const char*> params;
  for (const std::string& t : texts) {
    params.push_back(t.c_str());
  }
  auto r = reader_.Query(CountResultsSql(since_ms.size(), '$'), params);
  if (!r) {
    return r.error();
  }
  PGresult* res = r->get();
  if (PQntuples(res) != 1 || PQnfields(res) != static_cast<int>(2 * since_ms.size())) {
    return Status::Internal(
        fmt::format("postgres {}: counting results answered {} rows of {} columns",
                    reader_.redacted_url(), PQntuples(res), PQnfields(res)));
  }
  std::vector<ResultCount> out(since_ms.size());
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].checks = static_cast<uint64_t>(Int(res, 0, static_cast<int>(2 * i)));
    out[i].not_failed = static_cast<uint64_t>(Int(res, 0, static_cast<int>(2 * i + 1)));
  }
  return out;
}

Status PostgresBackend::ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                                    int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  std::string from = std::to_string(from_ms);
  std::string to = std::to_string(to_ms);
  std::string names = TextArray(monitors);
  std::string sql = fmt::format(
      "SELECT m.name, t.start_ms, t.data FROM {} t JOIN monitors m ON m.id = t.monitor_id "
      "WHERE t.start_ms >= $1 AND t.start_ms < $2 {} ORDER BY m.name, t.start_ms",
      kRollupTables[static_cast<int>(res)],
      monitors.empty() ? "" : "AND m.id IN (SELECT id FROM monitors WHERE name = ANY($3))");
  std::vector<const char*> params = {from.c_str(), to.c_str()};
  if (!monitors.empty()) {
    params.push_back(names.c_str());
  }
  auto r = reader_.Query(sql, params);
  if (!r) {
    return r.error();
  }
  Rollup rollup;
  std::string blob;
  std::string name;
  for (int row = 0; row < PQntuples(r->get()); ++row) {
    if (!FromByteaText(PQgetvalue(r->get(), row, 2), &blob) || !DecodeRollup(blob, &rollup)) {
      return Status::Internal(
          fmt::format("postgres {}: an unreadable rollup row", reader_.redacted_url()));
    }
    name = PQgetvalue(r->get(), row, 0);
    fn(name, FromUnixMillis(Int(r->get(), row, 1)), rollup);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> PostgresBackend::Monitors() {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  auto r = reader_.Query("SELECT name FROM monitors ORDER BY name", {});
  if (!r) {
    return r.error();
  }
  std::vector<std::string> out;
  for (int row = 0; row < PQntuples(r->get()); ++row) {
    out.emplace_back(PQgetvalue(r->get(), row, 0));
  }
  return out;
}

Result<std::vector<MonitorState>> PostgresBackend::States() {
  std::lock_guard lock(read_mu_);
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  auto r = reader_.Query(
      "SELECT m.name, s.consecutive_failures, s.consecutive_successes, s.last_status, "
      "s.last_check_ms, s.last_alert_ms, s.last_resolved_ms, s.extra "
      "FROM monitor_state s JOIN monitors m ON m.id = s.monitor_id ORDER BY m.name",
      {});
  if (!r) {
    return r.error();
  }
  PGresult* p = r->get();
  auto opt_time = [&](int row, int col) -> std::optional<WallTime> {
    if (IsNull(p, row, col)) {
      return std::nullopt;
    }
    return FromUnixMillis(Int(p, row, col));
  };
  std::vector<MonitorState> out;
  for (int row = 0; row < PQntuples(p); ++row) {
    MonitorState m;
    m.monitor = PQgetvalue(p, row, 0);
    m.consecutive_failures = static_cast<int>(Int(p, row, 1));
    m.consecutive_successes = static_cast<int>(Int(p, row, 2));
    if (!IsNull(p, row, 3)) {
      m.last_status = StatusFromDb(Int(p, row, 3));
    }
    m.last_check = opt_time(row, 4);
    m.last_alert = opt_time(row, 5);
    m.last_resolved = opt_time(row, 6);
    m.extra = PQgetvalue(p, row, 7);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace modelwatch::store::postgres
