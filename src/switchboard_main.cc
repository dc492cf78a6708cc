#include "main/main.h"

int main(int argc, char** argv) { return sb::main::Run(argc, argv); }
