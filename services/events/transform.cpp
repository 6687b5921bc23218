#include "transform.hpp"

#include <stdexcept>

namespace stratus::events::transform {

using json_text::Node;

bool is_reserved_variable(std::string_view name) {
  return name == "aws.events.rule-arn" || name == "aws.events.rule-name" ||
         name == "aws.events.event.ingestion-time" || name == "aws.events.event" || name == "aws.events.event.json";
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
    else if (name == "aws.events.event") {
      // The event without its detail.
      Node e = event;
      std::erase_if(e.members, [](const auto& m) { return m.first == "detail"; });
      value = std::move(e);
    } else if (auto it = paths_.find(name); it != paths_.end()) {
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
      if (json_mode_ && !in_string) out += "null";
    } else if (value->type == Node::Type::string) {
      if (quoted_context) json_text::escape_into(value->text, out);
      else if (json_mode_) out += json_text::quote(value->text);
      else out += value->text;
    } else {
      std::string text = json_text::write(*value);
      if (quoted_context) json_text::escape_into(text, out);
      else out += text;
    }
    i = close;
  }
  return out;
}

}  // namespace stratus::events::transform
