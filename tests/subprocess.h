#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace modelwatch::testing {

// A child process of the test, with stdout and stderr captured to files.
class Subprocess {
 public:
  // Starts `args` (args[0] is the program path).
  explicit Subprocess(std::vector<std::string> args);
  ~Subprocess();  // kills the child if still running

  void Signal(int sig);
  // Waits up to `timeout`; returns the exit code, 128+signal if killed by
  // one, or -1 on timeout (the child keeps running).
  int Wait(std::chrono::milliseconds timeout);
  std::string out() const;
  std::string err() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool exited_ = false;
  std::string dir_;
};

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

// Runs to completion (killed after `timeout`).
RunResult RunProcess(std::vector<std::string> args,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

// The modelwatch binary under test.
std::string Binary();

// A fresh temporary directory, removed at exit of the test process.
std::string TempDir();
void WriteFile(const std::string& path, const std::string& text);

// Polls `done` every 50 ms until it holds or `limit` passes; its last answer.
template <typename F>
bool WaitFor(F done, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace modelwatch::testing
