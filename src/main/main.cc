#include "main/main.h"

#include <cstdio>

namespace sb::main {

int Run(int argc, char** argv) {
  std::fprintf(stderr, "switchboard: not wired yet\n");
  return 2;
}

}  // namespace sb::main
