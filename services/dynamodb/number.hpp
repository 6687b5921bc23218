#pragma once
// DynamoDB numbers: decimals of up to 38 significant digits with magnitudes between 1E-130 and
// 9.99...E+125, exact arithmetic, canonical text ("1.50" -> "1.5", "1e2" -> "100") and a byte
// encoding whose memcmp order is numeric order (key columns in SQLite sort like DynamoDB).
#include <optional>
#include <string>
#include <string_view>

namespace stratus::dynamodb {

struct Decimal {
  bool neg = false;
  std::string digits;  // significant digits without leading or trailing zeros; empty = zero
  int exp = 0;         // value = 0.<digits> x 10^exp

  bool zero() const { return digits.empty(); }
};

// Parses Java BigDecimal syntax ("-1.5e3", ".5", "+7"); nullopt when not a number.
std::optional<Decimal> parse_decimal(std::string_view s);
// Empty when within DynamoDB's limits, else AWS's message (overflow, underflow, precision).
std::string check_limits(const Decimal& d);
// Plain decimal text without exponent, trailing zeros or a leading '+'.
std::string to_text(const Decimal& d);
int compare(const Decimal& a, const Decimal& b);
Decimal add(const Decimal& a, const Decimal& b);
Decimal negate(Decimal d);
// Order-preserving bytes (memcmp order == numeric order).
std::string sort_key_bytes(const Decimal& d);
// Approximate stored size AWS bills for a number: 1 byte per two significant digits + 1.
size_t number_size(const Decimal& d);

// Canonical text of a DynamoDB number or an AWS validation message (in `error`).
std::optional<std::string> canonical_number(std::string_view s, std::string& error);

}  // namespace stratus::dynamodb
