#pragma once
// JSON as event text: a small document that keeps numbers exactly as written (AWS re-emits an
// event's detail compactly but never rewrites 1.50 as 1.5 or 1E2), compact writing with Jackson's
// escaping, and the JSONPath subset EventBridge accepts in InputPath / InputPathsMap.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::events::json_text {

struct Node {
  enum class Type : uint8_t { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  std::string text;  // string contents, or the number as written
  std::vector<Node> items;
  std::vector<std::pair<std::string, Node>> members;

  const Node* get(std::string_view key) const;
  static Node str(std::string s) {
    Node n;
    n.type = Type::string;
    n.text = std::move(s);
    return n;
  }
};

std::optional<Node> parse(std::string_view text);
void write(const Node& n, std::string& out);
std::string write(const Node& n);
// Validates and removes insignificant white space; nullopt when not JSON.
std::optional<std::string> compact(std::string_view text);
// A JSON string literal.
std::string quote(std::string_view s);
// The escaped contents of a JSON string literal (without the quotes).
void escape_into(std::string_view s, std::string& out);

// $, $.a.b, $.a[0], $.a[*], $.*, $['a b']
class JsonPath {
 public:
  static std::optional<JsonPath> parse(std::string_view path);
  // nullopt when nothing matches; a wildcard yields an array of the matches.
  std::optional<Node> eval(const Node& root) const;
  const std::string& text() const { return text_; }

 private:
  struct Step {
    enum class Kind : uint8_t { key, index, wildcard } kind;
    std::string key;
    size_t index = 0;
  };
  std::string text_;
  std::vector<Step> steps_;
  bool multi_ = false;
};

}  // namespace stratus::events::json_text
