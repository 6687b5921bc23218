#pragma once
// Cognito's SQLite schema. Every row is keyed by (account, region); pools, clients, users and groups
// keep their AWS-facing settings as a JSON document next to the columns queries need.
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stratus::cognito {

struct Pool {
  std::string account, region, id, name;
  double created = 0;
  json::object doc;        // the pool's settings as DescribeUserPool shows them (minus computed members)
  std::string key_pem, kid;
};

struct Client {
  std::string account, region, pool_id, id;
  json::object doc;        // UserPoolClientType
};

struct User {
  std::string username, sub;
  json::object doc;        // attributes, status, enabled, dates, password material
};

struct Group {
  std::string name;
  json::object doc;        // GroupType
};

struct RefreshToken {
  std::string token, pool_id, client_id, username, origin_jti;
  double issued = 0;
  bool revoked = false;
};

struct Code {
  std::string account, region, pool_id, username, purpose, code, destination;
  double created = 0;
};

class Store {
 public:
  void open(store::Database& db);
  void wipe();

  std::optional<Pool> pool(const std::string& id);
  std::vector<Pool> pools(const std::string& account, const std::string& region);
  void put_pool(const Pool& p);
  void delete_pool(const Pool& p);

  std::optional<Client> client(const std::string& id);
  std::vector<Client> clients(const Pool& p);
  void put_client(const Client& c);
  void delete_client(const Client& c);

  std::optional<User> user(const Pool& p, const std::string& username);
  std::optional<User> user_by_sub(const Pool& p, const std::string& sub);
  std::vector<User> users(const Pool& p);
  void put_user(const Pool& p, const User& u);
  void delete_user(const Pool& p, const std::string& username);

  std::optional<Group> group(const Pool& p, const std::string& name);
  std::vector<Group> groups(const Pool& p);
  void put_group(const Pool& p, const Group& g);
  void delete_group(const Pool& p, const std::string& name);
  void add_member(const Pool& p, const std::string& group, const std::string& username);
  void remove_member(const Pool& p, const std::string& group, const std::string& username);
  std::vector<std::string> groups_of(const Pool& p, const std::string& username);  // by precedence, then name
  std::vector<std::string> members_of(const Pool& p, const std::string& group);

  void put_refresh(const Pool& p, const RefreshToken& t);
  std::optional<RefreshToken> refresh(const std::string& token);
  bool origin_revoked(const std::string& origin_jti);
  void revoke_refresh(const std::string& token);
  void revoke_user_tokens(const Pool& p, const std::string& username);

  void put_code(const Code& c);
  std::optional<Code> code(const Pool& p, const std::string& username, const std::string& purpose);
  void delete_code(const Pool& p, const std::string& username, const std::string& purpose);
  std::vector<Code> codes(const std::string& pool_id);  // empty id: all

 private:
  store::Database* db_ = nullptr;
};

}  // namespace stratus::cognito
