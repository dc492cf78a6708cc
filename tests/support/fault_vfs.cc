#include "tests/support/fault_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace sb::testing {
namespace {

std::atomic<bool> armed{false};
std::atomic<int> fault_on{0};  // FaultOn
std::atomic<std::int64_t> target{0};
std::atomic<int> fault_rc{SQLITE_IOERR};
std::atomic<bool> fired{false};
std::atomic<std::int64_t> writes{0};
std::atomic<std::int64_t> syncs{0};

sqlite3_vfs* base_vfs = nullptr;
sqlite3_vfs shim_vfs;
sqlite3_io_methods shim_methods;

// The shim's file: its methods first (what SQLite sees), then the wrapped VFS's file.
struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

// Counts a call of kind `on`; true when it is the one to fail.
bool Fails(FaultOn on) {
  if (!armed) return false;
  auto& counter = on == FaultOn::kWrite ? writes : syncs;
  std::int64_t n = ++counter;
  if (fault_on != static_cast<int>(on) || n != target) return false;
  fired = true;
  return true;
}

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (Fails(FaultOn::kWrite)) return fault_rc;
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (Fails(FaultOn::kSync)) return fault_rc;
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), page, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) {
  return Real(f)->pMethods->xFetch(Real(f), off, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), off, p);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(f);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  std::memset(shim->real, 0, base_vfs->szOsFile);
  int rc = base_vfs->xOpen(base_vfs, name, shim->real, flags, out_flags);
  // SQLite calls xClose only on files whose pMethods is set.
  shim->base.pMethods = shim->real->pMethods != nullptr ? &shim_methods : nullptr;
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base_vfs->xAccess(base_vfs, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, n, out);
}

}  // namespace

void FaultVfs::Install() {
  static std::once_flag once;
  std::call_once(once, [] {
    base_vfs = sqlite3_vfs_find(nullptr);
    shim_vfs = *base_vfs;
    shim_vfs.zName = "sb_fault";
    shim_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + base_vfs->szOsFile;
    shim_vfs.pNext = nullptr;
    shim_vfs.xOpen = Open;
    shim_vfs.xDelete = Delete;
    shim_vfs.xAccess = Access;
    shim_vfs.xFullPathname = FullPathname;
    shim_methods = {3,
                    Close,
                    Read,
                    Write,
                    Truncate,
                    Sync,
                    FileSize,
                    Lock,
                    Unlock,
                    CheckReservedLock,
                    FileControl,
                    SectorSize,
                    DeviceCharacteristics,
                    ShmMap,
                    ShmLock,
                    ShmBarrier,
                    ShmUnmap,
                    Fetch,
                    Unfetch};
    sqlite3_vfs_register(&shim_vfs, /*makeDflt=*/1);
  });
}

void FaultVfs::Arm(FaultOn on, std::int64_t n, int rc) {
  armed = false;
  writes = 0;
  syncs = 0;
  fired = false;
  fault_on = static_cast<int>(on);
  target = n;
  fault_rc = rc;
  armed = true;
}

void FaultVfs::Disarm() { armed = false; }

bool FaultVfs::Fired() { return fired; }

std::int64_t FaultVfs::Calls(FaultOn on) { return on == FaultOn::kWrite ? writes : syncs; }

}  // namespace sb::testing
