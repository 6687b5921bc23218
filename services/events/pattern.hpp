#pragma once
// The EventBridge event-pattern language: parse → compile → match. Pure (no I/O, no service
// state), so SNS filter policies and Pipes filters can reuse it.
//
//   auto p = pattern::compile(R"({"source": ["aws.ec2"], "detail": {"state": [{"anything-but": "x"}]}})");
//   auto e = pattern::FlatEvent::parse(event_json);      // flattened once per event
//   bool hit = p->matches(*e);
//
// Semantics follow AWS's own matcher (the open-source aws/event-ruler library EventBridge runs):
// events and patterns are flattened into dot-joined paths ({"a":{"b":1}} and {"a.b":1} are the
// same field), array elements are values of one path, comparison operators apply to leaf values
// only, fields drawn from one array must come from the same element ("array consistency"),
// numbers compare exactly to six decimals within ±5e11, IP addresses compare canonically. See
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
// Invalid patterns raise InvalidPattern with AWS's reason text (Jackson location included).
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stratus::events::pattern {

// "Event pattern is not valid. Reason: " + reason is the InvalidEventPatternException message.
struct InvalidPattern : std::exception {
  std::string reason;
  explicit InvalidPattern(std::string r) : reason(std::move(r)) {}
  const char* what() const noexcept override { return reason.c_str(); }
};

enum class Kind : uint8_t { string, number, boolean_true, boolean_false, null };

// An event flattened into leaf values, sorted by path.
class FlatEvent {
 public:
  struct Field {
    std::string_view path;
    uint64_t path_hash = 0;
    std::string_view text;          // string contents (unescaped), or the number / literal as written
    Kind kind;
    bool has_number = false;        // a number within the comparable range
    int64_t number = 0;             // value × 10^6
    uint32_t arrays_begin = 0, arrays_end = 0;  // [begin, end) into array_refs()
  };
  struct ArrayRef {
    uint32_t array;                 // which array (unique within the event)
    uint32_t index;                 // which element of it
  };

  // nullopt when `json` is not a JSON object.
  static std::optional<FlatEvent> parse(std::string_view json);

  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<ArrayRef>& array_refs() const { return refs_; }
  // The fields at `path` (contiguous); `hash` is path_hash(path), for callers that keep it.
  std::pair<const Field*, const Field*> at(std::string_view path) const { return at(path, path_hash(path)); }
  std::pair<const Field*, const Field*> at(std::string_view path, uint64_t hash) const;
  static uint64_t path_hash(std::string_view path);

 private:
  friend struct FlatBuilder;
  std::unique_ptr<std::string> arena_;  // stable storage for paths and unescaped strings
  std::vector<Field> fields_;
  std::vector<ArrayRef> refs_;
};

// Scales a JSON number to an integer count of millionths, as AWS compares numbers: nullopt when
// it has more than six significant decimals or lies outside ±5e11.
std::optional<int64_t> comparable_number(std::string_view text);

class Pattern {
 public:
  bool matches(const FlatEvent& event) const;
  const std::string& source() const { return source_; }

  // For indexes: when every branch of the pattern requires `path` to be one of a set of exact
  // strings, those strings (else empty).
  const std::vector<std::string>& exact_values(std::string_view path) const;
  const std::unordered_map<std::string, std::vector<std::string>>& exact_fields() const { return exact_; }

  struct Test;
  struct FieldRule;
  struct Branch;

 private:
  friend std::shared_ptr<const Pattern> compile(std::string_view json);
  friend struct Compiler;
  std::string source_;
  std::vector<Branch> branches_;
  std::unordered_map<std::string, std::vector<std::string>> exact_;
  Pattern();
 public:
  ~Pattern();
};

// Throws InvalidPattern.
std::shared_ptr<const Pattern> compile(std::string_view json);

// Rules indexed on a field every branch requires to be one of a few exact strings (source, else
// detail-type, else any such field), so matching an event costs the rules that could match it, not
// all rules of a bus. Rules without such a field are tried for every event.
class PatternIndex {
 public:
  void add(uint64_t id, std::shared_ptr<const Pattern> p);
  void remove(uint64_t id);
  void clear();
  size_t size() const { return patterns_.size(); }
  // Calls fn(id) for every pattern that matches.
  template <class F>
  void match(const FlatEvent& e, F&& fn) const {
    candidates(e, scratch_);
    for (const Candidate& c : scratch_)
      if (c.pattern->matches(e)) fn(c.id);
  }

 private:
  struct Entry {
    std::shared_ptr<const Pattern> pattern;
    std::string key_path;  // empty: unindexed
    std::vector<std::string> keys;
  };
  struct Candidate {
    uint64_t id;
    const Pattern* pattern;
    bool operator<(const Candidate& o) const { return id < o.id; }
    bool operator==(const Candidate& o) const { return id == o.id; }
  };
  void candidates(const FlatEvent& e, std::vector<Candidate>& out) const;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<uint64_t, Entry> patterns_;
  struct KeyIndex {
    uint64_t path_hash = 0;
    std::unordered_map<std::string, std::vector<Candidate>, Hash, std::equal_to<>> values;
  };
  std::unordered_map<std::string, KeyIndex> by_path_;
  std::vector<Candidate> unindexed_;
  mutable std::vector<Candidate> scratch_;
};

}  // namespace stratus::events::pattern
