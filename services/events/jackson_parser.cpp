// Jackson's ReaderBasedJsonParser, reduced to what event patterns need. The comments name the
// Jackson method each step mirrors: positions (and so AWS's error messages) depend on exactly which
// characters each call consumes.
#include "jackson_parser.hpp"

#include <cstdio>

namespace stratus::events::jackson {
namespace {

constexpr size_t kMaxSnippet = 500;  // ErrorReportConfiguration's default content snippet length

const char* type_desc(int t) { return t == 0 ? "root" : t == 1 ? "Array" : "Object"; }

bool identifier_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c >= 0xAA;
}
bool identifier_part(int c) { return identifier_start(c) || (c >= '0' && c <= '9'); }

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and its byte length.
uint32_t decode(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  len = n;
  return cp;
}

int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string char_desc(int c) {
  // ParserMinimalBase._getCharDesc
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return "(CTRL-CHAR, code " + std::to_string(c) + ")";
  std::string ch;
  append_utf8(ch, static_cast<uint32_t>(c));
  if (c > 255) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%x", c);
    return "'" + ch + "' (code " + std::to_string(c) + " / 0x" + hex + ")";
  }
  return "'" + ch + "' (code " + std::to_string(c) + ")";
}

Parser::Parser(std::string_view source) : src_(source) { stack_.push_back(Context{Ctx::root, -1, 1, 0, {}}); }

int Parser::column_at(size_t pos) const {
  // Jackson counts UTF-16 code units; one per UTF-8 sequence, two for supplementary characters.
  int col = 0;
  for (size_t i = row_start_; i < pos && i < src_.size();) {
    size_t n;
    uint32_t cp = decode(src_, i, n);
    col += cp >= 0x10000 ? 2 : 1;
    i += n;
  }
  return col;
}

std::string Parser::location_text(int line, int column) const {
  // JsonLocation.toString() with ContentReference.appendSourceDescription for a String source.
  std::string out = "[Source: (String)\"";
  size_t units = 0, total = 0;
  for (size_t i = 0; i < src_.size();) {
    size_t n;
    uint32_t cp = decode(src_, i, n);
    size_t w = cp >= 0x10000 ? 2 : 1;
    total += w;
    if (units + w <= kMaxSnippet) {
      units += w;
      if ((cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && cp != '\r' && cp != '\n') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04X", cp);
        out += buf;
      } else {
        out.append(src_.substr(i, n));
      }
    }
    i += n;
  }
  out += '"';
  if (total > kMaxSnippet) out += "[truncated " + std::to_string(total - kMaxSnippet) + " chars]";
  out += "; line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
  return out;
}

std::string Parser::location_suffix() const { return "\n at " + location_text(line_, column_at(ptr_) + 1); }

void Parser::fail(std::string_view message) const { throw ParseError(std::string(message) + location_suffix()); }

void Parser::unexpected_char(int c, std::string_view comment) const {
  std::string msg = "Unexpected character (" + char_desc(c) + ")";
  if (!comment.empty()) msg += ": " + std::string(comment);
  fail(msg);
}

void Parser::unexpected_eof(std::string_view detail) const { fail("Unexpected end-of-input" + std::string(detail)); }

void Parser::invalid_token(std::string matched, std::string_view expected) {
  // _reportInvalidToken: extends the token with the identifier characters that follow.
  while (ptr_ < src_.size()) {
    size_t n;
    uint32_t cp = decode(src_, ptr_, n);
    if (!identifier_part(static_cast<int>(cp))) break;
    matched.append(src_.substr(ptr_, n));
    ptr_ += n;
    if (matched.size() >= 256) {
      matched += "...";
      break;
    }
  }
  fail("Unrecognized token '" + matched + "': was expecting " + std::string(expected));
}

const std::string& Parser::current_name() const {
  // ParserBase.getCurrentName: start markers report the name from their parent context.
  if ((cur_ == Token::start_object || cur_ == Token::start_array) && stack_.size() > 1)
    return stack_[stack_.size() - 2].name;
  return ctx().name;
}

int Parser::read_char() {
  if (ptr_ >= src_.size()) return -1;
  size_t n;
  uint32_t cp = decode(src_, ptr_, n);
  ptr_ += n;
  return static_cast<int>(cp);
}

int Parser::skip_ws_or_end() {
  // _skipWSOrEnd / _skipWSOrEnd2; at the end, _handleEOF.
  while (ptr_ < src_.size()) {
    auto c = static_cast<unsigned char>(src_[ptr_]);
    if (c > ' ') {
      int ch = read_char();
      if (ch == '/')
        unexpected_char('/',
                        "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not "
                        "enabled for parser)");
      return ch;
    }
    ++ptr_;
    if (c == ' ' || c == '\t') continue;
    if (c == '\n') {
      ++line_;
      row_start_ = ptr_;
    } else if (c == '\r') {
      if (ptr_ < src_.size() && src_[ptr_] == '\n') ++ptr_;
      ++line_;
      row_start_ = ptr_;
    } else {
      fail("Illegal character (" + char_desc(c) +
           "): only regular white space (\\r, \\n, \\t) is allowed between tokens");
    }
  }
  if (ctx().type != Ctx::root) {
    const Context& c = ctx();
    unexpected_eof(std::string(": expected close marker for ") + (c.type == Ctx::array ? "Array" : "Object") +
                   " (start marker at " + location_text(c.line, c.column) + ")");
  }
  return -1;
}

int Parser::skip_ws_required(const char* eof_context) {
  while (ptr_ < src_.size()) {
    auto c = static_cast<unsigned char>(src_[ptr_]);
    if (c > ' ') {
      int ch = read_char();
      if (ch == '/')
        unexpected_char('/',
                        "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not "
                        "enabled for parser)");
      return ch;
    }
    ++ptr_;
    if (c == ' ' || c == '\t') continue;
    if (c == '\n') {
      ++line_;
      row_start_ = ptr_;
    } else if (c == '\r') {
      if (ptr_ < src_.size() && src_[ptr_] == '\n') ++ptr_;
      ++line_;
      row_start_ = ptr_;
    } else {
      fail("Illegal character (" + char_desc(c) +
           "): only regular white space (\\r, \\n, \\t) is allowed between tokens");
    }
  }
  unexpected_eof(std::string(" within/between ") + eof_context + " entries");
}

int Parser::skip_colon() {
  // _skipColon: optional white space, ':', optional white space, then the value's first character.
  int c = skip_ws_required(type_desc(static_cast<int>(ctx().type)));
  if (c != ':') unexpected_char(c, "was expecting a colon to separate field name and value");
  return skip_ws_required(type_desc(static_cast<int>(ctx().type)));
}

int Parser::skip_comma(int c) {
  if (c != ',')
    unexpected_char(c, std::string("was expecting comma to separate ") + type_desc(static_cast<int>(ctx().type)) +
                           " entries");
  return skip_ws_required(type_desc(static_cast<int>(ctx().type)));
}

void Parser::push(Ctx type) { stack_.push_back(Context{type, -1, token_line_, token_col_, {}}); }

void Parser::close_scope(int c) {
  // _closeScope / _reportMismatchedEndMarker
  token_line_ = line_;
  token_col_ = column_at(ptr_);
  Ctx want = c == ']' ? Ctx::array : Ctx::object;
  if (ctx().type != want) {
    const Context& cx = ctx();
    fail(std::string("Unexpected close marker '") + static_cast<char>(c) + "': expected '" + (c == ']' ? '}' : ']') +
         "' (for " + type_desc(static_cast<int>(cx.type)) + " starting at " + location_text(cx.line, cx.column) +
         ")");
  }
  stack_.pop_back();
  cur_ = c == ']' ? Token::end_array : Token::end_object;
}

Token Parser::next_after_name() {
  Token t = pending_;
  pending_ = Token::none;
  if (t == Token::start_array) push(Ctx::array);
  else if (t == Token::start_object) push(Ctx::object);
  cur_ = t;
  return t;
}

// The body of a quoted name or string value after its opening quote, into `out`. Jackson's
// _parseName and _finishString share these rules and differ only in the wording of two errors.
void Parser::read_quoted(std::string& out, const char* eof_message, const char* unquoted_where) {
  for (;;) {
    if (ptr_ >= src_.size()) unexpected_eof(eof_message);
    auto c = static_cast<unsigned char>(src_[ptr_]);
    if (c == '"') {
      ++ptr_;
      return;
    }
    if (c == '\\') {
      ++ptr_;
      if (ptr_ >= src_.size()) unexpected_eof(" in character escape sequence");
      int e = read_char();
      switch (e) {
        case 'b': out += '\b'; break;
        case 't': out += '\t'; break;
        case 'n': out += '\n'; break;
        case 'f': out += '\f'; break;
        case 'r': out += '\r'; break;
        case '"':
        case '/':
        case '\\': out += static_cast<char>(e); break;
        case 'u': {
          uint32_t v = 0;
          for (int k = 0; k < 4; ++k) {
            if (ptr_ >= src_.size()) unexpected_eof(" in character escape sequence");
            int h = read_char();
            int d = hex_value(h);
            if (d < 0) unexpected_char(h, "expected a hex-digit for character escape sequence");
            v = (v << 4) | static_cast<uint32_t>(d);
          }
          // A surrogate pair arrives as two escapes; join them when they do.
          if (v >= 0xD800 && v <= 0xDBFF && ptr_ + 6 <= src_.size() && src_[ptr_] == '\\' && src_[ptr_ + 1] == 'u') {
            uint32_t lo = 0;
            bool ok = true;
            for (size_t k = 2; k < 6; ++k) {
              int d = hex_value(src_[ptr_ + k]);
              if (d < 0) ok = false;
              lo = (lo << 4) | static_cast<uint32_t>(d < 0 ? 0 : d);
            }
            if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
              ptr_ += 6;
              v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            }
          }
          append_utf8(out, v);
          break;
        }
        default: fail("Unrecognized character escape " + char_desc(e));
      }
      continue;
    }
    if (c < 0x20) {
      ++ptr_;
      fail("Illegal unquoted character (" + char_desc(c) + "): has to be escaped using backslash to be included in " +
           unquoted_where);
    }
    size_t n;
    decode(src_, ptr_, n);
    out.append(src_.substr(ptr_, n));
    ptr_ += n;
  }
}

std::string Parser::parse_name() {
  // _parseName after the opening quote.
  std::string out;
  read_quoted(out, ": was expecting closing '\"' for name", "name");
  return out;
}

void Parser::finish_string() {
  // _finishString: the same rules as names, with the string-value wording.
  incomplete_ = false;
  text_.clear();
  read_quoted(text_, ": was expecting closing quote for a string value", "string value");
}

void Parser::skip_string() { finish_string(); }

Token Parser::parse_number(int c) {
  // _parseNegNumber / _parseUnsignedNumber / _parseFloat; ptr_ is just past `c`.
  size_t start = ptr_ - 1;
  auto peek = [&]() -> int { return ptr_ < src_.size() ? static_cast<unsigned char>(src_[ptr_]) : -1; };
  if (c == '-') {
    int d = read_char();
    if (d < '0' || d > '9') {
      if (d < 0) unexpected_eof(" in a Number value");
      fail("Unexpected character (" + char_desc(d) +
           ") in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value");
    }
    c = d;
  }
  if (c == '0' && peek() >= '0' && peek() <= '9') fail("Invalid numeric value: Leading zeroes not allowed");
  while (peek() >= '0' && peek() <= '9') ++ptr_;
  bool is_float = false;
  if (peek() == '.') {
    is_float = true;
    ++ptr_;
    int digits = 0;
    while (peek() >= '0' && peek() <= '9') {
      ++ptr_;
      ++digits;
    }
    if (digits == 0) {
      int bad = read_char();
      if (bad < 0) unexpected_eof(" in a Number value");
      fail("Unexpected character (" + char_desc(bad) + ") in numeric value: Decimal point not followed by a digit");
    }
  }
  if (peek() == 'e' || peek() == 'E') {
    is_float = true;
    ++ptr_;
    if (peek() == '+' || peek() == '-') ++ptr_;
    int digits = 0;
    while (peek() >= '0' && peek() <= '9') {
      ++ptr_;
      ++digits;
    }
    if (digits == 0) {
      int bad = read_char();
      if (bad < 0) unexpected_eof(" in a Number value");
      fail("Unexpected character (" + char_desc(bad) + ") in numeric value: Exponent indicator not followed by a digit");
    }
  }
  text_ = std::string(src_.substr(start, ptr_ - start));
  return is_float ? Token::value_number_float : Token::value_number_int;
}

void Parser::match_keyword(std::string_view word) {
  // _matchTrue/_matchFalse/_matchNull → _matchToken → _checkMatchEnd
  size_t i = 1;
  for (; i < word.size(); ++i) {
    if (ptr_ >= src_.size() || src_[ptr_] != word[i]) invalid_token(std::string(word.substr(0, i)), "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    ++ptr_;
  }
  if (ptr_ < src_.size()) {
    size_t n;
    int next = static_cast<int>(decode(src_, ptr_, n));
    if (next >= '0' && next != ']' && next != '}' && identifier_part(next))
      invalid_token(std::string(word), "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
  }
}

Token Parser::next_token() {
  if (cur_ == Token::field_name) return next_after_name();
  if (incomplete_) skip_string();
  int c = skip_ws_or_end();
  if (c < 0) {
    cur_ = Token::none;
    return cur_;
  }
  if (c == ']' || c == '}') {
    close_scope(c);
    return cur_;
  }
  if (ctx().expect_comma()) c = skip_comma(c);
  const bool in_object = ctx().type == Ctx::object;
  if (in_object) {
    if (c != '"') unexpected_char(c, "was expecting double-quote to start field name");
    ctx().name = parse_name();
    cur_ = Token::field_name;
    c = skip_colon();
  }
  // _updateLocation: the raw column just past the value's first character.
  token_line_ = line_;
  token_col_ = column_at(ptr_);

  Token t;
  switch (c) {
    case '"':
      incomplete_ = true;
      t = Token::value_string;
      break;
    case '[':
      if (!in_object) push(Ctx::array);
      t = Token::start_array;
      break;
    case '{':
      if (!in_object) push(Ctx::object);
      t = Token::start_object;
      break;
    case '}': unexpected_char(c, "expected a value");
    case 't':
      match_keyword("true");
      t = Token::value_true;
      break;
    case 'f':
      match_keyword("false");
      t = Token::value_false;
      break;
    case 'n':
      match_keyword("null");
      t = Token::value_null;
      break;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': t = parse_number(c); break;
    default: {
      // _handleOddValue
      if (identifier_start(c)) {
        std::string first;
        append_utf8(first, static_cast<uint32_t>(c));
        invalid_token(first, "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
      }
      unexpected_char(c, "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
    }
  }
  if (in_object) {
    pending_ = t;
    return cur_;
  }
  cur_ = t;
  return t;
}

std::string Parser::text() {
  switch (cur_) {
    case Token::field_name: return ctx().name;
    case Token::value_string:
      if (incomplete_) finish_string();
      return text_;
    case Token::value_number_int:
    case Token::value_number_float: return text_;
    case Token::value_true: return "true";
    case Token::value_false: return "false";
    case Token::value_null: return "null";
    case Token::start_object: return "{";
    case Token::end_object: return "}";
    case Token::start_array: return "[";
    case Token::end_array: return "]";
    case Token::none: return "null";  // Java's string concatenation of a null getText()
  }
  return {};
}

}  // namespace stratus::events::jackson
