#pragma once

// Structured logs of the HTTP front: one JSON object a line on stderr (ts, level, msg and
// the given fields). Never pass personal data, keys or request bodies.

#include <boost/json.hpp>
#include <string>

namespace sb::http {

enum class LogLevel { kInfo, kWarn, kError };

// Writes one line: {"ts":...,"level":...,"msg":msg, ...fields}. Thread-safe.
void LogLine(LogLevel level, const std::string& msg, const boost::json::object& fields);

}  // namespace sb::http
