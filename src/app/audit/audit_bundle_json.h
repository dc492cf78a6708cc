#pragma once

// The JSON of an evidence bundle (AuditLog::ExportBundle): an entry, a checkpoint, a leaf
// hash and the head (format, tenant, public key), written and read back. Binary values are
// base64; timestamps are milliseconds. Each reader fails with the field's name when it is
// missing or mistyped. Internal to the audit log.

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/model.h"

namespace sb::app::bundle {

inline constexpr std::string_view kFormat = "switchboard.audit.bundle/v1";

boost::json::object EntryJson(const domain::AuditEntry& e);
boost::json::object CheckpointJson(const domain::Checkpoint& c);

Result<domain::AuditEntry> ReadEntry(const boost::json::object& o, const std::string& tenant_id);
Result<domain::Checkpoint> ReadCheckpoint(const boost::json::object& o,
                                          const std::string& tenant_id);
// One element of the leaf_hashes array.
Result<std::string> ReadLeaf(const boost::json::value& v);

// What the top-level object says besides its arrays.
struct Head {
  std::string tenant_id;
  domain::ServerKey key;
};
Result<Head> ReadHead(const boost::json::object& root);

}  // namespace sb::app::bundle
