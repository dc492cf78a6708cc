# Embeds lexicons/sentiment.tsv (the sentiment and frustration lexicon, src/domain/sentiment.h)
# into a generated C++ file so the server never looks for a data file at run time. Re-runs
# configure when the file changes; rewrites the output only when its content differs.
function(sb_embed_lexicon out_file)
  set(src ${CMAKE_SOURCE_DIR}/lexicons/sentiment.tsv)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  file(READ ${src} tsv)
  # Quoted arguments keep the file's semicolons, which a CMake list would eat.
  string(CONCAT body "#include \"domain/sentiment.h\"\n\nnamespace sb::domain {\n\n"
         "std::string_view SentimentLexiconTsv() {\n  return R\"sblex(" "${tsv}"
         ")sblex\";\n}\n\n}  // namespace sb::domain\n")
  file(WRITE ${out_file}.tmp "${body}")
  file(COPY_FILE ${out_file}.tmp ${out_file} ONLY_IF_DIFFERENT)
endfunction()
