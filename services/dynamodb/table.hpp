#pragma once
// A table's schema and settings (the TableDescription AWS returns, plus what the data plane needs
// at hand: key attributes, indexes with projections, stream and TTL settings).
#include "attr.hpp"

#include <stratus/json.hpp>

#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

namespace stratus::dynamodb {

struct KeyAttr {
  std::string name;
  AvType type = AvType::S;  // S, N or B
};

struct Index {
  std::string name;
  bool global = true;
  int64_t id = 0;  // unique within the table (index rows are keyed by it)
  KeyAttr hash;
  std::optional<KeyAttr> range;
  std::string projection = "ALL";  // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key;
};

struct Table {
  int64_t id = 0;
  std::string account, region, name;
  json::object desc;  // TableDescription without ItemCount/TableSizeBytes (and index counts)
  KeyAttr hash;
  std::optional<KeyAttr> range;
  std::vector<Index> indexes;
  int64_t next_index_id = 1;
  // streams
  int64_t stream_id = 0;  // 0: no stream ever
  bool stream_enabled = false;
  std::string stream_view;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  std::string stream_arn;
  // TTL
  std::string ttl_attr;
  bool ttl_enabled = false;
  json::array tags;
  bool pitr = false;
  // ItemCount / TableSizeBytes (bytes of stored items) and the same per index id: counted once
  // when first described, then kept up to date by every write (no table scan per DescribeTable).
  struct Counts {
    int64_t items = 0, bytes = 0;
  };
  std::optional<Counts> counts;
  std::unordered_map<int64_t, Counts> index_counts;

  std::string arn() const { return std::string(str_or(desc, "TableArn")); }
  bool is_key(std::string_view attr) const { return attr == hash.name || (range && attr == range->name); }
  const Index* index(std::string_view name) const;
  // Re-derives hash/range/indexes from desc (after load or change).
  void derive();
  json::object to_record() const;                 // persisted form
  static Table from_record(const json::object& r);
};

// Builds the table description from a CreateTable input (validated with AWS's messages).
Table table_from_create(const json::object& in, const std::string& account, const std::string& region,
                        double now);
// Index description entry (GSI or LSI) from its CreateTable / UpdateTable input.
json::object index_description(const json::object& spec, bool global, const std::string& table_arn,
                               const std::string& billing_mode);
// Checks a projection ({ProjectionType, NonKeyAttributes}); throws AWS's messages.
void check_projection(const json::object& proj);

}  // namespace stratus::dynamodb
