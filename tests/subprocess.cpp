#include "subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace modelwatch::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string Binary() { return MODELWATCH_BIN; }

namespace {

// Directories handed out by TempDir, removed when the test process exits.
struct TempDirs {
  std::vector<std::string> paths;
  ~TempDirs() {
    for (const auto& p : paths) {
      std::error_code ignored;
      std::filesystem::remove_all(p, ignored);
    }
  }
};

}  // namespace

std::string TempDir() {
  static TempDirs dirs;
  std::string tmpl = (std::filesystem::temp_directory_path() / "mwtest-XXXXXX").string();
  char* made = mkdtemp(tmpl.data());
  if (made == nullptr) {
    return std::string();
  }
  dirs.paths.emplace_back(made);
  return made;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

Subprocess::Subprocess(std::vector<std::string> args) {
  dir_ = TempDir();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, (dir_ + "/out").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&fa, 2, (dir_ + "/err").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  if (posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    pid_ = -1;
  }
  posix_spawn_file_actions_destroy(&fa);
}

Subprocess::~Subprocess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  std::filesystem::remove_all(dir_);
}

void Subprocess::Signal(int sig) {
  if (pid_ > 0 && !exited_) {
    kill(pid_, sig);
  }
}

int Subprocess::Wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) {
    return -2;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exited_) {
    pid_t r = waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (WIFEXITED(status_)) {
    return WEXITSTATUS(status_);
  }
  return 128 + WTERMSIG(status_);
}

std::string Subprocess::out() const { return ReadAll(dir_ + "/out"); }
std::string Subprocess::err() const { return ReadAll(dir_ + "/err"); }

RunResult RunProcess(std::vector<std::string> args, std::chrono::milliseconds timeout) {
  Subprocess p(std::move(args));
  int code = p.Wait(timeout);
  if (code == -1) {
    p.Signal(SIGKILL);
    p.Wait(std::chrono::seconds(5));
  }
  return {code, p.out(), p.err()};
}

}  // namespace modelwatch::testing
