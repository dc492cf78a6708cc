#pragma once

// A small blocking HTTP/1.1 client for functional tests: one request per connection to
// 127.0.0.1:port. Every answer Send receives is checked against the API's contract
// (openapi_contract.h); a mismatch fails the running test. A request left without an answer
// for 60 s fails the test with what the server was doing (HangReport in server_process.h).

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

namespace sb::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The header's value (name in any case), or "" when absent.
  std::string Header(const std::string& name) const;
  // The body parsed as JSON; null when it does not parse.
  boost::json::value Json() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  // Sends one request. On a connection failure or no answer in time returns status 0 and
  // the error in body.
  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "", const Headers& headers = {}) const;

  // Writes `raw` bytes as they are and returns whatever the server answers (for malformed
  // requests).
  std::string SendRaw(const std::string& raw) const;

  int port() const { return port_; }

 private:
  void ReportHang(const std::string& method, const std::string& target) const;

  int port_;
};

}  // namespace sb::testing
