# The sanitizer tree (scripts/build.sh --sanitize builds it in build-asan): the same code
# compiled by clang under AddressSanitizer and UndefinedBehaviorSanitizer, so that the test
# suite runs with every out-of-bounds access, use after free, leak and undefined operation
# made fatal, and with the libFuzzer targets of tests/fuzz. The normal tree sets neither
# option and is built exactly as before.

option(SB_SANITIZE "Compile and link everything with -fsanitize=address,undefined" OFF)
option(SB_FUZZ "Instrument for libFuzzer and build the targets of tests/fuzz (clang only)" OFF)

if(SB_SANITIZE)
  # Any undefined behaviour stops the process (as an ASan error does), so that a test or a
  # fuzzer run cannot pass over it. -O1 and line tables (-g1) keep the tree quick to build and
  # the reports exact.
  set(sb_sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
                        -fno-omit-frame-pointer)
  add_compile_options(${sb_sanitize_flags} -O1 -g1)
  add_link_options(${sb_sanitize_flags})
endif()

if(SB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SB_FUZZ needs clang (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Coverage feedback in every library; only the fuzz targets link libFuzzer's main
  # (-fsanitize=fuzzer in tests/fuzz/CMakeLists.txt), the test executables keep gtest's.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
