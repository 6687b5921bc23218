#include <stratus/config.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace stratus;

namespace {
std::optional<Config> parse(std::vector<std::string> args, int* code = nullptr) {
  std::vector<char*> argv;
  static std::string name = "stratus";
  argv.push_back(name.data());
  for (auto& a : args) argv.push_back(a.data());
  int c = 0;
  auto r = parse_command_line(static_cast<int>(argv.size()), argv.data(), c);
  if (code) *code = c;
  return r;
}
}  // namespace

TEST(Config, Defaults) {
  auto c = parse({});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "127.0.0.1");
  EXPECT_EQ(c->port, 4566);
  EXPECT_FALSE(c->data_dir);
  EXPECT_EQ(c->auth, AuthMode::open);
  EXPECT_TRUE(c->cors);
}

TEST(Config, FlagsAndServeSubcommand) {
  auto c = parse({"serve", "--port", "0", "--host", "0.0.0.0", "--services", "sqs,s3", "--auth", "strict",
                  "--credentials", "AKID:secret,AK2:s2", "--no-cors", "--data-dir", "/tmp/stratus-x"});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 0);
  EXPECT_EQ(c->host, "0.0.0.0");
  EXPECT_EQ(c->services, (std::vector<std::string>{"sqs", "s3"}));
  EXPECT_EQ(c->auth, AuthMode::strict);
  ASSERT_EQ(c->credentials.size(), 2u);
  EXPECT_EQ(c->credentials[1].secret_access_key, "s2");
  EXPECT_FALSE(c->cors);
  EXPECT_EQ(c->data_dir->string(), "/tmp/stratus-x");
}

TEST(Config, StrictWithoutCredentialsIsRefused) {
  int code = 0;
  EXPECT_FALSE(parse({"--auth", "strict"}, &code));
  EXPECT_EQ(code, 2);
  EXPECT_FALSE(parse({"--auth", "maybe"}, &code));
  EXPECT_NE(code, 0);
}

TEST(Config, EnvironmentAndYamlWithPrecedence) {
  auto file = std::filesystem::temp_directory_path() / "stratus-config-test.yaml";
  std::ofstream(file) << "port: 5000\nlog_level: debug\nservices: [sqs]\ncredentials:\n"
                         "  - access_key_id: AK\n    secret_access_key: SK\n";
  setenv("STRATUS_LOG_LEVEL", "warn", 1);
  auto c = parse({"--config", file.string(), "--port", "6000"});
  unsetenv("STRATUS_LOG_LEVEL");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->port, 6000);           // flag beats YAML
  EXPECT_EQ(c->log_level, "warn");    // environment beats YAML
  EXPECT_EQ(c->services, (std::vector<std::string>{"sqs"}));
  ASSERT_EQ(c->credentials.size(), 1u);
  EXPECT_EQ(c->credentials[0].access_key_id, "AK");
  std::filesystem::remove(file);
  int code = 0;
  EXPECT_FALSE(parse({"--config", "/nonexistent/stratus.yaml"}, &code));
  EXPECT_EQ(code, 2);
}
