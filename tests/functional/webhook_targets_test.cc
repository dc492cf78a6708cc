// A server run with the built-in configuration, as production runs: webhook endpoints must be
// https URLs whose host is, or resolves only to, public addresses (every spelling of a
// loopback, private, link-local or metadata address is refused, with nothing written), and
// /metrics is not served at all. Test servers elsewhere turn webhooks.allow_private_targets
// on to reach their receivers on 127.0.0.1; this one proves it is off by default.

#include "tests/support/server_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace sb::testing {
namespace {

namespace json = boost::json;

class ProductionDefaults : public ServerTest {
 protected:
  ProductionDefaults() : ServerTest(Server::kOwn, /*config_yaml=*/"") {}

  HttpResponse Register(const std::string& url) {
    return Api("POST", "/v1/webhook-endpoints",
               json::serialize(json::object{{"url", url}, {"event_types", json::array{"*"}}}));
  }
};

TEST_P(ProductionDefaults, RefuseWebhookTargetsInsideTheNetwork) {
  WebhookReceiver receiver;  // listening: registering it is refused all the same
  const std::string port = std::to_string(receiver.port());
  struct Case {
    std::string url;
    const char* code;
  };
  const Case cases[] = {
      {receiver.Url(), "invalid_url"},             // http://127.0.0.1:<port>/hook
      {"http://93.184.215.14/in", "invalid_url"},  // public, but not https
      {"https://127.0.0.1:" + port + "/hook", "target_not_allowed"},
      {"https://[::1]:" + port + "/hook", "target_not_allowed"},
      {"https://2130706433:" + port + "/hook", "target_not_allowed"},
      {"https://0x7f000001:" + port + "/hook", "target_not_allowed"},
      {"https://127.1:" + port + "/hook", "target_not_allowed"},
      {"https://0177.0.0.1:" + port + "/hook", "target_not_allowed"},
      {"https://localhost:" + port + "/hook", "target_not_allowed"},
      {"https://[::ffff:127.0.0.1]:" + port + "/hook", "target_not_allowed"},
      {"https://[::ffff:7f00:1]/hook", "target_not_allowed"},
      {"https://0.0.0.0:" + port + "/hook", "target_not_allowed"},
      {"https://[::]/hook", "target_not_allowed"},
      {"https://169.254.169.254/latest/meta-data/", "target_not_allowed"},
      {"https://[fd00:ec2::254]/latest/meta-data/", "target_not_allowed"},
      {"https://10.0.0.8/hook", "target_not_allowed"},
      {"https://172.16.5.4/hook", "target_not_allowed"},
      {"https://192.168.1.1/hook", "target_not_allowed"},
      {"https://100.64.0.1/hook", "target_not_allowed"},
      {"https://[fe80::1]/hook", "target_not_allowed"},
      {"https://[fc00::1]/hook", "target_not_allowed"},
      {"https://224.0.0.1/hook", "target_not_allowed"},
      {"https://hooks.invalid/hook", "target_not_allowed"},  // resolves to nothing
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    HttpResponse r = Register(c.url);
    ExpectProblem(r, 400, "url", c.code);
    EXPECT_EQ(r.body.find("127.0.0.1:" + port), std::string::npos) << r.body;
  }
  HttpResponse list = Api("GET", "/v1/webhook-endpoints");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("data").as_array().size(), 0u) << list.body;
  EXPECT_EQ(receiver.Count(), 0u);

  // A public https address needs no resolver and is accepted.
  HttpResponse ok = Register("https://93.184.215.14/in");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Api("DELETE", "/v1/webhook-endpoints/" + Str(ok.Json(), "id")).status, 200);
}

TEST_P(ProductionDefaults, ServeNoMetrics) {
  EXPECT_EQ(CallAs("", "GET", "/metrics").status, 404);
  EXPECT_EQ(CallAs("", "GET", "/metrics", "",
                   {{"Authorization", std::string("Bearer ") + kTestMetricsToken}})
                .status,
            404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProductionDefaults, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace sb::testing
