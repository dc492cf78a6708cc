#pragma once

// Structured logs of the HTTP front: one JSON object a line on stderr (ts, level, msg and
// the given fields). Never pass personal data, keys or request bodies. Lines are gathered in
// memory and written 32 KB at a time, at the latest 200 ms after they were logged; a warning
// or an error is written at once with every line before it.

#include <boost/json.hpp>
#include <string>

namespace sb::http {

enum class LogLevel { kInfo, kWarn, kError };

// Writes one line: {"ts":...,"level":...,"msg":msg, ...fields}. Thread-safe.
void LogLine(LogLevel level, const std::string& msg, const boost::json::object& fields);

// Writes every line logged so far. The process's end does too.
void FlushLog();

}  // namespace sb::http
