#include <stratus/identity.hpp>

namespace stratus {

bool Identities::is_account_id(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string Identities::account_for(std::string_view akid) const {
  if (auto* p = find(akid)) return p->account_id;
  if (is_account_id(akid)) return std::string(akid);
  return std::string(kDefaultAccount);
}

}  // namespace stratus
