#pragma once

#include <ostream>

#include "cli/command_line.h"
#include "main/config.h"

namespace sb::main {

// Runs a subcommand other than `serve`: opens what it needs, calls one use case through
// cli/, prints. Returns the process exit code.
int RunCommand(const cli::Invocation& invocation, const Config& config, std::ostream& out,
               std::ostream& err);

}  // namespace sb::main
