#pragma once
// Attribute values as they travel in documents: {"S": "x"}, {"N": "1.5"}, {"B": "<raw bytes>"},
// {"L": [...]}, {"M": {...}}, sets as arrays. Validation with AWS's messages, canonical numbers,
// equality and ordering, AWS's item-size arithmetic, and key bytes that sort like DynamoDB.
#include <stratus/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace stratus::dynamodb {

enum class AvType : uint8_t { S, N, B, BOOL, NUL, L, M, SS, NS, BS, none };

AvType av_type(const json::value& v);
std::string_view type_name(AvType t);  // "S", "N", ..., "NULL"
AvType parse_type_name(std::string_view s);
inline const json::value& av_payload(const json::value& v) { return v.get_object().begin()->value(); }

// Checks a client-supplied value and canonicalises its numbers in place. Returns the AWS message
// (empty when valid). `nested` is the depth of the value (limit 32).
std::string check_value(json::value& v, int depth = 0);

// Deep equality (sets compare as sets, numbers numerically).
bool av_equal(const json::value& a, const json::value& b);
// Order of two scalars of the same type (S, N or B): <0, 0, >0.
int av_compare(const json::value& a, const json::value& b);
// Both S, N or B and of the same type.
bool comparable(const json::value& a, const json::value& b);

// AWS's size arithmetic (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html)
size_t value_size(const json::value& v);
size_t item_size(const json::object& item);

// Bytes stored in a key column: S and B as-is (byte order is DynamoDB's order), N order-encoded.
std::string key_bytes(const json::value& v);
// The value back from key bytes (for LastEvaluatedKey we always have the item, so rarely needed).

// Builders.
inline json::value av_s(std::string_view s) { return json::object{{"S", s}}; }
inline json::value av_n(std::string_view s) { return json::object{{"N", s}}; }

// Renders a value the way AWS quotes it in messages ("{S: a}" style is not needed; sets as [a, b]).
std::string render_set(const json::array& a, bool base64);

}  // namespace stratus::dynamodb
