// Every AWS-recorded TestEventPattern case (tests/data/eventbridge-patterns.json): the match result,
// and for invalid patterns AWS's exact message including Jackson's location suffix.
#include "pattern.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace {
using namespace stratus::events::pattern;
namespace json = boost::json;

json::array load_cases() {
  auto path = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "data" / "eventbridge-patterns.json";
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return json::parse(ss.str()).as_object().at("cases").as_array();
}

TEST(EventPatternConformance, EveryRecordedCase) {
  auto cases = load_cases();
  ASSERT_GE(cases.size(), 76u);
  for (auto& cv : cases) {
    auto& c = cv.as_object();
    std::string name(c.at("name").as_string());
    std::string expected(c.at("expected").as_string());
    std::string pattern(c.at("event_pattern_json").as_string());
    std::string event(c.at("event_json").as_string());
    SCOPED_TRACE(name);
    if (expected == "error") {
      try {
        compile(pattern);
        ADD_FAILURE() << "expected InvalidEventPatternException";
      } catch (const InvalidPattern& e) {
        std::string got = "Event pattern is not valid. Reason: " + e.reason;
        std::string raw(c.at("error_message_raw").as_string());
        std::string trimmed(c.at("error_message").as_string());
        EXPECT_EQ(got.substr(0, got.find('\n')), trimmed);
        // The recorded raw message had AWS identifiers replaced (<partition>, <region>) by the
        // recorder; compare those byte for byte after the same replacement.
        if (raw.find('<') == std::string::npos) EXPECT_EQ(got, raw);
        else EXPECT_EQ(got.substr(got.rfind("line:")), raw.substr(raw.rfind("line:")));
      }
      continue;
    }
    auto p = compile(pattern);
    auto e = FlatEvent::parse(event);
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(p->matches(*e), expected == "match");
  }
}

}  // namespace
