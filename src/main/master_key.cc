#include "main/master_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "crypto/crypto.h"

namespace sb::main {
namespace {

Result<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable("cannot read master key file " + path);
  std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (key.size() != kMasterKeySize) {
    return Status::Invalid("master_key_file", "master key file " + path + " must hold 32 bytes");
  }
  return key;
}

// Creates the file exclusively so two processes starting together cannot both write one.
Result<std::string> CreateKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) return ReadKeyFile(path);
  if (fd < 0) return Status::Unavailable("cannot create master key file " + path);
  std::string key = crypto::RandomBytes(kMasterKeySize);
  bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Status::Unavailable("cannot write master key file " + path);
  return key;
}

}  // namespace

Result<std::string> LoadOrCreateMasterKey(const std::string& path, const std::string& env_hex,
                                          bool production) {
  if (!env_hex.empty()) {
    auto key = crypto::FromHex(env_hex);
    if (!key || key->size() != kMasterKeySize) {
      return Status::Invalid("SWITCHBOARD_MASTER_KEY", "must be 64 hex digits (32 bytes)");
    }
    return *key;
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return CreateKeyFile(path);
  if (production && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status::Invalid("master_key_file",
                           "refusing to start in production mode: master key file " + path +
                               " has mode " + mode +
                               ", so its group or others may read it; chmod 600 it, move it "
                               "off the database's volume, or pass the key in "
                               "SWITCHBOARD_MASTER_KEY",
                           "master_key_exposed");
  }
  return ReadKeyFile(path);
}

}  // namespace sb::main
