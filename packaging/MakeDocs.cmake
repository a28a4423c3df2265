# cmake -DWSTESTER=<binary> -DOUT=<folder> -P MakeDocs.cmake
# The man page and the shell completions, printed by the built binary from its commands' own
# parsers (app/cli/CliDocs.cpp), so that they cannot drift from what it accepts.
file(MAKE_DIRECTORY "${OUT}")
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
foreach(pair "manpage;wstester.1" "completions bash;wstester.bash" "completions zsh;_wstester"
             "completions fish;wstester.fish")
    list(GET pair 0 args)
    list(GET pair 1 name)
    separate_arguments(args)
    execute_process(COMMAND "${WSTESTER}" ${args} OUTPUT_FILE "${OUT}/${name}" RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "wstester ${args} failed: ${result}")
    endif()
endforeach()
# Debian installs man pages compressed, without a time stamp in the gzip header.
execute_process(COMMAND gzip -9nf "${OUT}/wstester.1" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "gzip of the man page failed: ${result}")
endif()
