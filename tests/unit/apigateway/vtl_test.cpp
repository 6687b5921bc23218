// Mapping templates, pinned to the examples of
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
#include "services/apigateway/vtl.hpp"

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::apigateway;

namespace {
std::string run(std::string_view tmpl, std::string body = "{}", json::object context = {}) {
  static vtl::Input in;
  in = vtl::Input{std::move(body), {{"id", "42"}}, {{"q", "x"}, {"name", "me"}}, {{"Authorization", "Bearer t"}}};
  vtl::Variables v;
  v.input = &in;
  v.context = std::move(context);
  v.stage_variables = json::object{{"env", "dev"}};
  return vtl::render(tmpl, v);
}
}  // namespace

TEST(ApigwVtl, InputFunctions) {
  std::string body = R"({"name": "Ann", "age": 7, "tags": ["a", "b"], "nested": {"k": "v"}})";
  EXPECT_EQ(run("$input.path('$.name')", body), "Ann");
  EXPECT_EQ(run("$input.json('$.tags')", body), R"(["a","b"])");
  EXPECT_EQ(run("$input.json('$.nested')", body), R"({"k":"v"})");
  EXPECT_EQ(run("$input.path('$.nested')", body), "{k=v}");
  EXPECT_EQ(run("$input.path('$.tags').size()", body), "2");
  EXPECT_EQ(run("$input.path('$.tags[1]')", body), "b");
  EXPECT_EQ(run("$input.body", "raw text"), "raw text");
  EXPECT_EQ(run("$input.params('id')/$input.params('q')/$input.params('Authorization')"), "42/x/Bearer t");
  EXPECT_EQ(run("$input.params().querystring.name"), "me");
  EXPECT_EQ(run("[$input.params('missing')]"), "[]");
}

TEST(ApigwVtl, SetIfForeach) {
  std::string body = R"({"items": [{"n": 1}, {"n": 2}, {"n": 3}]})";
  std::string tmpl = R"(#set($inputRoot = $input.path('$'))
[
#foreach($elem in $inputRoot.items)
  {"n": $elem.n}#if($foreach.hasNext),#end
#end
])";
  EXPECT_EQ(run(tmpl, body), "[\n  {\"n\": 1},\n  {\"n\": 2},\n  {\"n\": 3}\n]");
  EXPECT_EQ(run("#if($input.path('$.a') == 1)one#elseif($input.path('$.a') > 1)many#{else}none#end", R"({"a": 5})"), "many");
  EXPECT_EQ(run("#set($x = 3 + 4 * 2)$x"), "11");
  EXPECT_EQ(run("#set($s = \"a-$input.params('id')\")$s"), "a-42");
  EXPECT_EQ(run("#set($m = {})#set($d = $m.put('k', 'v'))$m.k"), "v");
  EXPECT_EQ(run("#set($l = [])#set($d = $l.add(1))#set($d = $l.add(2))$l"), "[1, 2]");
  EXPECT_EQ(run("#foreach($i in [1..3])$velocityCount#end"), "123");
  EXPECT_EQ(run("#foreach($k in $input.path('$').keySet())$k,#end", R"({"a":1,"b":2})"), "a,b,");
  EXPECT_EQ(run("## comment\n#* block *#ok"), "ok");
  EXPECT_EQ(run("$!{undefined}|$undefined"), "|");
}

TEST(ApigwVtl, UtilContextStageVariables) {
  EXPECT_EQ(run("$util.escapeJavaScript(\"it's \\\"x\\\"\")"), "it\\'s \\\"x\\\"");
  EXPECT_EQ(run("$util.parseJson('{\"a\":[1,2]}').a.get(1)"), "2");
  EXPECT_EQ(run("$util.base64Encode('hi')/$util.base64Decode('aGk=')"), "aGk=/hi");
  EXPECT_EQ(run("$util.urlEncode('a b&c')"), "a+b%26c");
  json::object ctx{{"requestId", "r-1"}, {"identity", json::object{{"sourceIp", "1.2.3.4"}}},
                   {"authorizer", json::object{{"principalId", "user"}}}};
  EXPECT_EQ(run("$context.requestId $context.identity.sourceIp $context.authorizer.principalId", "{}", ctx), "r-1 1.2.3.4 user");
  EXPECT_EQ(run("$stageVariables.env"), "dev");
}

TEST(ApigwVtl, StringMethodsAndComparisons) {
  EXPECT_EQ(run("#set($s = 'Hello')$s.toLowerCase() $s.length() $s.substring(1, 3) $s.replace('l', 'L')"), "hello 5 el HeLLo");
  EXPECT_EQ(run("#if('a' == 'a' && !(1 > 2))yes#end"), "yes");
  EXPECT_EQ(run("#if($input.params('missing') == '')empty#end"), "empty");
}

TEST(ApigwVtl, SyntaxErrors) {
  EXPECT_THROW(run("#if($x)unterminated"), vtl::Error);
  EXPECT_THROW(run("#set($x = )"), vtl::Error);
  EXPECT_THROW(run("#foreach($i in [1..1000000])#end"), vtl::Error);
}

TEST(ApigwVtl, JsonPath) {
  json::value doc = json::parse(R"({"a": {"b": [1, {"c": 2}]}, "x y": 3})");
  EXPECT_EQ(vtl::json_path(doc, "$.a.b[1].c"), 2);
  EXPECT_EQ(vtl::json_path(doc, "$['x y']"), 3);
  EXPECT_EQ(vtl::json_path(doc, "$.a.b[-1].c"), 2);
  EXPECT_TRUE(vtl::json_path(doc, "$.nope").is_null());
  EXPECT_EQ(vtl::json_path(doc, "$..c"), json::parse("[2]"));
}
