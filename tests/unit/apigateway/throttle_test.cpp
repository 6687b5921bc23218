// Token buckets behind stage, route and usage-plan throttling: a bucket starts full (burstLimit
// tokens) and refills at rateLimit tokens a second up to the burst
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
#include "services/apigateway/dataplane.hpp"

#include <gtest/gtest.h>

using namespace stratus::apigateway;

TEST(ApigwThrottle, BurstThenRefillAtTheRate) {
  DataPlane dp;
  EXPECT_TRUE(dp.take_token("k", 2.0, 3.0, 100.0));
  EXPECT_TRUE(dp.take_token("k", 2.0, 3.0, 100.0));
  EXPECT_TRUE(dp.take_token("k", 2.0, 3.0, 100.0));
  EXPECT_FALSE(dp.take_token("k", 2.0, 3.0, 100.0));  // burst spent
  EXPECT_TRUE(dp.take_token("k", 2.0, 3.0, 100.5));   // 0.5 s at 2/s: one token
  EXPECT_FALSE(dp.take_token("k", 2.0, 3.0, 100.5));
  // A long pause refills only up to the burst.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(dp.take_token("k", 2.0, 3.0, 1000.0));
  EXPECT_FALSE(dp.take_token("k", 2.0, 3.0, 1000.0));
  // Buckets are independent, and a clock going backwards refills nothing.
  EXPECT_TRUE(dp.take_token("other", 2.0, 1.0, 1000.0));
  EXPECT_FALSE(dp.take_token("other", 2.0, 1.0, 999.0));
}

TEST(ApigwThrottle, ZeroBurstThrottlesEverything) {
  DataPlane dp;
  EXPECT_FALSE(dp.take_token("z", 100.0, 0.0, 1.0));
  EXPECT_FALSE(dp.take_token("z", 100.0, 0.0, 50.0));
  dp.reset();
  EXPECT_TRUE(dp.take_token("z", 100.0, 1.0, 1.0));
}
