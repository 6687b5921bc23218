#include "json_text.hpp"

#include <cstdio>

namespace stratus::events::json_text {
namespace {

struct Reader {
  std::string_view in;
  size_t p = 0;
  int depth = 0;

  void ws() {
    while (p < in.size() && (in[p] == ' ' || in[p] == '\t' || in[p] == '\n' || in[p] == '\r')) ++p;
  }
  static void utf8(std::string& out, uint32_t cp) {
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
  bool hex4(uint32_t& v) {
    if (p + 4 > in.size()) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
      char x = in[p++];
      int d = x >= '0' && x <= '9' ? x - '0' : x >= 'a' && x <= 'f' ? x - 'a' + 10 : x >= 'A' && x <= 'F' ? x - 'A' + 10 : -1;
      if (d < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(d);
    }
    return true;
  }
  bool string(std::string& out) {
    ++p;  // opening quote
    for (;;) {
      if (p >= in.size()) return false;
      auto c = static_cast<unsigned char>(in[p]);
      if (c == '"') {
        ++p;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        out += static_cast<char>(c);
        ++p;
        continue;
      }
      if (++p >= in.size()) return false;
      char e = in[p++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t v;
          if (!hex4(v)) return false;
          if (v >= 0xD800 && v <= 0xDBFF && p + 1 < in.size() && in[p] == '\\' && in[p + 1] == 'u') {
            size_t save = p;
            p += 2;
            uint32_t lo;
            if (hex4(lo) && lo >= 0xDC00 && lo <= 0xDFFF) v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            else p = save;
          }
          utf8(out, v);
          break;
        }
        default: return false;
      }
    }
  }
  bool number(std::string& out) {
    size_t s = p;
    if (p < in.size() && in[p] == '-') ++p;
    if (p >= in.size() || in[p] < '0' || in[p] > '9') return false;
    if (in[p] == '0') ++p;
    else
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
    if (p < in.size() && in[p] == '.') {
      ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return false;
    }
    if (p < in.size() && (in[p] == 'e' || in[p] == 'E')) {
      ++p;
      if (p < in.size() && (in[p] == '+' || in[p] == '-')) ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return false;
    }
    out.assign(in.substr(s, p - s));
    return true;
  }
  bool value(Node& n) {
    ws();
    if (p >= in.size()) return false;
    char c = in[p];
    if (c == '{') {
      if (++depth > 512) return false;
      n.type = Node::Type::object;
      ++p;
      ws();
      if (p < in.size() && in[p] == '}') {
        ++p;
        --depth;
        return true;
      }
      for (;;) {
        ws();
        if (p >= in.size() || in[p] != '"') return false;
        std::string key;
        if (!string(key)) return false;
        ws();
        if (p >= in.size() || in[p] != ':') return false;
        ++p;
        Node v;
        if (!value(v)) return false;
        n.members.emplace_back(std::move(key), std::move(v));
        ws();
        if (p >= in.size()) return false;
        if (in[p] == ',') {
          ++p;
          continue;
        }
        if (in[p] == '}') {
          ++p;
          --depth;
          return true;
        }
        return false;
      }
    }
    if (c == '[') {
      if (++depth > 512) return false;
      n.type = Node::Type::array;
      ++p;
      ws();
      if (p < in.size() && in[p] == ']') {
        ++p;
        --depth;
        return true;
      }
      for (;;) {
        Node v;
        if (!value(v)) return false;
        n.items.push_back(std::move(v));
        ws();
        if (p >= in.size()) return false;
        if (in[p] == ',') {
          ++p;
          continue;
        }
        if (in[p] == ']') {
          ++p;
          --depth;
          return true;
        }
        return false;
      }
    }
    if (c == '"') {
      n.type = Node::Type::string;
      return string(n.text);
    }
    if (in.substr(p, 4) == "true") {
      p += 4;
      n.type = Node::Type::boolean;
      n.boolean = true;
      return true;
    }
    if (in.substr(p, 5) == "false") {
      p += 5;
      n.type = Node::Type::boolean;
      return true;
    }
    if (in.substr(p, 4) == "null") {
      p += 4;
      n.type = Node::Type::null;
      return true;
    }
    n.type = Node::Type::number;
    return number(n.text);
  }
};

}  // namespace

const Node* Node::get(std::string_view key) const {
  if (type != Type::object) return nullptr;
  for (auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}

std::optional<Node> parse(std::string_view text) {
  Reader r{text};
  Node n;
  if (!r.value(n)) return std::nullopt;
  r.ws();
  if (r.p != text.size()) return std::nullopt;
  return n;
}

void escape_into(std::string_view s, std::string& out) {
  // Jackson's default escaping: quote, backslash and control characters; UTF-8 passes through.
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  escape_into(s, out);
  out += '"';
  return out;
}

void write(const Node& n, std::string& out) {
  switch (n.type) {
    case Node::Type::null: out += "null"; break;
    case Node::Type::boolean: out += n.boolean ? "true" : "false"; break;
    case Node::Type::number: out += n.text; break;
    case Node::Type::string:
      out += '"';
      escape_into(n.text, out);
      out += '"';
      break;
    case Node::Type::array:
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i) out += ',';
        write(n.items[i], out);
      }
      out += ']';
      break;
    case Node::Type::object:
      out += '{';
      for (size_t i = 0; i < n.members.size(); ++i) {
        if (i) out += ',';
        out += '"';
        escape_into(n.members[i].first, out);
        out += "\":";
        write(n.members[i].second, out);
      }
      out += '}';
      break;
  }
}

std::string write(const Node& n) {
  std::string out;
  write(n, out);
  return out;
}

std::optional<std::string> compact(std::string_view text) {
  auto n = parse(text);
  if (!n) return std::nullopt;
  return write(*n);
}

std::optional<JsonPath> JsonPath::parse(std::string_view path) {
  JsonPath jp;
  jp.text_ = std::string(path);
  size_t i = 0;
  while (i < path.size() && path[i] == ' ') ++i;
  if (i >= path.size() || path[i] != '$') return std::nullopt;
  ++i;
  auto name_char = [](char c) {
    return c != '.' && c != '[' && c != ']' && c != ' ' && c != '\'' && c != '"';
  };
  while (i < path.size()) {
    char c = path[i];
    if (c == '.') {
      ++i;
      if (i < path.size() && path[i] == '*') {
        jp.steps_.push_back({Step::Kind::wildcard, {}, 0});
        jp.multi_ = true;
        ++i;
        continue;
      }
      size_t s = i;
      while (i < path.size() && name_char(path[i])) ++i;
      if (i == s) return std::nullopt;
      jp.steps_.push_back({Step::Kind::key, std::string(path.substr(s, i - s)), 0});
    } else if (c == '[') {
      ++i;
      if (i < path.size() && path[i] == '*') {
        ++i;
        if (i >= path.size() || path[i] != ']') return std::nullopt;
        ++i;
        jp.steps_.push_back({Step::Kind::wildcard, {}, 0});
        jp.multi_ = true;
        continue;
      }
      if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
        char q = path[i++];
        size_t s = i;
        while (i < path.size() && path[i] != q) ++i;
        if (i + 1 >= path.size() || path[i + 1] != ']') return std::nullopt;
        jp.steps_.push_back({Step::Kind::key, std::string(path.substr(s, i - s)), 0});
        i += 2;
        continue;
      }
      size_t s = i;
      size_t v = 0;
      while (i < path.size() && path[i] >= '0' && path[i] <= '9') v = v * 10 + static_cast<size_t>(path[i++] - '0');
      if (i == s || i >= path.size() || path[i] != ']') return std::nullopt;
      ++i;
      jp.steps_.push_back({Step::Kind::index, {}, v});
    } else if (c == ' ') {
      ++i;
      while (i < path.size() && path[i] == ' ') ++i;
      if (i != path.size()) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return jp;
}

std::optional<Node> JsonPath::eval(const Node& root) const {
  std::vector<const Node*> cur{&root};
  for (const Step& st : steps_) {
    std::vector<const Node*> next;
    for (const Node* n : cur) {
      switch (st.kind) {
        case Step::Kind::key:
          if (const Node* v = n->get(st.key)) next.push_back(v);
          break;
        case Step::Kind::index:
          if (n->type == Node::Type::array && st.index < n->items.size()) next.push_back(&n->items[st.index]);
          break;
        case Step::Kind::wildcard:
          if (n->type == Node::Type::array)
            for (auto& v : n->items) next.push_back(&v);
          else if (n->type == Node::Type::object)
            for (auto& [k, v] : n->members) next.push_back(&v);
          break;
      }
    }
    cur = std::move(next);
    if (cur.empty()) return std::nullopt;
  }
  if (!multi_) return *cur.front();
  Node arr;
  arr.type = Node::Type::array;
  for (const Node* n : cur) arr.items.push_back(*n);
  return arr;
}

}  // namespace stratus::events::json_text
