#pragma once

// Shared fixture of the functional tests: one real server per backend (SQLite always,
// PostgreSQL when SB_TEST_PG_URL is set), started on first use and stopped at exit.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace sb::testing {

// "sqlite" and "postgres" (the latter needs SB_TEST_PG_URL).
std::vector<std::string> Backends();

class Functional : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  ServerProcess& server() { return *server_; }
  // A request with the demo tenant's admin key.
  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "", Headers headers = {});
  // A request with the given key ("" for none).
  HttpResponse CallAs(const std::string& key, const std::string& method, const std::string& target,
                      const std::string& body = "", Headers headers = {});
  // A fresh external_ref nobody used.
  static std::string NewRef();
  // Creates an account with the given plans; returns the account object.
  boost::json::object CreateAccount(const std::vector<std::string>& plans = {"mobile_basic"});
  // GET /v1/accounts/{id} as an object.
  boost::json::object GetAccount(const std::string& id);
  // How many accounts carry this external_ref.
  size_t CountByRef(const std::string& ref);

 private:
  ServerProcess* server_ = nullptr;
};

// String at a JSON object key.
std::string Str(const boost::json::value& v, const char* key);

// Asserts a problem+json answer with this status (and param when non-empty).
void ExpectProblem(const HttpResponse& r, int status, const std::string& param = "",
                   const std::string& code = "");

std::string BackendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace sb::testing
