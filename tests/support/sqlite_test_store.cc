#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "storage/open.h"
#include "tests/support/test_stores.h"

namespace sb::testing {
namespace {

// Forwards to a store and removes its directory once the store is closed.
class TempDirStore final : public domain::Store {
 public:
  TempDirStore(std::unique_ptr<domain::Store> inner, std::filesystem::path dir)
      : inner_(std::move(inner)), dir_(std::move(dir)) {}
  ~TempDirStore() override {
    inner_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  using domain::Store::Write;
  Status Write(const TxFn& fn, Rerun rerun) override { return inner_->Write(fn, rerun); }
  Status Read(const TxFn& fn) override { return inner_->Read(fn); }
  std::string_view Backend() const override { return inner_->Backend(); }
  Status Ping() override { return inner_->Ping(); }

 private:
  std::unique_ptr<domain::Store> inner_;
  std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<domain::Store> NewSqliteTestStore() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sb-sqlite-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  std::filesystem::path dir(pattern);
  auto opened = storage::OpenStore("sqlite:" + (dir / "test.db").string());
  if (!opened.ok()) {
    std::fprintf(stderr, "cannot open test store: %s\n", opened.status().ToString().c_str());
    std::abort();
  }
  return std::make_unique<TempDirStore>(std::move(opened->store), dir);
}

}  // namespace sb::testing
