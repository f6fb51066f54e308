#include "store/sqlite/checkpointer.h"

#include <fmt/format.h>

namespace modelwatch::store::sqlite {

Checkpointer::Checkpointer(std::string path, CheckpointOptions options)
    : path_(std::move(path)), options_(options), db_(path_) {
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

Status Checkpointer::Attach(Db& writer) {
  // Off first: sqlite3_wal_autocheckpoint installs SQLite's own hook, the
  // hook below replaces it.
  if (Status st = writer.Exec("PRAGMA wal_autocheckpoint=0"); !st.ok()) {
    return st;
  }
  std::string limit = fmt::format("PRAGMA journal_size_limit={}", options_.wal_size_limit_bytes);
  if (Status st = writer.Exec(limit.c_str()); !st.ok()) {
    return st;
  }
  sqlite3_wal_hook(writer.get(), &Checkpointer::OnWal, this);
  return Status::Ok();
}

uint64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

uint64_t Checkpointer::failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

uint64_t Checkpointer::truncations() const {
  std::lock_guard lock(mu_);
  return truncations_;
}

int Checkpointer::OnWal(void* self, sqlite3* db, const char* name, int pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (pages >= c->options_.truncate_pages) {
    // The bound, on the committing thread (as SQLite's own checkpoint would
    // run, but rarely): the writer waits for the readers, this empties the
    // WAL. Its failure fails no commit; the next commit tries again.
    int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    std::lock_guard lock(c->mu_);
    ++c->truncations_;
    c->failures_ += rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : 1;
    return SQLITE_OK;
  }
  c->Wake(pages);
  return SQLITE_OK;
}

void Checkpointer::Wake(int pages) {
  if (pages < options_.wake_pages) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (wake_) {
      return;  // one is asked for already
    }
    wake_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || wake_; });
    if (stop_) {
      break;
    }
    wake_ = false;
    lock.unlock();
    CheckpointOnce();
    lock.lock();
  }
  lock.unlock();
  db_.Close();
}

void Checkpointer::CheckpointOnce() {
  bool failed = false;
  bool ran = false;
  if (!db_.is_open()) {
    // Never creates the file: one deleted since the writer's commit stays
    // deleted (the writer reports it).
    failed = !db_.Open(/*create=*/false).ok();
  }
  if (!failed) {
    // SQLITE_BUSY: another checkpoint runs (a commit's TRUNCATE, another
    // process); the next commit wakes us again.
    int rc =
        sqlite3_wal_checkpoint_v2(db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ran = true;
    failed = rc != SQLITE_OK && rc != SQLITE_BUSY;
  }
  if (failed) {
    db_.Close();  // reopened on the next wake (a moved file, an I/O error)
  }
  std::lock_guard lock(mu_);
  checkpoints_ += ran ? 1 : 0;
  failures_ += failed ? 1 : 0;
}

}  // namespace modelwatch::store::sqlite
