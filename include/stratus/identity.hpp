#pragma once
// Who is calling: access key id → account and principal. A 12-digit access key id is the account;
// keys STS issued (AssumeRole, GetSessionToken) map to the account and identity they were issued
// for; anything else is account 000000000000.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace stratus {

inline constexpr std::string_view kDefaultAccount = "000000000000";
inline constexpr std::string_view kDefaultRegion = "us-east-1";

struct Principal {
  std::string account_id;
  std::string arn;       // arn:aws:iam::000000000000:root, arn:aws:sts::...:assumed-role/r/s
  std::string user_id;   // AIDA..., AROA...:session
  std::string secret_access_key;
  std::string session_token;
  double expiration = 0; // epoch seconds; 0 = none
};

class Identities {
 public:
  void add(const std::string& access_key_id, Principal p) { keys_[access_key_id] = std::move(p); }
  void clear() { keys_.clear(); }
  const Principal* find(std::string_view access_key_id) const {
    if (keys_.empty()) return nullptr;
    auto it = keys_.find(access_key_id);
    return it == keys_.end() ? nullptr : &it->second;
  }
  std::string account_for(std::string_view access_key_id) const;
  static bool is_account_id(std::string_view s);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Principal, Hash, std::equal_to<>> keys_;
};

}  // namespace stratus
