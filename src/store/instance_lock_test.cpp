// The instance lock on both engines: refused while another holds it, taken
// when its lease ended or its process is gone, released at destruction.
#include "store/instance_lock.h"

#include <gtest/gtest.h>

#include "store/store_contract_fixture.h"

namespace modelwatch::store::testing {
namespace {

class InstanceLockTest : public StoreContract {
 protected:
  InstanceLockOptions Mine(const std::string& host = "here", int64_t pid = 100) {
    InstanceLockOptions o;
    o.host = host;
    o.pid = pid;
    o.clock = &clock_;
    return o;
  }
  // A holder on another host, with a lease running until now + lease_left.
  void ForeignHolder(std::chrono::milliseconds lease_left) {
    int64_t now = ToUnixMillis(clock_.WallNow());
    ASSERT_TRUE(OpenStore() != nullptr);  // creates the schema
    ASSERT_TRUE(ExecSql(fmt::format(
        "INSERT INTO instance_lock VALUES ('run', 'far:4242:1', 'far.example', 4242, {}, {}, {})",
        now - 60'000, now - 5'000, now + lease_left.count())));
  }
};

TEST_P(InstanceLockTest, SecondClaimantIsRefusedNamingTheFirst) {
  auto first = InstanceLock::Acquire(options_, Mine("alpha", 111));
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_TRUE((*first)->held());
  auto second = InstanceLock::Acquire(options_, Mine("beta", 222));
  ASSERT_FALSE(second.has_value());
  const std::string& msg = second.error().message();
  EXPECT_NE(msg.find("host alpha"), std::string::npos) << msg;
  EXPECT_NE(msg.find("pid 111"), std::string::npos) << msg;
  EXPECT_NE(msg.find("since " + FormatIso8601(FromUnixMillis(ToUnixMillis(clock_.WallNow())))),
            std::string::npos)
      << msg;
}

TEST_P(InstanceLockTest, LiveForeignLeaseIsRespected) {
  ForeignHolder(std::chrono::seconds(20));
  auto lock = InstanceLock::Acquire(options_, Mine());
  ASSERT_FALSE(lock.has_value());
  EXPECT_NE(lock.error().message().find("far.example"), std::string::npos);
}

TEST_P(InstanceLockTest, ExpiredLeaseIsTakenOver) {
  ForeignHolder(std::chrono::seconds(-1));
  auto lock = InstanceLock::Acquire(options_, Mine());
  ASSERT_TRUE(lock.has_value()) << lock.error().message();
  EXPECT_EQ(QueryInt("SELECT pid FROM instance_lock WHERE name = 'run'"), 100);
}

TEST_P(InstanceLockTest, DeadProcessOnThisHostIsTakenOverAtOnce) {
  // pid 2^22 + 1 is above Linux's pid_max: no such process.
  auto first = InstanceLock::Acquire(options_, Mine("here", 4194305));
  ASSERT_TRUE(first.has_value());
  auto gone = std::move(first).value();
  ASSERT_TRUE(ExecSql("UPDATE instance_lock SET lease_until_ms = lease_until_ms + 600000"));
  auto second = InstanceLock::Acquire(options_, Mine("here", getpid()));
  ASSERT_TRUE(second.has_value()) << second.error().message();
  EXPECT_EQ(QueryInt("SELECT pid FROM instance_lock"), getpid());
  gone.reset();  // releases nothing: it no longer holds the row
  EXPECT_EQ(QueryInt("SELECT count(*) FROM instance_lock"), 1);
}

TEST_P(InstanceLockTest, ReleasedAtDestruction) {
  {
    auto lock = InstanceLock::Acquire(options_, Mine());
    ASSERT_TRUE(lock.has_value());
  }
  EXPECT_EQ(QueryInt("SELECT count(*) FROM instance_lock"), 0);
  auto again = InstanceLock::Acquire(options_, Mine("other", 7));
  EXPECT_TRUE(again.has_value());
}

TEST_P(InstanceLockTest, UnreachableDatabaseGivesAPendingLock) {
  if (postgres()) {
    options_.postgres_url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  } else {
    options_.sqlite_path = dir_.path() + "/missing-dir/mw.db";
  }
  auto lock = InstanceLock::Acquire(options_, Mine());
  ASSERT_TRUE(lock.has_value()) << lock.error().message();
  EXPECT_FALSE((*lock)->held());
  EXPECT_FALSE((*lock)->last_error().ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, InstanceLockTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace modelwatch::store::testing
