// `modelwatch validate` as a real process: conditions checked in the same
// pass as the rest, --strict and --allow-missing-env.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

std::string Write(const std::string& yaml) {
  std::string path = TempDir() + "/modelwatch.yaml";
  WriteFile(path, yaml);
  return path;
}

TEST(ValidateCli, ConditionsAreCheckedInTheSamePassAtTheirPlace) {
  std::string path = Write(
      "monitors:\n"
      "  - name: h\n"
      "    kind: http\n"
      "    url: http://127.0.0.1:9/\n"
      "    intervall: 5m\n"
      "    conditions:\n"
      "      - \"status == 200\"\n"
      "      - \"body.data exist\"\n");
  auto r = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(r.code, 2);
  size_t key = r.err.find(path + ":5:5: monitors[0] \"h\": unknown key \"intervall\"");
  size_t cond = r.err.find(path + ":8:9: monitors[0] \"h\": conditions[1] \"body.data exist\": ");
  ASSERT_NE(key, std::string::npos) << r.err;
  ASSERT_NE(cond, std::string::npos) << r.err;
  EXPECT_LT(key, cond);  // in file order
  EXPECT_NE(r.err.find("(did you mean \"exists\"?)"), std::string::npos) << r.err;
}

TEST(ValidateCli, ABadConditionAloneIsReportedOnceWithItsPlace) {
  std::string path = Write(
      "monitors:\n"
      "  - {name: h, kind: http, url: \"http://127.0.0.1:9/\", conditions: [\"status = 200\"]}\n");
  auto r = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(r.err.starts_with(path + ":2:")) << r.err;
  EXPECT_EQ(r.err.find("status = 200"), r.err.rfind("status = 200")) << r.err;  // once
}

TEST(ValidateCli, AllowMissingEnvMakesAnUnsetKeyAWarning) {
  std::string path = Write(
      "monitors:\n"
      "  - name: g\n"
      "    kind: gemini\n"
      "    model: gemini-3-pro-image\n"
      "    api_key: ${MW_TEST_SURELY_UNSET_API_KEY}\n");
  auto strict = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(strict.code, 2);
  EXPECT_NE(strict.err.find(path + ":5:14: environment variable MW_TEST_SURELY_UNSET_API_KEY is "
                                   "not set (export it"),
            std::string::npos)
      << strict.err;
  auto allowed = RunProcess({Binary(), "validate", "-c", path, "--allow-missing-env"});
  EXPECT_EQ(allowed.code, 0) << allowed.err;
  EXPECT_NE(allowed.err.find(path + ":5:14: warning: environment variable "
                                    "MW_TEST_SURELY_UNSET_API_KEY is not set; checked without it"),
            std::string::npos)
      << allowed.err;
  EXPECT_NE(allowed.out.find("OK (1 monitor, 0 channels), 1 warning above"), std::string::npos)
      << allowed.out;
}

TEST(ValidateCli, AllowMissingEnvAlsoCoversAKeyTakenFromTheProvider) {
  std::string path = Write(
      "providers:\n"
      "  google: {api_key: \"${MW_TEST_SURELY_UNSET_API_KEY}\"}\n"
      "monitors:\n"
      "  - {name: g, kind: gemini, provider: google, model: gemini-3-pro-image}\n");
  auto r = RunProcess({Binary(), "validate", "-c", path, "--allow-missing-env"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err.find("missing api_key"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("OK (1 monitor, 0 channels), 1 warning above"), std::string::npos) << r.out;
}

// A service-account key file as Google issues them, with a fresh RSA key.
std::string ServiceAccountKey() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(n));
  BIO_free(bio);
  EVP_PKEY_free(key);
  std::string path = TempDir() + "/key.json";
  WriteFile(path,
            nlohmann::json{{"type", "service_account"},
                           {"project_id", "example-project"},
                           {"private_key_id", "abc123"},
                           {"private_key", pem},
                           {"client_email", "monitor@example-project.iam.gserviceaccount.com"},
                           {"token_uri", "https://oauth2.googleapis.com/token"}}
                .dump());
  return path;
}

// The files users start from validate as they are: the demo with no warning
// at all, the real-provider ones with only their unset keys (CI has none).
TEST(ValidateCli, TheExampleConfigsValidateWithoutAProblem) {
  const std::string examples = std::string(MODELWATCH_SOURCE_DIR) + "/examples/";
  auto demo = RunProcess({Binary(), "validate", "--strict", "-c", examples + "demo.yaml"});
  EXPECT_EQ(demo.code, 0) << demo.err;
  EXPECT_EQ(demo.err, "");
  setenv("GOOGLE_APPLICATION_CREDENTIALS", ServiceAccountKey().c_str(), 1);
  for (const char* name : {"production.yaml", "compare.yaml"}) {
    auto r = RunProcess({Binary(), "validate", "--allow-missing-env", "-c", examples + name});
    EXPECT_EQ(r.code, 0) << name << ":\n" << r.err;
    std::istringstream lines(r.err);
    for (std::string line; std::getline(lines, line);) {
      EXPECT_NE(line.find("warning: environment variable"), std::string::npos)
          << name << ": " << line;
    }
  }
  unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
}

TEST(ValidateCli, StrictMakesWarningsErrors) {
  // An inherited timeout longer than the interval is a warning.
  std::string path = Write(
      "defaults: {timeout: 1m}\n"
      "monitors:\n"
      "  - {name: h, kind: http, url: \"http://127.0.0.1:9/\", interval: 30s}\n");
  EXPECT_EQ(RunProcess({Binary(), "validate", "-c", path}).code, 0);
  auto r = RunProcess({Binary(), "validate", "-c", path, "--strict"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--strict: the warning above is an error"), std::string::npos) << r.err;
  auto run = RunProcess({Binary(), "run", "-c", path, "--strict"});
  EXPECT_EQ(run.code, 2) << run.err;
}

TEST(ValidateCli, ADurationWithASpaceOrALongUnitSaysHowToWriteIt) {
  std::string path = Write(
      "monitors:\n"
      "  - name: h\n"
      "    kind: http\n"
      "    url: http://127.0.0.1:9/\n"
      "    interval: 5 min\n"
      "    timeout: 2seconds\n");
  auto r = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":5:15: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\"5 min\": has a space; write durations without spaces and with units ms, "
                       "s, m, h, d: 5m"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(path + ":6:14: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown unit \"seconds\"; write durations"), std::string::npos) << r.err;
}

TEST(ValidateCli, ATabIndentIsExplainedAtItsLine) {
  std::string path = Write(
      "monitors:\n"
      "  - name: h\n"
      "\tkind: http\n");
  auto r = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":3:1: YAML syntax error: tab characters are not allowed for "
                              "indentation in YAML; use spaces"),
            std::string::npos)
      << r.err;
}

TEST(ValidateCli, AnUnterminatedQuoteIsExplainedWhereItStarts) {
  std::string path = Write(
      "monitors:\n"
      "  - name: h\n"
      "    url: \"http://127.0.0.1:9/\n"
      "    kind: http\n");
  auto r = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":3:10: YAML syntax error: unterminated quoted string starting at "
                              "3:10"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace modelwatch
