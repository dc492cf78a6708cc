# Embeds api/openapi.yaml (the HTTP contract) into a generated C++ file so the binary serves
# the document it was built with (GET /v1/openapi.json). Re-runs configure when the file
# changes; rewrites the output only when its content differs, so an unrelated configure does
# not rebuild it.
function(sb_embed_openapi out_file)
  set(src ${CMAKE_SOURCE_DIR}/api/openapi.yaml)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  file(READ ${src} yaml)
  # Quoted arguments keep the YAML's semicolons, which a CMake list would eat.
  string(CONCAT body "#include \"http/openapi.h\"\n\nnamespace sb::http {\n\n"
         "std::string_view OpenApiYaml() {\n  return R\"sbyaml(" "${yaml}"
         ")sbyaml\";\n}\n\n}  // namespace sb::http\n")
  file(WRITE ${out_file}.tmp "${body}")
  file(COPY_FILE ${out_file}.tmp ${out_file} ONLY_IF_DIFFERENT)
endfunction()
