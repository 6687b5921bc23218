#pragma once
// IP address literals as EventBridge patterns read them (event-ruler's CIDR class over Java's
// InetAddress): dotted-quad IPv4 or hex-and-colons IPv6, nothing that would need DNS.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::events::ip {

using Bytes = std::vector<uint8_t>;  // 4 or 16 bytes

// True when the text has the shape of an address (Java's regexes [0-9]+(\.[0-9]+){3} or
// [0-9a-fA-F:]*:[0-9a-fA-F:]*); only such texts are ever treated as addresses.
bool looks_like_ip(std::string_view s);
// The address bytes, or nullopt when it does not look like an address or is not a valid one.
// IPv4-mapped IPv6 addresses come back as 4 bytes, as Java returns an Inet4Address for them.
std::optional<Bytes> parse(std::string_view s);

struct Range {
  Bytes lo, hi;  // inclusive, same length
  bool contains(const Bytes& a) const;
};

// A "cidr" pattern value; throws std::invalid_argument with AWS's message ("Malformed CIDR, one
// '/' required", "Nonstandard IP address: x", ...).
Range cidr(std::string_view text);

}  // namespace stratus::events::ip
