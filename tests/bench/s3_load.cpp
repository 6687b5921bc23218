// A small HTTP/1.1 load generator for S3-style PUT/GET of fixed-size objects over keep-alive
// connections (one thread per connection), used by s3_bench.py to compare Stratus with s3rver.
// Unsigned path-style requests: both servers accept them. Built by the script:
//   g++ -O2 -std=c++20 -pthread tests/bench/s3_load.cpp -o /tmp/s3_load
//   s3_load <port> <bucket> <put|get> <size> <connections> <seconds> [keys]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  return fd;
}

bool send_all(int fd, const char* p, size_t n) {
  while (n) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads one response; returns the status (0 on error) and counts body bytes.
int read_response(int fd, std::string& buf, uint64_t& body_bytes) {
  size_t head_end;
  char tmp[1 << 16];
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    ssize_t r = ::recv(fd, tmp, sizeof tmp, 0);
    if (r <= 0) return 0;
    buf.append(tmp, static_cast<size_t>(r));
  }
  int status = std::atoi(buf.c_str() + 9);
  std::string head = buf.substr(0, head_end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  buf.erase(0, head_end + 4);
  uint64_t len = 0;
  bool chunked = head.find("transfer-encoding: chunked") != std::string::npos;
  if (auto p = head.find("content-length:"); p != std::string::npos) len = std::strtoull(head.c_str() + p + 15, nullptr, 10);
  if (chunked) {
    for (;;) {
      size_t eol;
      while ((eol = buf.find("\r\n")) == std::string::npos) {
        ssize_t r = ::recv(fd, tmp, sizeof tmp, 0);
        if (r <= 0) return 0;
        buf.append(tmp, static_cast<size_t>(r));
      }
      uint64_t n = std::strtoull(buf.c_str(), nullptr, 16);
      buf.erase(0, eol + 2);
      while (buf.size() < n + 2) {
        ssize_t r = ::recv(fd, tmp, sizeof tmp, 0);
        if (r <= 0) return 0;
        buf.append(tmp, static_cast<size_t>(r));
      }
      buf.erase(0, n + 2);
      body_bytes += n;
      if (n == 0) break;
    }
    return status;
  }
  uint64_t have = std::min<uint64_t>(buf.size(), len);
  buf.erase(0, have);
  uint64_t left = len - have;
  while (left > 0) {
    ssize_t r = ::recv(fd, tmp, std::min<uint64_t>(sizeof tmp, left), 0);
    if (r <= 0) return 0;
    left -= static_cast<uint64_t>(r);
  }
  body_bytes += len;
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: %s <port> <bucket> <put|get> <size> <connections> <seconds> [keys]\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  std::string bucket = argv[2], op = argv[3];
  size_t size = std::strtoull(argv[4], nullptr, 10);
  int conns = std::atoi(argv[5]);
  double seconds = std::atof(argv[6]);
  int keys = argc > 7 ? std::atoi(argv[7]) : 100;
  std::string body(size, 'x');
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 26);
  std::atomic<uint64_t> requests{0}, bytes{0}, errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < conns; ++t) {
    threads.emplace_back([&, t] {
      int fd = connect_to(port);
      std::string buf;
      uint64_t n = 0, got = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        std::string key = "obj-" + std::to_string((t * 7919 + n) % static_cast<uint64_t>(keys));
        std::string req;
        if (op == "put") {
          req = "PUT /" + bucket + "/" + key + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                "Content-Length: " + std::to_string(size) + "\r\n\r\n";
          if (!send_all(fd, req.data(), req.size()) || !send_all(fd, body.data(), body.size())) break;
        } else {
          req = "GET /" + bucket + "/" + key + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
          if (!send_all(fd, req.data(), req.size())) break;
        }
        int status = read_response(fd, buf, got);
        if (status != 200) {
          errors++;
          if (status == 0) break;
        }
        ++n;
        requests.fetch_add(1, std::memory_order_relaxed);
      }
      bytes += got;
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads) th.join();
  double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t moved = op == "put" ? requests.load() * size : bytes.load();
  std::printf("{\"op\":\"%s\",\"size\":%zu,\"connections\":%d,\"requests\":%llu,\"errors\":%llu,\"seconds\":%.3f,"
              "\"req_per_s\":%.1f,\"mb_per_s\":%.1f}\n",
              op.c_str(), size, conns, static_cast<unsigned long long>(requests.load()),
              static_cast<unsigned long long>(errors.load()), el, requests.load() / el, moved / el / 1e6);
  return 0;
}
