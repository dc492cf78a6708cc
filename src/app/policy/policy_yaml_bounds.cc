#include "app/policy/policy_yaml_bounds.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace sb::app {
namespace {

// Thrown by the event handler to stop the parser at the first refusal.
struct Refusal {
  Status status;
};

std::string Line(int zero_based) { return "line " + std::to_string(zero_based + 1) + ": "; }

// The 0-based line of byte `offset`.
int LineOfOffset(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
}

// Counts and checks the events of one stream. A collection in progress is a Frame; maps
// alternate key and value events, which is how keys are told from values.
class ShapeCheck : public YAML::EventHandler {
 public:
  explicit ShapeCheck(const PackLimits& limits) : limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      Refuse(mark, "policy", "multiple_documents",
             "a policy pack is one YAML document; this starts a second one");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Leaf(mark, anchor, ""); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    Leaf(mark, anchor, value);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (++aliases_ > limits_.max_aliases)
      Refuse(mark, "policy", "too_many_aliases",
             "more than " + std::to_string(limits_.max_aliases) + " aliases");
    RefuseComplexKey(mark);
    auto size = anchor_nodes_.find(anchor);
    Count(mark, size == anchor_nodes_.end() ? 1 : size->second);
    Completed();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor, false);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor, true);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    bool map = false;
    bool expect_key = true;           // maps: the next node is a key
    std::string key;                  // maps: the key whose value is being read
    std::size_t index = 0;            // lists: the item being read
    std::map<std::string, int> keys;  // maps: each key seen, with its 0-based line
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::int64_t nodes_before = 0;
  };

  [[noreturn]] static void Refuse(const YAML::Mark& mark, const std::string& param,
                                  const std::string& reason, const std::string& message) {
    throw Refusal{Status::Invalid(param, Line(mark.line) + message, reason)};
  }

  bool KeyExpected() const { return !open_.empty() && open_.back().map && open_.back().expect_key; }

  void RefuseComplexKey(const YAML::Mark& mark) {
    if (KeyExpected())
      Refuse(mark, "policy", "complex_key",
             "map keys must be plain names, not lists, maps or aliases");
  }

  // The field path of the innermost open collection ("requests.reconnection.checks[1]").
  std::string OpenPath() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < open_.size(); ++i) {
      const Frame& f = open_[i];
      out += f.map ? (out.empty() ? "" : ".") + f.key : "[" + std::to_string(f.index) + "]";
    }
    return out;
  }

  void Count(const YAML::Mark& mark, std::int64_t nodes) {
    nodes_ += nodes;
    if (nodes_ > limits_.max_nodes)
      Refuse(mark, "policy", "too_many_nodes",
             "more than " + std::to_string(limits_.max_nodes) +
                 " nodes (an alias counts as every node it repeats)");
  }

  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& value) {
    if (KeyExpected()) {
      Frame& f = open_.back();
      auto [seen, inserted] = f.keys.emplace(value, mark.line);
      if (!inserted) {
        std::string path = OpenPath();
        path += (path.empty() ? "" : ".") + value;
        Refuse(mark, path, "duplicate_key",
               path + ": key '" + value + "' repeats the one on line " +
                   std::to_string(seen->second + 1));
      }
      f.key = value;
    }
    Count(mark, 1);
    if (anchor != YAML::NullAnchor) anchor_nodes_[anchor] = 1;
    Completed();
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
    RefuseComplexKey(mark);
    std::int64_t before = nodes_;
    Count(mark, 1);
    if (static_cast<int>(open_.size()) >= limits_.max_depth)
      Refuse(mark, "policy", "too_deep",
             "maps and lists nested more than " + std::to_string(limits_.max_depth) + " deep");
    Frame f;
    f.map = map;
    f.anchor = anchor;
    f.nodes_before = before;
    open_.push_back(std::move(f));
  }

  void Close() {
    Frame& f = open_.back();
    if (f.anchor != YAML::NullAnchor) anchor_nodes_[f.anchor] = nodes_ - f.nodes_before;
    open_.pop_back();
    Completed();
  }

  // One whole node (key or value, however large) has been read in the open collection.
  void Completed() {
    if (open_.empty()) return;
    Frame& f = open_.back();
    if (f.map) {
      f.expect_key = !f.expect_key;
    } else {
      ++f.index;
    }
  }

  const PackLimits& limits_;
  int documents_ = 0;
  int aliases_ = 0;
  std::int64_t nodes_ = 0;
  std::vector<Frame> open_;
  std::map<YAML::anchor_t, std::int64_t> anchor_nodes_;  // nodes each anchor stands for
};

}  // namespace

std::size_t FirstInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

Status CheckPackShape(std::string_view yaml_text, const PackLimits& limits) {
  if (yaml_text.size() > limits.max_bytes)
    return Status::Invalid("policy",
                           Line(LineOfOffset(yaml_text, limits.max_bytes)) +
                               "the pack is larger than the limit of " +
                               std::to_string(limits.max_bytes) + " bytes",
                           "pack_too_large");
  if (std::size_t bad = FirstInvalidUtf8(yaml_text); bad != std::string_view::npos)
    return Status::Invalid("policy",
                           Line(LineOfOffset(yaml_text, bad)) + "the pack is not valid UTF-8",
                           "invalid_utf8");
  std::istringstream in{std::string(yaml_text)};
  ShapeCheck check(limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(check)) {
    }
  } catch (const Refusal& r) {
    return r.status;
  } catch (const YAML::Exception& e) {
    return Status::Invalid("policy", Line(e.mark.line) + "malformed YAML: " + e.msg);
  } catch (const std::exception& e) {
    return Status::Invalid("policy", std::string("malformed YAML: ") + e.what());
  }
  return Status::Ok();
}

}  // namespace sb::app
