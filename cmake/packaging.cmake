# The Debian package (`cpack -G DEB` in the build tree, or scripts/package.sh): the binary,
# the default policy pack and the migrations (also embedded in the binary; shipped for
# reading), the bundled web console, bash completion, the systemd unit and the configuration.
# See docs/OPERATIONS.md.

include(GNUInstallDirs)

install(TARGETS switchboard RUNTIME DESTINATION bin)
install(FILES ${CMAKE_SOURCE_DIR}/policies/default.yaml DESTINATION share/switchboard/policies)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/migrations/ DESTINATION share/switchboard/migrations)
# The web console and portal as scripts/build.sh bundles them (web/build.mjs); the server
# finds them in ../share/switchboard/web from /usr/bin.
install(DIRECTORY ${CMAKE_BINARY_DIR}/web/ DESTINATION share/switchboard/web OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/OPERATIONS.md
              ${CMAKE_SOURCE_DIR}/docs/SECURITY.md DESTINATION share/doc/switchboard)

# Completion code comes from the command line's own declaration (cli/completion.h).
set(SB_COMPLETION ${CMAKE_BINARY_DIR}/packaging/switchboard.bash)
add_custom_command(
  OUTPUT ${SB_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
  COMMAND $<TARGET_FILE:switchboard> completion bash > ${SB_COMPLETION}
  DEPENDS switchboard
  COMMENT "Generating bash completion")
add_custom_target(sb_completion ALL DEPENDS ${SB_COMPLETION})
install(FILES ${SB_COMPLETION} DESTINATION share/bash-completion/completions RENAME switchboard)

# Absolute destinations: Debian's unit and configuration directories, whatever the prefix.
install(FILES ${CMAKE_SOURCE_DIR}/packaging/switchboard.service DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/config.yaml DESTINATION /etc/switchboard)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME switchboard)
set(CPACK_PACKAGE_VENDOR "Switchboard")
set(CPACK_PACKAGE_CONTACT "Switchboard maintainers <maintainers@switchboard.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "system of record for account lifecycle work (suspensions, reconnections, reactivations)")
set(CPACK_PACKAGE_INSTALL_DIRECTORY switchboard)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the libraries the binary links
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, tzdata")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Debug information stays in the build tree: the installed binary is stripped.
set(CPACK_STRIP_FILES ON)
# Only the package's own files: not GoogleTest's or anything else a dependency installs.
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};Unspecified;/")
include(CPack)
