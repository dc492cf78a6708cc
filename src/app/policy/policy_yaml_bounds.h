#pragma once

// The first pass of the policy pack reader (app/policy/policy_yaml.h): it reads the text as
// a stream of YAML events, keeping only a little state per open collection, and refuses
// what must never reach the node tree: text that is not UTF-8, packs too large, too deep,
// with too many nodes or aliases (an alias bomb counts as every node it stands for), more
// than one document, repeated keys and keys that are not plain scalars. Building yaml-cpp's
// node tree costs several hundred bytes a node, so these limits are what bounds the memory
// one parse can take.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace sb::app {

struct PackLimits {
  // policies/default.yaml is about 18 KB and under 2,000 nodes: the size and node limits
  // leave room for ten times as much.
  std::size_t max_bytes = 256 * 1024;
  std::int64_t max_nodes = 20000;  // every alias counted as the nodes it repeats
  int max_depth = 16;              // nesting of maps and lists
  int max_aliases = 100;
};

// OK when `yaml_text` stays within `limits` and has the shape above. Otherwise an Invalid
// status whose message starts "line N: " (1-based) and whose reason is one of
// "invalid_utf8", "pack_too_large", "too_many_nodes", "too_deep", "too_many_aliases",
// "multiple_documents", "duplicate_key", "complex_key" or "invalid" (malformed YAML); its
// param is the key's path for a repeated key ("requests.reactivation.fee_minor") and
// "policy" otherwise. Memory is proportional to the keys of the open maps, never to the
// whole text. Never throws. Thread-safe.
Status CheckPackShape(std::string_view yaml_text, const PackLimits& limits = {});

// The byte offset of the first byte of `text` that is not part of well-formed UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included), or npos.
std::size_t FirstInvalidUtf8(std::string_view text);

}  // namespace sb::app
