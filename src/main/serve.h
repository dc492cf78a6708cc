#pragma once

#include "main/config.h"

namespace sb::main {

// Runs the server until SIGTERM or SIGINT: store -> keys -> demo seed -> HTTP -> job runner,
// then shuts down gracefully (stop accepting, finish in-flight requests, stop the runner,
// close the store). Returns the exit code: 0 after a clean shutdown, 1 if start-up failed.
// REQUIRES: called on the main thread before any other thread starts.
int Serve(const Config& config);

}  // namespace sb::main
