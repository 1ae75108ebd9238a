# Every target links mailtrail_warnings, so one place decides what a warning is.
add_library(mailtrail_warnings INTERFACE)
target_compile_options(mailtrail_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wunused
    -Wmisleading-indentation)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC's own; clang (the fuzz build) has no such warnings and would reject the flags.
    target_compile_options(mailtrail_warnings INTERFACE -Wduplicated-cond -Wlogical-op)
endif()
if(MAILTRAIL_WERROR)
    target_compile_options(mailtrail_warnings INTERFACE -Werror)
endif()
