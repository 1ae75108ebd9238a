# Every target links mailtrail_warnings, so one place decides what a warning is.
add_library(mailtrail_warnings INTERFACE)
target_compile_options(mailtrail_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wunused
    -Wmisleading-indentation -Wduplicated-cond -Wlogical-op)
if(MAILTRAIL_WERROR)
    target_compile_options(mailtrail_warnings INTERFACE -Werror)
endif()
