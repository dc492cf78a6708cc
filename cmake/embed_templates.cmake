# Embeds templates/notifications/*.mustache into a generated C++ file so the binary carries
# the default notification templates (app/notifications/templates.h, DefaultTemplates).
# Re-runs configure when a template changes or one is added; rewrites the output only when
# its content differs.
function(sb_embed_templates out_file)
  file(GLOB files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/templates/notifications/*.mustache)
  list(SORT files)
  set(rows "")
  foreach(f ${files})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
    get_filename_component(name ${f} NAME)
    file(READ ${f} text)
    string(APPEND rows "      {\"${name}\", R\"sbtpl(" "${text}" ")sbtpl\"},\n")
  endforeach()
  string(CONCAT body "#include <string_view>\n#include <utility>\n#include <vector>\n\n"
         "namespace sb::app {\n\n"
         "const std::vector<std::pair<std::string_view, std::string_view>>& "
         "EmbeddedTemplateFiles() {\n"
         "  static const std::vector<std::pair<std::string_view, std::string_view>> kFiles = {\n"
         "${rows}  };\n  return kFiles;\n}\n\n}  // namespace sb::app\n")
  file(WRITE ${out_file}.tmp "${body}")
  file(COPY_FILE ${out_file}.tmp ${out_file} ONLY_IF_DIFFERENT)
endfunction()
