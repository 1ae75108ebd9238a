# The executables allocate through jemalloc where it is installed (libjemalloc-dev). An import
# makes and frees millions of small strings on three threads, and glibc's malloc and free were a
# third of the reading thread's time; with jemalloc the import of a 1 GB log takes about a fifth
# less CPU on every thread (docs/store.md, "The allocator (session 24)"). Not with a sanitizer,
# which brings its own allocator. The libraries and tests do not link it: an executable decides.
option(MAILTRAIL_JEMALLOC "Link the executables with jemalloc when it is installed" ON)
add_library(mailtrail_allocator INTERFACE)
if(MAILTRAIL_JEMALLOC AND NOT (MAILTRAIL_SANITIZE OR MAILTRAIL_TSAN OR MAILTRAIL_FUZZ))
    find_package(PkgConfig)
    if(PkgConfig_FOUND)
        pkg_check_modules(JEMALLOC IMPORTED_TARGET jemalloc)
    endif()
    if(JEMALLOC_FOUND)
        message(STATUS "Allocator: jemalloc ${JEMALLOC_VERSION}")
        target_link_libraries(mailtrail_allocator INTERFACE PkgConfig::JEMALLOC)
    else()
        message(WARNING "jemalloc not found (libjemalloc-dev): the executables use the C library's malloc, and an import is slower")
    endif()
endif()
