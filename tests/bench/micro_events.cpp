// EventBridge matching: 1,000 rules on one bus, events flattened and matched through the rule
// index (the issue's target: >= 100k events/s). Run: build/stratus_microbench --benchmark_filter=Events
#include "pattern.hpp"

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

namespace {
using namespace stratus::events::pattern;

// Rules the way applications write them: a source and detail-type, plus content filters.
std::string rule_pattern(int i) {
  const int source = i % 100, type = (i / 100) % 10;
  switch (i % 4) {
    case 0:
      return R"({"source":["app.svc)" + std::to_string(source) + R"("],"detail-type":["Type)" + std::to_string(type) +
             R"("],"detail":{"amount":[{"numeric":[">",)" + std::to_string(i % 500) + "]}]}}";
    case 1:
      return R"({"source":["app.svc)" + std::to_string(source) + R"("],"detail":{"state":[{"anything-but":["deleted","archived"]}],"region":[{"prefix":"eu-"}]}})";
    case 2:
      return R"({"source":["app.svc)" + std::to_string(source) + R"("],"detail-type":["Type)" + std::to_string(type) +
             R"("],"$or":[{"detail":{"priority":["high"]}},{"detail":{"amount":[{"numeric":[">=",900]}]}}]})";
    default:
      return R"({"detail-type":["Type)" + std::to_string(type) + R"("],"source":[{"prefix":"app.svc)" + std::to_string(source) +
             R"("}],"detail":{"user":{"tier":["gold","platinum"]}}})";
  }
}

std::vector<std::string> make_events(size_t n) {
  std::mt19937 rng(42);
  const char* states[] = {"created", "updated", "deleted", "archived"};
  const char* regions[] = {"eu-west-1", "us-east-1", "eu-central-1", "ap-south-1"};
  const char* tiers[] = {"gold", "silver", "platinum", "bronze"};
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(R"({"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Type)" +
                  std::to_string(rng() % 10) + R"(","source":"app.svc)" + std::to_string(rng() % 100) +
                  R"(","account":"111122223333","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":[],)"
                  R"("detail":{"amount":)" + std::to_string(rng() % 1000) + R"(,"state":")" + states[rng() % 4] +
                  R"(","region":")" + regions[rng() % 4] + R"(","priority":")" + (rng() % 3 ? "low" : "high") +
                  R"(","user":{"id":"u-123","tier":")" + tiers[rng() % 4] + R"("},"items":[{"sku":"a","qty":1},{"sku":"b","qty":2}]}})");
  }
  return out;
}

void BM_EventsMatch1000Rules(benchmark::State& state) {
  PatternIndex index;
  for (int i = 0; i < 1000; ++i) index.add(static_cast<uint64_t>(i), compile(rule_pattern(i)));
  auto events = make_events(4096);
  size_t i = 0, matched = 0;
  for (auto _ : state) {
    auto flat = FlatEvent::parse(events[i++ & 4095]);
    index.match(*flat, [&](uint64_t) { ++matched; });
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["matches/event"] = static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EventsMatch1000Rules);

// Rules without source/detail-type, indexed on another exact-valued field (detail.state).
void BM_EventsMatch1000RulesIndexedOnDetail(benchmark::State& state) {
  PatternIndex index;
  const char* states[] = {"created", "updated", "deleted", "archived"};
  for (int i = 0; i < 1000; ++i)
    index.add(static_cast<uint64_t>(i),
              compile(R"({"detail":{"amount":[{"numeric":[">=",)" + std::to_string(i) + R"(,"<",)" + std::to_string(i + 5) +
                      R"(]}],"state":[")" + states[i % 4] + R"("]}})"));
  auto events = make_events(4096);
  size_t i = 0, matched = 0;
  for (auto _ : state) {
    auto flat = FlatEvent::parse(events[i++ & 4095]);
    index.match(*flat, [&](uint64_t) { ++matched; });
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["matches/event"] = static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EventsMatch1000RulesIndexedOnDetail);

// The worst case: no field with exact values to index on, every rule is tried for every event.
void BM_EventsMatch1000UnindexedRules(benchmark::State& state) {
  PatternIndex index;
  for (int i = 0; i < 1000; ++i)
    index.add(static_cast<uint64_t>(i),
              compile(R"({"detail":{"amount":[{"numeric":[">=",)" + std::to_string(i) + R"(,"<",)" + std::to_string(i + 5) +
                      R"(]}],"state":[{"prefix":"upd"}]}})"));
  auto events = make_events(4096);
  size_t i = 0, matched = 0;
  for (auto _ : state) {
    auto flat = FlatEvent::parse(events[i++ & 4095]);
    index.match(*flat, [&](uint64_t) { ++matched; });
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["matches/event"] = static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_EventsMatch1000UnindexedRules);

void BM_EventsFlatten(benchmark::State& state) {
  auto events = make_events(1024);
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(FlatEvent::parse(events[i++ & 1023]));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EventsFlatten);

void BM_EventsCompilePattern(benchmark::State& state) {
  int i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(compile(rule_pattern(i++ % 1000)));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EventsCompilePattern);

}  // namespace
