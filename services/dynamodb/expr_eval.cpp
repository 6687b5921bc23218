// Evaluation of parsed expressions over an item (a json::object of attribute values).
#include "attr.hpp"
#include "errors.hpp"
#include "expressions.hpp"
#include "number.hpp"

#include <stratus/strings.hpp>

#include <algorithm>
#include <map>

namespace stratus::dynamodb {

const json::value* resolve(const json::object& item, const Path& p) {
  if (p.empty() || p[0].is_index()) return nullptr;
  auto it = item.find(p[0].name);
  if (it == item.end()) return nullptr;
  const json::value* v = &it->value();
  for (size_t k = 1; k < p.size(); ++k) {
    if (!v->is_object() || v->get_object().size() != 1) return nullptr;
    auto& [type, payload] = *v->get_object().begin();
    if (p[k].is_index()) {
      if (type != "L") return nullptr;
      auto& a = payload.get_array();
      if (static_cast<size_t>(p[k].index) >= a.size()) return nullptr;
      v = &a[static_cast<size_t>(p[k].index)];
    } else {
      if (type != "M") return nullptr;
      auto& m = payload.get_object();
      auto f = m.find(p[k].name);
      if (f == m.end()) return nullptr;
      v = &f->value();
    }
  }
  return v;
}

namespace {

// An operand's value for conditions: a path's value, a literal, or size() as a number (held in `tmp`).
const json::value* operand_value(const Operand& o, const json::object& item, json::value& tmp) {
  switch (o.kind) {
    case Operand::Kind::value: return o.value;
    case Operand::Kind::path: return resolve(item, o.path);
    case Operand::Kind::size: {
      const json::value* v = resolve(item, o.path);
      if (!v) return nullptr;
      auto& [type, payload] = *v->get_object().begin();
      size_t n;
      switch (parse_type_name(type)) {
        case AvType::S: n = utf8_length(payload.get_string()); break;
        case AvType::B: n = payload.get_string().size(); break;
        case AvType::SS:
        case AvType::NS:
        case AvType::BS:
        case AvType::L: n = payload.get_array().size(); break;
        case AvType::M: n = payload.get_object().size(); break;
        default: return nullptr;
      }
      tmp = av_n(std::to_string(n));
      return &tmp;
    }
    default: return nullptr;
  }
}

bool compare_op(Condition::Kind k, const json::value* a, const json::value* b) {
  using K = Condition::Kind;
  if (k == K::eq) return a && b && av_equal(*a, *b);
  if (k == K::ne) return !(a && b && av_equal(*a, *b));
  if (!a || !b || !comparable(*a, *b)) return false;
  int c = av_compare(*a, *b);
  switch (k) {
    case K::lt: return c < 0;
    case K::le: return c <= 0;
    case K::gt: return c > 0;
    case K::ge: return c >= 0;
    default: return false;
  }
}

bool contains_value(const json::value& hay, const json::value& needle) {
  AvType ht = av_type(hay), nt = av_type(needle);
  auto& hp = av_payload(hay);
  auto& np = av_payload(needle);
  switch (ht) {
    case AvType::S:
      return nt == AvType::S && std::string_view(hp.get_string()).find(std::string_view(np.get_string())) !=
                                    std::string_view::npos;
    case AvType::B:
      return nt == AvType::B && std::string_view(hp.get_string()).find(std::string_view(np.get_string())) !=
                                    std::string_view::npos;
    case AvType::SS:
    case AvType::BS:
      if (nt != (ht == AvType::SS ? AvType::S : AvType::B)) return false;
      for (auto& e : hp.get_array())
        if (e.get_string() == np.get_string()) return true;
      return false;
    case AvType::NS:
      if (nt != AvType::N) return false;
      for (auto& e : hp.get_array())
        if (av_equal(av_n(e.get_string()), needle)) return true;
      return false;
    case AvType::L:
      for (auto& e : hp.get_array())
        if (av_equal(e, needle)) return true;
      return false;
    default: return false;
  }
}

}  // namespace

bool evaluate(const Condition& c, const json::object& item) {
  using K = Condition::Kind;
  json::value t1, t2, t3;
  switch (c.kind) {
    case K::and_: return evaluate(c.kids[0], item) && evaluate(c.kids[1], item);
    case K::or_: return evaluate(c.kids[0], item) || evaluate(c.kids[1], item);
    case K::not_: return !evaluate(c.kids[0], item);
    case K::eq:
    case K::ne:
    case K::lt:
    case K::le:
    case K::gt:
    case K::ge:
      return compare_op(c.kind, operand_value(c.ops[0], item, t1), operand_value(c.ops[1], item, t2));
    case K::between: {
      auto* v = operand_value(c.ops[0], item, t1);
      auto* lo = operand_value(c.ops[1], item, t2);
      auto* hi = operand_value(c.ops[2], item, t3);
      if (!v || !lo || !hi || !comparable(*v, *lo) || !comparable(*v, *hi)) return false;
      return av_compare(*v, *lo) >= 0 && av_compare(*v, *hi) <= 0;
    }
    case K::in: {
      auto* v = operand_value(c.ops[0], item, t1);
      if (!v) return false;
      for (size_t k = 1; k < c.ops.size(); ++k) {
        auto* x = operand_value(c.ops[k], item, t2);
        if (x && av_equal(*v, *x)) return true;
      }
      return false;
    }
    case K::exists: return resolve(item, c.ops[0].path) != nullptr;
    case K::not_exists: return resolve(item, c.ops[0].path) == nullptr;
    case K::type: {
      auto* v = resolve(item, c.ops[0].path);
      auto* t = operand_value(c.ops[1], item, t2);
      return v && t && av_type(*t) == AvType::S && type_name(av_type(*v)) == av_payload(*t).get_string();
    }
    case K::begins_with: {
      auto* v = operand_value(c.ops[0], item, t1);
      auto* p = operand_value(c.ops[1], item, t2);
      if (!v || !p) return false;
      AvType vt = av_type(*v);
      if (vt != av_type(*p) || (vt != AvType::S && vt != AvType::B)) return false;
      return std::string_view(av_payload(*v).get_string()).starts_with(std::string_view(av_payload(*p).get_string()));
    }
    case K::contains:
    case K::legacy_not_contains: {
      auto* v = operand_value(c.ops[0], item, t1);
      auto* n = operand_value(c.ops[1], item, t2);
      if (!v || !n) return false;
      bool r = contains_value(*v, *n);
      return c.kind == K::contains ? r : !r;
    }
    case K::legacy_null: return operand_value(c.ops[0], item, t1) == nullptr;
    case K::legacy_not_null: return operand_value(c.ops[0], item, t1) != nullptr;
  }
  return false;
}

// --- updates ---
namespace {

AwsError bad_type() { return validation("An operand in the update expression has an incorrect data type"); }

json::value eval_set_value(const Operand& o, const json::object& item) {
  switch (o.kind) {
    case Operand::Kind::value: return *o.value;
    case Operand::Kind::path: {
      auto* v = resolve(item, o.path);
      if (!v) throw validation("The provided expression refers to an attribute that does not exist in the item");
      return *v;
    }
    case Operand::Kind::if_not_exists: {
      auto* v = resolve(item, o.args[0].path);
      if (v) return *v;
      return eval_set_value(o.args[1], item);
    }
    case Operand::Kind::list_append: {
      json::value a = eval_set_value(o.args[0], item), b = eval_set_value(o.args[1], item);
      if (av_type(a) != AvType::L || av_type(b) != AvType::L) throw bad_type();
      json::array r = av_payload(a).get_array();
      for (auto& e : av_payload(b).get_array()) r.push_back(e);
      return json::object{{"L", std::move(r)}};
    }
    case Operand::Kind::plus:
    case Operand::Kind::minus: {
      json::value a = eval_set_value(o.args[0], item), b = eval_set_value(o.args[1], item);
      if (av_type(a) != AvType::N || av_type(b) != AvType::N) throw bad_type();
      auto x = parse_decimal(av_payload(a).get_string());
      auto y = parse_decimal(av_payload(b).get_string());
      if (!x || !y) throw bad_type();
      Decimal r = add(*x, o.kind == Operand::Kind::plus ? *y : negate(*y));
      std::string err = check_limits(r);
      if (!err.empty()) throw validation(err);
      return av_n(to_text(r));
    }
    default: throw bad_type();
  }
}

AwsError bad_path() { return validation("The document path provided in the update expression is invalid for update"); }

// The container that holds the last element of `p` (creating nothing); nullptr when the parent
// does not exist or has the wrong type.
json::value* parent_of(json::object& item, const Path& p, bool for_write) {
  if (p.size() == 1) return nullptr;
  auto it = item.find(p[0].name);
  if (it == item.end()) {
    if (for_write) throw bad_path();
    return nullptr;
  }
  json::value* v = &it->value();
  for (size_t k = 1; k + 1 < p.size(); ++k) {
    auto& [type, payload] = *v->get_object().begin();
    if (p[k].is_index()) {
      if (type != "L" || static_cast<size_t>(p[k].index) >= payload.get_array().size()) {
        if (for_write) throw bad_path();
        return nullptr;
      }
      v = &payload.get_array()[static_cast<size_t>(p[k].index)];
    } else {
      if (type != "M") {
        if (for_write) throw bad_path();
        return nullptr;
      }
      auto& m = payload.get_object();
      auto f = m.find(p[k].name);
      if (f == m.end()) {
        if (for_write) throw bad_path();
        return nullptr;
      }
      v = &f->value();
    }
  }
  return v;
}

void assign(json::object& item, const Path& p, json::value val) {
  if (p.size() == 1) {
    item[p[0].name] = std::move(val);
    return;
  }
  json::value* parent = parent_of(item, p, true);
  auto& [type, payload] = *parent->get_object().begin();
  const PathElem& last = p.back();
  if (last.is_index()) {
    if (type != "L") throw bad_path();
    auto& a = payload.get_array();
    if (static_cast<size_t>(last.index) >= a.size()) a.push_back(std::move(val));
    else a[static_cast<size_t>(last.index)] = std::move(val);
  } else {
    if (type != "M") throw bad_path();
    payload.get_object()[last.name] = std::move(val);
  }
}

void remove_path(json::object& item, const Path& p) {
  if (p.size() == 1) {
    item.erase(p[0].name);
    return;
  }
  json::value* parent = parent_of(item, p, false);
  if (!parent) return;
  auto& [type, payload] = *parent->get_object().begin();
  const PathElem& last = p.back();
  if (last.is_index()) {
    if (type != "L") return;
    auto& a = payload.get_array();
    if (static_cast<size_t>(last.index) < a.size()) a.erase(a.begin() + last.index);
  } else if (type == "M") {
    payload.get_object().erase(last.name);
  }
}

json::value set_union(const json::value& a, const json::value& b, AvType t) {
  json::array r = av_payload(a).get_array();
  for (auto& e : av_payload(b).get_array()) {
    bool found = false;
    for (auto& x : r)
      if (t == AvType::NS ? av_equal(av_n(x.get_string()), av_n(e.get_string())) : x == e) found = true;
    if (!found) r.push_back(e);
  }
  return json::object{{type_name(t), std::move(r)}};
}

}  // namespace

void apply_update(json::object& item, const std::vector<UpdateAction>& actions) {
  // Every right-hand side is evaluated against the item as it was before the update.
  const json::object before = item;
  std::vector<std::pair<const UpdateAction*, json::value>> sets;
  for (auto& a : actions)
    if (a.kind == UpdateAction::Kind::set) sets.emplace_back(&a, eval_set_value(a.value, before));
  for (auto& [a, v] : sets) assign(item, a->path, std::move(v));
  // REMOVEs of list elements apply from the highest index down so indexes refer to the old list.
  std::vector<const UpdateAction*> removes;
  for (auto& a : actions)
    if (a.kind == UpdateAction::Kind::remove) removes.push_back(&a);
  std::stable_sort(removes.begin(), removes.end(), [](const UpdateAction* x, const UpdateAction* y) {
    return x->path.back().index > y->path.back().index;
  });
  for (auto* a : removes) remove_path(item, a->path);
  for (auto& a : actions) {
    if (a.kind != UpdateAction::Kind::add && a.kind != UpdateAction::Kind::del) continue;
    const json::value& val = *a.value.value;
    AvType vt = av_type(val);
    const json::value* cur = resolve(item, a.path);
    if (a.kind == UpdateAction::Kind::add) {
      if (!cur) {
        if (a.path.size() > 1) parent_of(item, a.path, true);
        assign(item, a.path, val);
        continue;
      }
      AvType ct = av_type(*cur);
      if (ct != vt) throw bad_type();
      if (vt == AvType::N) {
        auto x = parse_decimal(av_payload(*cur).get_string());
        auto y = parse_decimal(av_payload(val).get_string());
        Decimal r = add(*x, *y);
        std::string err = check_limits(r);
        if (!err.empty()) throw validation(err);
        assign(item, a.path, av_n(to_text(r)));
      } else {
        assign(item, a.path, set_union(*cur, val, vt));
      }
    } else {
      if (!cur) continue;
      if (av_type(*cur) != vt) throw bad_type();
      json::array r;
      for (auto& e : av_payload(*cur).get_array()) {
        bool drop = false;
        for (auto& d : av_payload(val).get_array())
          if (vt == AvType::NS ? av_equal(av_n(e.get_string()), av_n(d.get_string())) : e == d) drop = true;
        if (!drop) r.push_back(e);
      }
      if (r.empty()) remove_path(item, a.path);
      else assign(item, a.path, json::object{{type_name(vt), std::move(r)}});
    }
  }
}

std::set<std::string> updated_attributes(const std::vector<UpdateAction>& actions) {
  std::set<std::string> s;
  for (auto& a : actions) s.insert(a.path[0].name);
  return s;
}

// --- projection ---
namespace {

// Copies the value at p[k..] of `src` into `dst` (same shape), merging with what is there.
void project_into(const json::value& src, json::value& dst, const Path& p, size_t k) {
  if (k == p.size()) {
    dst = src;
    return;
  }
  auto& [type, payload] = *src.get_object().begin();
  if (p[k].is_index()) {
    if (type != "L") return;
    auto& a = payload.get_array();
    auto idx = static_cast<size_t>(p[k].index);
    if (idx >= a.size()) return;
    // Projected list elements keep their relative order; track original indexes in a side map.
    if (!dst.is_object()) dst = json::object{{"L", json::array{}}, {"__idx", json::array{}}};
    auto& out = dst.get_object();
    auto& lst = out["L"].get_array();
    auto& ids = out["__idx"].get_array();
    size_t pos = 0;
    while (pos < ids.size() && ids[pos].as_int64() < p[k].index) ++pos;
    if (pos < ids.size() && ids[pos].as_int64() == p[k].index) {
      project_into(a[idx], lst[pos], p, k + 1);
      return;
    }
    json::value child;
    project_into(a[idx], child, p, k + 1);
    if (child.is_null()) return;
    lst.insert(lst.begin() + static_cast<std::ptrdiff_t>(pos), std::move(child));
    ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(pos), p[k].index);
  } else {
    if (type != "M") return;
    auto& m = payload.get_object();
    auto f = m.find(p[k].name);
    if (f == m.end()) return;
    if (!dst.is_object()) dst = json::object{{"M", json::object{}}};
    auto& out = dst.get_object()["M"].get_object();
    json::value& child = out[p[k].name];
    project_into(f->value(), child, p, k + 1);
    if (child.is_null()) out.erase(p[k].name);
  }
}

void strip_idx(json::value& v) {
  if (!v.is_object()) return;
  auto& o = v.get_object();
  o.erase("__idx");
  if (auto* l = o.if_contains("L"); l && l->is_array())
    for (auto& e : l->get_array()) strip_idx(e);
  if (auto* m = o.if_contains("M"); m && m->is_object())
    for (auto& [k, e] : m->get_object()) strip_idx(e);
}

}  // namespace

json::object project(const json::object& item, const std::vector<Path>& paths) {
  json::object out;
  bool nested = false;
  for (auto& p : paths) {
    auto it = item.find(p[0].name);
    if (it == item.end()) continue;
    if (p.size() == 1) {
      out[p[0].name] = it->value();
      continue;
    }
    nested = true;
    json::value& dst = out[p[0].name];
    project_into(it->value(), dst, p, 1);
    if (dst.is_null()) out.erase(p[0].name);
  }
  if (nested)
    for (auto& [k, v] : out) strip_idx(v);
  return out;
}

}  // namespace stratus::dynamodb
