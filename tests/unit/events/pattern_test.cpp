// The event-pattern operators beyond the recorded corpus, each pinned to the AWS documentation page
// that describes it (https://docs.aws.amazon.com/eventbridge/latest/userguide/...).
#include "pattern.hpp"

#include <gtest/gtest.h>

namespace {
using namespace stratus::events::pattern;

bool match(const std::string& pattern, const std::string& event) {
  auto e = FlatEvent::parse(event);
  EXPECT_TRUE(e.has_value()) << event;
  return compile(pattern)->matches(*e);
}

std::string error(const std::string& pattern) {
  try {
    compile(pattern);
  } catch (const InvalidPattern& e) {
    return e.reason;
  }
  return "<valid>";
}

std::string reason(const std::string& pattern) {
  auto r = error(pattern);
  return r.substr(0, r.find('\n'));
}

// eb-create-pattern.html: values in an array are alternatives; every field must match.
TEST(EventPattern, ExactValuesAndFields) {
  const std::string p = R"({"source":["aws.ec2","aws.fargate"],"detail":{"state":["running"]}})";
  EXPECT_TRUE(match(p, R"({"source":"aws.fargate","detail":{"state":"running"}})"));
  EXPECT_FALSE(match(p, R"({"source":"aws.s3","detail":{"state":"running"}})"));
  EXPECT_FALSE(match(p, R"({"source":"aws.ec2","detail":{"state":"stopped"}})"));
  EXPECT_FALSE(match(p, R"({"source":"aws.ec2"})"));
  // Matching is case-sensitive and exact.
  EXPECT_FALSE(match(p, R"({"source":"AWS.EC2","detail":{"state":"running"}})"));
}

// eb-event-patterns-arrays.html: an array in the event matches when any element does.
TEST(EventPattern, EventArrays) {
  const std::string p = R"({"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})";
  EXPECT_TRUE(match(p, R"({"resources":["x","arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]})"));
  EXPECT_FALSE(match(p, R"({"resources":[]})"));
}

// eb-event-patterns-null-values.html: null and "" are different values.
TEST(EventPattern, NullAndEmptyString) {
  EXPECT_TRUE(match(R"({"detail":{"v":[""]}})", R"({"detail":{"v":""}})"));
  EXPECT_FALSE(match(R"({"detail":{"v":[""]}})", R"({"detail":{"v":null}})"));
  EXPECT_TRUE(match(R"({"detail":{"v":[null]}})", R"({"detail":{"v":null}})"));
  EXPECT_FALSE(match(R"({"detail":{"v":[null]}})", R"({"detail":{}})"));
}

// eb-create-pattern-operators.html: prefix, prefix + equals-ignore-case, suffix, suffix + equals-ignore-case.
TEST(EventPattern, PrefixAndSuffix) {
  EXPECT_TRUE(match(R"({"time":[{"prefix":"2017-10-02"}]})", R"({"time":"2017-10-02T18:43:48Z"})"));
  EXPECT_FALSE(match(R"({"time":[{"prefix":"2017-10-02"}]})", R"({"time":"2017-10-03T18:43:48Z"})"));
  EXPECT_TRUE(match(R"({"service":[{"prefix":{"equals-ignore-case":"eventb"}}]})", R"({"service":"EventBridge"})"));
  EXPECT_FALSE(match(R"({"service":[{"prefix":{"equals-ignore-case":"eventb"}}]})", R"({"service":"Lambda"})"));
  EXPECT_TRUE(match(R"({"FileName":[{"suffix":".png"}]})", R"({"FileName":"image.png"})"));
  EXPECT_TRUE(match(R"({"FileName":[{"suffix":{"equals-ignore-case":".png"}}]})", R"({"FileName":"IMAGE.PNG"})"));
  // Prefix matching applies to strings only.
  EXPECT_FALSE(match(R"({"n":[{"prefix":"1"}]})", R"({"n":123})"));
}

// eb-create-pattern-operators.html: equals-ignore-case.
TEST(EventPattern, EqualsIgnoreCase) {
  EXPECT_TRUE(match(R"({"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]})",
                    R"({"detail-type":"EC2 Instance State-change Notification"})"));
  EXPECT_TRUE(match(R"({"x":[{"equals-ignore-case":"ÄRGER"}]})", R"({"x":"ärger"})"));
}

// eb-create-pattern-operators.html: anything-but with a value, a list, numbers, prefix, suffix,
// wildcard and equals-ignore-case. The field must exist; non-strings pass string exclusions.
TEST(EventPattern, AnythingBut) {
  const std::string s = R"({"detail":{"state":[{"anything-but":"initializing"}]}})";
  EXPECT_TRUE(match(s, R"({"detail":{"state":"running"}})"));
  EXPECT_FALSE(match(s, R"({"detail":{"state":"initializing"}})"));
  EXPECT_FALSE(match(s, R"({"detail":{}})"));
  EXPECT_TRUE(match(s, R"({"detail":{"state":7}})"));
  EXPECT_TRUE(match(R"({"x":[{"anything-but":[100,200]}]})", R"({"x":300})"));
  EXPECT_FALSE(match(R"({"x":[{"anything-but":[100,200]}]})", R"({"x":200.0})"));
  EXPECT_TRUE(match(R"({"x":[{"anything-but":[100,200]}]})", R"({"x":"200"})"));
  EXPECT_FALSE(match(R"({"r":[{"anything-but":{"prefix":"us-"}}]})", R"({"r":"us-east-1"})"));
  EXPECT_TRUE(match(R"({"r":[{"anything-but":{"prefix":"us-"}}]})", R"({"r":"eu-west-1"})"));
  EXPECT_FALSE(match(R"({"f":[{"anything-but":{"suffix":".png"}}]})", R"({"f":"a.png"})"));
  EXPECT_FALSE(match(R"({"f":[{"anything-but":{"wildcard":"*/lib/*"}}]})", R"({"f":"/usr/lib/x"})"));
  EXPECT_TRUE(match(R"({"f":[{"anything-but":{"wildcard":["*/lib/*","*.tmp"]}}]})", R"({"f":"/usr/bin/x"})"));
  EXPECT_FALSE(match(R"({"s":[{"anything-but":{"equals-ignore-case":["Stopped","x"]}}]})", R"({"s":"STOPPED"})"));
  // An array passes when one of its elements does.
  EXPECT_TRUE(match(s, R"({"detail":{"state":["initializing","running"]}})"));
}

// eb-create-pattern-operators.html: numeric matching on JSON numbers only.
TEST(EventPattern, Numeric) {
  const std::string p = R"({"detail":{"c":[{"numeric":[">",0,"<=",5]}]}})";
  EXPECT_TRUE(match(p, R"({"detail":{"c":5}})"));
  EXPECT_TRUE(match(p, R"({"detail":{"c":0.000001}})"));
  EXPECT_FALSE(match(p, R"({"detail":{"c":0}})"));
  EXPECT_FALSE(match(p, R"({"detail":{"c":5.000001}})"));
  EXPECT_FALSE(match(p, R"({"detail":{"c":"3"}})"));
  EXPECT_TRUE(match(R"({"x":[{"numeric":["=",301.8]}]})", R"({"x":3.018e2})"));
  EXPECT_TRUE(match(R"({"x":[{"numeric":[">=",-10]}]})", R"({"x":-10})"));
  EXPECT_TRUE(match(R"({"x":[{"numeric":["<",1e9]}]})", R"({"x":999999999.5})"));
  // An exact number pattern compares numerically too.
  EXPECT_TRUE(match(R"({"x":[5]})", R"({"x":5.0})"));
  EXPECT_FALSE(match(R"({"x":[5]})", R"({"x":"5"})"));
}

// eb-create-pattern-operators.html: exists applies to leaf values.
TEST(EventPattern, Exists) {
  EXPECT_TRUE(match(R"({"detail":{"state":[{"exists":false}]}})", R"({"detail":{"other":1}})"));
  EXPECT_FALSE(match(R"({"detail":{"state":[{"exists":false}]}})", R"({"detail":{"state":"x"}})"));
  EXPECT_TRUE(match(R"({"detail":{"state":[{"exists":true}]}})", R"({"detail":{"state":null}})"));
  // An object is not a leaf: it neither exists for exists:true nor blocks exists:false.
  EXPECT_FALSE(match(R"({"detail":{"state":[{"exists":true}]}})", R"({"detail":{"state":{"a":1}}})"));
  EXPECT_TRUE(match(R"({"detail":{"state":[{"exists":false}]}})", R"({"detail":{"state":{"a":1}}})"));
  EXPECT_TRUE(match(R"({"detail":{"state":[{"exists":false}]}})", R"({"detail":{"state":[]}})"));
}

// eb-create-pattern-operators.html: IP address matching (IPv4 and IPv6 CIDR blocks).
TEST(EventPattern, Cidr) {
  const std::string p = R"({"detail":{"ip":[{"cidr":"10.0.0.0/24"}]}})";
  EXPECT_TRUE(match(p, R"({"detail":{"ip":"10.0.0.255"}})"));
  EXPECT_FALSE(match(p, R"({"detail":{"ip":"10.0.1.0"}})"));
  EXPECT_FALSE(match(p, R"({"detail":{"ip":"not-an-ip"}})"));
  EXPECT_TRUE(match(R"({"ip":[{"cidr":"2001:db8::/32"}]})", R"({"ip":"2001:0db8:ffff::1"})"));
  // An IP address given as an exact value matches any spelling of the same address.
  EXPECT_TRUE(match(R"({"ip":["2001:db8::1"]})", R"({"ip":"2001:0DB8:0:0:0:0:0:1"})"));
  EXPECT_EQ(reason(R"({"ip":[{"cidr":"10.0.0.0/32"}]})"), "IPv4 mask bits must be < 32");
  EXPECT_EQ(reason(R"({"ip":[{"cidr":"10.0.0.0/-1"}]})"), "Malformed CIDR, mask bits must not be negative");
  EXPECT_EQ(reason(R"({"ip":[{"cidr":"300.0.0.0/8"}]})"), "Invalid IP address: 300.0.0.0");
  EXPECT_EQ(reason(R"({"ip":[{"cidr":12}]})"), "prefix match pattern must be a string");
}

// eb-create-pattern-operators.html: wildcard matching with '*' and backslash escapes.
TEST(EventPattern, Wildcard) {
  EXPECT_TRUE(match(R"({"f":[{"wildcard":"dir/*.png"}]})", R"({"f":"dir/a/b.png"})"));
  EXPECT_FALSE(match(R"({"f":[{"wildcard":"dir/*.png"}]})", R"({"f":"dir/a.jpg"})"));
  EXPECT_TRUE(match(R"({"f":[{"wildcard":"*"}]})", R"({"f":""})"));
  EXPECT_TRUE(match(R"({"f":[{"wildcard":"a\\*b"}]})", R"({"f":"a*b"})"));
  EXPECT_FALSE(match(R"({"f":[{"wildcard":"a\\*b"}]})", R"({"f":"axb"})"));
  EXPECT_TRUE(match(R"({"f":[{"wildcard":"*a*b*"}]})", R"({"f":"xaxbx"})"));
  EXPECT_EQ(reason(R"({"f":[{"wildcard":"a\\b"}]})"), "Invalid escape character at pos 2");
}

// eb-create-pattern-operators.html: $or across fields, nested inside objects.
TEST(EventPattern, Or) {
  const std::string p = R"({"source":["app"],"$or":[{"detail":{"a":[1]}},{"detail":{"b":[{"exists":true}]}}]})";
  EXPECT_TRUE(match(p, R"({"source":"app","detail":{"a":1}})"));
  EXPECT_TRUE(match(p, R"({"source":"app","detail":{"b":"x"}})"));
  EXPECT_FALSE(match(p, R"({"source":"app","detail":{"a":2}})"));
  EXPECT_FALSE(match(p, R"({"source":"other","detail":{"a":1}})"));
  EXPECT_EQ(reason(R"({"$or":[{"a":["x"]}]})"), "There must have at least 2 Objects in $or relationship.");
  EXPECT_EQ(reason(R"({"$or":{"a":["x"]}})"), "It must be an Array followed with $or.");
  EXPECT_EQ(reason(R"({"$or":[{"prefix":["x"]},{"b":["y"]}]})"),
            "prefix is Ruler reserved fieldName which cannot be used inside $or.");
}

// Fields drawn from one array must come from the same element (event-ruler's array consistency).
TEST(EventPattern, ArrayConsistency) {
  const std::string p = R"({"detail":{"items":{"name":["a"],"size":[2]}}})";
  EXPECT_FALSE(match(p, R"({"detail":{"items":[{"name":"a","size":1},{"name":"b","size":2}]}})"));
  EXPECT_TRUE(match(p, R"({"detail":{"items":[{"name":"b","size":1},{"name":"a","size":2}]}})"));
}

// The same field written nested or dot-joined.
TEST(EventPattern, DotJoinedPaths) {
  EXPECT_TRUE(match(R"({"detail":{"a.b":["x"]}})", R"({"detail":{"a":{"b":"x"}}})"));
  EXPECT_TRUE(match(R"({"detail":{"a":{"b":["x"]}}})", R"({"detail":{"a.b":"x"}})"));
}

// AWS's reasons for invalid patterns (event-ruler's JsonRuleCompiler over Jackson).
TEST(EventPattern, InvalidPatterns) {
  EXPECT_EQ(error(R"(["a"])"), "Filter is not an object\n at [Source: (String)\"[\"a\"]\"; line: 1, column: 2]");
  EXPECT_EQ(reason("{}"), "Empty objects are not allowed");
  EXPECT_EQ(reason(R"({"a":{}})"), "Empty objects are not allowed");
  EXPECT_EQ(reason(R"({"a":[]})"), "Empty arrays are not allowed");
  EXPECT_EQ(reason(R"({"a":[["x"]]})"), "Match value must be String, number, true, false, or null");
  EXPECT_EQ(reason(R"({"a":[{}]})"), "Match expression name not found");
  EXPECT_EQ(reason(R"({"a":[{"prefix":"x","suffix":"y"}]})"), "Only one key allowed in match expression");
  EXPECT_EQ(reason(R"({"a":[{"exists":"true"}]})"), "exists match pattern must be either true or false.");
  EXPECT_EQ(reason(R"({"a":[{"numeric":["<",1,">",0]}]})"), "Too many elements in numeric expression");
  EXPECT_EQ(reason(R"({"a":[{"numeric":[">",5,"<",1]}]})"), "Bottom must be less than top");
  EXPECT_EQ(reason(R"({"a":[{"numeric":["!",1]}]})"), "Unrecognized numeric range operator: !");
  EXPECT_EQ(reason(R"({"a":[{"numeric":[">",1,"=",2]}]})"), "Bad numeric range operator: =");
  EXPECT_EQ(reason(R"({"a":[{"numeric":[1]}]})"), "Invalid member in numeric match: 1");
  EXPECT_EQ(reason(R"({"a":[{"numeric":["<",1e12]}]})"), "Value must be between -5.0E11 and 5.0E11, inclusive");
  EXPECT_EQ(reason(R"({"a":[{"anything-but":{"prefix":""}}]})"), "Null prefix/suffix not allowed");
  EXPECT_EQ(reason(R"({"a":[{"anything-but":["x",1]}]})"),
            "Inside anything but list, either all values are number or string, mixed type is not supported");
  EXPECT_EQ(reason(R"({"a":[{"anything-but":{"contains":"x"}}]})"), "Unsupported anything-but pattern: contains");
  EXPECT_EQ(reason(R"({"a":[{"prefix":{"x":"y"}}]})"), "Unsupported prefix pattern: x");
  EXPECT_EQ(reason(R"({"a":[{"wildcard":"**"}]})"), "Consecutive wildcard characters at pos 1");
  // Malformed JSON gets Jackson's own wording and position.
  EXPECT_EQ(error(R"({"a": [1,}]})"),
            "Unexpected character ('}' (code 125)): expected a value\n at [Source: (String)\"{\"a\": [1,}]}\"; line: 1, "
            "column: 11]");
  EXPECT_EQ(reason(R"({"a": [1,@]})"),
            "Unexpected character ('@' (code 64)): expected a valid value (JSON String, Number, Array, Object or token "
            "'null', 'true' or 'false')");
  EXPECT_EQ(reason(R"({"a" ["x"]})"),
            "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value");
  EXPECT_EQ(reason(R"({a: ["x"]})"),
            "Unexpected character ('a' (code 97)): was expecting double-quote to start field name");
  EXPECT_EQ(reason("not json"),
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or "
            "'false')");
  EXPECT_EQ(reason(R"({"a": ["x"])"),
            "Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)\"{\"a\": "
            "[\"x\"]\"; line: 1, column: 1])");
  // Positions count lines and columns.
  EXPECT_EQ(error("{\n  \"a\": [\n    {\"nope\": 1}]}"),
            "Unrecognized match type nope\n at [Source: (String)\"{\n  \"a\": [\n    {\"nope\": 1}]}\"; line: 3, "
            "column: 15]");
}

TEST(EventPattern, LongPatternSourceIsTruncated) {
  std::string p = R"({"a":[{"bad":")" + std::string(600, 'x') + R"("}]})";
  auto r = error(p);
  EXPECT_NE(r.find("[truncated " + std::to_string(p.size() - 500) + " chars]"), std::string::npos);
}

TEST(PatternIndex, CandidatesBySourceAndDetailType) {
  PatternIndex index;
  index.add(1, compile(R"({"source":["a"]})"));
  index.add(2, compile(R"({"source":["b"],"detail":{"x":[1]}})"));
  index.add(3, compile(R"({"detail-type":["T"]})"));
  index.add(4, compile(R"({"detail":{"x":[1]}})"));
  index.add(5, compile(R"({"source":[{"prefix":"a"}]})"));
  auto run = [&](const std::string& ev) {
    std::vector<uint64_t> hits;
    index.match(*FlatEvent::parse(ev), [&](uint64_t id) { hits.push_back(id); });
    std::sort(hits.begin(), hits.end());
    return hits;
  };
  EXPECT_EQ(run(R"({"source":"a","detail-type":"T","detail":{"x":1}})"), (std::vector<uint64_t>{1, 3, 4, 5}));
  EXPECT_EQ(run(R"({"source":"b","detail-type":"U","detail":{"x":1}})"), (std::vector<uint64_t>{2, 4}));
  index.remove(4);
  EXPECT_EQ(run(R"({"source":"b","detail-type":"U","detail":{"x":1}})"), (std::vector<uint64_t>{2}));
  // Without source or detail-type, another exact-valued field serves as the key; $or branches must agree on it.
  index.add(6, compile(R"({"detail":{"state":["on","off"],"n":[{"numeric":[">",1]}]}})"));
  index.add(7, compile(R"({"$or":[{"detail":{"k":["a"]}},{"detail":{"k":["b"],"z":[1]}}]})"));
  EXPECT_EQ(run(R"({"source":"z","detail":{"state":"off","n":2,"k":"b","z":1}})"), (std::vector<uint64_t>{6, 7}));
  EXPECT_EQ(run(R"({"source":"z","detail":{"state":"idle","n":2,"k":"c"}})"), (std::vector<uint64_t>{}));
}

TEST(ComparableNumber, SixDecimalsWithinHalfATrillion) {
  EXPECT_EQ(comparable_number("1.5"), 1500000);
  EXPECT_EQ(comparable_number("-0"), 0);
  EXPECT_EQ(comparable_number("3.018e2"), 301800000);
  EXPECT_EQ(comparable_number("5e11"), 500000000000000000LL);
  EXPECT_FALSE(comparable_number("5.000001e11").has_value());
  EXPECT_FALSE(comparable_number("0.0000001").has_value());
  EXPECT_EQ(comparable_number("0.1000000"), 100000);
}

}  // namespace
