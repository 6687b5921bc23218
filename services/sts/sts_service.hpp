#pragma once
// AWS Security Token Service (query protocol): who am I, and temporary credentials that the rest
// of Stratus recognises (requests signed with them act as the assumed role's account).
#include <stratus/identity.hpp>
#include <stratus/service.hpp>

namespace stratus::store {
class Database;
}

namespace stratus::sts {

class StsService final : public Service {
 public:
  StsService();
  void start(Env& env) override;
  void reset() override;

 private:
  Output get_caller_identity(Call& c);
  Output assume_role(Call& c);
  Output assume_role_with_web_identity(Call& c);
  Output assume_role_with_saml(Call& c);
  Output get_session_token(Call& c);
  Output get_federation_token(Call& c);
  Output get_access_key_info(Call& c);

  // Issues credentials for `p`, records them (store + identities) and returns the Credentials shape.
  json::object issue(Principal p, int64_t duration_seconds);
  store::Database& db();
  void restore();
  store::Database* db_ = nullptr;  // opened on first use
};

}  // namespace stratus::sts
