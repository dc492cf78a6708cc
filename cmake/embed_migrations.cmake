# Embeds migrations/<backend>/NNNN_name.sql into a generated C++ file so the binary carries
# its schema. Re-runs configure when any migration changes.
function(sb_embed_migrations out_file)
  set(body "#include \"storage/migrations.h\"\n\nnamespace sb::storage {\n\n")
  set(tables "")
  foreach(backend sqlite postgres)
    file(GLOB files ${CMAKE_SOURCE_DIR}/migrations/${backend}/*.sql)
    list(SORT files)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${files}
                 ${CMAKE_SOURCE_DIR}/migrations/${backend})
    set(entries "")
    foreach(f ${files})
      get_filename_component(name ${f} NAME_WE)
      string(REGEX MATCH "^[0-9]+" version ${name})
      math(EXPR version "${version}")
      file(READ ${f} sql)
      string(APPEND entries "      {${version}, \"${name}\", R\"sbsql(${sql})sbsql\"},\n")
    endforeach()
    string(APPEND tables "  static const std::vector<Migration> k_${backend}{\n${entries}  };\n"
                         "  if (backend == \"${backend}\") return k_${backend};\n")
  endforeach()
  string(APPEND body "const std::vector<Migration>& Migrations(std::string_view backend) {\n"
                     "${tables}  static const std::vector<Migration> kNone;\n  return kNone;\n}\n\n"
                     "}  // namespace sb::storage\n")
  file(CONFIGURE OUTPUT ${out_file} CONTENT "${body}")
endfunction()
