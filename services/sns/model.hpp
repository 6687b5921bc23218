#pragma once
// SNS domain rules without I/O: names and ARNs, topic and subscription attributes, message
// attributes, MessageStructure=json, and the JSON documents SNS delivers (notification envelope,
// subscription confirmations, the Lambda event).
#include <stratus/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::sns {

inline constexpr int64_t kMaxMessageBytes = 262144;  // 256 KiB, attributes included
inline constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;

// Topic names: [A-Za-z0-9_-]{1,256}; FIFO names end in ".fifo" (counted in the 256).
bool valid_topic_name(std::string_view name, bool fifo);

// Protocols Subscribe accepts.
bool known_protocol(std::string_view protocol);
// Protocols whose subscriptions wait for ConfirmSubscription.
bool needs_confirmation(std::string_view protocol);
// Validates a subscription endpoint for its protocol (AWS's messages); throws InvalidParameter.
void validate_endpoint(std::string_view protocol, std::string_view endpoint);
// E.164 phone numbers (+ and up to 15 digits).
bool valid_phone_number(std::string_view number);

// Settable topic attributes (SetTopicAttributes / CreateTopic).
bool settable_topic_attribute(std::string_view name, bool fifo);
// Validates one topic attribute value; throws InvalidParameter.
void validate_topic_attribute(std::string_view name, std::string_view value, bool fifo);
std::string default_topic_policy(std::string_view topic_arn, std::string_view account);
std::string default_effective_delivery_policy();

// Settable subscription attributes.
bool settable_subscription_attribute(std::string_view name);

// Publish message attributes (SNS's MessageAttributeValue documents); throws InvalidParameterValue.
void validate_message_attributes(const json::object& attrs);
int64_t message_attributes_size(const json::object& attrs);

// MessageStructure=json: the message for a protocol ("default" when it has no own entry).
// Throws InvalidParameter for a body that is not a JSON object with a "default" string.
json::object parse_message_structure(std::string_view message);
std::string message_for(const json::object& structure, std::string_view protocol);

// The "MessageAttributes" of envelopes: {"name": {"Type": "...", "Value": "..."}} (binary base64).
json::object envelope_attributes(const json::object& attrs);

// AWS writes delivered JSON with two-space indentation and " : " separators; clients parse it,
// but people read it, and some tests compare it.
std::string pretty_json(const json::object& o);

// The string SNS signs for a message (SignatureVersion 1 and 2 use the same text).
std::string string_to_sign(const json::object& envelope);

}  // namespace stratus::sns
