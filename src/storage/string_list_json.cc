#include "storage/string_list_json.h"

#include <boost/json.hpp>

namespace sb::storage {

std::string EncodeStringList(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const std::string& s : items) a.emplace_back(s);
  return boost::json::serialize(a);
}

std::vector<std::string> DecodeStringList(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  std::vector<std::string> out;
  if (ec || !v.is_array()) return out;
  for (const boost::json::value& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

std::string EncodeNumberList(const std::vector<double>& items) {
  boost::json::array a;
  for (double v : items) a.emplace_back(v);
  return boost::json::serialize(a);
}

std::vector<double> DecodeNumberList(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  std::vector<double> out;
  if (ec || !v.is_array()) return out;
  for (const boost::json::value& e : v.as_array()) {
    if (e.is_number()) out.push_back(e.to_number<double>());
  }
  return out;
}

std::string EncodeNumber(double v) { return boost::json::serialize(boost::json::value(v)); }

double DecodeNumber(const std::string& json) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json, ec);
  return !ec && v.is_number() ? v.to_number<double>() : 0.0;
}

}  // namespace sb::storage
