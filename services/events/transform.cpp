#include "transform.hpp"

#include <stdexcept>

namespace stratus::events::transform {

using json_text::Node;

bool is_reserved_variable(std::string_view name) {
  return name == "aws.events.rule-arn" || name == "aws.events.rule-name" ||
         name == "aws.events.event.ingestion-time" || name == "aws.events.event" || name == "aws.events.event.json";
}

namespace {

bool placeholder_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

// <aws.events.event>: the envelope without detail, in the shape AWS delivers it (detail-type as
// detailType, version last).
Node envelope_without_detail(const Node& event) {
  Node out;
  out.type = Node::Type::object;
  for (const char* key : {"id", "account", "detail-type", "time", "source", "region", "resources", "version"})
    if (const Node* v = event.get(key)) out.members.emplace_back(std::string_view(key) == "detail-type" ? "detailType" : key, *v);
  return out;
}

// An object or array written into a string literal, its quotes removed.
void unquoted_into(const Node& v, std::string& out) {
  std::string text = json_text::write(v);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '"') {
      ++i;
      continue;
    }
    if (text[i] != '"') out += text[i];
  }
}

}  // namespace

std::optional<std::string> invalid_placeholder(std::string_view tmpl, const std::map<std::string, std::string>& paths) {
  for (size_t i = tmpl.find('<'); i != std::string_view::npos; i = tmpl.find('<', i + 1)) {
    size_t j = i + 1;
    while (j < tmpl.size() && placeholder_char(tmpl[j])) ++j;
    if (j == i + 1 || j >= tmpl.size() || tmpl[j] != '>') continue;
    std::string name(tmpl.substr(i + 1, j - i - 1));
    if (!is_reserved_variable(name) && !paths.contains(name)) return name;
  }
  return std::nullopt;
}

InputTransformer::InputTransformer(const std::map<std::string, std::string>& paths, std::string input_template)
    : template_(std::move(input_template)) {
  for (auto& [name, path] : paths) {
    auto jp = json_text::JsonPath::parse(path);
    if (!jp) throw std::invalid_argument("Input path `" + path + "` for variable `" + name + "` is not a valid JSON path.");
    paths_.emplace(name, std::move(*jp));
  }
  size_t i = 0;
  while (i < template_.size() && (template_[i] == ' ' || template_[i] == '\n' || template_[i] == '\t' || template_[i] == '\r')) ++i;
  json_mode_ = i < template_.size() && (template_[i] == '{' || template_[i] == '[' || template_[i] == '"');
}

std::string InputTransformer::apply(const Node& event, const Predefined& vars) const {
  std::string out;
  out.reserve(template_.size() + 64);
  bool in_string = false;
  for (size_t i = 0; i < template_.size(); ++i) {
    char c = template_[i];
    if (json_mode_ && in_string && c == '\\' && i + 1 < template_.size()) {
      out += c;
      out += template_[++i];
      continue;
    }
    if (json_mode_ && c == '"') {
      in_string = !in_string;
      out += c;
      continue;
    }
    if (c != '<') {
      out += c;
      continue;
    }
    size_t close = template_.find('>', i + 1);
    if (close == std::string::npos) {
      out += c;
      continue;
    }
    std::string name = template_.substr(i + 1, close - i - 1);
    std::optional<Node> value;
    bool known = true;
    if (name == "aws.events.rule-arn") value = Node::str(vars.rule_arn);
    else if (name == "aws.events.rule-name") value = Node::str(vars.rule_name);
    else if (name == "aws.events.event.ingestion-time") value = Node::str(vars.ingestion_time);
    else if (name == "aws.events.event.json") value = event;
    else if (name == "aws.events.event") value = envelope_without_detail(event);
    else if (auto it = paths_.find(name); it != paths_.end()) {
      value = it->second.eval(event);
    } else {
      known = false;
    }
    if (!known) {
      out += c;  // not a variable: literal text
      continue;
    }
    const bool quoted_context = json_mode_ && in_string;
    if (!value) {
      if (json_mode_ && !in_string) out += "\"\"";
    } else if (value->type == Node::Type::string) {
      // Inside a string literal the text goes in as it is: "EventBridge doesn't escape values
      // extracted by Input Path, when populating the Input Template".
      if (json_mode_ && !in_string) out += json_text::quote(value->text);
      else out += value->text;
    } else if ((quoted_context || !json_mode_) && (value->type == Node::Type::object || value->type == Node::Type::array)) {
      unquoted_into(*value, out);
    } else {
      out += json_text::write(*value);
    }
    i = close;
  }
  return out;
}

}  // namespace stratus::events::transform
