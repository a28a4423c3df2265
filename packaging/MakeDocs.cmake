# cmake -DWSTESTER=<binary> -DOUT=<folder> -P MakeDocs.cmake
# The man page and the shell completions, printed by the built binary from its commands' own
# parsers (app/cli/CliDocs.cpp), so that they cannot drift from what it accepts.
file(MAKE_DIRECTORY "${OUT}")
# A copy is run, not the binary the linker just wrote: under a parallel build another process can
# still hold a write handle on it for a moment, and exec() then fails with "Text file busy".
set(runner "${OUT}/wstester-docs")
file(COPY_FILE "${WSTESTER}" "${runner}")
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
foreach(pair "manpage;wstester.1" "completions bash;wstester.bash" "completions zsh;_wstester"
             "completions fish;wstester.fish")
    list(GET pair 0 args)
    list(GET pair 1 name)
    separate_arguments(args)
    execute_process(COMMAND "${runner}" ${args} OUTPUT_FILE "${OUT}/${name}" RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "wstester ${args} failed: ${result}")
    endif()
endforeach()
file(REMOVE "${runner}")
# Debian installs man pages compressed, without a time stamp in the gzip header.
execute_process(COMMAND gzip -9nf "${OUT}/wstester.1" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "gzip of the man page failed: ${result}")
endif()
