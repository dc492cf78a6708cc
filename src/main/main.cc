#include "main/main.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "cli/command_line.h"
#include "main/commands.h"
#include "main/config.h"
#include "main/logging.h"
#include "main/serve.h"

namespace sb::main {
namespace {

int Dispatch(const cli::Invocation& inv) {
  auto config = LoadConfig(inv.common);
  if (!config.ok()) {
    std::cerr << "switchboard: " << config.status().message() << "\n";
    return 2;
  }
  if (Status s = SetUpLogging(config->log_level); !s.ok()) {
    std::cerr << "switchboard: " << s.message() << "\n";
    return 2;
  }
  if (inv.command == cli::Command::kServe) return Serve(*config);
  return RunCommand(inv, *config, std::cout, std::cerr);
}

}  // namespace

int Run(int argc, char** argv) {
  auto parsed = cli::Parse(argc, argv, std::cout, std::cerr);
  if (!parsed.invocation) return parsed.exit_code;
  try {
    return Dispatch(*parsed.invocation);
  } catch (const std::exception& e) {
    spdlog::critical("fatal: {}", e.what());
    std::cerr << "switchboard: fatal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace sb::main
