# What `cmake --install` puts on a Linux system, and the Debian package CPack makes of it
# (README, "Install"). Included from the top-level CMakeLists.txt.
include(GNUInstallDirs)

set(WST_APP_ID io.github.wstester.WsTester)
set(wst_linux "${PROJECT_SOURCE_DIR}/packaging/linux")

install(TARGETS wstester RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES "${wst_linux}/${WST_APP_ID}.desktop" DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES "${wst_linux}/${WST_APP_ID}.metainfo.xml" DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES "${wst_linux}/${WST_APP_ID}.mime.xml" DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages
        RENAME ${WST_APP_ID}.xml)
install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/wstester.svg"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${WST_APP_ID}.svg)
foreach(size 16 22 24 32 48 64 128 256)
    install(FILES "${wst_linux}/icons/wstester-${size}.png"
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME ${WST_APP_ID}.png)
endforeach()
install(FILES "${wst_linux}/icons/application-x-wstsession.svg"
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/mimetypes)
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
# Debian wants the changelog compressed, without a time stamp in the gzip header.
add_custom_command(OUTPUT "${CMAKE_BINARY_DIR}/changelog.Debian.gz"
    COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" sh "${wst_linux}/changelog" "${CMAKE_BINARY_DIR}/changelog.Debian.gz"
    DEPENDS "${wst_linux}/changelog" VERBATIM)
add_custom_target(wst_changelog ALL DEPENDS "${CMAKE_BINARY_DIR}/changelog.Debian.gz")
install(FILES "${CMAKE_BINARY_DIR}/changelog.Debian.gz" DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The man page and the completions, made from the built binary's own option tables.
set(wst_docs "${CMAKE_BINARY_DIR}/docs")
add_custom_command(OUTPUT "${wst_docs}/wstester.1.gz" "${wst_docs}/wstester.bash" "${wst_docs}/_wstester"
                          "${wst_docs}/wstester.fish"
    COMMAND ${CMAKE_COMMAND} -DWSTESTER=$<TARGET_FILE:wstester> -DOUT=${wst_docs}
            -P "${PROJECT_SOURCE_DIR}/packaging/MakeDocs.cmake"
    DEPENDS wstester "${PROJECT_SOURCE_DIR}/packaging/MakeDocs.cmake" VERBATIM)
add_custom_target(wst_docs ALL DEPENDS "${wst_docs}/wstester.1.gz")
install(FILES "${wst_docs}/wstester.1.gz" DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES "${wst_docs}/wstester.bash" DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME wstester)
install(FILES "${wst_docs}/_wstester" DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES "${wst_docs}/wstester.fish" DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# The Debian package: `cmake --build build --target package` (or `cpack -G DEB` in build/).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wstester)
set(CPACK_PACKAGE_VENDOR "The wstester developers")
set(CPACK_PACKAGE_CONTACT "The wstester developers <wstester@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "desktop and command-line tool for testing WebSockets")
set(CPACK_PACKAGE_DESCRIPTION
    "wstester connects to any WebSocket server, shows the exact handshake and\n"
    "every frame that crossed the wire, hosts a local test server with a view per\n"
    "connected client, and keeps every message. The same core runs headless as\n"
    "`wstester <command>` for scripts and CI.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/wstester/wstester")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# A Debian revision: the package is not a native one (its changelog is changelog.Debian.gz).
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the binary's shared libraries, plus the Qt plug-ins it loads at run time (which
# no library dependency names): the platform plug-ins, the SQLite driver of Qt SQL, and the SVG
# icon engine and image plug-ins (libqt6svg6) that draw every icon of the window.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite, libqt6svg6")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n")
include(CPack)
