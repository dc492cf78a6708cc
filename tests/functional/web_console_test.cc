// GET /, /portal and /assets/{name}: the web console's and the portal's files, with their
// security headers and caching, and nothing else of the disk whatever the path says.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/server_fixture.h"

namespace sb::testing {
namespace {

namespace fs = std::filesystem;

void ConsoleWrite(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A built bundle's shape, as web/build.mjs writes it, with a secret beside it that no URL
// may reach. Made once per test process.
const std::string& AssetsDir() {
  static const std::string dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "sb_web_XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return std::string("/nonexistent");
    fs::create_directories(fs::path(tmpl) / "assets");
    ConsoleWrite(fs::path(tmpl) / "console.html", "<!doctype html><title>console</title>");
    ConsoleWrite(fs::path(tmpl) / "portal.html", "<!doctype html><title>portal</title>");
    ConsoleWrite(fs::path(tmpl) / "secret.txt", "top secret");
    ConsoleWrite(fs::path(tmpl) / "assets" / "console-AB12CD34.js", "console.log(1)");
    ConsoleWrite(fs::path(tmpl) / "assets" / "console-AB12CD34.css", "body{color:#000}");
    ConsoleWrite(fs::path(tmpl) / "assets" / ".hidden.js", "hidden");
    fs::create_symlink(fs::path(tmpl) / "secret.txt", fs::path(tmpl) / "assets" / "link.js");
    return tmpl;
  }();
  return dir;
}

std::string WebConfig(const std::string& dir) {
  return TestServerConfig() + "web:\n  assets_dir: " + dir + "\n";
}

class WebConsole : public ServerTest {
 protected:
  WebConsole() : ServerTest(Server::kOwn, WebConfig(AssetsDir())) {}
};

void ExpectStrictShell(const HttpResponse& r, const std::string& body) {
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  std::string csp = r.Header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_EQ(r.Header("X-Frame-Options"), "DENY");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
}

TEST_P(WebConsole, ServesTheConsoleAndPortalShellsUnderAStrictPolicy) {
  ExpectStrictShell(CallAs("", "GET", "/"), "<!doctype html><title>console</title>");
  ExpectStrictShell(CallAs("", "GET", "/portal"), "<!doctype html><title>portal</title>");
}

TEST_P(WebConsole, ServesHashedAssetsAsImmutableWithTheirType) {
  HttpResponse js = CallAs("", "GET", "/assets/console-AB12CD34.js");
  ASSERT_EQ(js.status, 200) << js.body;
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js.Header("X-Content-Type-Options"), "nosniff");
  HttpResponse css = CallAs("", "GET", "/assets/console-AB12CD34.css");
  ASSERT_EQ(css.status, 200) << css.body;
  EXPECT_EQ(css.Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_P(WebConsole, AnUnknownAssetIsANotFoundProblem) {
  HttpResponse r = CallAs("", "GET", "/assets/console-00000000.js");
  ExpectProblem(r, 404, "", "not_found");
  EXPECT_EQ(r.Header("Cache-Control"), "");
}

TEST_P(WebConsole, NoPathReachesAFileOutsideTheBundle) {
  for (const std::string target :
       {"/assets/../secret.txt", "/assets/..%2Fsecret.txt", "/assets/%2e%2e%2fsecret.txt",
        "/assets/%2E%2E/secret.txt", "/assets/..%2F..%2F..%2Fetc%2Fpasswd", "/assets/..",
        "/assets/%2e%2e", "/assets/.hidden.js", "/assets/link.js", "/assets/secret.txt", "/assets/",
        "/assets/%2Fetc%2Fpasswd", "/assets/..%5Csecret.txt", "/secret.txt",
        "/portal/../secret.txt", "/assets/console-AB12CD34.js%00.txt"}) {
    HttpResponse r = CallAs("", "GET", target);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << target << " -> " << r.status;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("hidden"), std::string::npos) << target;
  }
}

TEST_P(WebConsole, OtherMethodsAreRefused) {
  ExpectProblem(CallAs("", "POST", "/", "{}"), 405);
  ExpectProblem(CallAs("", "DELETE", "/assets/console-AB12CD34.js"), 405);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebConsole, ::testing::ValuesIn(Backends()), BackendName);

class NoWebConsole : public ServerTest {
 protected:
  NoWebConsole() : ServerTest(Server::kOwn, WebConfig("/nonexistent/switchboard-web")) {}
};

TEST_P(NoWebConsole, WithoutABundleTheWebRoutesAreNotFoundAndTheApiServes) {
  ExpectProblem(CallAs("", "GET", "/"), 404, "", "not_found");
  ExpectProblem(CallAs("", "GET", "/portal"), 404, "", "not_found");
  ExpectProblem(CallAs("", "GET", "/assets/console-AB12CD34.js"), 404, "", "not_found");
  EXPECT_EQ(CallAs("", "GET", "/healthz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, NoWebConsole, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace sb::testing
