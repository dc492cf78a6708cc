# Embeds policies/default.yaml into a generated C++ file so the binary carries its default
# policy pack. Re-runs configure when the file changes; rewrites the output only when its
# content differs, so an unrelated configure does not rebuild it.
function(sb_embed_policy out_file)
  set(src ${CMAKE_SOURCE_DIR}/policies/default.yaml)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  file(READ ${src} yaml)
  # Quoted arguments keep the YAML's semicolons, which a CMake list would eat.
  string(CONCAT body "#include \"app/policy/policy_yaml.h\"\n\nnamespace sb::app {\n\n"
         "std::string DefaultPolicyPackYaml() {\n  return R\"sbyaml(" "${yaml}"
         ")sbyaml\";\n}\n\n}  // namespace sb::app\n")
  file(WRITE ${out_file}.tmp "${body}")
  file(COPY_FILE ${out_file}.tmp ${out_file} ONLY_IF_DIFFERENT)
endfunction()
