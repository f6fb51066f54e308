// An RSS 2.0 or Atom status feed, read with pugixml. Feeds carry history,
// not state: entries are grouped by incident (Google's Atom ids
// "tag:...:feed:<incident>.<update>", else the link, else the id), the
// newest entry of each tells its state, and an incident is active when that
// entry is not marked resolved or completed and is at most 48 hours old.
// Feeds give no severity: an active incident makes the source `degraded`.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <pugixml.hpp>

#include "core/text.h"
#include "source/parse.h"
#include "source/source.h"

namespace modelwatch::source {
namespace {

constexpr auto kActiveFor = std::chrono::hours(48);

struct Entry {
  std::string id;
  std::string title;
  std::string link;
  std::string text;
  std::optional<WallTime> when;
};

std::string Child(const pugi::xml_node& n, const char* name) { return n.child(name).text().get(); }

std::string AtomLink(const pugi::xml_node& entry) {
  std::string any;
  for (pugi::xml_node l : entry.children("link")) {
    std::string rel = l.attribute("rel").value();
    if (rel.empty() || rel == "alternate") {
      return l.attribute("href").value();
    }
    if (any.empty()) {
      any = l.attribute("href").value();
    }
  }
  return any;
}

// "tag:status.cloud.google.com,2022:feed:B1hD4KAtcxiyAWkcANfV.T3VT..." -> "B1hD4KAtcxiyAWkcANfV".
std::string IncidentKey(const Entry& e) {
  size_t feed = e.id.find(":feed:");
  if (feed != std::string::npos) {
    std::string rest = e.id.substr(feed + 6);
    return rest.substr(0, rest.find('.'));
  }
  return e.link.empty() ? e.id : e.link;
}

bool MarkedEnded(const Entry& e) {
  std::string t = AsciiLower(TrimSpace(e.title));
  std::string x = AsciiLower(TrimSpace(e.text).substr(0, 40));
  for (std::string_view word : {"resolved", "[resolved]", "completed", "[completed]"}) {
    if (t.starts_with(word) || x.starts_with(word)) {
      return true;
    }
  }
  return false;
}

// The title without a Google-style "UPDATE: " / "RESOLVED: " state prefix.
std::string StripState(std::string title) {
  for (std::string_view p : {"UPDATE: ", "RESOLVED: ", "Update: ", "Resolved: "}) {
    if (title.starts_with(p)) {
      return title.substr(p.size());
    }
  }
  return title;
}

class Feed final : public Source {
 public:
  explicit Feed(const config::StatusSource& e) : e_(e) {}

  // Source
  std::vector<net::Request> BuildRequests() const override {
    net::Request r = GetRequest(e_.url);
    r.headers = {{"Accept", "application/atom+xml, application/rss+xml, application/xml, */*"}};
    return {r};
  }

  Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const override {
    if (answers.size() != 1) {
      return Unknown("no answer", now, "");
    }
    if (auto why = AnswerProblem(answers[0])) {
      return Unknown(*why, now, "");
    }
    const std::string& body = answers[0].body;
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
    if (!parsed) {
      return Unknown(fmt::format("invalid XML at byte {}: {}", parsed.offset, parsed.description()),
                     now, "");
    }
    std::vector<Entry> entries;
    std::string page;
    if (pugi::xml_node feed = doc.child("feed")) {  // Atom
      page = AtomLink(feed);
      for (pugi::xml_node n : feed.children("entry")) {
        Entry e;
        e.id = Child(n, "id");
        e.title = Child(n, "title");
        e.link = AtomLink(n);
        std::string html = Child(n, "summary");
        e.text = PlainText(html.empty() ? Child(n, "content") : html);
        std::string when = Child(n, "updated");
        e.when = ParseIsoTime(when.empty() ? Child(n, "published") : when);
        entries.push_back(std::move(e));
      }
    } else if (pugi::xml_node channel = doc.child("rss").child("channel")) {
      page = Child(channel, "link");
      for (pugi::xml_node n : channel.children("item")) {
        Entry e;
        e.id = Child(n, "guid");
        e.title = Child(n, "title");
        e.link = Child(n, "link");
        e.text = PlainText(Child(n, "description"));
        e.when = ParseRssTime(Child(n, "pubDate"));
        entries.push_back(std::move(e));
      }
    } else {
      return Unknown("neither an Atom <feed> nor an RSS <rss><channel>", now, "");
    }
    Snapshot s;
    s.source = e_.name;
    s.kind = "feed";
    s.polled = now;
    s.page = page.empty() ? Origin(e_.url) : page;
    // The newest entry of each incident.
    std::map<std::string, const Entry*> newest;
    for (const Entry& e : entries) {
      if (!e.when) {
        continue;  // undated: cannot tell whether it is current
      }
      const Entry*& slot = newest[IncidentKey(e)];
      if (slot == nullptr || *e.when > *slot->when) {
        slot = &e;
      }
    }
    for (const auto& [key, e] : newest) {
      if (MarkedEnded(*e) || now - *e->when > kActiveFor) {
        continue;
      }
      Incident inc;
      inc.id = key;
      inc.title = PlainText(StripState(e->title), 300);
      inc.status = "active";
      inc.latest_update = e->text;
      inc.link = e->link;
      inc.updated = *e->when;
      inc.started = *e->when;
      for (const Entry& other : entries) {  // the oldest entry of the incident
        if (other.when && IncidentKey(other) == key && *other.when < inc.started) {
          inc.started = *other.when;
        }
      }
      s.incidents.push_back(std::move(inc));
    }
    std::stable_sort(s.incidents.begin(), s.incidents.end(),
                     [](const Incident& a, const Incident& b) { return a.started > b.started; });
    s.health = s.incidents.empty() ? Health::kOperational : Health::kDegraded;
    s.why = s.incidents.empty()
                ? fmt::format("no active incident ({} entries)", entries.size())
                : fmt::format("{} active incident{}: {}", s.incidents.size(),
                              s.incidents.size() == 1 ? "" : "s", s.incidents[0].title);
    return s;
  }

 private:
  Snapshot Unknown(std::string why, WallTime now, std::string page) const {
    Snapshot s = UnknownSnapshot(e_.name, "feed", std::move(why), now);
    s.page = page.empty() ? Origin(e_.url) : std::move(page);
    return s;
  }

  config::StatusSource e_;
};

}  // namespace

Result<SourcePtr> MakeFeed(const config::StatusSource& entry) {
  if (entry.url.empty()) {
    return Status::InvalidArgument("needs a url");
  }
  return SourcePtr(std::make_unique<Feed>(entry));
}

}  // namespace modelwatch::source
