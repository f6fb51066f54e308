#include "store/sqlite/sqlite_backend.h"

#include <fmt/format.h>

#include "store/codes.h"

namespace modelwatch::store::sqlite {
namespace {

// Migration i (0-based) takes the schema from version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE monitors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  monitor_id INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  status INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT,
  retry_after_s INTEGER,
  dns_us INTEGER NOT NULL,
  connect_us INTEGER NOT NULL,
  tls_us INTEGER NOT NULL,
  first_byte_us INTEGER NOT NULL,
  total_us INTEGER NOT NULL,
  image_format INTEGER,
  image_width INTEGER,
  image_height INTEGER,
  image_bytes INTEGER
);
CREATE INDEX results_by_monitor ON results (monitor_id, ts_ms);
CREATE TABLE rollup_minute (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE rollup_hour (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE rollup_day (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE monitor_state (
  monitor_id INTEGER PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL,
  consecutive_successes INTEGER NOT NULL,
  last_status INTEGER,
  last_check_ms INTEGER,
  last_alert_ms INTEGER,
  last_resolved_ms INTEGER,
  extra TEXT NOT NULL
);
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

constexpr const char* kInsertMonitor =
    "INSERT INTO monitors (name) VALUES (?1) ON CONFLICT (name) DO NOTHING";
constexpr const char* kSelectMonitorId = "SELECT id FROM monitors WHERE name = ?1";
constexpr const char* kSelectMonitors = "SELECT id, name FROM monitors ORDER BY name";
constexpr const char* kInsertResult =
    "INSERT INTO results (monitor_id, ts_ms, status, latency_ms, http_status, error, "
    "retry_after_s, dns_us, connect_us, tls_us, first_byte_us, total_us, image_format, "
    "image_width, image_height, image_bytes) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
#define MW_RESULT_COLUMNS                                                                \
  "r.ts_ms, r.status, r.latency_ms, r.http_status, r.error, r.retry_after_s, r.dns_us, " \
  "r.connect_us, r.tls_us, r.first_byte_us, r.total_us, r.image_format, r.image_width, " \
  "r.image_height, r.image_bytes"
constexpr const char* kScanMonitorResults =
    "SELECT " MW_RESULT_COLUMNS
    " FROM results r WHERE r.monitor_id = ?1 AND r.ts_ms >= ?2 AND r.ts_ms < ?3"
    " ORDER BY r.ts_ms, r.id";
constexpr const char* kScanAllResults =
    "SELECT " MW_RESULT_COLUMNS
    ", m.name FROM results r JOIN monitors m ON m.id = r.monitor_id"
    " WHERE r.ts_ms >= ?1 AND r.ts_ms < ?2 ORDER BY r.id";
#undef MW_RESULT_COLUMNS

#define MW_ROLLUP_SQL(table)                                                             \
  {                                                                                      \
    "SELECT data FROM " table " WHERE monitor_id = ?1 AND start_ms = ?2",                \
        "INSERT INTO " table                                                             \
        " (monitor_id, start_ms, data) VALUES (?1, ?2, ?3)"                              \
        " ON CONFLICT (monitor_id, start_ms) DO UPDATE SET data = excluded.data",        \
        "SELECT start_ms, data FROM " table                                              \
        " WHERE monitor_id = ?1 AND start_ms >= ?2 AND start_ms < ?3 ORDER BY start_ms", \
        "SELECT start_ms, data FROM " table                                              \
        " WHERE monitor_id = ?1 ORDER BY start_ms DESC LIMIT 1",                         \
        "DELETE FROM " table                                                             \
        " WHERE monitor_id = ?1 AND start_ms < min(?2, (SELECT min(start_ms)"            \
        " FROM " table " WHERE monitor_id = ?1) + ?3)"                                   \
  }
struct RollupSql {
  const char* select;
  const char* upsert;
  const char* scan;
  const char* latest;
  const char* prune;
};
constexpr RollupSql kRollupSql[kResolutionCount] = {
    MW_ROLLUP_SQL("rollup_minute"), MW_ROLLUP_SQL("rollup_hour"), MW_ROLLUP_SQL("rollup_day")};
#undef MW_ROLLUP_SQL

constexpr const char* kPruneScan =
    "SELECT max(id), total(ts_ms < ?3) FROM "
    "(SELECT id, ts_ms FROM results WHERE id >= ?1 ORDER BY id LIMIT ?2)";
constexpr const char* kPruneResults =
    "DELETE FROM results WHERE id >= ?1 AND id <= ?2 AND ts_ms < ?3";
constexpr const char* kUpsertState =
    "INSERT INTO monitor_state (monitor_id, consecutive_failures, consecutive_successes, "
    "last_status, last_check_ms, last_alert_ms, last_resolved_ms, extra) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (monitor_id) DO UPDATE SET "
    "consecutive_failures = excluded.consecutive_failures, "
    "consecutive_successes = excluded.consecutive_successes, "
    "last_status = excluded.last_status, last_check_ms = excluded.last_check_ms, "
    "last_alert_ms = excluded.last_alert_ms, last_resolved_ms = excluded.last_resolved_ms, "
    "extra = excluded.extra";
constexpr const char* kSelectStates =
    "SELECT m.name, s.consecutive_failures, s.consecutive_successes, s.last_status, "
    "s.last_check_ms, s.last_alert_ms, s.last_resolved_ms, s.extra "
    "FROM monitor_state s JOIN monitors m ON m.id = s.monitor_id ORDER BY m.name";

void BindOptionalTime(sqlite3_stmt* s, int i, const std::optional<WallTime>& t) {
  if (t) {
    sqlite3_bind_int64(s, i, ToUnixMillis(*t));
  } else {
    sqlite3_bind_null(s, i);
  }
}

std::optional<WallTime> ColumnOptionalTime(sqlite3_stmt* s, int i) {
  if (sqlite3_column_type(s, i) == SQLITE_NULL) {
    return std::nullopt;
  }
  return FromUnixMillis(sqlite3_column_int64(s, i));
}

void BindResult(sqlite3_stmt* s, int64_t monitor_id, const CheckResult& r) {
  sqlite3_bind_int64(s, 1, monitor_id);
  sqlite3_bind_int64(s, 2, ToUnixMillis(r.timestamp));
  sqlite3_bind_int(s, 3, StatusToDb(r.status));
  sqlite3_bind_int64(s, 4, r.latency.count());
  sqlite3_bind_int(s, 5, r.http_status);
  if (!r.error.empty()) {
    BindText(s, 6, r.error);
  }
  if (r.retry_after) {
    sqlite3_bind_int64(s, 7, r.retry_after->count());
  }
  sqlite3_bind_int64(s, 8, r.phases.dns.count());
  sqlite3_bind_int64(s, 9, r.phases.connect.count());
  sqlite3_bind_int64(s, 10, r.phases.tls.count());
  sqlite3_bind_int64(s, 11, r.phases.first_byte.count());
  sqlite3_bind_int64(s, 12, r.phases.total.count());
  if (r.image) {
    sqlite3_bind_int(s, 13, ImageFormatToDb(r.image->format));
    sqlite3_bind_int(s, 14, r.image->width);
    sqlite3_bind_int(s, 15, r.image->height);
    sqlite3_bind_int64(s, 16, static_cast<int64_t>(r.image->bytes));
  }
}

// Reads the columns of MW_RESULT_COLUMNS starting at column 0.
CheckResult ColumnResult(sqlite3_stmt* s) {
  using std::chrono::microseconds;
  CheckResult r;
  r.timestamp = FromUnixMillis(sqlite3_column_int64(s, 0));
  r.status = StatusFromDb(sqlite3_column_int64(s, 1)).value_or(CheckStatus::kInvalidResponse);
  r.latency = std::chrono::milliseconds(sqlite3_column_int64(s, 2));
  r.http_status = sqlite3_column_int(s, 3);
  r.error = std::string(ColumnText(s, 4));
  if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
    r.retry_after = std::chrono::seconds(sqlite3_column_int64(s, 5));
  }
  r.phases.dns = microseconds(sqlite3_column_int64(s, 6));
  r.phases.connect = microseconds(sqlite3_column_int64(s, 7));
  r.phases.tls = microseconds(sqlite3_column_int64(s, 8));
  r.phases.first_byte = microseconds(sqlite3_column_int64(s, 9));
  r.phases.total = microseconds(sqlite3_column_int64(s, 10));
  if (sqlite3_column_type(s, 11) != SQLITE_NULL) {
    ImageInfo info;
    info.format = ImageFormatFromDb(sqlite3_column_int64(s, 11)).value_or(ImageFormat::kPng);
    info.width = sqlite3_column_int(s, 12);
    info.height = sqlite3_column_int(s, 13);
    info.bytes = static_cast<size_t>(sqlite3_column_int64(s, 14));
    r.image = info;
  }
  return r;
}

// Resets a statement when a scan ends early or fails.
struct ResetOnExit {
  sqlite3_stmt* stmt;
  ~ResetOnExit() { sqlite3_reset(stmt); }
};

}  // namespace

SqliteBackend::SqliteBackend(std::string path)
    : path_(std::move(path)), writer_(path_), reader_(path_) {}

std::string SqliteBackend::Describe() const { return "sqlite " + path_; }

Status SqliteBackend::Connect() {
  std::lock_guard lock(write_mu_);
  if (writer_.is_open()) {
    return Status::Ok();
  }
  Status st = writer_.Open();
  if (!st.ok()) {
    return st;
  }
  auto fail = [&](Status s) {
    writer_.Close();
    return s;
  };
  // journal_mode answers with the mode in force; "wal" unless the file
  // system cannot share memory between processes.
  sqlite3_stmt* mode = writer_.Prepare("PRAGMA journal_mode=WAL", &st);
  if (mode == nullptr) {
    return fail(st);
  }
  int rc = sqlite3_step(mode);
  if (rc != SQLITE_ROW) {
    return fail(writer_.Error(rc, "enable WAL"));
  }
  std::string got(ColumnText(mode, 0));
  sqlite3_reset(mode);
  if (got != "wal") {
    return fail(Status::Unavailable(fmt::format(
        "sqlite {}: cannot use WAL journal mode (got \"{}\"): put the file on a local disk", path_,
        got)));
  }
  if (st = writer_.Exec("PRAGMA synchronous=NORMAL"); !st.ok()) {
    return fail(st);
  }

  if (st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return fail(st);
  }
  auto rollback = [&](Status s) {
    (void)writer_.Exec("ROLLBACK");
    return fail(s);
  };
  int64_t version = 0;
  sqlite3_stmt* has = writer_.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", &st);
  if (has == nullptr) {
    return rollback(st);
  }
  rc = sqlite3_step(has);
  if (rc != SQLITE_ROW) {
    return rollback(writer_.Error(rc, "read schema version"));
  }
  bool has_table = sqlite3_column_int(has, 0) > 0;
  sqlite3_reset(has);
  if (has_table) {
    sqlite3_stmt* v = writer_.Prepare("SELECT max(version) FROM schema_version", &st);
    if (v == nullptr) {
      return rollback(st);
    }
    rc = sqlite3_step(v);
    if (rc != SQLITE_ROW) {
      return rollback(writer_.Error(rc, "read schema version"));
    }
    version = sqlite3_column_int64(v, 0);
    sqlite3_reset(v);
  } else if (st = writer_.Exec("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                               "INSERT INTO schema_version VALUES (0)");
             !st.ok()) {
    return rollback(st);
  }
  if (version > kSchemaVersion) {
    return rollback(Status::InvalidArgument(fmt::format(
        "sqlite {}: the database has schema version {}, newer than this modelwatch knows "
        "({}): run a newer modelwatch, or point storage.sqlite at another file",
        path_, version, kSchemaVersion)));
  }
  for (int64_t v = version; v < kSchemaVersion; ++v) {
    if (st = writer_.Exec(kMigrations[v]); !st.ok()) {
      return rollback(st.WithContext(fmt::format("migration to schema version {}", v + 1)));
    }
  }
  sqlite3_stmt* set = writer_.Prepare("UPDATE schema_version SET version = ?1", &st);
  if (set == nullptr) {
    return rollback(st);
  }
  sqlite3_bind_int(set, 1, kSchemaVersion);
  if (st = writer_.Step(set, "write schema version"); !st.ok()) {
    return rollback(st);
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return rollback(st);
  }
  writer_ids_.clear();
  return Status::Ok();
}

Result<int64_t> SqliteBackend::MonitorId(const std::string& name) {
  auto it = writer_ids_.find(name);
  if (it != writer_ids_.end()) {
    return it->second;
  }
  Status st;
  sqlite3_stmt* ins = writer_.Prepare(kInsertMonitor, &st);
  if (ins == nullptr) {
    return st;
  }
  BindText(ins, 1, name);
  if (st = writer_.Step(ins, "add monitor"); !st.ok()) {
    return st;
  }
  sqlite3_stmt* sel = writer_.Prepare(kSelectMonitorId, &st);
  if (sel == nullptr) {
    return st;
  }
  BindText(sel, 1, name);
  int rc = sqlite3_step(sel);
  if (rc != SQLITE_ROW) {
    sqlite3_reset(sel);
    return writer_.Error(rc, "read monitor id");
  }
  int64_t id = sqlite3_column_int64(sel, 0);
  sqlite3_reset(sel);
  writer_ids_.emplace(name, id);
  return id;
}

Status SqliteBackend::Write(std::span<const CheckResult> results,
                            std::span<const MonitorState> states) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st;
  }
  // Another connection's commit may have changed any rollup: forget them.
  Status st;
  sqlite3_stmt* dv = writer_.Prepare("PRAGMA data_version", &st);
  if (dv != nullptr && sqlite3_step(dv) == SQLITE_ROW) {
    int64_t v = sqlite3_column_int64(dv, 0);
    if (v != data_version_) {
      latest_.clear();
      data_version_ = v;
    }
  } else {
    latest_.clear();
  }
  if (dv != nullptr) {
    sqlite3_reset(dv);
  }
  st = WriteLocked(results, states);
  if (st.ok()) {
    st = writer_.Exec("COMMIT");
  }
  if (!st.ok()) {
    (void)writer_.Exec("ROLLBACK");
    writer_ids_.clear();  // ids interned in the rolled-back transaction are gone
    latest_.clear();
  } else {
    for (auto& [k, v] : staged_latest_) {
      latest_[k] = std::move(v);
    }
  }
  staged_latest_.clear();
  return st;
}

Status SqliteBackend::WriteLocked(std::span<const CheckResult> results,
                                  std::span<const MonitorState> states) {
  Status st;
  sqlite3_stmt* ins = writer_.Prepare(kInsertResult, &st);
  if (ins == nullptr) {
    return st;
  }
  for (const CheckResult& r : results) {
    auto id = MonitorId(r.monitor);
    if (!id) {
      return id.error();
    }
    sqlite3_clear_bindings(ins);
    BindResult(ins, *id, r);
    if (st = writer_.Step(ins, "insert result"); !st.ok()) {
      return st;
    }
  }
  // Staged cache updates, applied once the transaction commits.
  std::map<std::pair<int, int64_t>, Latest> staged;
  Rollup existing;
  auto read_row = [&](sqlite3_stmt* sel, const std::string& monitor, int start_col,
                      int64_t* start) -> Result<bool> {
    int rc = sqlite3_step(sel);
    if (rc == SQLITE_DONE) {
      sqlite3_reset(sel);
      return false;
    }
    if (rc != SQLITE_ROW) {
      Status err = writer_.Error(rc, "read rollup");
      sqlite3_reset(sel);
      return err;
    }
    if (start != nullptr) {
      *start = sqlite3_column_int64(sel, start_col);
    }
    bool ok = DecodeRollup(ColumnBlob(sel, start_col + 1), &existing);
    sqlite3_reset(sel);
    if (!ok) {
      return Status::Internal(fmt::format(
          "sqlite {}: a rollup row of monitor \"{}\" is unreadable: the database is corrupt; "
          "move it aside or restore a backup",
          path_, monitor));
    }
    return true;
  };
  for (const auto& [key, delta] : AggregateRollups(results)) {
    const auto& [res, monitor, start] = key;
    const RollupSql& sql = kRollupSql[static_cast<int>(res)];
    auto id = MonitorId(monitor);
    if (!id) {
      return id.error();
    }
    std::pair<int, int64_t> ck(static_cast<int>(res), *id);
    // What the database holds for this monitor's newest bucket, as of this
    // transaction: staged, else cached, else read.
    auto it = staged.find(ck);
    if (it == staged.end()) {
      auto c = latest_.find(ck);
      if (c != latest_.end()) {
        it = staged.emplace(ck, c->second).first;
      } else {
        sqlite3_stmt* sel = writer_.Prepare(sql.latest, &st);
        if (sel == nullptr) {
          return st;
        }
        sqlite3_bind_int64(sel, 1, *id);
        Latest l;
        auto found = read_row(sel, monitor, 0, &l.start);
        if (!found) {
          return found.error();
        }
        l.rollup = *found ? existing : Rollup();
        l.start = *found ? l.start : INT64_MIN;
        it = staged.emplace(ck, std::move(l)).first;
      }
    }
    Latest& newest = it->second;
    Rollup merged = delta;
    if (start == newest.start) {
      merged.Merge(newest.rollup);
    } else if (start < newest.start) {
      // A late result for an older bucket: read that row.
      sqlite3_stmt* sel = writer_.Prepare(sql.select, &st);
      if (sel == nullptr) {
        return st;
      }
      sqlite3_bind_int64(sel, 1, *id);
      sqlite3_bind_int64(sel, 2, start);
      auto found = read_row(sel, monitor, -1, nullptr);
      if (!found) {
        return found.error();
      }
      if (*found) {
        merged.Merge(existing);
      }
    }  // else: a bucket newer than any stored: nothing to merge.
    if (start >= newest.start) {
      newest.start = start;
      newest.rollup = merged;
    }
    sqlite3_stmt* up = writer_.Prepare(sql.upsert, &st);
    if (up == nullptr) {
      return st;
    }
    sqlite3_bind_int64(up, 1, *id);
    sqlite3_bind_int64(up, 2, start);
    BindBlob(up, 3, EncodeRollup(merged));
    if (st = writer_.Step(up, "write rollup"); !st.ok()) {
      return st;
    }
  }
  staged_latest_ = std::move(staged);
  for (const MonitorState& s : states) {
    auto id = MonitorId(s.monitor);
    if (!id) {
      return id.error();
    }
    sqlite3_stmt* up = writer_.Prepare(kUpsertState, &st);
    if (up == nullptr) {
      return st;
    }
    sqlite3_bind_int64(up, 1, *id);
    sqlite3_bind_int(up, 2, s.consecutive_failures);
    sqlite3_bind_int(up, 3, s.consecutive_successes);
    if (s.last_status) {
      sqlite3_bind_int(up, 4, StatusToDb(*s.last_status));
    }
    BindOptionalTime(up, 5, s.last_check);
    BindOptionalTime(up, 6, s.last_alert);
    BindOptionalTime(up, 7, s.last_resolved);
    BindText(up, 8, s.extra);
    if (st = writer_.Step(up, "write monitor state"); !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Result<int64_t> SqliteBackend::Prune(const PruneCutoffs& c, int limit) {
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  std::lock_guard lock(write_mu_);
  if (Status st = writer_.Exec("BEGIN IMMEDIATE"); !st.ok()) {
    return st;
  }
  auto fail = [&](Status s) -> Result<int64_t> {
    (void)writer_.Exec("ROLLBACK");
    return s;
  };
  Status st;
  int64_t deleted = 0;
  // Raw rows go in id order, which is time order but for late writes: each
  // step looks at the next `limit` rows from a cursor and deletes the old
  // ones; a pass ends at the first stretch without any.
  sqlite3_stmt* scan = writer_.Prepare(kPruneScan, &st);
  if (scan == nullptr) {
    return fail(st);
  }
  sqlite3_bind_int64(scan, 1, prune_cursor_);
  sqlite3_bind_int64(scan, 2, limit);
  sqlite3_bind_int64(scan, 3, c.raw_ms);
  int rc = sqlite3_step(scan);
  if (rc != SQLITE_ROW) {
    Status err = writer_.Error(rc, "prune results");
    sqlite3_reset(scan);
    return fail(err);
  }
  bool any = sqlite3_column_type(scan, 0) != SQLITE_NULL;
  int64_t last = sqlite3_column_int64(scan, 0);
  auto old_rows = static_cast<int64_t>(sqlite3_column_double(scan, 1));
  sqlite3_reset(scan);
  if (!any || old_rows == 0) {
    prune_cursor_ = 0;  // the next pass starts from the oldest row again
  } else {
    sqlite3_stmt* raw = writer_.Prepare(kPruneResults, &st);
    if (raw == nullptr) {
      return fail(st);
    }
    sqlite3_bind_int64(raw, 1, prune_cursor_);
    sqlite3_bind_int64(raw, 2, last);
    sqlite3_bind_int64(raw, 3, c.raw_ms);
    if (st = writer_.Step(raw, "prune results"); !st.ok()) {
      return fail(st);
    }
    deleted += sqlite3_changes(writer_.get());
    prune_cursor_ = last + 1;
  }

  if (deleted < limit) {
    std::vector<int64_t> ids;
    sqlite3_stmt* all = writer_.Prepare(kSelectMonitors, &st);
    if (all == nullptr) {
      return fail(st);
    }
    while (sqlite3_step(all) == SQLITE_ROW) {
      ids.push_back(sqlite3_column_int64(all, 0));
    }
    sqlite3_reset(all);
    const int64_t cutoffs[kResolutionCount] = {c.minute_ms, c.rollup_ms, c.rollup_ms};
    for (int res = 0; res < kResolutionCount && deleted < limit; ++res) {
      int64_t span = (limit - deleted) * Length(static_cast<Resolution>(res)).count();
      for (int64_t id : ids) {
        sqlite3_stmt* del = writer_.Prepare(kRollupSql[res].prune, &st);
        if (del == nullptr) {
          return fail(st);
        }
        sqlite3_bind_int64(del, 1, id);
        sqlite3_bind_int64(del, 2, cutoffs[res]);
        sqlite3_bind_int64(del, 3, span);
        if (st = writer_.Step(del, "prune rollups"); !st.ok()) {
          return fail(st);
        }
        int changes = sqlite3_changes(writer_.get());
        deleted += changes;
        if (changes > 0) {
          latest_.clear();  // a cached newest row may be among them
        }
        if (deleted >= limit) {
          break;
        }
      }
    }
  }
  if (st = writer_.Exec("COMMIT"); !st.ok()) {
    return fail(st);
  }
  return deleted;
}

Status SqliteBackend::ConnectReader() {
  if (reader_.is_open()) {
    return Status::Ok();
  }
  // The writer creates and migrates the file first.
  if (Status st = Connect(); !st.ok()) {
    return st;
  }
  if (Status st = reader_.Open(); !st.ok()) {
    return st;
  }
  reader_ids_.clear();
  return Status::Ok();
}

Status SqliteBackend::RefreshReaderIds() {
  Status st;
  sqlite3_stmt* all = reader_.Prepare(kSelectMonitors, &st);
  if (all == nullptr) {
    return st;
  }
  ResetOnExit reset{all};
  reader_ids_.clear();
  int rc;
  while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
    reader_ids_.emplace(std::string(ColumnText(all, 1)), sqlite3_column_int64(all, 0));
  }
  return rc == SQLITE_DONE ? Status::Ok() : reader_.Error(rc, "list monitors");
}

Status SqliteBackend::ScanResults(const ResultQuery& q, const ResultVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  int64_t since = ToUnixMillis(q.since);
  int64_t until = q.until == WallTime::max() ? INT64_MAX : ToUnixMillis(q.until);
  if (q.monitors.empty()) {
    sqlite3_stmt* s = reader_.Prepare(kScanAllResults, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, since);
    sqlite3_bind_int64(s, 2, until);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      CheckResult r = ColumnResult(s);
      r.monitor = std::string(ColumnText(s, 15));
      if (!fn(r)) {
        return Status::Ok();
      }
    }
    return rc == SQLITE_DONE ? Status::Ok() : reader_.Error(rc, "read results");
  }
  if (st = RefreshReaderIds(); !st.ok()) {
    return st;
  }
  for (const std::string& name : q.monitors) {
    auto it = reader_ids_.find(name);
    if (it == reader_ids_.end()) {
      continue;
    }
    sqlite3_stmt* s = reader_.Prepare(kScanMonitorResults, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, it->second);
    sqlite3_bind_int64(s, 2, since);
    sqlite3_bind_int64(s, 3, until);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      CheckResult r = ColumnResult(s);
      r.monitor = name;
      if (!fn(r)) {
        return Status::Ok();
      }
    }
    if (rc != SQLITE_DONE) {
      return reader_.Error(rc, "read results");
    }
  }
  return Status::Ok();
}

Status SqliteBackend::ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                                  int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  std::vector<std::pair<const std::string*, int64_t>> targets;
  std::vector<std::string> all_names;
  bool refreshed = false;
  if (monitors.empty()) {
    if (st = RefreshReaderIds(); !st.ok()) {
      return st;
    }
    for (const auto& [name, id] : reader_ids_) {
      all_names.push_back(name);
    }
    std::sort(all_names.begin(), all_names.end());
    for (const std::string& name : all_names) {
      targets.emplace_back(&name, reader_ids_[name]);
    }
  } else {
    for (const std::string& name : monitors) {
      auto it = reader_ids_.find(name);
      if (it == reader_ids_.end() && !refreshed) {
        if (st = RefreshReaderIds(); !st.ok()) {
          return st;
        }
        refreshed = true;
        it = reader_ids_.find(name);
      }
      if (it != reader_ids_.end()) {
        targets.emplace_back(&name, it->second);
      }
    }
  }
  Rollup rollup;
  for (const auto& [name, id] : targets) {
    sqlite3_stmt* s = reader_.Prepare(kRollupSql[static_cast<int>(res)].scan, &st);
    if (s == nullptr) {
      return st;
    }
    ResetOnExit reset{s};
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, from_ms);
    sqlite3_bind_int64(s, 3, to_ms);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (!DecodeRollup(ColumnBlob(s, 1), &rollup)) {
        return Status::Internal(fmt::format(
            "sqlite {}: a rollup row of monitor \"{}\" is unreadable: the database is corrupt; "
            "move it aside or restore a backup",
            path_, *name));
      }
      fn(*name, FromUnixMillis(sqlite3_column_int64(s, 0)), rollup);
    }
    if (rc != SQLITE_DONE) {
      return reader_.Error(rc, "read rollups");
    }
  }
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteBackend::Monitors() {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  if (Status st = RefreshReaderIds(); !st.ok()) {
    return st;
  }
  std::vector<std::string> out;
  for (const auto& [name, id] : reader_ids_) {
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<MonitorState>> SqliteBackend::States() {
  std::lock_guard lock(read_mu_);
  if (Status st = ConnectReader(); !st.ok()) {
    return st;
  }
  Status st;
  sqlite3_stmt* s = reader_.Prepare(kSelectStates, &st);
  if (s == nullptr) {
    return st;
  }
  ResetOnExit reset{s};
  std::vector<MonitorState> out;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    MonitorState m;
    m.monitor = std::string(ColumnText(s, 0));
    m.consecutive_failures = sqlite3_column_int(s, 1);
    m.consecutive_successes = sqlite3_column_int(s, 2);
    if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
      m.last_status = StatusFromDb(sqlite3_column_int64(s, 3));
    }
    m.last_check = ColumnOptionalTime(s, 4);
    m.last_alert = ColumnOptionalTime(s, 5);
    m.last_resolved = ColumnOptionalTime(s, 6);
    m.extra = std::string(ColumnText(s, 7));
    out.push_back(std::move(m));
  }
  if (rc != SQLITE_DONE) {
    return reader_.Error(rc, "read monitor states");
  }
  return out;
}

}  // namespace modelwatch::store::sqlite
