#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace stratus::runtime {

namespace {
struct FileActions {
  posix_spawn_file_actions_t fa;
  FileActions() { posix_spawn_file_actions_init(&fa); }
  ~FileActions() { posix_spawn_file_actions_destroy(&fa); }
};
struct Attr {
  posix_spawnattr_t a;
  Attr() { posix_spawnattr_init(&a); }
  ~Attr() { posix_spawnattr_destroy(&a); }
};
std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}
}  // namespace

Child spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                  const std::filesystem::path& cwd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  FileActions fa;
  Attr attr;
  posix_spawn_file_actions_addopen(&fa.fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa.fa, fds[1], 1);
  posix_spawn_file_actions_adddup2(&fa.fa, fds[1], 2);
  // Stratus's sockets are not close-on-exec: none of them may leak into a function.
  posix_spawn_file_actions_addclosefrom_np(&fa.fa, 3);
  posix_spawn_file_actions_addchdir_np(&fa.fa, cwd.c_str());
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  // Stratus ignores SIGPIPE; a function must start with default dispositions and no mask.
  posix_spawnattr_setsigdefault(&attr.a, &all);
  posix_spawnattr_setsigmask(&attr.a, &none);
  posix_spawnattr_setpgroup(&attr.a, 0);
  posix_spawnattr_setflags(&attr.a, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  auto args = c_strings(argv);
  auto env = c_strings(envp);
  pid_t pid = -1;
  int rc = argv[0].find('/') != std::string::npos
               ? posix_spawn(&pid, argv[0].c_str(), &fa.fa, &attr.a, args.data(), env.data())
               : posix_spawnp(&pid, argv[0].c_str(), &fa.fa, &attr.a, args.data(), env.data());
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::system_error(rc, std::generic_category(), argv[0]);
  }
  int flags = fcntl(fds[0], F_GETFL);
  fcntl(fds[0], F_SETFL, flags | O_NONBLOCK);
  Child c;
  c.pid = pid;
  c.output = fds[0];
  c.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  return c;
}

void kill_group(pid_t pid) {
  if (pid <= 0) return;
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);  // in case it left its group
}

std::string describe_exit(int st) {
  if (WIFEXITED(st)) return "exit status " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    std::string name;
    switch (sig) {
      case SIGKILL: name = "killed"; break;
      case SIGTERM: name = "terminated"; break;
      case SIGSEGV: name = "segmentation fault"; break;
      case SIGABRT: name = "aborted"; break;
      case SIGBUS: name = "bus error"; break;
      case SIGILL: name = "illegal instruction"; break;
      case SIGFPE: name = "floating point exception"; break;
      case SIGINT: name = "interrupt"; break;
      case SIGHUP: name = "hangup"; break;
      case SIGPIPE: name = "broken pipe"; break;
      default: {
        const char* s = strsignal(sig);
        name = s ? s : "signal " + std::to_string(sig);
        for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
    }
    return "signal: " + name + (WCOREDUMP(st) ? " (core dumped)" : "");
  }
  return "exit status unknown";
}

void memory_kib(pid_t pid, long& rss, long& peak) {
  rss = peak = 0;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return;
  buf[n] = 0;
  if (const char* p = std::strstr(buf, "VmRSS:")) rss = std::strtol(p + 6, nullptr, 10);
  if (const char* p = std::strstr(buf, "VmHWM:")) peak = std::strtol(p + 6, nullptr, 10);
}

long rss_kib(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char* end = nullptr;
  std::strtol(buf, &end, 10);  // size
  long pages = std::strtol(end, nullptr, 10);
  static const long page_kib = sysconf(_SC_PAGESIZE) / 1024;
  return pages * page_kib;
}

long rss_kib(pid_t pid, int& fd) {
  if (fd < 0) {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/statm", static_cast<int>(pid));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
  }
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) {
    close(fd);
    fd = -1;
    return 0;
  }
  buf[n] = 0;
  char* end = nullptr;
  std::strtol(buf, &end, 10);  // size
  long pages = std::strtol(end, nullptr, 10);
  static const long page_kib = sysconf(_SC_PAGESIZE) / 1024;
  return pages * page_kib;
}

long descendants_rss_kib(pid_t pid) {
  // /proc/<pid>/task/<tid>/children lists the children each thread started; runtimes start
  // theirs from the main thread. Bounded, so a fork bomb cannot make this loop forever.
  long total = 0;
  std::vector<pid_t> todo{pid};
  for (size_t i = 0; i < todo.size() && todo.size() < 512; ++i) {
    char path[96];
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/children", static_cast<int>(todo[i]), static_cast<int>(todo[i]));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    for (char* p = buf; *p;) {
      char* end = nullptr;
      long child = std::strtol(p, &end, 10);
      if (end == p) break;
      p = end;
      if (child <= 0) continue;
      todo.push_back(static_cast<pid_t>(child));
      long rss = 0, peak = 0;
      memory_kib(static_cast<pid_t>(child), rss, peak);
      total += rss;
    }
  }
  return total;
}

}  // namespace stratus::runtime
