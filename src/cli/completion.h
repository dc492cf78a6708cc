#pragma once

// Shell completion for `switchboard`, generated from the CLI11 declaration of its
// subcommands and flags (cli/command_line.cc), so it can never list a command that does not
// exist or miss one that does. The package installs it for bash
// (/usr/share/bash-completion/completions/switchboard, docs/OPERATIONS.md).

#include <string>

namespace CLI {
class App;
}

namespace sb::cli {

// A bash completion script for `app`: completes subcommand names level by level, then the
// flags of the chosen subcommand; anything else (a flag's value) falls back to file names.
// Defines the function `_switchboard` and registers it for the command `switchboard`.
std::string BashCompletion(const CLI::App& app);

}  // namespace sb::cli
