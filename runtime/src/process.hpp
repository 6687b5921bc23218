#pragma once
// Child processes for execution environments: posix_spawn in a new process group with a clean
// environment, stdin from /dev/null, stdout+stderr merged into one pipe (so the log keeps the
// order the function wrote in), every other descriptor of Stratus closed, and a pidfd to learn
// about the exit on the event loop.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace stratus::runtime {

struct Child {
  pid_t pid = -1;
  int pidfd = -1;   // readable once the child exited
  int output = -1;  // read end (non-blocking) of the merged stdout/stderr pipe
};

// Throws std::system_error (errno of the failed spawn/exec, e.g. ENOENT for a missing executable).
Child spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                  const std::filesystem::path& cwd);
// SIGKILL to the child's whole process group.
void kill_group(pid_t pid);
// "exit status 1", "signal: killed" — how Lambda words a runtime's exit.
std::string describe_exit(int wait_status);
// Resident and peak memory (VmRSS, VmHWM) of a process in KiB; 0 when unknown.
void memory_kib(pid_t pid, long& rss, long& peak);
// Resident memory of a process in KiB from /proc/<pid>/statm (much cheaper than the status file).
long rss_kib(pid_t pid);
// The same through a descriptor kept open in `fd` (opened on first use, -1 again after a failure):
// a pread per call instead of open + read + close.
long rss_kib(pid_t pid, int& fd);
// Resident memory in KiB of the processes a process started, and theirs, in turn (a custom
// runtime's bootstrap that runs its handler as a child): the environment's memory is all of it.
long descendants_rss_kib(pid_t pid);

}  // namespace stratus::runtime
