#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/db.h"

namespace modelwatch::store::sqlite {

struct CheckpointOptions {
  // A checkpoint is started once the WAL holds this many frames (pages)
  // after a commit; SQLite's own automatic checkpoint uses 1000.
  int wake_pages = 1000;
  // The bound: a commit that leaves the WAL at this many frames or more
  // checkpoints it itself, TRUNCATE (waiting for readers and the
  // checkpointer's PASSIVE run, then emptying the WAL file). PASSIVE
  // checkpoints cannot finish while commits follow each other without a
  // gap (the WAL only starts again from its beginning when a write begins
  // with every frame copied), so without this the WAL could grow without end.
  int truncate_pages = 8000;
  // The WAL file is cut back to this size when it restarts from its start
  // (PRAGMA journal_size_limit), so one large commit does not keep it big.
  int64_t wal_size_limit_bytes = 8 << 20;
};

// Checkpoints a WAL database from its own connection on its own thread, so a
// commit does not wait for one: the writer connection's automatic checkpoint
// (which runs inside the committing call: it fsyncs the WAL and writes and
// fsyncs the database) is replaced by a sqlite3_wal_hook that only counts the
// WAL's frames and wakes this thread. Its checkpoints are PASSIVE: they take
// no lock a writer needs and copy what no reader still needs. Only past
// truncate_pages does a commit checkpoint (TRUNCATE) itself.
//
// Durability is unchanged: with synchronous=NORMAL a committed transaction
// is in the WAL file (in the OS's cache) when Commit returns, so it survives
// a crash of the process; the checkpoint is what makes it survive a power
// cut, as before, now a few milliseconds later on another thread.
//
// Thread-safe. Attach is called with the writer connection (on the thread
// that uses it, each time it is opened); the hook then runs on that thread.
// Destroy the checkpointer after every connection attached to it was closed.
class Checkpointer {
 public:
  Checkpointer(std::string path, CheckpointOptions options);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Turns off `writer`'s automatic checkpoint, sets its WAL size limit and
  // installs the hook that wakes this checkpointer. OK or the error of the
  // PRAGMA.
  Status Attach(Db& writer);

  // PASSIVE checkpoints run so far by the checkpointer's thread, TRUNCATE
  // ones run by commits past the bound, and failed ones (the next wake tries
  // again on a fresh connection).
  uint64_t checkpoints() const;
  uint64_t truncations() const;
  uint64_t failures() const;

 private:
  static int OnWal(void* self, sqlite3* db, const char* name, int pages);
  void Wake(int pages);
  void Run();
  void CheckpointOnce();  // one PASSIVE pass

  const std::string path_;
  const CheckpointOptions options_;
  Db db_;  // the checkpointer's own connection, used by its thread only

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;         // GUARDED_BY(mu_)
  bool stop_ = false;         // GUARDED_BY(mu_)
  uint64_t checkpoints_ = 0;  // GUARDED_BY(mu_)
  uint64_t truncations_ = 0;  // GUARDED_BY(mu_)
  uint64_t failures_ = 0;     // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace modelwatch::store::sqlite
