#include "app/audit/audit_bundle_stream.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <deque>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

#include "app/audit/audit_bundle_json.h"

namespace sb::app {

namespace json = boost::json;

namespace {

// Bytes of the file read at once, and entries handed to the window at once.
constexpr std::size_t kBlock = 64 * 1024;
constexpr std::size_t kEntryBatch = 1024;

// Push-parser events of a bundle file: the elements of one array member of the top-level
// object are built one at a time and queued, as are the head members asked for; everything
// else is passed over.
struct MemberHandler {
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  MemberHandler(std::string array, std::vector<std::string> head_keys)
      : target(std::move(array)), wanted(std::move(head_keys)) {}

  std::string target;
  std::vector<std::string> wanted;
  json::value_stack stack;
  std::deque<json::value> elements;
  json::object head;
  int depth = 0;           // containers open; the top-level object's members are at 1
  int capture_at = -1;     // the depth of the value being built, -1 when none
  bool in_target = false;  // inside the array asked for
  bool found = false;      // the array was there
  bool ended = false;      // and it is read
  bool not_object = false;
  // A member named twice: which one a reader takes is its own choice, so the file is read
  // whole instead (JSON readers differ there, and a check must see what every reader sees).
  bool repeated = false;
  std::set<std::string> keys;
  std::string key;  // the last key of the top-level object
  std::string key_part;

  bool Capturing() const { return capture_at >= 0; }
  bool Wanted() const { return std::find(wanted.begin(), wanted.end(), key) != wanted.end(); }
  // Starts building a value here when it is an element of the array or a wanted head member.
  void MaybeBegin() {
    if (depth == 0) not_object = true;
    if (Capturing()) return;
    if ((in_target && depth == 2) || (!in_target && depth == 1 && Wanted())) {
      capture_at = depth;
      stack.reset();
    }
  }
  void Finish() {
    json::value v = stack.release();
    if (capture_at == 2) {
      elements.push_back(std::move(v));
    } else {
      head[key] = std::move(v);
    }
    capture_at = -1;
  }
  // A string, number, boolean or null: pushed when it is (part of) a value being built, which
  // it completes when it is that value itself.
  template <typename Push>
  bool Scalar(Push push) {
    MaybeBegin();
    if (!Capturing()) return true;
    push();
    if (depth == capture_at) Finish();
    return true;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    if (depth > 0) MaybeBegin();
    ++depth;
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    --depth;
    if (Capturing()) {
      stack.push_object(n);
      if (depth == capture_at) Finish();
    }
    return true;
  }
  bool on_array_begin(json::error_code&) {
    if (depth == 1 && !Capturing() && key == target) {
      in_target = found = true;
    } else {
      MaybeBegin();
    }
    ++depth;
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    --depth;
    if (in_target && depth == 1 && !Capturing()) {
      in_target = false;
      ended = true;
    } else if (Capturing()) {
      stack.push_array(n);
      if (depth == capture_at) Finish();
    }
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (Capturing()) {
      stack.push_chars(s);
    } else if (depth == 1) {
      key_part.append(s.data(), s.size());
    }
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (Capturing()) {
      stack.push_key(s);
    } else if (depth == 1) {
      key = std::move(key_part.append(s.data(), s.size()));
      key_part.clear();
      if (!keys.insert(key).second) repeated = true;
    }
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    MaybeBegin();
    if (Capturing()) stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    return Scalar([&] { stack.push_string(s); });
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    return Scalar([&] { stack.push_int64(i); });
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    return Scalar([&] { stack.push_uint64(u); });
  }
  bool on_double(double d, json::string_view, json::error_code&) {
    return Scalar([&] { stack.push_double(d); });
  }
  bool on_bool(bool b, json::error_code&) {
    return Scalar([&] { stack.push_bool(b); });
  }
  bool on_null(json::error_code&) {
    return Scalar([&] { stack.push_null(); });
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

json::parse_options Options() {
  json::parse_options options;
  options.allow_invalid_utf8 = true;  // fields round-trip byte for byte
  return options;
}

}  // namespace

// One array member of a bundle file, an element at a time, reading the file a block at a time.
class BundleMemberReader {
 public:
  BundleMemberReader(const std::string& path, std::string array,
                     std::vector<std::string> head_keys = {})
      : in_(path, std::ios::binary),
        name_(array),
        parser_(Options(), std::move(array), std::move(head_keys)) {}

  // The next element, or nullopt after the last.
  Result<std::optional<json::value>> Next() {
    MemberHandler& h = parser_.handler();
    while (h.elements.empty()) {
      if (h.ended) return std::optional<json::value>();
      if (done_) {
        if (!h.found) return Status::Invalid(name_, "not an array");
        return std::optional<json::value>();
      }
      SB_RETURN_IF_ERROR(Feed());
    }
    json::value v = std::move(h.elements.front());
    h.elements.pop_front();
    return std::optional<json::value>(std::move(v));
  }

  // Reads the file to its end (the head members asked for may come after the array).
  Status ReadToEnd() {
    while (!done_) {
      SB_RETURN_IF_ERROR(Feed());
      parser_.handler().elements.clear();
    }
    return parser_.handler().found ? Status::Ok() : Status::Invalid(name_, "not an array");
  }

  const json::object& head() { return parser_.handler().head; }

 private:
  Status Feed() {
    if (!in_) return Status::Invalid("bundle", "cannot be read");
    in_.read(block_, sizeof block_);
    const auto n = static_cast<std::size_t>(in_.gcount());
    json::error_code ec;
    if (n > 0) parser_.write_some(true, block_, n, ec);
    if (!ec && n < sizeof block_) {
      done_ = true;
      parser_.write_some(false, nullptr, 0, ec);
    }
    if (ec || parser_.handler().not_object || parser_.handler().repeated) {
      return Status::Invalid("bundle", "not a JSON object");
    }
    return Status::Ok();
  }

  std::ifstream in_;
  std::string name_;
  json::basic_parser<MemberHandler> parser_;
  char block_[kBlock];
  bool done_ = false;
};

BundleFileLog::BundleFileLog(std::string path) : path_(std::move(path)) {}
BundleFileLog::~BundleFileLog() = default;

Status BundleFileLog::Open() {
  BundleMemberReader reader(path_, "checkpoints", {"format", "tenant_id", "public_key"});
  std::optional<domain::Checkpoint> previous;
  while (true) {
    SB_ASSIGN_OR_RETURN(std::optional<json::value> v, reader.Next());
    if (!v) break;
    if (!v->is_object()) return Status::Invalid("checkpoints", "a checkpoint is not an object");
    SB_ASSIGN_OR_RETURN(domain::Checkpoint c, bundle::ReadCheckpoint(v->get_object(), ""));
    if (previous &&
        std::tie(c.tree_size, c.created_at) < std::tie(previous->tree_size, previous->created_at)) {
      return Status::Invalid("checkpoints", "not in order");
    }
    claimed_size_ = std::max(claimed_size_, c.tree_size);
    previous = std::move(c);
  }
  SB_RETURN_IF_ERROR(reader.ReadToEnd());
  SB_ASSIGN_OR_RETURN(bundle::Head head, bundle::ReadHead(reader.head()));
  tenant_id_ = std::move(head.tenant_id);
  key_ = std::move(head.key);
  return Status::Ok();
}

Result<std::vector<domain::Checkpoint>> BundleFileLog::Checkpoints(const domain::Checkpoint* after,
                                                                   int limit) {
  if (!after) {
    checkpoints_ = std::make_unique<BundleMemberReader>(path_, "checkpoints");
    last_checkpoint_.reset();
  } else if (!checkpoints_ || !last_checkpoint_ ||
             after->tree_size != last_checkpoint_->tree_size ||
             after->created_at != last_checkpoint_->created_at) {
    return Status::Invalid("checkpoints", "asked for out of order");
  }
  std::vector<domain::Checkpoint> out;
  while (out.size() < static_cast<std::size_t>(limit)) {
    SB_ASSIGN_OR_RETURN(std::optional<json::value> v, checkpoints_->Next());
    if (!v) break;
    if (!v->is_object()) return Status::Invalid("checkpoints", "a checkpoint is not an object");
    SB_ASSIGN_OR_RETURN(domain::Checkpoint c, bundle::ReadCheckpoint(v->get_object(), tenant_id_));
    last_checkpoint_ = c;
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<std::string>> BundleFileLog::Leaves(std::int64_t from, std::int64_t to) {
  if (from == 0) {
    leaves_ = std::make_unique<BundleMemberReader>(path_, "leaf_hashes");
    leaves_read_ = 0;
  }
  if (!leaves_ || from != leaves_read_) return Status::Invalid("leaf_hashes", "read out of order");
  std::vector<std::string> out(static_cast<std::size_t>(to - from));
  for (std::string& leaf : out) {
    SB_ASSIGN_OR_RETURN(std::optional<json::value> v, leaves_->Next());
    if (!v) break;  // past the list: no leaf recorded there
    SB_ASSIGN_OR_RETURN(leaf, bundle::ReadLeaf(*v));
  }
  leaves_read_ = to;
  return out;
}

// Asked once, when an entry does not hash to its leaf: the leaf list is read again from the
// file's start, a block at a time.
Result<std::optional<std::int64_t>> BundleFileLog::PositionOf(std::string_view leaf) {
  BundleMemberReader leaves(path_, "leaf_hashes");
  for (std::int64_t i = 0;; ++i) {
    SB_ASSIGN_OR_RETURN(std::optional<json::value> v, leaves.Next());
    if (!v) return std::optional<std::int64_t>();
    SB_ASSIGN_OR_RETURN(std::string recorded, bundle::ReadLeaf(*v));
    if (recorded == leaf) return std::optional<std::int64_t>(i);
  }
}

Result<std::size_t> BundleFileLog::Entries(std::int64_t from, std::int64_t to,
                                           std::vector<domain::AuditEntry>& out) {
  if (from == 0) {
    entries_reader_ = std::make_unique<BundleMemberReader>(path_, "entries");
    EntrySource source;
    source.next = [this](std::vector<domain::AuditEntry>& batch) -> Result<std::size_t> {
      std::size_t n = 0;
      while (n < kEntryBatch) {
        SB_ASSIGN_OR_RETURN(std::optional<json::value> v, entries_reader_->Next());
        if (!v) break;
        if (!v->is_object()) return Status::Invalid("entries", "an entry is not an object");
        SB_ASSIGN_OR_RETURN(domain::AuditEntry e, bundle::ReadEntry(v->get_object(), tenant_id_));
        if (n == batch.size()) batch.emplace_back();
        batch[n++] = std::move(e);
      }
      return n;
    };
    entries_.emplace(std::move(source));  // no reading by index: out of reach is an error
  }
  if (!entries_) return Status::Invalid("entries", "read out of order");
  return entries_->Read(from, to, out);
}

}  // namespace sb::app
