// How a custom runtime's `bootstrap` is started: `#!/bin/sh` scripts get bash (Amazon Linux's /bin/sh)
// where /bin/sh is something else; everything else runs as it is.
#include <stratus/runtime/manager.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using stratus::runtime::bootstrap_command;

namespace {

fs::path write_script(const std::string& name, const std::string& content, fs::perms perms = fs::perms::owner_all) {
  auto dir = fs::temp_directory_path() / ("stratus-bootstrap-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto p = dir / name;
  std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
  fs::permissions(p, perms);
  return p;
}

bool sh_is_bash() {
  std::error_code ec;
  return fs::canonical("/bin/sh", ec).filename() == "bash" || access("/bin/bash", X_OK) != 0;
}

}  // namespace

TEST(RuntimeBootstrap, ShScriptsRunUnderBashWhereShIsNotBash) {
  auto p = write_script("sh", "#!/bin/sh\nset -euo pipefail\n");
  auto with_arg = write_script("sh-e", "#!/bin/sh  -e \r\necho\n");
  if (sh_is_bash()) {
    EXPECT_EQ(bootstrap_command(p), std::vector<std::string>{p.string()});
    return;
  }
  EXPECT_EQ(bootstrap_command(p), (std::vector<std::string>{"/bin/bash", "--posix", p.string()}));
  EXPECT_EQ(bootstrap_command(with_arg), (std::vector<std::string>{"/bin/bash", "--posix", "-e", with_arg.string()}));
}

TEST(RuntimeBootstrap, OtherBootstrapsRunAsTheyAre) {
  for (const char* content : {"#!/bin/bash\n", "#!/usr/bin/env sh\n", "#!/bin/shell\n", "\x7f" "ELF\x02\x01", ""}) {
    auto p = write_script("other", content);
    EXPECT_EQ(bootstrap_command(p), std::vector<std::string>{p.string()}) << content;
  }
  // Not executable: left to exec, which fails with EACCES as on Lambda ("permission denied").
  auto p = write_script("noexec", "#!/bin/sh\n", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(bootstrap_command(p), std::vector<std::string>{p.string()});
}
