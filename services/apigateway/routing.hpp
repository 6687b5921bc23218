#pragma once
// Path matching shared by REST resources and HTTP API routes: a tree of path segments where, at
// each level, a literal segment beats a {variable}, which beats a greedy {proxy+}; the match
// backtracks when a branch ends without the requested method (or ANY). Pure: unit-tested in
// tests/unit/apigateway/routing_test.cpp.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::apigateway {

template <class Target>
class PathTree {
 public:
  struct Match {
    const Target* target = nullptr;
    std::string template_path;  // "/items/{id}"
    std::vector<std::pair<std::string, std::string>> params;  // decoded by the caller
  };

  // `path` is a template such as "/items/{id}" or "/{proxy+}"; `method` an HTTP verb or "ANY".
  void add(std::string_view path, std::string method, Target target) {
    Node* n = &root_;
    for (auto seg : segments(path)) {
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        bool greedy = seg[seg.size() - 2] == '+';
        std::string name(seg.substr(1, seg.size() - (greedy ? 3 : 2)));
        auto& child = greedy ? n->greedy : n->variable;
        if (!child) child = std::make_unique<Node>();
        child->name = name;
        n = child.get();
      } else {
        auto& child = n->literals[std::string(seg)];
        if (!child) child = std::make_unique<Node>();
        n = child.get();
      }
    }
    n->path = std::string(path);
    n->methods[std::move(method)] = std::move(target);
  }

  // Whether any template matches the path at all (for 405-like diagnostics).
  std::optional<Match> match(std::string_view path, std::string_view method) const {
    auto segs = segments(path);
    Match m;
    if (walk(root_, segs, 0, method, m)) return m;
    return std::nullopt;
  }

  bool empty() const { return root_.literals.empty() && !root_.variable && !root_.greedy && root_.methods.empty(); }

  static std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') {
        ++i;
        continue;
      }
      size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      out.push_back(path.substr(i, j - i));
      i = j;
    }
    return out;
  }

 private:
  struct Node {
    std::string name;  // variable name
    std::string path;  // template of this node ("" if none ends here)
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
    std::unique_ptr<Node> variable, greedy;
    std::map<std::string, Target, std::less<>> methods;
  };

  static const Target* pick(const Node& n, std::string_view method) {
    auto it = n.methods.find(method);
    if (it != n.methods.end()) return &it->second;
    it = n.methods.find("ANY");
    return it != n.methods.end() ? &it->second : nullptr;
  }

  static bool walk(const Node& n, const std::vector<std::string_view>& segs, size_t i, std::string_view method, Match& m) {
    if (i == segs.size()) {
      if (const Target* t = pick(n, method)) {
        m.target = t;
        m.template_path = n.path.empty() ? "/" : n.path;
        return true;
      }
      // A greedy child does not match zero segments.
      return false;
    }
    if (auto it = n.literals.find(segs[i]); it != n.literals.end())
      if (walk(*it->second, segs, i + 1, method, m)) return true;
    if (n.variable) {
      m.params.emplace_back(n.variable->name, std::string(segs[i]));
      if (walk(*n.variable, segs, i + 1, method, m)) return true;
      m.params.pop_back();
    }
    if (n.greedy) {
      if (const Target* t = pick(*n.greedy, method)) {
        std::string rest;
        for (size_t j = i; j < segs.size(); ++j) rest += (j > i ? "/" : "") + std::string(segs[j]);
        m.params.emplace_back(n.greedy->name, rest);
        m.target = t;
        m.template_path = n.greedy->path;
        return true;
      }
    }
    return false;
  }

  Node root_;
};

}  // namespace stratus::apigateway
