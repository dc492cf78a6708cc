#pragma once
// Precompiled for every test executable of more than a few files and for tests/support
// (sb_add_test in CMakeLists.txt): the third-party and standard headers nearly every test
// includes. Test code is compiled without optimization; it spends its time in the libraries
// and servers it drives, which keep their build type's flags.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>
