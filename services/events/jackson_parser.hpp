#pragma once
// A pull parser over JSON text that behaves like the Jackson streaming parser EventBridge compiles
// event patterns with: the same tokens, the same lazily-read string values, the same positions
// (line/column after the last consumed character) and the same error messages. AWS's
// InvalidEventPatternException texts embed Jackson's location suffix
//   "\n at [Source: (String)\"<pattern>\"; line: 1, column: 66]"
// so reproducing the parser's position bookkeeping is what makes those messages byte-exact
// (pinned by the error cases in tests/data/eventbridge-patterns.json).
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::events::jackson {

enum class Token : uint8_t {
  none,
  start_object,
  end_object,
  start_array,
  end_array,
  field_name,
  value_string,
  value_number_int,
  value_number_float,
  value_true,
  value_false,
  value_null,
};

inline bool is_numeric(Token t) { return t == Token::value_number_int || t == Token::value_number_float; }

// JsonProcessingException.getMessage(): the message followed by the location suffix.
struct ParseError : std::exception {
  std::string message;
  explicit ParseError(std::string m) : message(std::move(m)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

class Parser {
 public:
  explicit Parser(std::string_view source);

  // JsonParser.nextToken(); Token::none at the end of the root level.
  Token next_token();
  Token current() const { return cur_; }
  // JsonParser.getCurrentName()
  const std::string& current_name() const;
  // JsonParser.getText(): completes a string value that was only opened so far.
  std::string text();

  // throw new JsonParseException(parser, message) at the current location.
  [[noreturn]] void fail(std::string_view message) const;
  // "\n at [Source: (String)\"...\"; line: L, column: C]" for the current position.
  std::string location_suffix() const;

 private:
  enum class Ctx : uint8_t { root, array, object };
  struct Context {
    Ctx type;
    int index = -1;
    int line = 1, column = 0;  // where it started (Jackson's raw token column)
    std::string name;
    bool expect_comma() { return ++index > 0 && type != Ctx::root; }
  };

  int read_char();  // the next code point, advancing; -1 at the end
  int skip_ws_or_end();
  int skip_ws_required(const char* eof_context);
  int skip_colon();
  int skip_comma(int c);
  void close_scope(int c);
  Token next_after_name();
  void read_quoted(std::string& out, const char* eof_message, const char* unquoted_where);
  std::string parse_name();
  void finish_string();
  void skip_string();
  Token parse_number(int c);
  void match_keyword(std::string_view word);
  [[noreturn]] void unexpected_char(int c, std::string_view comment) const;
  [[noreturn]] void invalid_token(std::string matched, std::string_view expected);
  [[noreturn]] void unexpected_eof(std::string_view detail) const;
  std::string location_text(int line, int column) const;
  int column_at(size_t pos) const;
  Context& ctx() { return stack_.back(); }
  const Context& ctx() const { return stack_.back(); }
  void push(Ctx type);

  std::string_view src_;
  size_t ptr_ = 0;
  int line_ = 1;
  size_t row_start_ = 0;
  int token_line_ = 1, token_col_ = 0;
  Token cur_ = Token::none;
  Token pending_ = Token::none;  // the value after a field name, already started
  bool incomplete_ = false;       // a string value opened but not read
  std::string text_;              // string/number text of the current value
  std::vector<Context> stack_;
};

// Jackson's description of a character in error messages: "'x' (code 120)", "(CTRL-CHAR, code 10)".
std::string char_desc(int c);

}  // namespace stratus::events::jackson
