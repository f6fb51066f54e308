// A private CA: `modelwatch check` against a real TLS server on loopback
// (openssl s_server with a CA and certificate made by the test) fails
// without the CA, and succeeds with tls.ca_file, with a provider's tls, and
// with SSL_CERT_FILE / CURL_CA_BUNDLE in the environment.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

// Sets (or, with nullopt, clears) environment variables while it lives;
// children inherit them.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::vector<std::pair<std::string, std::optional<std::string>>> vars) {
    for (const auto& [n, v] : vars) {
      const char* old = std::getenv(n.c_str());
      saved_.emplace_back(n, old ? std::optional<std::string>(old) : std::nullopt);
      if (v) {
        setenv(n.c_str(), v->c_str(), 1);
      } else {
        unsetenv(n.c_str());
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [n, v] : saved_) {
      if (v) {
        setenv(n.c_str(), v->c_str(), 1);
      } else {
        unsetenv(n.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    auto sh = [&](const std::string& cmd) {
      auto r = RunProcess({"/bin/sh", "-c", "cd " + dir_ + " && " + cmd});
      ASSERT_EQ(r.code, 0) << cmd << "\n" << r.err;
    };
    sh("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
       "-subj '/CN=modelwatch test CA'");
    sh("openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj '/CN=127.0.0.1'");
    sh("printf 'subjectAltName=IP:127.0.0.1\\n' > ext && openssl x509 -req -in srv.csr -CA ca.pem "
       "-CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext");
    server_ = std::make_unique<Subprocess>(
        // stdbuf: s_server's stdout is a pipe here, so its ACCEPT line would
        // otherwise wait in a buffer until it exits.
        std::vector<std::string>{"/usr/bin/stdbuf", "-oL", "openssl", "s_server", "-accept",
                                 "127.0.0.1:0", "-cert", dir_ + "/srv.pem", "-key",
                                 dir_ + "/srv.key", "-www"});
    for (int i = 0; i < 100 && port_.empty(); ++i) {
      std::string out = server_->out();
      size_t at = out.find("ACCEPT 127.0.0.1:");
      size_t end = at == std::string::npos ? at : out.find('\n', at);
      if (end != std::string::npos) {
        port_ = out.substr(at + 17, end - at - 17);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    ASSERT_FALSE(port_.empty()) << server_->out() << server_->err();
  }
  void TearDown() override {
    if (server_) {
      server_->Signal(SIGTERM);
      server_->Wait(std::chrono::seconds(5));
    }
  }

  // A config with one http monitor of the server; `tls` goes on the monitor.
  std::string Config(const std::string& monitor_tls, const std::string& defaults_tls = "") {
    std::string yaml = "storage: {sqlite: \"" + dir_ + "/mw.db\"}\n";
    if (!defaults_tls.empty()) {
      yaml += "defaults: {tls: " + defaults_tls + "}\n";
    }
    yaml += "monitors:\n  - {name: private, kind: http, url: \"https://127.0.0.1:" + port_ +
            "/\", timeout: 10s" + (monitor_tls.empty() ? "" : ", tls: " + monitor_tls) + "}\n";
    std::string path = dir_ + "/modelwatch.yaml";
    WriteFile(path, yaml);
    return path;
  }
  testing::RunResult Check(const std::string& cfg) {
    return RunProcess({Binary(), "check", "-c", cfg, "--json"}, std::chrono::seconds(30));
  }
  // No CA variable set: libcurl's default (the system bundle) only.
  static ScopedEnv NoCaEnv() {
    return ScopedEnv({{"SSL_CERT_FILE", std::nullopt},
                      {"SSL_CERT_DIR", std::nullopt},
                      {"CURL_CA_BUNDLE", std::nullopt},
                      {"https_proxy", std::nullopt},
                      {"HTTPS_PROXY", std::nullopt},
                      {"all_proxy", std::nullopt},
                      {"ALL_PROXY", std::nullopt}});
  }

  std::string dir_;
  std::string port_;
  std::unique_ptr<Subprocess> server_;
};

TEST_F(TlsTest, UnknownCaFailsWithLibcurlsDetail) {
  ScopedEnv env = NoCaEnv();
  auto r = Check(Config(""));
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("network_error"), std::string::npos) << r.out;
  // libcurl's own words, not only its code's name.
  EXPECT_NE(r.out.find("unable to get local issuer certificate"), std::string::npos) << r.out;
}

TEST_F(TlsTest, MonitorCaFileIsTrusted) {
  ScopedEnv env = NoCaEnv();
  auto r = Check(Config("{ca_file: \"" + dir_ + "/ca.pem\"}"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(TlsTest, DefaultsCaFileIsTrusted) {
  ScopedEnv env = NoCaEnv();
  auto r = Check(Config("", "{ca_file: \"" + dir_ + "/ca.pem\"}"));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(TlsTest, SslCertFileIsHonoured) {
  ScopedEnv env = NoCaEnv();
  ScopedEnv ca({{"SSL_CERT_FILE", dir_ + "/ca.pem"}});
  auto r = Check(Config(""));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(TlsTest, CurlCaBundleIsHonoured) {
  ScopedEnv env = NoCaEnv();
  ScopedEnv ca({{"CURL_CA_BUNDLE", dir_ + "/ca.pem"}});
  auto r = Check(Config(""));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
}

TEST_F(TlsTest, MissingCaFileIsAConfigError) {
  auto r = RunProcess({Binary(), "validate", "-c", Config("{ca_file: /nonexistent/ca.pem}")});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  std::string all = r.out + r.err;
  EXPECT_NE(all.find("modelwatch.yaml:"), std::string::npos) << all;
  EXPECT_NE(all.find("ca_file"), std::string::npos) << all;
}

}  // namespace
}  // namespace modelwatch
