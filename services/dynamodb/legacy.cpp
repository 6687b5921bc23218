#include "legacy.hpp"

#include "attr.hpp"
#include "errors.hpp"
#include "table.hpp"

#include <set>

namespace stratus::dynamodb {

namespace {

const std::string kInvalid = "One or more parameter values were invalid: ";

Operand path_operand(std::string_view name) {
  Operand o;
  o.kind = Operand::Kind::path;
  o.path.push_back({std::string(name), -1});
  return o;
}

Operand value_operand(const json::value* v) {
  Operand o;
  o.kind = Operand::Kind::value;
  o.value = v;
  return o;
}

Condition combine(std::vector<Condition> parts, std::string_view op) {
  if (parts.empty()) return Condition{};
  Condition acc = std::move(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    Condition c;
    c.kind = op == "OR" ? Condition::Kind::or_ : Condition::Kind::and_;
    c.kids.push_back(std::move(acc));
    c.kids.push_back(std::move(parts[i]));
    acc = std::move(c);
  }
  return acc;
}

void check_values(json::array& list) {
  for (auto& v : list) {
    std::string err = check_value(v);
    if (!err.empty()) throw validation(err);
  }
}

// One {ComparisonOperator, AttributeValueList} condition on attribute `name`.
Condition comparison(std::string_view name, std::string_view op, const json::array* list) {
  size_t n = list ? list->size() : 0;
  auto count_ok = [&]() {
    if (op == "NULL" || op == "NOT_NULL") return n == 0;
    if (op == "IN") return n > 0;
    if (op == "BETWEEN") return n == 2;
    return n == 1;
  };
  if (!count_ok())
    throw validation(kInvalid + "Invalid number of argument(s) for the " + std::string(op) + " ComparisonOperator");
  using K = Condition::Kind;
  Condition c;
  c.ops.push_back(path_operand(name));
  auto scalar_only = [&](bool allow_all_scalars) {
    for (auto& v : *list) {
      AvType t = av_type(v);
      bool ok = t == AvType::S || t == AvType::N || t == AvType::B;
      if (!allow_all_scalars && !ok)
        throw validation(kInvalid + "ComparisonOperator " + std::string(op) + " is not valid for " +
                         std::string(type_name(t)) + " AttributeValue type");
    }
  };
  if (op == "EQ") c.kind = K::eq;
  else if (op == "NE") c.kind = K::ne;
  else if (op == "LT" || op == "LE" || op == "GT" || op == "GE") {
    scalar_only(false);
    c.kind = op == "LT" ? K::lt : op == "LE" ? K::le : op == "GT" ? K::gt : K::ge;
  } else if (op == "NULL") c.kind = K::legacy_null;
  else if (op == "NOT_NULL") c.kind = K::legacy_not_null;
  else if (op == "CONTAINS" || op == "NOT_CONTAINS") {
    scalar_only(false);
    c.kind = op == "CONTAINS" ? K::contains : K::legacy_not_contains;
  } else if (op == "BEGINS_WITH") {
    for (auto& v : *list) {
      AvType t = av_type(v);
      if (t != AvType::S && t != AvType::B)
        throw validation(kInvalid + "ComparisonOperator BEGINS_WITH is not valid for " + std::string(type_name(t)) +
                         " AttributeValue type");
    }
    c.kind = K::begins_with;
  } else if (op == "IN") {
    scalar_only(false);
    c.kind = K::in;
  } else if (op == "BETWEEN") {
    scalar_only(false);
    auto& lo = (*list)[0];
    auto& hi = (*list)[1];
    if (av_type(lo) != av_type(hi))
      throw validation(kInvalid + "AttributeValues inside AttributeValueList must be of same type");
    if (av_compare(lo, hi) > 0)
      throw validation(kInvalid + "The BETWEEN condition was provided a range where the lower bound is greater than "
                       "the upper bound");
    c.kind = K::between;
  } else {
    throw validation(kInvalid + "Unsupported ComparisonOperator: " + std::string(op));
  }
  if (list)
    for (auto& v : *list) c.ops.push_back(value_operand(&v));
  return c;
}

}  // namespace

Condition legacy_expected(json::object& expected, std::string_view conditional_operator) {
  std::vector<Condition> parts;
  for (auto& [k, v] : expected) {
    std::string name(k);
    auto& o = v.get_object();
    auto* value = o.if_contains("Value");
    auto* list = o.if_contains("AttributeValueList");
    auto op = str_or(o, "ComparisonOperator");
    auto exists = opt_bool(o, "Exists");
    if (value) {
      std::string err = check_value(*value);
      if (!err.empty()) throw validation(err);
    }
    if (list) check_values(list->get_array());
    if (!op.empty()) {
      if (exists)
        throw validation(kInvalid + "Exists and ComparisonOperator cannot be used together for Attribute: " + name);
      if (value && list)
        throw validation(kInvalid + "Value and AttributeValueList cannot be used together for Attribute: " + name);
      if (value) {
        json::array one;
        one.push_back(*value);
        o["AttributeValueList"] = std::move(one);
        o.erase("Value");
        list = o.if_contains("AttributeValueList");
      }
      parts.push_back(comparison(name, op, list ? &list->get_array() : nullptr));
      continue;
    }
    if (list)
      throw validation(kInvalid + "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name);
    bool ex = exists.value_or(true);
    if (ex && !value)
      throw validation(kInvalid + "Value must be provided when Exists is " +
                       (exists ? std::string("true") : std::string("null")) + " for Attribute: " + name);
    if (!ex && value)
      throw validation(kInvalid + "Value cannot be used when Exists is false for Attribute: " + name);
    Condition c;
    if (ex) {
      c.kind = Condition::Kind::eq;
      c.ops.push_back(path_operand(name));
      c.ops.push_back(value_operand(value));
    } else {
      c.kind = Condition::Kind::not_exists;
      c.ops.push_back(path_operand(name));
    }
    parts.push_back(std::move(c));
  }
  return combine(std::move(parts), conditional_operator);
}

Condition legacy_filter(json::object& filter, std::string_view conditional_operator, bool key_conditions) {
  std::vector<Condition> parts;
  for (auto& [k, v] : filter) {
    auto& o = v.get_object();
    auto op = str_or(o, "ComparisonOperator");
    auto* list = o.if_contains("AttributeValueList");
    if (list) check_values(list->get_array());
    if (key_conditions && op != "EQ" && op != "LE" && op != "LT" && op != "GE" && op != "GT" && op != "BEGINS_WITH" &&
        op != "BETWEEN")
      throw validation("Attempted conditional constraint is not an indexable operation");
    parts.push_back(comparison(k, op, list ? &list->get_array() : nullptr));
  }
  return combine(std::move(parts), conditional_operator);
}

std::vector<Path> legacy_attributes_to_get(const json::array& names) {
  std::vector<Path> out;
  std::set<std::string_view> seen;
  for (auto& n : names) {
    std::string_view s = n.get_string();
    if (!seen.insert(s).second) throw validation(kInvalid + "Duplicate value in attribute name: " + std::string(s));
    out.push_back(Path{{std::string(s), -1}});
  }
  return out;
}

std::vector<UpdateAction> legacy_attribute_updates(json::object& updates, const Table& t) {
  static const json::value kEmptyList = json::object{{"L", json::array{}}};
  std::vector<UpdateAction> out;
  for (auto& [k, v] : updates) {
    std::string name(k);
    if (t.is_key(name))
      throw validation(kInvalid + "Cannot update attribute " + name + ". This attribute is part of the key");
    auto& o = v.get_object();
    auto action = str_or(o, "Action", "PUT");
    auto* value = o.if_contains("Value");
    if (value) {
      std::string err = check_value(*value);
      if (!err.empty()) throw validation(err);
    }
    UpdateAction a;
    a.path.push_back({name, -1});
    if (action == "PUT") {
      if (!value) throw validation(kInvalid + "Only DELETE action is allowed when no attribute value is specified");
      a.kind = UpdateAction::Kind::set;
      a.value = value_operand(value);
    } else if (action == "DELETE") {
      if (!value) {
        a.kind = UpdateAction::Kind::remove;
      } else {
        AvType vt = av_type(*value);
        if (vt != AvType::SS && vt != AvType::NS && vt != AvType::BS)
          throw validation(kInvalid + "DELETE action with value is not supported for the type " +
                           std::string(type_name(vt)));
        a.kind = UpdateAction::Kind::del;
        a.value = value_operand(value);
      }
    } else {  // ADD
      if (!value) throw validation(kInvalid + "Only DELETE action is allowed when no attribute value is specified");
      AvType vt = av_type(*value);
      if (vt == AvType::L) {
        a.kind = UpdateAction::Kind::set;
        Operand ine;
        ine.kind = Operand::Kind::if_not_exists;
        ine.args.push_back(path_operand(name));
        ine.args.push_back(value_operand(&kEmptyList));
        Operand app;
        app.kind = Operand::Kind::list_append;
        app.args.push_back(std::move(ine));
        app.args.push_back(value_operand(value));
        a.value = std::move(app);
      } else if (vt == AvType::N || vt == AvType::SS || vt == AvType::NS || vt == AvType::BS) {
        a.kind = UpdateAction::Kind::add;
        a.value = value_operand(value);
      } else {
        throw validation(kInvalid + "ADD action is not supported for the type " + std::string(type_name(vt)));
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

void check_no_mixing(const json::object& in, std::initializer_list<std::string_view> expression_params,
                     std::initializer_list<std::string_view> legacy_params) {
  std::string ex, lg;
  for (auto p : legacy_params)
    if (in.contains(p)) lg += (lg.empty() ? "" : ", ") + std::string(p);
  for (auto p : expression_params)
    if (in.contains(p)) ex += (ex.empty() ? "" : ", ") + std::string(p);
  if (!ex.empty() && !lg.empty())
    throw validation("Can not use both expression and non-expression parameters in the same request: "
                     "Non-expression parameters: {" + lg + "} Expression parameters: {" + ex + "}");
}

}  // namespace stratus::dynamodb
