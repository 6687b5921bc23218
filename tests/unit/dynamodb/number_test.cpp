// DynamoDB numbers: canonical text, limits, exact arithmetic and order-preserving key bytes.
#include "services/dynamodb/number.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace stratus::dynamodb;

namespace {
std::string canon(std::string_view s) {
  std::string err;
  auto c = canonical_number(s, err);
  return c ? *c : "ERR:" + err;
}
Decimal D(std::string_view s) { return *parse_decimal(s); }
}  // namespace

TEST(DynamoNumber, CanonicalText) {
  EXPECT_EQ(canon("1.50"), "1.5");
  EXPECT_EQ(canon("01"), "1");
  EXPECT_EQ(canon("-0"), "0");
  EXPECT_EQ(canon("0.000"), "0");
  EXPECT_EQ(canon("1e2"), "100");
  EXPECT_EQ(canon("1.23E-3"), "0.00123");
  EXPECT_EQ(canon("+7"), "7");
  EXPECT_EQ(canon(".5"), "0.5");
  EXPECT_EQ(canon("-12.340"), "-12.34");
}

TEST(DynamoNumber, Limits) {
  EXPECT_EQ(canon("abc"), "ERR:The parameter cannot be converted to a numeric value: abc");
  EXPECT_EQ(canon(""), "ERR:The parameter cannot be converted to a numeric value");
  EXPECT_EQ(canon("1e126"), "ERR:Number overflow. Attempting to store a number with magnitude larger than supported range");
  EXPECT_EQ(canon("9.9999999999999999999999999999999999999e125").substr(0, 4), "9999");
  EXPECT_EQ(canon("1e-131"), "ERR:Number underflow. Attempting to store a number with magnitude smaller than supported range");
  EXPECT_EQ(canon("1e-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(canon("123456789012345678901234567890123456789"),
            "ERR:Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(canon("12345678901234567890123456789012345678000"), "12345678901234567890123456789012345678000");
}

TEST(DynamoNumber, Arithmetic) {
  EXPECT_EQ(to_text(add(D("1.5"), D("2.25"))), "3.75");
  EXPECT_EQ(to_text(add(D("0.1"), D("0.2"))), "0.3");
  EXPECT_EQ(to_text(add(D("10"), D("-10"))), "0");
  EXPECT_EQ(to_text(add(D("-1"), D("0.001"))), "-0.999");
  EXPECT_EQ(to_text(add(D("99999999999999999999999999999999999999"), D("1"))), "100000000000000000000000000000000000000");
  EXPECT_EQ(to_text(add(D("1e20"), D("-1"))), "99999999999999999999");
  EXPECT_EQ(check_limits(add(D("1e20"), D("1e-20"))), "Attempting to store more than 38 significant digits in a Number");
}

TEST(DynamoNumber, KeyBytesSortNumerically) {
  std::vector<std::string> nums = {"-1e10", "-100", "-2.5", "-2", "-1.25", "-1.2", "-0.001", "0",
                                   "1e-100", "0.5", "1", "1.2", "1.25", "2", "10", "99", "100", "1e100"};
  for (size_t i = 0; i + 1 < nums.size(); ++i) {
    EXPECT_LT(sort_key_bytes(D(nums[i])), sort_key_bytes(D(nums[i + 1]))) << nums[i] << " < " << nums[i + 1];
    EXPECT_LT(compare(D(nums[i]), D(nums[i + 1])), 0);
  }
  EXPECT_EQ(sort_key_bytes(D("1.50")), sort_key_bytes(D("1.5")));
}
