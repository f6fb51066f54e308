#include "store/postgres/pg_conn.h"

#include <fmt/format.h>

#include "core/text.h"
#include "store/store.h"

namespace modelwatch::store::postgres {

Conn::Conn(std::string url, std::string schema)
    : url_(std::move(url)), redacted_(RedactUrl(url_)), schema_(std::move(schema)) {}

Status Conn::Open() {
  if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) {
    return Status::Ok();
  }
  conn_.reset(PQconnectdb(url_.c_str()));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
    std::string msg = conn_ ? std::string(TrimSpace(PQerrorMessage(conn_.get()))) : "out of memory";
    conn_.reset();
    return Status::Unavailable(fmt::format(
        "postgres {}: cannot connect: {}; check that the server is running and reachable and "
        "that storage.postgres holds the right URL",
        redacted_, msg));
  }
  std::string setup = "SET client_min_messages = warning";
  if (!schema_.empty()) {
    setup += fmt::format("; CREATE SCHEMA IF NOT EXISTS {0}; SET search_path TO {0}",
                         QuoteIdent(schema_));
  }
  if (Status st = Exec(setup); !st.ok()) {
    conn_.reset();
    return st;
  }
  return Status::Ok();
}

Status Conn::Error(std::string_view what, const PGresult* res) {
  std::string msg = res != nullptr ? PQresultErrorMessage(res) : "";
  if (msg.empty() && conn_) {
    msg = PQerrorMessage(conn_.get());
  }
  msg = std::string(TrimSpace(msg));
  bool broken = !conn_ || PQstatus(conn_.get()) == CONNECTION_BAD;
  if (broken) {
    conn_.reset();
    return Status::Unavailable(fmt::format(
        "postgres {}: {}: connection lost: {}; check that the server is running and reachable",
        redacted_, what, msg));
  }
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view code = state != nullptr ? state : "";
  std::string advice;
  if (code == "53100") {
    advice = "; the server's disk is full: free space on it";
  } else if (code.starts_with("42501")) {
    advice = "; the user lacks privileges: grant them or use another user in storage.postgres";
  }
  return Status::Unavailable(fmt::format("postgres {}: {}: {}{}", redacted_, what, msg, advice));
}

Status Conn::Exec(const std::string& sql) {
  PgResult res(PQexec(conn_.get(), sql.c_str()));
  ExecStatusType s = PQresultStatus(res.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    return Error("query", res.get());
  }
  return Status::Ok();
}

Result<PgResult> Conn::Query(const std::string& sql, const std::vector<const char*>& params) {
  PgResult res(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                            params.data(), nullptr, nullptr, 0));
  ExecStatusType s = PQresultStatus(res.get());
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    return Error("query", res.get());
  }
  return res;
}

Status Conn::Stream(const std::string& sql, const std::vector<const char*>& params,
                    const std::function<bool(PGresult* row)>& row) {
  if (PQsendQueryParams(conn_.get(), sql.c_str(), static_cast<int>(params.size()), nullptr,
                        params.data(), nullptr, nullptr, 0) == 0) {
    return Error("query");
  }
  PQsetSingleRowMode(conn_.get());
  Status st;
  bool want = true;
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResult res(raw);
    ExecStatusType s = PQresultStatus(raw);
    if (s == PGRES_SINGLE_TUPLE) {
      if (want && st.ok()) {
        want = row(raw);  // after a stop, the rest is read and dropped
      }
    } else if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && st.ok()) {
      st = Error("query", raw);
      if (!conn_) {
        break;
      }
    }
  }
  return st;
}

Status Conn::Copy(const std::string& sql, std::string_view data) {
  PgResult res(PQexec(conn_.get(), sql.c_str()));
  if (PQresultStatus(res.get()) != PGRES_COPY_IN) {
    return Error("copy", res.get());
  }
  if (PQputCopyData(conn_.get(), data.data(), static_cast<int>(data.size())) != 1 ||
      PQputCopyEnd(conn_.get(), nullptr) != 1) {
    return Error("copy");
  }
  Status st;
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResult r(raw);
    if (PQresultStatus(raw) != PGRES_COMMAND_OK && st.ok()) {
      st = Error("copy", raw);
      if (!conn_) {
        break;
      }
    }
  }
  return st;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  return out + "\"";
}

std::string ToHex(std::string_view data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (char c : data) {
    auto b = static_cast<uint8_t>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

bool FromByteaText(std::string_view text, std::string* out) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) {
    return false;
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  out->clear();
  for (size_t i = 2; i < text.size(); i += 2) {
    int hi = nibble(text[i]);
    int lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

}  // namespace modelwatch::store::postgres
