// The alerting half of the store contract (outbox, alert history,
// silences), against SQLite and the PostgreSQL server in
// MODELWATCH_TEST_PG_URL.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store/backend.h"
#include "store/store.h"
#include "store/store_contract_fixture.h"
#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

class AlertContract : public testing::StoreContract {
 protected:
  OutboxMessage Message(const std::string& key, WallTime created) {
    OutboxMessage m;
    m.key = key;
    m.channel = "ops";
    m.payload = R"({"monitor":"nano","kind":"firing"})";
    m.created = created;
    m.next_attempt = created;
    return m;
  }
  AlertEvent Event(const std::string& monitor, WallTime at, const std::string& kind = "firing") {
    AlertEvent e;
    e.monitor = monitor;
    e.rule = "consecutive_failures";
    e.level = "critical";
    e.kind = kind;
    e.at = at;
    e.message = monitor + " failed 3 times";
    return e;
  }
  // Commits `change`, waits for it, and returns what the callback got.
  std::vector<OutboxMessage> CommitAndWait(Store& store, AlertChange change) {
    std::vector<OutboxMessage> got;
    bool called = false;
    store.Commit(std::move(change), [&](std::vector<OutboxMessage>&& written) {
      got = std::move(written);
      called = true;
    });
    Status st = store.Flush();
    EXPECT_TRUE(st.ok()) << st.message();
    EXPECT_TRUE(called);
    return got;
  }
  WallTime now() const { return clock_.WallNow(); }
};

TEST_P(AlertContract, CommitWritesStateEventsAndMessagesAndCallsBackWithIds) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  MonitorState s;
  s.monitor = "nano";
  s.consecutive_failures = 3;
  s.last_alert = now();
  c.states.push_back(s);
  c.events.push_back(Event("nano", now()));
  c.messages.push_back(Message("nano/firing/1/ops", now()));
  c.messages.push_back(Message("nano/firing/1/log", now()));
  c.messages[1].channel = "log";
  auto written = CommitAndWait(*store, c);
  ASSERT_EQ(written.size(), 2u);
  EXPECT_GT(written[0].id, 0);
  EXPECT_GT(written[1].id, written[0].id);
  EXPECT_EQ(written[1].key, "nano/firing/1/log");
  EXPECT_EQ(written[1].channel, "log");

  auto states = store->States();
  ASSERT_TRUE(states.has_value());
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].consecutive_failures, 3);
  auto events = store->AlertEvents("nano", WallTime{}, 10);
  ASSERT_TRUE(events.has_value()) << events.error().message();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_GT((*events)[0].id, 0);
  EXPECT_EQ((*events)[0].rule, "consecutive_failures");
  EXPECT_EQ((*events)[0].level, "critical");
  EXPECT_EQ((*events)[0].message, "nano failed 3 times");
  EXPECT_EQ((*events)[0].at, FromUnixMillis(ToUnixMillis(now())));
  auto outbox = store->Outbox(true, 10);
  ASSERT_TRUE(outbox.has_value()) << outbox.error().message();
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].id, written[1].id);  // newest first
  EXPECT_EQ((*outbox)[1].payload, R"({"monitor":"nano","kind":"firing"})");
  EXPECT_FALSE((*outbox)[1].delivered.has_value());
  EXPECT_EQ((*outbox)[1].attempts, 0);
}

TEST_P(AlertContract, MessageWithAnExistingKeyIsSkipped) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange first;
  first.messages.push_back(Message("k1", now()));
  ASSERT_EQ(CommitAndWait(*store, first).size(), 1u);
  AlertChange again;
  again.messages.push_back(Message("k1", now()));
  again.messages.push_back(Message("k2", now()));
  auto written = CommitAndWait(*store, again);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].key, "k2");
  EXPECT_EQ(store->Outbox(false, 10)->size(), 2u);
}

TEST_P(AlertContract, FailingCommitWritesNothingAndIsRetriedUntilWritten) {
  options_.retry_min = milliseconds(20);
  options_.retry_max = milliseconds(50);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  // Every insert into the outbox fails, after the state and event are in.
  ASSERT_TRUE(ExecSql(postgres() ? "CREATE FUNCTION mw_fail() RETURNS trigger LANGUAGE plpgsql "
                                   "AS $$BEGIN RAISE EXCEPTION 'injected'; END$$;"
                                   "CREATE TRIGGER mw_fail BEFORE INSERT ON outbox FOR EACH ROW "
                                   "EXECUTE FUNCTION mw_fail()"
                                 : "CREATE TRIGGER mw_fail BEFORE INSERT ON outbox "
                                   "BEGIN SELECT RAISE(ABORT, 'injected'); END"));
  AlertChange c;
  MonitorState s;
  s.monitor = "nano";
  s.consecutive_failures = 3;
  c.states.push_back(s);
  c.events.push_back(Event("nano", now()));
  c.messages.push_back(Message("k1", now()));
  std::atomic<int> calls{0};
  int64_t got_id = 0;
  store->Commit(c, [&](std::vector<OutboxMessage>&& w) {
    ++calls;
    got_id = w.empty() ? -1 : w[0].id;
  });
  Status st = store->Flush();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("injected"), std::string::npos) << st.message();
  EXPECT_EQ(calls.load(), 0);
  EXPECT_TRUE(store->States()->empty());
  EXPECT_TRUE(store->AlertEvents("", WallTime{}, 10)->empty());
  EXPECT_TRUE(store->Outbox(false, 10)->empty());

  ASSERT_TRUE(ExecSql("DROP TRIGGER mw_fail" + std::string(postgres() ? " ON outbox" : "")));
  // The writer retries on its own; Flush returns once it got through.
  for (int i = 0; i < 100 && !store->Flush().ok(); ++i) {
  }
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(calls.load(), 1);
  EXPECT_GT(got_id, 0);
  EXPECT_EQ(store->States()->size(), 1u);
  EXPECT_EQ(store->AlertEvents("", WallTime{}, 10)->size(), 1u);
  auto outbox = store->Outbox(false, 10);
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].id, got_id);
}

TEST_P(AlertContract, CommitIsNeverDroppedForQueueSpace) {
  options_.queue_capacity = 10;
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::atomic<int> written{0};
  for (int i = 0; i < 50; ++i) {
    store->Append(testing::MakeResult("m", HourStart() + seconds(i)));
    AlertChange c;
    c.messages.push_back(Message("k" + std::to_string(i), now()));
    store->Commit(std::move(c), [&](std::vector<OutboxMessage>&& w) { written += w.size(); });
  }
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(written.load(), 50);
  EXPECT_EQ(store->Outbox(false, 100)->size(), 50u);
}

TEST_P(AlertContract, ClaimTakesDueUnclaimedMessagesOldestFirstUntilTheLeaseEnds) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  c.messages.push_back(Message("b", now() - seconds(5)));
  c.messages.push_back(Message("a", now() - seconds(10)));  // older, written second
  c.messages.push_back(Message("later", now()));
  c.messages.back().next_attempt = now() + minutes(10);
  CommitAndWait(*store, c);

  auto got = store->ClaimOutbox("sender-1", now(), minutes(1), 10);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].key, "a");
  EXPECT_EQ((*got)[1].key, "b");
  EXPECT_EQ((*got)[0].claimed_by, "sender-1");
  EXPECT_EQ((*got)[0].claim_until, FromUnixMillis(ToUnixMillis(now() + minutes(1))));
  EXPECT_TRUE(store->ClaimOutbox("sender-2", now(), minutes(1), 10)->empty());
  // The first sender died: its claims expire.
  clock_.Advance(minutes(1));
  auto again = store->ClaimOutbox("sender-2", now(), minutes(1), 1);
  ASSERT_TRUE(again.has_value());
  ASSERT_EQ(again->size(), 1u);  // limit
  EXPECT_EQ((*again)[0].key, "a");
  auto listed = store->Outbox(true, 10);
  auto it = std::find_if(listed->begin(), listed->end(),
                         [](const OutboxMessage& m) { return m.key == "a"; });
  ASSERT_NE(it, listed->end());
  EXPECT_EQ(it->claimed_by, "sender-2");
}

TEST_P(AlertContract, FailedAttemptIsRecordedAndRetriedAtItsTime) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  c.messages.push_back(Message("k", now()));
  int64_t id = CommitAndWait(*store, c).at(0).id;
  ASSERT_EQ(store->ClaimOutbox("s", now(), seconds(30), 10)->size(), 1u);
  store->OutboxFailed(id, 1, now() + minutes(2), "HTTP 503: overloaded");
  ASSERT_TRUE(store->Flush().ok());
  auto listed = store->Outbox(true, 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 1);
  EXPECT_EQ((*listed)[0].last_error, "HTTP 503: overloaded");
  EXPECT_EQ((*listed)[0].next_attempt, FromUnixMillis(ToUnixMillis(now() + minutes(2))));
  clock_.Advance(minutes(1));  // lease over, retry not due
  EXPECT_TRUE(store->ClaimOutbox("s", now(), seconds(30), 10)->empty());
  clock_.Advance(minutes(1));
  EXPECT_EQ(store->ClaimOutbox("s", now(), seconds(30), 10)->size(), 1u);
}

TEST_P(AlertContract, RenewedClaimsStayTheirOwnersAndOthersAreLeftAlone) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  c.messages.push_back(Message("mine", now()));
  c.messages.push_back(Message("theirs", now()));
  auto written = CommitAndWait(*store, c);
  ASSERT_EQ(written.size(), 2u);
  ASSERT_EQ(store->ClaimOutbox("a", now(), minutes(1), 1)->size(), 1u);  // "mine", oldest
  ASSERT_EQ(store->ClaimOutbox("b", now(), minutes(5), 1)->size(), 1u);  // "theirs"
  // "a" renews both: its own claim runs on, b's valid claim is not taken.
  store->OutboxRenewClaims({written[0].id, written[1].id}, "a", now() + minutes(10));
  ASSERT_TRUE(store->Flush().ok());
  clock_.Advance(minutes(6));  // a's first lease and b's lease are over
  auto taken = store->ClaimOutbox("c", now(), minutes(1), 10);
  ASSERT_TRUE(taken);
  ASSERT_EQ(taken->size(), 1u);
  EXPECT_EQ((*taken)[0].key, "theirs");
}

TEST_P(AlertContract, DeliveredIsFinal) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  c.messages.push_back(Message("k", now()));
  int64_t id = CommitAndWait(*store, c).at(0).id;
  ASSERT_EQ(store->ClaimOutbox("s", now(), seconds(30), 10)->size(), 1u);
  store->OutboxDelivered(id, now());
  store->OutboxFailed(id, 5, now(), "late failure");  // a stray retry's answer
  store->OutboxDelivered(id, now() + hours(1));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE(store->Outbox(true, 10)->empty());
  auto all = store->Outbox(false, 10);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].delivered, FromUnixMillis(ToUnixMillis(now())));
  EXPECT_EQ((*all)[0].attempts, 0);
  EXPECT_EQ((*all)[0].last_error, "");
  clock_.Advance(hours(1));
  EXPECT_TRUE(store->ClaimOutbox("s", now(), seconds(30), 10)->empty());
}

TEST_P(AlertContract, TwoConcurrentClaimersNeverGetTheSameMessage) {
  auto a = OpenStore();
  auto b = OpenStore();  // another instance on the same database
  ASSERT_TRUE(a && b);
  AlertChange c;
  for (int i = 0; i < 400; ++i) {
    c.messages.push_back(Message("k" + std::to_string(i), now() - milliseconds(400 - i)));
  }
  CommitAndWait(*a, c);
  std::mutex mu;
  std::vector<int64_t> ids;
  std::atomic<int> errors{0};
  auto claim = [&](Store* store, std::string owner) {
    while (true) {
      auto got = store->ClaimOutbox(owner, now(), minutes(5), 7);
      if (!got) {
        ++errors;
        return;
      }
      if (got->empty()) {
        return;
      }
      std::lock_guard lock(mu);
      for (const OutboxMessage& m : *got) {
        ids.push_back(m.id);
      }
    }
  };
  std::thread t1(claim, a.get(), "a1");
  std::thread t2(claim, b.get(), "b1");
  std::thread t3(claim, b.get(), "b2");
  t1.join();
  t2.join();
  t3.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(ids.size(), 400u);
  EXPECT_EQ(std::set<int64_t>(ids.begin(), ids.end()).size(), 400u);
}

TEST_P(AlertContract, AlertEventsNewestFirstFilteredByMonitorAndSince) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  AlertChange c;
  WallTime t0 = HourStart();
  c.events.push_back(Event("nano", t0, "firing"));
  c.events.push_back(Event("dalle", t0 + minutes(1), "firing"));
  c.events.push_back(Event("nano", t0 + minutes(2), "resolved"));
  c.events.back().silenced = true;
  c.events.push_back(Event("nano", t0 + minutes(3), "firing"));
  CommitAndWait(*store, c);
  auto nano = store->AlertEvents("nano", t0 + minutes(1), 10);
  ASSERT_TRUE(nano.has_value());
  ASSERT_EQ(nano->size(), 2u);
  EXPECT_EQ((*nano)[0].at, t0 + minutes(3));
  EXPECT_EQ((*nano)[1].kind, "resolved");
  EXPECT_TRUE((*nano)[1].silenced);
  EXPECT_FALSE((*nano)[0].silenced);
  auto all = store->AlertEvents("", WallTime{}, 3);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].monitor, "dalle");
  EXPECT_TRUE(store->AlertEvents("absent", WallTime{}, 10)->empty());
}

TEST_P(AlertContract, SilencesAddListRemoveAcrossTwoStoresOnOneDatabase) {
  auto daemon = OpenStore();
  auto cli = OpenStore();
  ASSERT_TRUE(daemon && cli);
  Silence s;
  s.monitor = "nano";
  s.rule = "latency";
  s.starts = now() + hours(1);
  s.ends = now() + hours(3);
  s.reason = "provider maintenance";
  s.created_by = "cli";
  s.created = now();
  auto id = cli->AddSilence(s);
  ASSERT_TRUE(id.has_value()) << id.error().message();
  Silence all = s;
  all.monitor = "";
  all.rule = "";
  all.starts = now() - hours(1);
  all.ends = now() + hours(1);
  auto id2 = daemon->AddSilence(all);
  ASSERT_TRUE(id2.has_value());
  EXPECT_NE(*id, *id2);
  Silence ended = s;
  ended.starts = now() - hours(3);
  ended.ends = now() - hours(1);
  ASSERT_TRUE(cli->AddSilence(ended).has_value());

  auto seen = daemon->Silences(now());
  ASSERT_TRUE(seen.has_value()) << seen.error().message();
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[0].id, *id2);  // by start
  EXPECT_EQ((*seen)[0].monitor, "");
  EXPECT_EQ((*seen)[1].id, *id);
  EXPECT_EQ((*seen)[1].rule, "latency");
  EXPECT_EQ((*seen)[1].reason, "provider maintenance");
  EXPECT_EQ((*seen)[1].created_by, "cli");
  EXPECT_EQ((*seen)[1].ends, FromUnixMillis(ToUnixMillis(s.ends)));

  ASSERT_TRUE(cli->RemoveSilence(*id).ok());
  Status again = daemon->RemoveSilence(*id);
  EXPECT_EQ(again.code(), Status::Code::kNotFound) << again.message();
  seen = daemon->Silences(now());
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].id, *id2);
}

TEST_P(AlertContract, PrunesDeliveredMessagesEventsAndEndedSilencesAfterRetention) {
  options_.retention = hours(24);
  options_.prune_interval = milliseconds(1);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime old = now() - hours(48);
  AlertChange c;
  c.messages.push_back(Message("old-delivered", old));
  c.messages.push_back(Message("old-pending", old));
  c.messages.push_back(Message("new-delivered", now()));
  c.events.push_back(Event("m", old));
  c.events.push_back(Event("m", now()));
  auto written = CommitAndWait(*store, c);
  ASSERT_EQ(written.size(), 3u);
  store->OutboxDelivered(written[0].id, old);
  store->OutboxDelivered(written[2].id, now());
  Silence s;
  s.starts = old - hours(1);
  s.ends = old;
  ASSERT_TRUE(store->AddSilence(s).has_value());
  s.ends = now() - hours(1);  // ended, but recently
  ASSERT_TRUE(store->AddSilence(s).has_value());
  ASSERT_TRUE(store->Flush().ok());
  for (int i = 0; i < 100 && store->Outbox(false, 10)->size() > 2; ++i) {
    clock_.Advance(seconds(1));
    store->Append(testing::MakeResult("m", now()));
    ASSERT_TRUE(store->Flush().ok());
    SleepFor(milliseconds(20));
  }
  auto left = store->Outbox(false, 10);
  ASSERT_EQ(left->size(), 2u) << store->last_error().message();
  EXPECT_EQ((*left)[0].key, "new-delivered");
  EXPECT_EQ((*left)[1].key, "old-pending");  // never pruned undelivered
  EXPECT_EQ(store->AlertEvents("", WallTime{}, 10)->size(), 1u);
  EXPECT_EQ(store->Silences(WallTime{})->size(), 1u);
}

TEST_P(AlertContract, UpgradesASchemaOneDatabaseInPlace) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    store->Append(testing::MakeResult("m", HourStart()));
    ASSERT_TRUE(store->Flush().ok());
  }
  // What a version 1 database is: the later versions less their tables and
  // columns (version 4's table is created if missing, so it may stay).
  ASSERT_TRUE(
      ExecSql("DROP TABLE outbox; DROP TABLE alert_events; DROP TABLE silences;"
              "DROP TABLE source_events; ALTER TABLE results DROP COLUMN cost_usd;"
              "ALTER TABLE results DROP COLUMN light;"
              "ALTER TABLE results DROP COLUMN async_accept_ms;"
              "ALTER TABLE results DROP COLUMN async_queue_ms;"
              "ALTER TABLE results DROP COLUMN async_fetch_ms;"
              "ALTER TABLE results DROP COLUMN async_polls;"
              "UPDATE schema_version SET version = 1"));
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Results("m", WallTime{})->size(), 1u);
  AlertChange c;
  c.messages.push_back(Message("k", now()));
  c.events.push_back(Event("m", now()));
  EXPECT_EQ(CommitAndWait(*store, c).size(), 1u);
  EXPECT_EQ(store->AlertEvents("m", WallTime{}, 10)->size(), 1u);
  Silence s;
  s.ends = now() + hours(1);
  EXPECT_TRUE(store->AddSilence(s).has_value());
  // The upgrade is recorded, so reopening does not run it again.
  EXPECT_EQ(QueryInt("SELECT max(version) FROM schema_version"), kSchemaVersion);
  store.reset();
  ASSERT_TRUE(OpenStore());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM silences"), 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, AlertContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace modelwatch::store
