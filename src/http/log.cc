#include "http/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace sb::http {
namespace {

std::shared_ptr<spdlog::logger> Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get("http")) return existing;
    auto l = spdlog::stderr_logger_mt("http");
    l->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","logger":"http",%v})",
                   spdlog::pattern_time_type::utc);
    return l;
  }();
  return logger;
}

}  // namespace

void LogLine(LogLevel level, const std::string& msg, const boost::json::object& fields) {
  boost::json::object o;
  o["msg"] = msg;
  for (const auto& [k, v] : fields) o[k] = v;
  std::string text = boost::json::serialize(o);
  std::string inner = text.substr(1, text.size() - 2);  // the pattern supplies the braces
  auto logger = Logger();
  switch (level) {
    case LogLevel::kInfo:
      logger->info(inner);
      break;
    case LogLevel::kWarn:
      logger->warn(inner);
      break;
    case LogLevel::kError:
      logger->error(inner);
      break;
  }
}

}  // namespace sb::http
